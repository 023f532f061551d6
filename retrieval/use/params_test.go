package use

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestHalfRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		in, want float32
	}{
		{0, 0}, {1, 1}, {-2.5, -2.5}, {65504, 65504}, {1e6, float32(math.Inf(1))},
		{1.0 / (1 << 24), 1.0 / (1 << 24)}, // smallest subnormal
		{1e-9, 0},
		{1.0009765625, 1.0009765625},           // 1 + 2^-10, exact
		{1.00048828125, 1},                     // halfway: ties to even
		{0.1, 0.0999755859375},                 // nearest half
		{-0.00006103515625, -0.00006103515625}, // smallest normal
	} {
		if got := fromHalf(toHalf(tt.in)); got != tt.want {
			t.Errorf("half(%g) = %g, want %g", tt.in, got, tt.want)
		}
	}
}

func TestParamsRoundTrip(t *testing.T) {
	p := Params{}
	p.set("m", []float32{1, 0.1, -3, 7}, 2, 2)
	p.setScalar("eps", 1e-6)
	for _, half := range []bool{false, true} {
		var buf bytes.Buffer
		if err := WriteParams(&buf, p, half); err != nil {
			t.Fatal(err)
		}
		got, err := ReadParams(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if got["eps"].Data[0] != 1e-6 {
			t.Errorf("half=%v: constant changed to %g", half, got["eps"].Data[0])
		}
		m := got["m"].Data
		if half && m[1] != 0.0999755859375 || !half && m[1] != 0.1 || m[2] != -3 || len(got["m"].Shape) != 2 {
			t.Errorf("half=%v: got %v shape %v", half, m, got["m"].Shape)
		}
		if _, err := ReadParams(buf.Bytes()[:buf.Len()-1]); err == nil {
			t.Errorf("half=%v: a truncated file was read", half)
		}
	}
	if _, err := ReadParams([]byte("not params")); err == nil {
		t.Error("garbage was read")
	}
}

// TestBaseParamsRebuild checks that the parameters the trainer starts from
// define the shipped embedder exactly: a model assembled from a written and
// re-read copy embeds as Load's does.
func TestBaseParamsRebuild(t *testing.T) {
	m := testModel(t)
	p, err := BaseParams()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteParams(&buf, p, false); err != nil {
		t.Fatal(err)
	}
	q, err := ReadParams(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	m2 := &Model{tok: m.tok}
	if err := assemble(m2, q, true); err != nil {
		t.Fatal(err)
	}
	m2.scratch = workspaces(m2.maxTokens)
	a, _ := m.EmbedOne(t.Context(), "The quay will reopen in May.")
	b, _ := m2.EmbedOne(t.Context(), "The quay will reopen in May.")
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("component %d: %g vs %g", i, a[i], b[i])
		}
	}
}

// TestHalvesToFloats checks the bulk conversion against fromHalf on every
// one of the 65,536 half floats, bit for bit (NaNs, infinities, zeros and
// subnormals included).
func TestHalvesToFloats(t *testing.T) {
	src := make([]byte, 2<<16)
	for h := range 1 << 16 {
		src[2*h], src[2*h+1] = byte(h), byte(h>>8)
	}
	got := make([]float32, 1<<16)
	halvesToFloats(got, src)
	for h := range 1 << 16 {
		if want := fromHalf(uint16(h)); math.Float32bits(got[h]) != math.Float32bits(want) {
			t.Fatalf("half %#04x: %#08x, want %#08x", h, math.Float32bits(got[h]), math.Float32bits(want))
		}
	}
}

// TestEmbeddingTableRows checks that the token embeddings read row by row
// from the shards, as Load reads them, are the decoded ones bit for bit,
// the rows that straddle two shards included.
func TestEmbeddingTableRows(t *testing.T) {
	decoded, _, err := readWeights(false)
	if err != nil {
		t.Fatal(err)
	}
	_, lazy, err := readWeights(true)
	if err != nil {
		t.Fatal(err)
	}
	want := decoded[embeddingsName].Data
	buf := make([]float32, embedDim)
	for id := range vocabRows {
		got := lazy.row(id, buf)
		for c, v := range got {
			if w := want[id*embedDim+c]; math.Float32bits(v) != math.Float32bits(w) {
				t.Fatalf("row %d column %d: %g, want %g", id, c, v, w)
			}
		}
	}
}

// TestViewParams checks that a parameter file read in place holds the
// values ReadParams decodes, and that a pair model built on it scores as
// one built on the decoded weights, bit for bit, whichever kernel the
// machine has.
func TestViewParams(t *testing.T) {
	base := testModel(t)
	r := rand.New(rand.NewPCG(7, 8))
	p := Params{}
	p.set("segment", randMatrix(r, 2*embedDim), 2, embedDim)
	p.set("head", randMatrix(r, Dim), Dim)
	p.setScalar("head_bias", 0.25)
	b, err := BaseParams()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range b {
		if name != "embeddings" && name != "timing" {
			p[name] = v
		}
	}
	var buf bytes.Buffer
	if err := WriteParams(&buf, p, true); err != nil {
		t.Fatal(err)
	}
	decoded, err := ReadParams(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	viewed, err := ViewParams(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range decoded {
		g := &paramGetter{p: viewed}
		if v := g.get(name, d.Shape...); !slices.Equal(v, d.Data) || g.err != nil {
			t.Errorf("%s read in place differs from decoded (%v)", name, g.err)
		}
	}
	byView, err := NewPairModel(base, viewed)
	if err != nil {
		t.Fatal(err)
	}
	byDecoded, err := NewPairModel(base, decoded)
	if err != nil {
		t.Fatal(err)
	}
	if halfKernel != nil && byView.m.layers[1].ffn1.half == nil {
		t.Error("the viewed pair model widened its matrices, though this machine multiplies by half floats")
	}
	for _, s := range []string{"The quay will reopen in May.", "Officials said nothing about the cost of the repairs."} {
		a, _ := byView.Logit("When will the quay reopen?", s)
		d, _ := byDecoded.Logit("When will the quay reopen?", s)
		if math.Float32bits(a) != math.Float32bits(d) {
			t.Errorf("%q: logit %g in place, %g decoded", s, a, d)
		}
	}
}
