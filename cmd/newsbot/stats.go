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
	di, err := m.store.DBInfo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "store:     %s (%s)\n", di.Location, humanBytes(di.Bytes))
	fmt.Fprintf(m.Stdout, "engine:    %s, schema version %d, change %d\n", di.Engine, di.SchemaVersion, di.Seq)
	return nil
}

// humanBytes formats n as B, kB, MB or GB.
func humanBytes(n int64) string {
	switch {
	case n < 1e3:
		return fmt.Sprintf("%d B", n)
	case n < 1e6:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1e9:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.2f GB", float64(n)/1e9)
}
