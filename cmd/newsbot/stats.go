package main

import (
	"context"
	"fmt"
)

func (m *Main) runStats(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usageError{"stats takes no arguments"}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	inf, err := m.store.Info(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "articles:  %d\n", inf.Articles)
	fmt.Fprintf(m.Stdout, "chunks:    %d\n", inf.Chunks)
	if !inf.Newest.IsZero() {
		fmt.Fprintf(m.Stdout, "published: %s to %s\n", inf.Oldest.Format("2 Jan 2006"), inf.Newest.Format("2 Jan 2006"))
	}
	fmt.Fprintf(m.Stdout, "embedder:  %s\n", inf.Embedder)
	fmt.Fprintf(m.Stdout, "store:     %s (%.1f MB)\n", m.store.Dir(), float64(m.store.Size())/1e6)
	return nil
}
