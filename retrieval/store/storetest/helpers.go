package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// hangGuard bounds every wait on another goroutine or process so a broken
// engine fails the test instead of hanging it. It is not a performance
// bound: a correct engine answers in milliseconds.
const hangGuard = 20 * time.Second

// handle opens a handle with connect and closes it when the test ends.
func handle(t *testing.T, connect Connect) store.DB {
	t.Helper()
	db := connect(t)
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// testContext is a context that ends with the test.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*hangGuard)
	t.Cleanup(cancel)
	return ctx
}

// sampleText mixes ASCII with multi-byte UTF-8 (2-, 3- and 4-byte runes),
// combining marks and line breaks, so a store that changes one byte of it
// (re-encoding, normalising, trimming) is caught.
const sampleText = "Zürich, 3 März — Ünïcödé “quotes”: 東京 said 🚀 launches rose 5%.\n" +
	"Second line: e\u0301 (combining), ß, Ω, \u00a0no-break space, tab\there.\r\n" +
	"Trailing spaces stay.   "

// record builds a record for id whose text, vectors and spans depend on
// variant, so different calls give distinguishable records.
func record(id string, variant int) store.Record {
	text := fmt.Sprintf("%s [v%d of %s]", sampleText, variant, id)
	half := strings.Index(text, "\n") + 1
	a := bot.Article{
		ID:        id,
		Title:     fmt.Sprintf("Title «%s» v%d", id, variant),
		Source:    "BBC News — Wörld",
		URL:       "https://example.com/news/" + id + "?a=1&b=ü",
		Author:    "Zoë O'Brien",
		Published: time.Date(2026, 3, 1+variant%27, 12, 30, 45, 123456000, time.UTC),
		Text:      text,
	}
	return store.Record{
		Article:  a,
		Hash:     fmt.Sprintf("hash-%s-%d", id, variant),
		TextHash: fmt.Sprintf("%x", sha256.Sum256([]byte(text))),
		Embedder: "use-lite-en",
		Chunks: []store.Chunk{
			{
				Span:      bot.Span{Start: 0, End: half},
				Sentences: []bot.Span{{Start: 0, End: 8}, {Start: 9, End: half}},
				Vector:    vector(4, variant),
			},
			{
				Span:      bot.Span{Start: half, End: len(text)},
				Sentences: []bot.Span{{Start: half, End: len(text)}},
				Vector:    vector(4, variant+1),
			},
		},
	}
}

// vector returns dim float32s including the values an inexact encoding
// would lose: negative zero, a subnormal, the largest finite value and
// numbers with no short decimal form.
func vector(dim, variant int) []float32 {
	special := []float32{
		float32(math.Copysign(0, -1)),
		math.SmallestNonzeroFloat32,
		math.MaxFloat32,
		1.0 / 3.0,
		-0.1,
	}
	v := make([]float32, dim)
	for i := range v {
		v[i] = special[(i+variant)%len(special)] * float32(1+variant%3)
	}
	return v
}

// assertRecord fails the test unless got equals want field by field,
// byte-exact for text and bit-exact for vectors.
func assertRecord(t *testing.T, got, want store.Record) {
	t.Helper()
	ga, wa := got.Article, want.Article
	if !ga.Published.Equal(wa.Published) || ga.Published.IsZero() != wa.Published.IsZero() {
		t.Errorf("%s: Published = %v, want %v", wa.ID, ga.Published, wa.Published)
	}
	ga.Published, wa.Published = time.Time{}, time.Time{}
	if ga != wa {
		t.Errorf("%s: Article =\n%#v\nwant\n%#v", wa.ID, ga, wa)
	}
	if got.Hash != want.Hash || got.TextHash != want.TextHash || got.Embedder != want.Embedder {
		t.Errorf("%s: Hash, TextHash, Embedder = %q, %q, %q, want %q, %q, %q", wa.ID,
			got.Hash, got.TextHash, got.Embedder, want.Hash, want.TextHash, want.Embedder)
	}
	if len(got.Chunks) != len(want.Chunks) {
		t.Fatalf("%s: %d chunks, want %d", wa.ID, len(got.Chunks), len(want.Chunks))
	}
	for i, gc := range got.Chunks {
		wc := want.Chunks[i]
		if gc.Span != wc.Span {
			t.Errorf("%s chunk %d: Span = %v, want %v", wa.ID, i, gc.Span, wc.Span)
		}
		if fmt.Sprint(gc.Sentences) != fmt.Sprint(wc.Sentences) {
			t.Errorf("%s chunk %d: Sentences = %v, want %v", wa.ID, i, gc.Sentences, wc.Sentences)
		}
		if len(gc.Vector) != len(wc.Vector) {
			t.Errorf("%s chunk %d: %d dimensions, want %d", wa.ID, i, len(gc.Vector), len(wc.Vector))
			continue
		}
		for j := range gc.Vector {
			if math.Float32bits(gc.Vector[j]) != math.Float32bits(wc.Vector[j]) {
				t.Errorf("%s chunk %d: Vector[%d] = %g (%#x), want %g (%#x)", wa.ID, i, j,
					gc.Vector[j], math.Float32bits(gc.Vector[j]), wc.Vector[j], math.Float32bits(wc.Vector[j]))
				break // one wrong value per chunk says enough
			}
		}
	}
}

// put stores r and fails the test on error.
func put(t *testing.T, db store.DB, r store.Record) (seq int64, replaced bool) {
	t.Helper()
	seq, replaced, err := db.Put(testContext(t), r)
	if err != nil {
		t.Fatalf("Put(%s): %v", r.Article.ID, err)
	}
	return seq, replaced
}

// get returns the record with id and fails the test on error.
func get(t *testing.T, db store.DB, id string) store.Record {
	t.Helper()
	r, err := db.Get(testContext(t), id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	return r
}

// waitUntil polls cond every few milliseconds until it holds, failing the
// test after hangGuard. It is for expiries, whose exact moment is the
// engine's clock's business.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after %v for %s", hangGuard, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
