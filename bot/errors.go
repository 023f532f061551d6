package bot

import (
	"errors"
	"fmt"
)

// Error is an error with a short message fit for a chat user. The wrapped
// error carries the details, which belong in the log.
type Error struct {
	// Message is shown to the user.
	Message string
	// Err is the underlying cause; may be nil.
	Err error

	invalid bool // the question itself is unusable; see ErrInvalidQuestion
}

// ErrInvalidQuestion matches (with errors.Is) the errors for a question
// that cannot be asked at all (empty, too long, not valid text), as
// opposed to a failure while answering it.
var ErrInvalidQuestion = errors.New("invalid question")

// Is lets errors.Is(err, ErrInvalidQuestion) tell a user's mistake from a
// failure.
func (e *Error) Is(target error) bool { return e.invalid && target == ErrInvalidQuestion }

// invalidQuestion returns the error for a question that cannot be asked.
func invalidQuestion(msg string) *Error { return &Error{Message: msg, invalid: true} }

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message
	}
	return fmt.Sprintf("%s: %v", e.Message, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the user message msg wrapping a cause built
// from format and args.
func Errorf(msg, format string, args ...any) error {
	return &Error{Message: msg, Err: fmt.Errorf(format, args...)}
}

// UserMessage returns what a chat user should see for err: the message of
// the first *Error in its chain, or a generic apology for anything else, so
// internal details never reach the chat.
func UserMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Sorry, something went wrong while answering. Please try again."
}
