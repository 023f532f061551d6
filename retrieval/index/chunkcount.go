package index

// ChunkCount returns how many chunks the article with id is stored in
// (0 when it is not stored).
func (s *Index) ChunkCount(id string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r, ok := s.articles[id]; ok {
		return len(r.chunks)
	}
	return 0
}
