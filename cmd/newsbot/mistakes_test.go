package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestCommandMistakes checks that common mistakes get one specific line:
// the error (or stderr) says what is wrong, and a usage mistake is a
// usage error (exit status 2).
func TestCommandMistakes(t *testing.T) {
	tests := []struct {
		args  []string
		want  string
		usage bool
	}{
		{[]string{"eval", "--threshold", "2", "--docs", "d", "--questions", "q"}, "2 out of range 0..1", true},
		{[]string{"eval", "--threshold", "x", "--docs", "d", "--questions", "q"}, "not a number", true},
		{[]string{"eval", "--docs", "/nonexistent", "--questions", "q.jsonl"}, "--docs /nonexistent: no such file", false},
		{[]string{"bench", "--corpus", "/nonexistent.jsonl"}, "--corpus /nonexistent.jsonl: no such file", false},
		{[]string{"ingest", "ftp://example.org/x.xml"}, "ftp://example.org/x.xml: the ftp:// scheme is not supported", false},
		{[]string{"stats", "extra"}, "stats takes no arguments", true},
		{[]string{"ask", "--bogus", "q"}, "flag provided but not defined: -bogus (see newsbot ask -h)", true},
		{[]string{"completion"}, "name one shell", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			m, _, errb := testMain(t, nil)
			err := m.Run(context.Background(), tt.args)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error() + "\n" + errb.String()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, stderr %q; want %q", err, errb, tt.want)
			}
			if got := errors.As(err, new(usageError)); got != tt.usage {
				t.Errorf("usage error = %v, want %v (%v)", got, tt.usage, err)
			}
			if strings.Count(strings.TrimSpace(errb.String()), "\n") > 0 {
				t.Errorf("more than one line on stderr:\n%s", errb)
			}
		})
	}
}

// TestGlobalFlagMistake checks that an unknown global flag is reported
// once, on one line with a hint, as a usage error (exit status 2).
func TestGlobalFlagMistake(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus", "ask", "x"},
		{"-bogus"},
		{"--verbose=maybe", "stats"},
	} {
		m, out, errb := testMain(t, nil)
		code := runMain(context.Background(), m, args)
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if code != 2 || len(lines) != 1 || !strings.HasPrefix(lines[0], "newsbot: ") ||
			!strings.HasSuffix(lines[0], "(run newsbot help)") || out.Len() != 0 {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want status 2 and one line ending with the hint", args, code, out, errb)
		}
	}
}

// TestGlobalUsageLogFormats checks the global usage names every log
// format the --log-format flag accepts.
func TestGlobalUsageLogFormats(t *testing.T) {
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"help"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"json", "text", "human"} {
		if !validLogFormat(f) {
			t.Fatalf("%s is not a valid log format", f)
		}
	}
	if !strings.Contains(out.String(), "[--log-format json|text|human]") {
		t.Errorf("usage does not name json|text|human:\n%s", out)
	}
}
