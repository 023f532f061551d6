package index

import (
	"context"
	"fmt"

	"newsbot/retrieval/use"
)

// builtin is the embedded Universal Sentence Encoder Lite model: pure Go,
// offline, the default.
type builtin struct{ m *use.Model }

// NewBuiltinEmbedder loads the embedded model (once per process; the
// reader shares it).
func NewBuiltinEmbedder() (Embedder, error) {
	m, err := use.Shared()
	if err != nil {
		return nil, fmt.Errorf("load embedded model: %w", err)
	}
	return builtin{m}, nil
}

func (b builtin) Name() string { return use.Name }

func (b builtin) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return b.m.Embed(ctx, texts)
}
