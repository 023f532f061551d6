package ingest

import (
	"errors"
	"strings"
	"testing"

	"newsbot/bot"
)

func TestJSONL(t *testing.T) {
	content := strings.Join([]string{
		`{"id": "a1", "title": "First", "text": "Alpha text.\r\n\r\n\r\nMore.", "url": "https://x.org/1", "published": "2024-02-03", "source": "Wire", "author": "Al", "category": "ignored"}`,
		``,
		`{"title": "No id", "text": "Uses the URL.", "url": "https://X.org/2?utm_source=a#frag"}`,
		`{"id": 42, "text": "Numeric id, no title. Second sentence."}`,
		`{"text": "No id and no URL."}`,
		`{"id": "bad", "text": "broken json"`,
		`{"id": "no-text", "title": "Missing text"}`,
		`["an", "array"]`,
		`{"id": "d", "text": "Bad date kept.", "published": "sometime"}`,
		"{\"id\": \"ctl\", \"text\": \"bell \\u0007 ring\"}",
		"{\"id\": \"latin\", \"text\": \"caf\xe9\"}",
		`   `,
	}, "\n") + "\n"
	arts, err := Reader("corpus.jsonl", strings.NewReader(content))
	checkArticles(t, arts, []bot.Article{
		{ID: "a1", Title: "First", Source: "Wire", URL: "https://x.org/1", Author: "Al",
			Published: date("2024-02-03T00:00:00Z"), Text: "Alpha text.\n\nMore."},
		{ID: "https://x.org/2", Title: "No id", URL: "https://x.org/2", Text: "Uses the URL."},
		{ID: "42", Title: "Numeric id, no title.", Text: "Numeric id, no title. Second sentence."},
		{ID: "corpus:5", Title: "No id and no URL.", Text: "No id and no URL."},
		{ID: "d", Title: "Bad date kept.", Text: "Bad date kept."},
	})
	le, ok := Partial(err)
	if !ok {
		t.Fatalf("error %v is not a *LineErrors", err)
	}
	type problem struct {
		line    int
		skipped bool
		msg     string
	}
	want := []problem{
		{6, true, "invalid JSON"},
		{7, true, `no "text"`},
		{8, true, "not an object"},
		{9, false, `published "sometime" ignored`},
		{10, true, "binary file"},
		{11, true, "not valid UTF-8 text"},
	}
	if len(le.Errs) != len(want) {
		t.Fatalf("got %d problems, want %d: %v", len(le.Errs), len(want), le)
	}
	for i, w := range want {
		g := le.Errs[i]
		if g.Line != w.line || g.Skipped != w.skipped || !strings.Contains(g.Err.Error(), w.msg) {
			t.Errorf("problem %d = line %d skipped=%v %q; want line %d skipped=%v containing %q",
				i, g.Line, g.Skipped, g.Err, w.line, w.skipped, w.msg)
		}
	}
	if le.Skipped() != 5 {
		t.Errorf("Skipped() = %d, want 5", le.Skipped())
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "corpus.jsonl: 5 skipped, 1 warnings: line 6: invalid JSON") || !strings.Contains(msg, "and 3 more") || strings.Contains(msg, "\n") {
		t.Errorf("error message = %q", msg)
	}
}

func TestJSONLFatal(t *testing.T) {
	tests := []struct {
		name, content string
		err           error
	}{
		{"empty", "", ErrEmpty},
		{"blank lines only", "\n \n\n", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Reader("x.jsonl", strings.NewReader(tt.content))
			if !errors.Is(err, tt.err) || arts != nil {
				t.Errorf("got %v, %v; want %v", arts, err, tt.err)
			}
		})
	}
}

func TestJSONLAllBad(t *testing.T) {
	arts, err := Reader("x.jsonl", strings.NewReader("nope\n{}\n"))
	le, ok := Partial(err)
	if len(arts) != 0 || !ok || le.Skipped() != 2 {
		t.Errorf("got %d articles, %v; want 0 and 2 skipped", len(arts), err)
	}
}

func TestJSONLLongLine(t *testing.T) {
	long := `{"id": "big", "text": "` + strings.Repeat("a", MaxFileBytes) + `"}`
	content := `{"id": "ok1", "text": "Before."}` + "\n" + long + "\n" + `{"id": "ok2", "text": "After."}`
	arts, err := Reader("x.jsonl", strings.NewReader(content))
	le, ok := Partial(err)
	if !ok || len(le.Errs) != 1 || le.Errs[0].Line != 2 || !errors.Is(le.Errs[0].Err, ErrTooLarge) {
		t.Fatalf("got %v, want line 2 too large", err)
	}
	if len(arts) != 2 || arts[0].ID != "ok1" || arts[1].ID != "ok2" {
		t.Errorf("got %+v, want ok1 and ok2", arts)
	}
}

func TestJSONLNoTrailingNewlineAndBOM(t *testing.T) {
	arts, err := Reader("x.ndjson", strings.NewReader("\xEF\xBB\xBF{\"id\":\"1\",\"text\":\"One.\"}\n{\"id\":\"2\",\"text\":\"Two.\"}"))
	if err != nil || len(arts) != 2 || arts[1].Text != "Two." {
		t.Errorf("got %+v, %v", arts, err)
	}
}
