package use

import (
	"context"
	"strings"
	"testing"
)

// passages returns n news passages of about words words each, cut from
// the long article in the reference file with overlapping windows.
func passages(tb testing.TB, n, words int) []string {
	tb.Helper()
	ref := loadReference(tb)
	var all []string
	for _, s := range ref.Sentences {
		all = append(all, strings.Fields(s)...)
	}
	out := make([]string, n)
	for i := range out {
		start := (i * 37) % (len(all) - words)
		out[i] = strings.Join(all[start:start+words], " ")
	}
	return out
}

// BenchmarkEmbed measures batch throughput on ~80-word news passages.
func BenchmarkEmbed(b *testing.B) {
	m := testModel(b)
	texts := passages(b, 64, 80)
	tokens := 0
	for _, t := range texts {
		tokens += min(len(m.Tokenize(t)), MaxTokens)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := m.Embed(ctx, texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(texts)*b.N)/b.Elapsed().Seconds(), "passages/s")
	b.ReportMetric(float64(tokens)/float64(len(texts)), "tokens/passage")
}

// BenchmarkEmbedQuery measures the latency of embedding one short question.
func BenchmarkEmbedQuery(b *testing.B) {
	m := testModel(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := m.EmbedOne(ctx, "When will Zelensky go to Washington?"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures building the model from the embedded files.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenize measures the tokenizer on one ~80-word passage.
func BenchmarkTokenize(b *testing.B) {
	m := testModel(b)
	text := passages(b, 1, 80)[0]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Tokenize(text)
	}
}
