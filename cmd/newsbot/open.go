package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// openSeeded opens the store and the bot for a command that answers
// questions, filling an empty store with the bundled sample news first.
func (m *Main) openSeeded(ctx context.Context) error {
	// The reader decodes while the store opens and its index loads; only
	// the commands that answer need it.
	if load := m.readerLoad(); load != nil {
		go load() // loaded once: newBot gets the same reader, or its error
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if m.bot == nil {
		b, err := m.newBot(m.index)
		if err != nil {
			return err
		}
		m.bot = b
	}
	return m.ensureSeeded(ctx)
}

// argsAfter returns the command line's arguments after the first one
// equal to name (the command's own, as typed).
func (m *Main) argsAfter(name string) []string {
	for i, a := range m.args {
		if a == name {
			return m.args[i+1:]
		}
	}
	return nil
}

// unitFloat is an optional flag value in 0..1, checked as the config
// checks it. Unset, it prints no default: the default comes from the
// config.
type unitFloat struct {
	v   float64
	set bool
}

func (f *unitFloat) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *unitFloat) Type() string { return "score" }

func (f *unitFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return errors.New("not a number")
	}
	if v < 0 || v > 1 {
		return fmt.Errorf("%v out of range 0..1", v)
	}
	f.v, f.set = v, true
	return nil
}
