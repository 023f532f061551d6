package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	chromem "github.com/philippgille/chromem-go"
)

// Embedder turns texts into vectors. Vectors of different embedders never
// mix: a store is bound to the Name of the embedder that built it.
type Embedder interface {
	// Name identifies the embedder and model, e.g. "use-lite-en" or
	// "ollama:nomic-embed-text".
	Name() string
	// Embed returns one L2-normalised vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// FuncEmbedder adapts a one-text-at-a-time chromem-go embedding function,
// such as chromem.NewEmbeddingFuncOllama, into an Embedder that embeds a
// batch with bounded concurrency.
type FuncEmbedder struct {
	name        string
	fn          chromem.EmbeddingFunc
	concurrency int
}

// NewFuncEmbedder returns an Embedder called name over fn, running at most
// concurrency requests at once (at least 1).
func NewFuncEmbedder(name string, fn chromem.EmbeddingFunc, concurrency int) *FuncEmbedder {
	return &FuncEmbedder{name: name, fn: fn, concurrency: max(concurrency, 1)}
}

// NewOllamaEmbedder returns an Embedder using an Ollama server's embedding
// endpoint (baseURL like "http://localhost:11434/api").
func NewOllamaEmbedder(model, baseURL string) *FuncEmbedder {
	return NewFuncEmbedder("ollama:"+model, chromem.NewEmbeddingFuncOllama(model, baseURL), 4)
}

// NewOpenAIEmbedder returns an Embedder using an OpenAI-compatible
// /embeddings endpoint (baseURL like "https://api.openai.com/v1").
func NewOpenAIEmbedder(model, baseURL, apiKey string) *FuncEmbedder {
	return NewFuncEmbedder("openai:"+model, chromem.NewEmbeddingFuncOpenAICompat(baseURL, apiKey, model, nil), 4)
}

// Name implements Embedder.
func (e *FuncEmbedder) Name() string { return e.name }

// Embed implements Embedder.
func (e *FuncEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	errs := make([]error, len(texts))
	sem := make(chan struct{}, e.concurrency)
	var wg sync.WaitGroup
	for i, t := range texts {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return nil, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			v, err := e.fn(ctx, t)
			if err == nil && len(v) == 0 {
				err = errors.New("empty vector")
			}
			out[i], errs[i] = normalize(v), err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("embed text %d with %s: %w", i, e.name, err)
		}
	}
	return out, nil
}

func normalize(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return v
}
