package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
)

// command returns the flag set of a command whose -h prints
// "Usage: newsbot SYNOPSIS", what it does (about) and its flags.
func (m *Main) command(name, synopsis, about string) *flag.FlagSet {
	fl := m.flagSet(name)
	fl.Usage = m.usageFunc(fl, synopsis, about)
	return fl
}

// usageFunc is command's usage printer, for flag sets built elsewhere.
func (m *Main) usageFunc(fl *flag.FlagSet, synopsis, about string) func() {
	return func() {
		w := fl.Output()
		fmt.Fprintf(w, "Usage: newsbot %s\n\n%s\n", synopsis, about)
		n := 0
		fl.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(w, "\nFlags:")
			fl.PrintDefaults()
		}
	}
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

// mustExist says plainly that a file named by a flag is missing, before a
// reader reports something less direct (its file type, say).
func mustExist(flagName, path string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s %s: no such file", flagName, path)
		}
		return fmt.Errorf("%s: %w", flagName, err)
	}
	return nil
}

// parseNoArgs is parseFlags for a command that takes flags only.
func parseNoArgs(fl *flag.FlagSet, args []string) (help bool, err error) {
	if help, err := parseFlags(fl, args); help || err != nil {
		return help, err
	}
	if fl.NArg() > 0 {
		return false, usageError{fmt.Sprintf("%s takes no arguments (see newsbot %s -h)", fl.Name(), fl.Name())}
	}
	return false, nil
}
