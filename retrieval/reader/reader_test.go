package reader

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"sync"
	"testing"

	"newsbot/retrieval/use"
)

var (
	once   sync.Once
	shared *Reader
	base   *use.Model
	errLd  error
)

func load(tb testing.TB) *Reader {
	tb.Helper()
	once.Do(func() {
		base, errLd = use.Load()
		if errLd == nil {
			shared, errLd = New(base)
		}
	})
	if errLd != nil {
		tb.Fatal(errLd)
	}
	return shared
}

// TestGolden checks the Go forward pass against the trainer's: train.py
// wrote these 50 token sequences and the logits PyTorch computed for them
// with the shipped half-precision weights.
func TestGolden(t *testing.T) {
	r := load(t)
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		IDs   []int   `json:"ids"`
		QLen  int     `json:"qlen"`
		Logit float64 `json:"logit"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 50 {
		t.Fatalf("%d golden pairs, want 50", len(cases))
	}
	worst := 0.0
	for i, c := range cases {
		seg := make([]uint8, len(c.IDs))
		for j := c.QLen; j < len(seg); j++ {
			seg[j] = 1
		}
		got, err := r.pm.LogitIDs(c.IDs, seg)
		if err != nil {
			t.Fatal(err)
		}
		d := math.Abs(float64(got) - c.Logit)
		worst = max(worst, d)
		if d >= 1e-3 {
			t.Errorf("pair %d: Go %.6f, PyTorch %.6f", i, got, c.Logit)
		}
	}
	t.Logf("largest |Δ logit| %.2e over %d pairs", worst, len(cases))
}

// TestLogits checks the public path: tokenization, parallel scoring, order,
// and that a cancelled context stops it.
func TestLogits(t *testing.T) {
	r := load(t)
	q := "When will the quay reopen?"
	ss := []string{"The quay will reopen in May after repairs.", "The harbour authority met on Monday."}
	z, err := r.Logits(t.Context(), q, ss)
	if err != nil || len(z) != 2 {
		t.Fatalf("%v %v", z, err)
	}
	for i, s := range ss {
		one, err := r.pm.Logit(q, s)
		if err != nil || one != z[i] {
			t.Errorf("sentence %d: %v alone, %v in the batch (%v)", i, one, z[i], err)
		}
	}
	if _, err := r.Logits(t.Context(), q, []string{"fine", "  "}); err == nil {
		t.Error("a blank sentence was scored")
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := r.Logits(ctx, q, ss); err == nil {
		t.Error("cancelled context ignored")
	}
}

// BenchmarkLogits measures one question against ReaderCandidates (10) news
// sentences of about 25 words: the reader's share of an answer's latency.
func BenchmarkLogits(b *testing.B) {
	r := load(b)
	ss := make([]string, 10)
	for i := range ss {
		ss[i] = "The harbour authority said on Monday that the quay, closed since a storm damaged it in January, will reopen in May after repairs costing £2m."
	}
	for b.Loop() {
		if _, err := r.Logits(context.Background(), "When will the quay reopen after the storm?", ss); err != nil {
			b.Fatal(err)
		}
	}
}

func TestLoadFile(t *testing.T) {
	r := load(t)
	f, err := LoadFile("model/reader.bin")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := LoadFile("model/reader.bin"); again != f {
		t.Error("the same file was loaded twice")
	}
	q, s := "When will the quay reopen?", []string{"The quay will reopen in May after repairs."}
	a, _ := r.Logits(t.Context(), q, s)
	b, _ := f.Logits(t.Context(), q, s)
	if a[0] != b[0] {
		t.Errorf("shipped %v, from file %v", a[0], b[0])
	}
	if _, err := LoadFile("testdata/no-such-file.bin"); err == nil {
		t.Error("a missing file was loaded")
	}
	if _, err := LoadFile("testdata/golden.json"); err == nil {
		t.Error("a file that is not a parameter file was loaded")
	}
}
