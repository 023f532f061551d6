// Package redact keeps secrets out of error messages.
package redact

// Wrap returns err with its message passed through scrub, which removes
// secrets (tokens, API keys) that libraries put into error text, such as a
// Telegram URL path. errors.Is and errors.As still see the original error
// through Unwrap; only the message changes. Wrap(nil, …) is nil.
func Wrap(err error, scrub func(string) string) error {
	if err == nil {
		return nil
	}
	return &redactedError{msg: scrub(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
