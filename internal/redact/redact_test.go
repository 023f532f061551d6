package redact

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	cause := errors.Join(io.ErrUnexpectedEOF, errors.New("GET https://api.example/botSECRET/getMe"))
	err := Wrap(cause, func(s string) string { return strings.ReplaceAll(s, "SECRET", "<token>") })
	if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "bot<token>/getMe") {
		t.Errorf("message %q", err)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not see through Wrap")
	}
	if Wrap(nil, strings.ToUpper) != nil {
		t.Error("Wrap(nil) != nil")
	}
}
