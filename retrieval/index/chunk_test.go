package index

import (
	"os"
	"strings"
	"testing"
)

func TestChunkText(t *testing.T) {
	long := strings.Repeat("word ", 250) + "end."
	tests := []struct {
		name     string
		text     string
		maxWords int
		chunks   int
	}{
		{"one short", "One sentence. Two sentences.", 80, 1},
		{"packs to limit", "a b c. d e f. g h i. j k l.", 6, 2},
		{"long sentence cut", long, 80, 4},
		{"empty", "   ", 80, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := ChunkText(tt.text, tt.maxWords)
			if len(cs) != tt.chunks {
				t.Fatalf("got %d chunks, want %d", len(cs), tt.chunks)
			}
			checkChunks(t, tt.text, cs, tt.maxWords)
		})
	}
}

// checkChunks asserts the chunk invariants: in order, within the text,
// sentences inside their chunk, at most maxWords words.
func checkChunks(t *testing.T, text string, cs []Chunk, maxWords int) {
	t.Helper()
	prev := 0
	for _, c := range cs {
		if c.Span.Start < prev || c.Span.End > len(text) || c.Span.Start >= c.Span.End {
			t.Fatalf("bad chunk span %v", c.Span)
		}
		prev = c.Span.End
		if n := countWords(text[c.Span.Start:c.Span.End]); n > maxWords {
			t.Errorf("chunk has %d words > %d: %q", n, maxWords, text[c.Span.Start:c.Span.End])
		}
		for _, s := range c.Sentences {
			if s.Start < c.Span.Start || s.End > c.Span.End {
				t.Errorf("sentence %v outside chunk %v", s, c.Span)
			}
		}
	}
}

func TestChunkSeed(t *testing.T) {
	b, err := os.ReadFile("../../seeds/000_2424f0a08003b4fb.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	cs := ChunkText(text, MaxChunkWords)
	checkChunks(t, text, cs, MaxChunkWords)
	// "U.S. President Donald Trump" must not split a sentence.
	for _, c := range cs {
		for _, s := range c.Sentences {
			if strings.HasSuffix(text[s.Start:s.End], "U.S.") {
				t.Errorf("sentence split after U.S.: %q", text[s.Start:s.End])
			}
		}
	}
}

func BenchmarkChunkText(b *testing.B) {
	raw, err := os.ReadFile("../../seeds/000_2424f0a08003b4fb.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(string(raw)+"\n", 4)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		ChunkText(text, MaxChunkWords)
	}
}
