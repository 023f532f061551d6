package use

import (
	"encoding/json"
	"math"
	"os"
	"sync"
	"testing"
)

// golden is the format of testdata/reference.json and testdata/extra.json:
// inputs with the token ids and embeddings that the model's own JavaScript
// runtime computed for them (see testdata/gen/gen.js).
type golden struct {
	Model      string      `json:"model"`
	Sentences  []string    `json:"sentences"`
	Tokens     [][]int     `json:"tokens"`
	Embeddings [][]float32 `json:"embeddings"`
}

func loadGolden(tb testing.TB, path string) golden {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if len(g.Sentences) == 0 || len(g.Sentences) != len(g.Tokens) || len(g.Sentences) != len(g.Embeddings) {
		tb.Fatalf("%s: %d sentences, %d token lists, %d embeddings", path, len(g.Sentences), len(g.Tokens), len(g.Embeddings))
	}
	return g
}

func loadReference(tb testing.TB) golden { return loadGolden(tb, "testdata/reference.json") }

var (
	sharedOnce  sync.Once
	sharedModel *Model
	sharedErr   error
)

// testModel loads the model once for all tests and benchmarks.
func testModel(tb testing.TB) *Model {
	tb.Helper()
	sharedOnce.Do(func() { sharedModel, sharedErr = Load() })
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedModel
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func norm2(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// compareGolden checks each embedding against the golden one and logs the
// worst cosine and element difference.
func compareGolden(t *testing.T, g golden, got [][]float32) {
	t.Helper()
	minCos, maxDiff := 1.0, 0.0
	for i := range g.Sentences {
		if len(got[i]) != Dim {
			t.Fatalf("text %d: %d dimensions, want %d", i, len(got[i]), Dim)
		}
		if n := norm2(got[i]); math.Abs(n-1) > 1e-5 {
			t.Errorf("text %d: norm %v, want 1", i, n)
		}
		c := cosine(got[i], g.Embeddings[i])
		minCos = min(minCos, c)
		for j := range got[i] {
			maxDiff = max(maxDiff, math.Abs(float64(got[i][j]-g.Embeddings[i][j])))
		}
		if !(c > 0.9999) {
			t.Errorf("text %d (%.40q): cosine %.6f with the runtime's vector, want > 0.9999", i, g.Sentences[i], c)
		}
	}
	t.Logf("%d texts: min cosine %.10f (1-cos %.2g), max abs diff %.3g", len(g.Sentences), minCos, 1-minCos, maxDiff)
}
