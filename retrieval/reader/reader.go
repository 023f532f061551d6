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

// New builds the shipped reader on base, the embedded USE-lite model whose
// tokenizer and token embeddings it shares.
func New(base *use.Model) (*Reader, error) {
	p, err := use.ReadParams(weights)
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	pm, err := use.NewPairModel(base, p)
	if err != nil {
		return nil, fmt.Errorf("load reader: %w", err)
	}
	return &Reader{pm: pm}, nil
}

// Logits returns, for each sentence, the log-odds that it answers question.
func (r *Reader) Logits(ctx context.Context, question string, sentences []string) ([]float32, error) {
	return r.pm.Logits(ctx, question, sentences)
}

// Name returns Name.
func (r *Reader) Name() string { return Name }
