package use

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// Dim is the length of every embedding vector.
const Dim = 512

// MaxTokens is how many tokens of a text the model reads; the rest is cut
// off, as the original runtime does. About 100 English words fit.
const MaxTokens = 128

// Name identifies this embedder and model in stores and logs.
const Name = "use-lite-en"

// Sizes fixed by the shipped weights.
const (
	vocabRows = 8002
	embedDim  = 256
	ffnDim    = 1536
)

// ErrEmptyText is returned for a text that is empty or only whitespace:
// such a text has no meaning to embed, and a vector for it would match
// everything equally badly.
var ErrEmptyText = errors.New("use: empty text")

// Model is Universal Sentence Encoder Lite (English): a SentencePiece
// tokenizer and a two-layer transformer that map a text to one
// L2-normalised 512-dimensional vector. A Model is immutable after Load and
// safe for concurrent use.
type Model struct {
	tok *tokenizer

	emb        embeddingTable // [vocabRows × embedDim]
	timing     []float32      // [maxTokens × embedDim]
	adjust     packed         // layer 0 residual projection embedDim→Dim
	adjustBias []float32
	layers     [2]layer
	proj       packed // final tanh layer
	projBias   []float32

	eps       float32 // layer norm epsilon
	l2Floor   float32 // lower bound of the squared norm before dividing
	maxTokens int

	scratch *sync.Pool // *workspace; a pair model shares its base's
}

// Load returns the model built from the files embedded in the binary. It
// takes tens of milliseconds and about 20 MB of memory, so load once and
// share the Model.
func Load() (*Model, error) {
	m := &Model{}
	var tokErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		vocab, err := files.ReadFile("model/vocab.json")
		if err != nil {
			tokErr = fmt.Errorf("read vocabulary: %w", err)
			return
		}
		m.tok, tokErr = newTokenizer(vocab)
	})
	t, emb, err := readWeights(true)
	var p Params
	if err == nil {
		p, err = baseParams(t)
	}
	if err == nil {
		err = assemble(m, p, true) // p was decoded for m alone
		m.emb = emb
	}
	if err == nil && m.emb.empty() {
		err = fmt.Errorf("weights: missing %s", embeddingsName)
	}
	wg.Wait()
	if err = errors.Join(tokErr, err); err != nil {
		return nil, fmt.Errorf("load %s: %w", Name, err)
	}
	if m.maxTokens != MaxTokens {
		return nil, fmt.Errorf("load %s: graph cuts at %d tokens, want %d", Name, m.maxTokens, MaxTokens)
	}
	m.scratch = workspaces(m.maxTokens)
	return m, nil
}

// shared is the model loaded once for the whole process.
var shared = sync.OnceValues(Load)

// Shared returns one Model for the whole process, loaded on first use: the
// embedder and the reader share its tokenizer and embeddings.
func Shared() (*Model, error) { return shared() }

// Name returns Name, so that a *Model can serve as a named embedder.
func (m *Model) Name() string { return Name }

// Tokenize returns the token ids of text exactly as the original
// JavaScript runtime computes them, before the cut to MaxTokens. The ids
// index the vocabulary; unknown characters map to id 0, and runs of them
// to a single 0.
func (m *Model) Tokenize(text string) []int { return m.tok.encode(text) }

// EmbedOne returns the embedding of one text. Its signature matches
// chromem-go's EmbeddingFunc. It fails with ErrEmptyText for a text that
// is empty or only whitespace.
func (m *Model) EmbedOne(ctx context.Context, text string) ([]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embed text: %w", err)
	}
	return m.embed(text)
}

// Embed returns one embedding per text, in order, computing them in
// parallel on up to GOMAXPROCS cores. It fails with an error wrapping
// ErrEmptyText, before any work, if a text is empty or only whitespace,
// and stops early with the context's error when ctx is done (checked
// before each text).
func (m *Model) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	for i, t := range texts {
		if blank(t) {
			return nil, fmt.Errorf("embed text %d: %w", i, ErrEmptyText)
		}
	}
	out := make([][]float32, len(texts))
	err := parallel(ctx, len(texts), func(i int) error {
		v, err := m.embed(texts[i])
		if err != nil {
			return fmt.Errorf("embed text %d: %w", i, err)
		}
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parallel calls fn(i) for i in [0, n) on up to GOMAXPROCS goroutines and
// returns the first error; it stops taking new items once an item fails or
// ctx is done (checked before each item).
func parallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	errs := make([]error, workers)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = fmt.Errorf("item %d: %w", i, err)
					failed.Store(true)
					return
				}
				if err := fn(i); err != nil {
					errs[w] = err
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// blank reports whether text has nothing but whitespace.
func blank(text string) bool { return strings.TrimSpace(text) == "" }

// embed tokenizes and encodes one text.
func (m *Model) embed(text string) ([]float32, error) {
	if blank(text) {
		return nil, ErrEmptyText
	}
	ids := m.tok.encode(text)
	if len(ids) == 0 {
		return nil, ErrEmptyText
	}
	if len(ids) > m.maxTokens {
		ids = ids[:m.maxTokens]
	}
	out := make([]float32, Dim)
	ws := m.scratch.Get().(*workspace)
	m.forward(ws, ids, out)
	m.scratch.Put(ws)
	return out, nil
}
