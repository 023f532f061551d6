package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/followtest"
	"newsbot/bot"
	"newsbot/internal/golden"
)

func TestRenderPushGolden(t *testing.T) {
	f := bot.Follow{ID: 9, Chat: bot.Chat{Platform: Platform}, Query: "the \x1b[31mdam\x1b[0m  story"}
	one := followtest.Pushes(f, quote(article, "The Kariba dam reopened on Monday."))
	digest := followtest.Pushes(f, quote(article, "“It is back,” said an engineer."), quote(article, "Output will reach 800 MW."))
	tests := []struct {
		name  string
		ps    []bot.Push
		style Style
	}{
		{"push_one", one, Style{}},
		{"push_digest", digest, Style{}},
		{"push_digest_wrapped", digest, Style{Width: 40, Plain: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RenderPush(f, tt.ps, tt.style)
			for _, p := range tt.ps {
				if !strings.Contains(got, p.Quote.Text) || !strings.Contains(got, p.Quote.Link()) {
					t.Errorf("push does not hold the quote %q verbatim with its link", p.Quote.Text)
				}
			}
			if strings.Contains(got, "\x1b") {
				t.Errorf("a terminal escape reached the output: %q", got)
			}
			golden.Check(t, tt.name, got+"\n")
		})
	}
	if RenderPush(f, nil, Style{}) != "" {
		t.Error("no pushes render as something")
	}
}

func TestPusher(t *testing.T) {
	f := bot.Follow{ID: 9, Chat: bot.Chat{Platform: Platform}, Query: "dam"}
	ps := followtest.Pushes(f, quote(article, "The Kariba dam reopened on Monday."), quote(article, "Output will reach 800 MW."))
	ps[1].Digest, ps[1].Created = true, time.Date(2025, 8, 10, 10, 0, 0, 0, time.UTC)

	var text bytes.Buffer
	if err := NewPusher(&text, false).Push(context.Background(), f, ps[:1]); err != nil {
		t.Fatal(err)
	}
	if want := RenderPush(f, ps[:1], Style{}) + "\n\n"; text.String() != want {
		t.Errorf("printed %q, want %q", text.String(), want)
	}

	var out bytes.Buffer
	if err := NewPusher(&out, true).Push(context.Background(), f, ps); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d JSON lines, want 2:\n%s", len(lines), out.String())
	}
	var got []JSONPush
	for _, l := range lines {
		var p JSONPush
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		got = append(got, p)
	}
	q := got[1].Quote
	if got[0].Query != "dam" || got[0].FollowID != 9 || got[0].Digest || got[0].Created != "" || !got[1].Digest ||
		got[1].Created != "2025-08-10T10:00:00Z" || got[1].Story != "a1" || article.Text[q.Start:q.End] != q.Text ||
		q.Link != ps[1].Quote.Link() || got[1].Message != RenderPush(f, ps[1:], Style{}) {
		t.Errorf("JSON pushes %+v", got)
	}
	if !strings.Contains(lines[0], `"message":"New on your follow “dam”:\n> The Kariba`) {
		t.Errorf("message escaped for HTML or missing: %s", lines[0])
	}

	if err := NewPusher(failingWriter{}, false).Push(context.Background(), f, ps); err == nil || !errors.Is(err, errClosed) {
		t.Errorf("a failing writer gives %v", err)
	}
}

var errClosed = errors.New("closed")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errClosed }
