package main

import (
	"context"
	"errors"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

// Exit statuses, the same for every command; README, "Exit status", lists
// them. Each has a code, which ask --json prints in its error object.
const (
	exitOK          = 0
	exitFailure     = 1 // internal, or some inputs failed (ingest, rm, export)
	exitUsage       = 2
	exitInvalid     = 3 // the question cannot be asked
	exitStore       = 4 // the store or the embedder could not be opened
	exitConfig      = 5
	exitInterrupted = 130
)

// exitStatus ends the program with a given status once the failure was
// reported; main prints nothing more.
type exitStatus struct {
	code int
	err  error
}

func (e exitStatus) Error() string { return e.err.Error() }
func (e exitStatus) Unwrap() error { return e.err }

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errReported is returned when the command already told the user what went
// wrong and only the exit status is left to set.
var errReported = errors.New("reported")

// storeError marks a failure to open or fill the store (or to load the
// embedder it needs), as opposed to a failure while answering.
type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// configError is a configuration that cannot be used.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// emptyQuestion is an empty question, refused before the store is opened.
type emptyQuestion struct{}

func (emptyQuestion) Error() string        { return "Please ask a question." }
func (emptyQuestion) Is(target error) bool { return target == bot.ErrInvalidQuestion }

// failure is what a failed command reports: its exit status, its stable
// code and a one-line message.
type failure struct {
	status int
	code   string
	msg    string
}

// classify maps an error to the exit status table.
func classify(err error) failure {
	var ue usageError
	var se storeError
	var be *bot.Error
	switch {
	case errors.As(err, &ue):
		return failure{exitUsage, cli.CodeUsage, ue.msg}
	case errors.Is(err, bot.ErrInvalidQuestion):
		msg := err.Error()
		if errors.As(err, &be) {
			msg = be.Message
		}
		return failure{exitInvalid, cli.CodeInvalidQuestion, msg}
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return failure{exitInterrupted, cli.CodeInterrupted, "interrupted"}
	case errors.As(err, &se):
		return failure{exitStore, cli.CodeStoreUnavailable, oneLine(se.err)}
	case errors.As(err, new(configError)):
		return failure{exitConfig, cli.CodeConfig, oneLine(err)}
	case errors.As(err, &be):
		return failure{exitFailure, cli.CodeInternal, be.Message}
	}
	return failure{exitFailure, cli.CodeInternal, oneLine(err)}
}

// marshalError is ask --json's error object for f.
func marshalError(f failure) []byte { return cli.MarshalError(f.msg, f.code) }
