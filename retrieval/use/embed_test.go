package use

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	chromem "github.com/philippgille/chromem-go"
)

// EmbedOne must be usable wherever chromem-go takes an embedding function.
var _ chromem.EmbeddingFunc = (*Model)(nil).EmbedOne

func TestEmbedReference(t *testing.T) {
	m := testModel(t)
	g := loadReference(t)
	got, err := m.Embed(t.Context(), g.Sentences)
	if err != nil {
		t.Fatal(err)
	}
	compareGolden(t, g, got)
}

// TestEmbedOneExtra checks texts the runtime embedded one per call:
// newlines, NBSP, the ":30" vocabulary quirk, emoji, Cyrillic, a single
// character and texts over MaxTokens.
func TestEmbedOneExtra(t *testing.T) {
	m := testModel(t)
	g := loadGolden(t, "testdata/extra.json")
	got := make([][]float32, len(g.Sentences))
	for i, s := range g.Sentences {
		v, err := m.EmbedOne(t.Context(), s)
		if err != nil {
			t.Fatalf("EmbedOne(%.40q): %v", s, err)
		}
		got[i] = v
	}
	compareGolden(t, g, got)
}

func TestEmbedBlank(t *testing.T) {
	m := testModel(t)
	for _, text := range []string{"", " ", "   ", "\n\t ", "\u3000"} {
		if _, err := m.EmbedOne(t.Context(), text); !errors.Is(err, ErrEmptyText) {
			t.Errorf("EmbedOne(%q) error = %v, want ErrEmptyText", text, err)
		}
		_, err := m.Embed(t.Context(), []string{"fine", text})
		if !errors.Is(err, ErrEmptyText) {
			t.Errorf("Embed with %q error = %v, want ErrEmptyText", text, err)
		}
	}
	out, err := m.Embed(t.Context(), nil)
	if err != nil || len(out) != 0 {
		t.Errorf("Embed(nil) = %d vectors, %v; want none, nil", len(out), err)
	}
}

// TestEmbedConcurrent runs batches from several goroutines at once (run
// with -race) and checks every vector equals the one-at-a-time result
// bit for bit: the computation of a text does not depend on the worker,
// the batch or pooled scratch memory.
func TestEmbedConcurrent(t *testing.T) {
	m := testModel(t)
	texts := append(passages(t, 6, 60), "When will Zelensky go to Washington?", "Hello world")
	want := make([][]float32, len(texts))
	for i, s := range texts {
		v, err := m.EmbedOne(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = v
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for g := range 4 {
		wg.Go(func() {
			// Each goroutine uses its own order so texts land on different
			// workers and scratch buffers.
			order := slices.Clone(texts)
			idx := make([]int, len(texts))
			for i := range idx {
				idx[i] = (i + g*3) % len(texts)
				order[i] = texts[idx[i]]
			}
			got, err := m.Embed(context.Background(), order)
			if err != nil {
				errs <- err
				return
			}
			for i, v := range got {
				if !slices.Equal(v, want[idx[i]]) {
					errs <- fmt.Errorf("goroutine %d: text %d differs from EmbedOne", g, idx[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// countingCtx reports cancellation from its limit-th call of Err on, so a
// test can cancel at a known point of a batch.
type countingCtx struct {
	context.Context
	calls, limit atomic.Int64
}

func (c *countingCtx) Err() error {
	if c.calls.Add(1) > c.limit.Load() {
		return context.Canceled
	}
	return nil
}

func TestEmbedCancel(t *testing.T) {
	m := testModel(t)
	texts := make([]string, 200)
	for i := range texts {
		texts[i] = fmt.Sprintf("Headline number %d about the markets.", i)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := m.Embed(ctx, texts); !errors.Is(err, context.Canceled) {
		t.Errorf("Embed with a cancelled context: error = %v, want context.Canceled", err)
	}
	if _, err := m.EmbedOne(ctx, "text"); !errors.Is(err, context.Canceled) {
		t.Errorf("EmbedOne with a cancelled context: error = %v, want context.Canceled", err)
	}

	// Cancelled after a few texts: Embed must stop instead of finishing.
	cc := &countingCtx{Context: context.Background()}
	cc.limit.Store(5)
	out, err := m.Embed(cc, texts)
	if !errors.Is(err, context.Canceled) || out != nil {
		t.Fatalf("Embed cancelled mid-batch = %d vectors, %v; want nil, context.Canceled", len(out), err)
	}
	if n := cc.calls.Load(); n > 5+int64(len(texts))/4 {
		t.Errorf("Embed checked the context %d times for %d texts after cancelling at 5: it did not stop early", n, len(texts))
	}
}

func TestEmbedDiscriminates(t *testing.T) {
	m := testModel(t)
	vs, err := m.Embed(t.Context(), []string{
		"The central bank raised interest rates to fight inflation.",
		"Monetary policy was tightened as prices kept climbing.",
		"The striker scored twice in the cup final on Sunday.",
	})
	if err != nil {
		t.Fatal(err)
	}
	near, far := cosine(vs[0], vs[1]), cosine(vs[0], vs[2])
	t.Logf("related %.3f, unrelated %.3f", near, far)
	if near <= far {
		t.Errorf("cosine of related sentences %.3f <= unrelated %.3f", near, far)
	}
}
