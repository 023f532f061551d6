package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"newsbot/bot"
)

// shared is the read-only data directory that sits beside the repository.
const shared = "../../../shared"

func TestSharedData(t *testing.T) {
	tests := []struct {
		path    string
		atLeast int
	}{
		{"seeds", 1},
		{"eval/xquad/docs.jsonl", 240},
		{"eval/bbc/news_corpus.jsonl", 2225},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p := filepath.Join(shared, tt.path)
			if _, err := os.Stat(p); err != nil {
				t.Skipf("shared data absent: %v", err)
			}
			n := 0
			ids := map[string]bool{}
			err := Paths(context.Background(), []string{p}, func(path string, arts []bot.Article, err error) {
				if err != nil {
					t.Errorf("%v", err)
				}
				for _, a := range arts {
					if a.ID == "" || a.Title == "" || a.Text == "" {
						t.Errorf("%s: incomplete article %q title %q", path, a.ID, a.Title)
					}
					if ids[a.ID] {
						t.Errorf("%s: duplicate ID %q", path, a.ID)
					}
					ids[a.ID] = true
					n++
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < tt.atLeast {
				t.Errorf("got %d articles, want at least %d", n, tt.atLeast)
			}
		})
	}
}

// BenchmarkBBCCorpus reads the 2,225-article BBC corpus (5 MB of JSON
// Lines): the cost of ingest's parsing and normalising, without storage.
func BenchmarkBBCCorpus(b *testing.B) {
	p := filepath.Join(shared, "eval/bbc/news_corpus.jsonl")
	if _, err := os.Stat(p); err != nil {
		b.Skipf("shared data absent: %v", err)
	}
	for b.Loop() {
		arts, err := File(p)
		if err != nil || len(arts) != 2225 {
			b.Fatalf("got %d articles, %v", len(arts), err)
		}
	}
}

// BenchmarkHTML extracts the article from a 3 KB page with boilerplate.
func BenchmarkHTML(b *testing.B) {
	data, err := os.ReadFile("testdata/article.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := HTML(bytes.NewReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}
