package reader

import (
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
