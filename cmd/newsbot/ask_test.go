package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"newsbot/adapters/cli"
	"newsbot/retrieval/index"
)

// failingEmbedder embeds like the built-in model but fails on texts that
// hold "explode", so a question can fail after the store is open.
type failingEmbedder struct{ index.Embedder }

func (f failingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, "explode") }) {
		return nil, errors.New("embedding server on fire")
	}
	return f.Embedder.Embed(ctx, texts)
}

// TestAskJSONErrors checks that with --json every failure is one
// {"error": {"message", "code"}} object on stdout and that the exit status
// names its kind; without --json the status is the same and the message
// is one line on stderr.
func TestAskJSONErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		args   []string
		setup  func(t *testing.T, m *Main)
		ctx    context.Context
		code   string
		status int
		msg    string
	}{
		{name: "no question", args: []string{"ask", "--json"}, code: cli.CodeUsage, status: 2, msg: "no question"},
		{name: "bad flag", args: []string{"ask", "--json", "--frobnicate", "q"}, code: cli.CodeUsage, status: 2, msg: "frobnicate"},
		{name: "too long", args: []string{"ask", "--json", strings.Repeat("a", 2000)}, code: cli.CodeInvalidQuestion, status: 3, msg: "under 2,000 characters"},
		{name: "control character", args: []string{"ask", "--json", "who\x01?"}, code: cli.CodeInvalidQuestion, status: 3, msg: "isn't valid text"},
		{name: "store unavailable", args: []string{"ask", "--json", "who?"}, code: cli.CodeStoreUnavailable, status: 4, msg: "newsbot",
			setup: func(t *testing.T, m *Main) {
				// The data dir is a file, so the store cannot be opened.
				dir := filepath.Join(m.Getenv("XDG_DATA_HOME"), "newsbot")
				if err := os.WriteFile(dir, []byte("x"), 0o644); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "interrupted", args: []string{"ask", "--json", "who?"}, ctx: cancelled, code: cli.CodeInterrupted, status: 130, msg: "interrupted"},
		{name: "bad config", args: []string{"ask", "--json", "who?"}, code: cli.CodeConfig, status: 5, msg: "max_quotes",
			setup: func(t *testing.T, m *Main) {
				path := filepath.Join(t.TempDir(), "bad.toml")
				os.WriteFile(path, []byte("[answer]\nmax_quotes = 9\n"), 0o644)
				env := m.Getenv
				m.Getenv = func(k string) string {
					if k == "NEWSBOT_CONFIG" {
						return path
					}
					return env(k)
				}
			}},
		{name: "bad global flag", args: []string{"--log-format", "xml", "ask", "--json", "who?"}, code: cli.CodeUsage, status: 2, msg: "--log-format"},
		{name: "answering failed", args: []string{"ask", "--json", "will it explode?"}, code: cli.CodeInternal, status: 1, msg: "couldn't search",
			setup: func(t *testing.T, m *Main) { m.Embedder = failingEmbedder{m.Embedder} }},
	}
	for _, tt := range tests {
		// prepare returns a Main set up for the case, and its context.
		prepare := func(t *testing.T) (*Main, *bytes.Buffer, *bytes.Buffer, context.Context) {
			m, out, errb := testMain(t, nil)
			if tt.setup != nil {
				tt.setup(t, m)
			}
			if tt.ctx != nil {
				return m, out, errb, tt.ctx
			}
			return m, out, errb, context.Background()
		}
		t.Run(tt.name, func(t *testing.T) {
			m, out, _, ctx := prepare(t)
			err := m.Run(ctx, tt.args)
			var es exitStatus
			if !errors.As(err, &es) || es.code != tt.status {
				t.Fatalf("err = %v, want exit status %d", err, tt.status)
			}
			var got map[string]cli.JSONErrorBody
			if err := json.Unmarshal(out.Bytes(), &got); err != nil || len(got) != 1 {
				t.Fatalf("stdout is not one error object: %v\n%s", err, out)
			}
			if e := got["error"]; e.Code != tt.code || !strings.Contains(e.Message, tt.msg) {
				t.Errorf("error %+v, want code %s and a message with %q", e, tt.code, tt.msg)
			}
		})
		t.Run(tt.name+" without --json", func(t *testing.T) {
			m, out, errb, ctx := prepare(t)
			args := slices.DeleteFunc(slices.Clone(tt.args), func(a string) bool { return a == "--json" })
			if code := runMain(ctx, m, args); code != tt.status {
				t.Errorf("exit status %d, want %d as with --json", code, tt.status)
			}
			lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
			first := lines[len(lines)-1]
			if tt.status == exitUsage {
				// A usage mistake: one line, then the hint.
				first = lines[max(0, len(lines)-2)]
				if hint := lines[len(lines)-1]; hint != "Run 'newsbot ask --help' for usage." {
					t.Errorf("hint %q", hint)
				}
			}
			if !strings.HasPrefix(first, "newsbot: ") || !strings.Contains(first, tt.msg) || out.Len() != 0 {
				t.Errorf("stdout %q, stderr %q; want the message with %q on stderr", out, errb, tt.msg)
			}
		})
	}
}
