package bot

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	cause := errors.Join(io.ErrUnexpectedEOF, errors.New("GET https://api.example/botSECRET/getMe"))
	err := Redact(cause, func(s string) string { return strings.ReplaceAll(s, "SECRET", "<token>") })
	if strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "bot<token>/getMe") {
		t.Errorf("message %q", err)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("errors.Is does not see through Redact")
	}
	if Redact(nil, strings.ToUpper) != nil {
		t.Error("Redact(nil) != nil")
	}
}
