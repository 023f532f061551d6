package store

import (
	"errors"
	"fmt"
)

// Validate reports the first thing that makes r unfit to store: an empty
// id, or a chunk or sentence span outside the text or out of order. Every
// engine calls it in Put, so a bad record is refused the same way
// whatever the engine.
func (r Record) Validate() error {
	if r.Article.ID == "" {
		return errors.New("article has no id")
	}
	n := len(r.Article.Text)
	for i, c := range r.Chunks {
		if c.Span.Start < 0 || c.Span.Start > c.Span.End || c.Span.End > n {
			return fmt.Errorf("article %q: chunk %d spans bytes [%d, %d) of a %d-byte text",
				r.Article.ID, i, c.Span.Start, c.Span.End, n)
		}
		for j, s := range c.Sentences {
			if s.Start < c.Span.Start || s.Start > s.End || s.End > c.Span.End {
				return fmt.Errorf("article %q: chunk %d sentence %d spans bytes [%d, %d), outside the chunk's [%d, %d)",
					r.Article.ID, i, j, s.Start, s.End, c.Span.Start, c.Span.End)
			}
		}
	}
	return nil
}
