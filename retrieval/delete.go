package retrieval

import (
	"context"
	"fmt"
)

// Delete removes the articles with the given ids, with their chunks and
// vectors, and saves the store. Ids that are not stored are ignored; it
// returns how many articles it removed.
func (s *Store) Delete(ctx context.Context, ids ...string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("delete: %w", err)
	}
	s.mu.Lock()
	n := 0
	for _, id := range ids {
		if r, ok := s.articles[id]; ok {
			s.dropLocked(r)
			n++
		}
	}
	if n > 0 {
		s.dirty = true
	}
	s.mu.Unlock()
	if n == 0 {
		return 0, nil
	}
	return n, s.Save()
}
