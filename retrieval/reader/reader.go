// Package reader is newsbot's trained reader: USE-lite fine-tuned as a
// cross-encoder on questions written for this project (traindata/), run in
// pure Go on the embedder's kernels (retrieval/use). Given a question and
// candidate sentences it returns, per sentence, the log-odds that the
// sentence answers the question; the answer model turns that into a
// calibrated probability with the other features (see bot).
//
// The weights (model/reader.bin, half precision) are rebuilt from the data
// by train/train.sh; model/NOTICE says what they derive from.
package reader

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"sync"

	"newsbot/retrieval/use"
)

//go:embed model/reader.bin
var weights []byte

// Name identifies the shipped reader in logs and reports.
const Name = "reader-use-lite-x1"

// Reader scores (question, sentence) pairs. Safe for concurrent use.
type Reader struct {
	pm *use.PairModel
}

// Load returns the shipped reader, built once per process on the shared
// USE-lite model (use.Shared).
func Load() (*Reader, error) { return shipped() }

var shipped = sync.OnceValues(func() (*Reader, error) {
	base, err := use.Shared()
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	return New(base)
})

// LoadFile returns a reader with the weights in path (a file train.py
// wrote) instead of the shipped ones, for training experiments; readers are
// loaded once per path and process.
func LoadFile(path string) (*Reader, error) {
	fileMu.Lock()
	defer fileMu.Unlock()
	if r, ok := fromFile[path]; ok {
		return r, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	base, err := use.Shared()
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	r, err := newFrom(base, data)
	if err != nil {
		return nil, fmt.Errorf("load reader %s: %w", path, err)
	}
	fromFile[path] = r
	return r, nil
}

var (
	fileMu   sync.Mutex
	fromFile = map[string]*Reader{}
)

// New builds the shipped reader on base, the embedded USE-lite model whose
// tokenizer and token embeddings it shares.
func New(base *use.Model) (*Reader, error) {
	r, err := newFrom(base, weights)
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	return r, nil
}

func newFrom(base *use.Model, data []byte) (*Reader, error) {
	p, err := use.ViewParams(data) // the matrices stay half floats
	if err != nil {
		return nil, err
	}
	pm, err := use.NewPairModel(base, p)
	if err != nil {
		return nil, err
	}
	return &Reader{pm: pm}, nil
}

// Logits returns, for each sentence, the log-odds that it answers question.
func (r *Reader) Logits(ctx context.Context, question string, sentences []string) ([]float32, error) {
	return r.pm.Logits(ctx, question, sentences)
}

// Name returns Name.
func (r *Reader) Name() string { return Name }
