package ingest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/bot"
	"newsbot/retrieval/internal/allocs"
)

func TestHTMLNestedHundredThousandDeep(t *testing.T) {
	const depth = 100_000
	page := "<html><head><title>Deep</title></head><body>" + strings.Repeat("<div>", depth) +
		"<p>The one real sentence sits at the bottom of the nesting.</p>" + strings.Repeat("</div>", depth) + "</body></html>"
	var arts []bot.Article
	var err error
	mem := allocs.Bytes(func() { arts, err = Reader("deep.html", strings.NewReader(page)) })
	// x/net/html caps the open elements it keeps, so the page parses
	// without deep recursion; either outcome is fine as long as it is clear
	// and what is read is well formed.
	checkRead(t, arts, err)
	if err == nil && !strings.Contains(arts[0].Text, "one real sentence") {
		t.Errorf("text lost: %q", arts[0].Text)
	}
	t.Logf("HTML nested %d deep (%d KB): %d articles, err %v, %d MB allocated", depth, len(page)>>10, len(arts), err, mem>>20)
}

func TestJSONLWithHugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 200 MB")
	}
	path := filepath.Join(t.TempDir(), "big.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	// 200 MB: articles of about 100 KB each, and at line 1000 one line of
	// 5 MB of text, over the per-line limit once quoted.
	para := strings.Repeat("The council met again on Tuesday to discuss the harbour. ", 1700) // ~100 KB
	const lines, huge = 2100, 1000
	for i := 1; i <= lines; i++ {
		text := para
		if i == huge {
			text = strings.Repeat("x", MaxFileBytes)
		}
		fmt.Fprintf(w, `{"id":"a%d","title":"Article %d","text":%q}`+"\n", i, i, text)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(path)

	var arts []bot.Article
	mem := allocs.Bytes(func() { arts, err = File(path) })
	le, partial := Partial(err)
	if !partial || len(le.Errs) != 1 || le.Errs[0].Line != huge || !le.Errs[0].Skipped || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v; want one one-line problem at line %d", err, huge)
	}
	if len(arts) != lines-1 {
		t.Fatalf("%d articles read, want %d: one bad line must not stop the others", len(arts), lines-1)
	}
	for _, a := range arts {
		if a.ID == fmt.Sprint("a", huge) || !strings.HasPrefix(a.Text, "The council met") {
			t.Fatalf("article %s stored wrong: %.40q", a.ID, a.Text)
		}
	}
	t.Logf("JSONL of %d MB with a %d MB line: %d articles, problem %q, %d MB allocated", fi.Size()>>20, MaxFileBytes>>20, len(arts), le.Errs[0].Err.Error(), mem>>20)
}

func TestJSONNulAndLoneSurrogates(t *testing.T) {
	tests := []struct {
		name, line string
		want       string // the stored text, or the problem with the line
	}{
		{"NUL escaped", `{"id":"n","title":"T","text":"before\u0000after. More text."}`, "binary file (control byte 0x00"},
		{"lone high surrogate", `{"id":"h","title":"T","text":"a \ud800 b. More text."}`, "a \uFFFD b. More text."},
		{"lone low surrogate", `{"id":"l","title":"T","text":"a \udc00 b. More text."}`, "a \uFFFD b. More text."},
		{"reversed pair", `{"id":"r","title":"T","text":"a \udc00\ud800 b. More text."}`, "a \uFFFD\uFFFD b. More text."},
		{"valid pair", `{"id":"p","title":"T","text":"a \ud83d\ude00 b. More text."}`, "a 😀 b. More text."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arts, err := Reader("x.jsonl", strings.NewReader(tt.line+"\n"))
			checkRead(t, arts, err)
			if strings.HasPrefix(tt.want, "binary") {
				// Refused with a clear reason rather than stored altered.
				if err == nil || !strings.Contains(err.Error(), tt.want) || len(arts) != 0 {
					t.Fatalf("got %d articles, error %v; want the line refused: %s", len(arts), err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("line refused: %v", err)
			}
			if arts[0].Text != tt.want {
				t.Errorf("stored text %q, want %q", arts[0].Text, tt.want)
			}
		})
	}
}
