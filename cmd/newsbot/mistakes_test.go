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
		{[]string{"ask", "--bogus", "q"}, "unknown flag: --bogus", true},
		{[]string{"ingest", "f.txt", "--seedz"}, "unknown flag: --seedz", true},
		{[]string{"statz"}, `unknown command "statz" (did you mean stats?)`, true},
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
			lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
			if tt.usage {
				// One line, and the hint naming the command's help.
				if len(lines) != 2 || !strings.HasPrefix(lines[1], "Run 'newsbot") || !strings.HasSuffix(lines[1], " --help' for usage.") {
					t.Errorf("a usage error prints one line and a hint:\n%s", errb)
				}
			} else if len(lines) > 1 {
				t.Errorf("more than one line on stderr:\n%s", errb)
			}
		})
	}
}

// TestGlobalFlagMistake checks that an unknown global flag is reported
// once, on one line with a hint, as a usage error (exit status 2).
func TestGlobalFlagMistake(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus", "stats"},
		{"-bogus"},
		{"--verbose=maybe", "stats"},
		{"stats", "--verbose=maybe"},
	} {
		m, out, errb := testMain(t, nil)
		code := runMain(context.Background(), m, args)
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], "newsbot: ") ||
			!strings.HasSuffix(lines[1], " --help' for usage.") || out.Len() != 0 {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want status 2, one line and the hint", args, code, out, errb)
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
	if !strings.Contains(out.String(), "json|text|human") {
		t.Errorf("usage does not name json|text|human:\n%s", out)
	}
}
