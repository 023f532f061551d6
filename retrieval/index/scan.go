package index

import (
	"context"
	"fmt"
)

// ScanDense runs chromem-go's bare exhaustive similarity search for the n
// chunks nearest to the query vector qv, with no fusion or keyword part.
// It is the anchor that `newsbot bench` compares the full query path to.
func (s *Index) ScanDense(ctx context.Context, qv []float32, n int) (int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	res, err := s.col.QueryEmbedding(ctx, qv, min(n, s.col.Count()), nil, nil)
	if err != nil {
		return 0, fmt.Errorf("dense scan: %w", err)
	}
	return len(res), nil
}

// SampleVectors returns up to n chunk vectors of the store, spread evenly.
func (s *Index) SampleVectors(n int) ([][]float32, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out [][]float32
	step := max(len(s.chunks)/max(n, 1), 1)
	for i := 0; i < len(s.chunks) && len(out) < n; i += step {
		if v := s.chunks[i].vec; v != nil {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("store has no vectors to sample")
	}
	return out, nil
}
