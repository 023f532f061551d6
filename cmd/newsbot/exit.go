package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

// exitStatus ends the program with a given status once the command has
// reported the failure itself (as JSON, say); main prints nothing more.
type exitStatus struct {
	code int
	err  error
}

func (e exitStatus) Error() string { return e.err.Error() }
func (e exitStatus) Unwrap() error { return e.err }

// storeError marks a failure to open or fill the store (or to load the
// embedder it needs), as opposed to a failure while answering.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// configError is a configuration that cannot be used.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// setupFailure reports a failure that happens before the command runs (the
// config, a global flag): for ask as any other ask failure (see
// askFailure), so that its exit statuses do not depend on where it failed.
func (m *Main) setupFailure(cmd string, args []string, err error) error {
	if cmd != "ask" {
		return err
	}
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	asJSON := slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "-json" || a == "--json=true" })
	return m.askFailure(err, asJSON)
}

// askFailure reports an ask failure, as ask --json's error object when
// asJSON or as one line on stderr, and returns the exit status that names
// its kind, the same either way. README's ask section lists them.
func (m *Main) askFailure(err error, asJSON bool) error {
	code, status, msg := cli.CodeInternal, 1, bot.UserMessage(err)
	var ue usageError
	var se storeError
	switch {
	case errors.As(err, &ue):
		code, status, msg = cli.CodeUsage, 2, ue.msg
	case errors.Is(err, bot.ErrInvalidQuestion):
		code, status = cli.CodeInvalidQuestion, 3
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		code, status, msg = cli.CodeInterrupted, 130, "interrupted"
	case errors.As(err, &se):
		code, status, msg = cli.CodeStoreUnavailable, 4, oneLine(se.err)
	case errors.As(err, new(configError)):
		code, status, msg = cli.CodeConfig, 5, oneLine(err)
	}
	m.Log.Debug("ask failed", "code", code, "err", err)
	if !asJSON {
		fmt.Fprintln(m.Stderr, "newsbot:", msg)
		return exitStatus{code: status, err: err}
	}
	if _, werr := m.Stdout.Write(cli.MarshalError(msg, code)); werr != nil {
		return werr
	}
	return exitStatus{code: status, err: err}
}
