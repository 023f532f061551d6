package ingest

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"newsbot/bot"
)

func FuzzReader(f *testing.F) {
	seeds := []string{
		"Title: T\nSource: S\n\nBody. More.",
		"plain text\r\n\r\n\r\nwith lines  \n",
		"\xEF\xBB\xBFbom",
		"\xFF\xFEa\x00b\x00",
		"caf\xe9",
		"a\x00b",
		`{"id":"1","text":"One."}` + "\n" + `{"text":"Two","url":"https://x.org/a?utm_x=1"}`,
		`{"id":1,"text":"\u0000"}`,
		"{\"text\":\"a\\r\\n\\r\\n\\r\\nb\"}\n\n{",
		"Published: 2024-01-02\nURL: http://[::1]/x\n\n" + strings.Repeat("word ", 40),
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, content string, jsonl bool) {
		name := "f.txt"
		if jsonl {
			name = "f.jsonl"
		}
		arts, err := Reader(name, strings.NewReader(content))
		checkRead(t, arts, err)
	})
}

// checkRead fails t unless Reader's result is well formed: an error or
// articles (both only for a partial read), one-line errors, and complete,
// valid, normalised articles.
func checkRead(t *testing.T, arts []bot.Article, err error) {
	t.Helper()
	if err != nil {
		if _, partial := Partial(err); !partial && arts != nil {
			t.Fatalf("articles %v returned with a fatal error %v", arts, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	} else if len(arts) == 0 {
		t.Fatal("no articles and no error")
	}
	for _, a := range arts {
		for field, s := range map[string]string{"ID": a.ID, "Title": a.Title, "Text": a.Text, "URL": a.URL, "Source": a.Source, "Author": a.Author} {
			if !utf8.ValidString(s) {
				t.Errorf("%s not valid UTF-8: %q", field, s)
			}
		}
		if a.Text == "" || a.ID == "" || a.Title == "" {
			t.Errorf("incomplete article %+v", a)
		}
		if strings.ContainsAny(a.Text, "\r\x00") || strings.Contains(a.Text, "\n\n\n") || strings.TrimSpace(a.Text) != a.Text {
			t.Errorf("text not normalised: %q", a.Text)
		}
		if strings.ContainsAny(a.Title, "\n\r") {
			t.Errorf("title spans lines: %q", a.Title)
		}
		if again, err := Normalize([]byte(a.Text)); err != nil || again != a.Text {
			t.Errorf("text changes when normalised again: %q -> %q (%v)", a.Text, again, err)
		}
	}
}

// formatNames are the extensions FuzzFormats picks from.
var formatNames = []string{".txt", ".md", ".html", ".jsonl", ".markdown", ".htm"}

// FuzzFormats feeds one input to every reader: text, Markdown with front
// matter, HTML and JSON Lines.
func FuzzFormats(f *testing.F) {
	seeds := []string{
		"---\ntitle: T\ndate: 2024-01-02\ntags: [a, b]\n---\n# Heading\n\nBody *em* [link](http://x.org).",
		"---\ntitle: \"unterminated\n---\nbody",
		"+++\ntitle = 'toml'\n+++\nBody.",
		"<html><head><title>T</title><meta name=author content=A></head><body><article><p>One.</p><p>Two &amp; three.</p></article></body></html>",
		"<p>" + strings.Repeat("<div>", 200) + "deep" + strings.Repeat("</div>", 200),
		"<script>alert(1)</script><style>x{}</style><p>text\u202e</p>",
		`{"title":"T","text":"a\u0000b\ud800c","date":"2024-01-02"}` + "\n" + `{"text":"\u202eevil"}`,
		`{"text": 1}` + "\n" + `[]` + "\n" + `{"text":"ok"}`,
	}
	for _, s := range seeds {
		for i := range formatNames {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, content string, format uint8) {
		name := "f" + formatNames[int(format)%len(formatNames)]
		arts, err := Reader(name, strings.NewReader(content))
		checkRead(t, arts, err)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-01-02", "Mon, 02 Jan 2006 15:04:05 -0700", "2 Jan 2006", "January 2, 2006",
		"2006-01-02T15:04:05+14:00", "9999-12-31T23:59:59-23:59", "0000-01-01", "01/02/2006", " 2024-02-30 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v, not in UTC", s, d)
		}
		if again, err := ParseDate(d.Format(time.RFC3339Nano)); err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v does not survive RFC 3339: %v, %v", s, d, again, err)
		}
	})
}

// FuzzPagesAndMarkdown feeds arbitrary bytes to the HTML and Markdown
// readers: they must not panic, errors are one line, and what comes back
// is normalised text.
func FuzzPagesAndMarkdown(f *testing.F) {
	for _, s := range []string{
		`<html><head><meta charset="gb2312"></head><body><article><p>Caf` + "\xc3\xa9" + ` reopened on Saturday after a long restoration.</p></article></body></html>`,
		`<html><head><script>` + strings.Repeat("x", 2000) + `</script><meta charset="utf-8"><iframe></iframe><link rel="canonical" href="https://x.org/a"></head><body><nav><a>Home</a></nav></body></html>`,
		"<p>caf\xe9</p>",
		"---\ntitle: \"Unclosed\n---\nBody.",
		"---\ntitle: A\n---\n# A\n\n## Sub\nText wrapped at a width that is long enough to count as\nwrapped text here.",
		"+++\ntitle = 1\n+++\nx",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, content string, md bool) {
		name := "p.html"
		if md {
			name = "p.md"
		}
		arts, err := Reader(name, strings.NewReader(content))
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			return
		}
		for _, a := range arts {
			if !utf8.ValidString(a.Text) || a.Text == "" {
				t.Errorf("bad text %q", a.Text)
			}
			if again, err := Normalize([]byte(a.Text)); err != nil || again != a.Text {
				t.Errorf("text changes when normalised again: %q -> %q (%v)", a.Text, again, err)
			}
		}
	})
}
