package main

import (
	"context"
	"fmt"

	"github.com/dustin/go-humanize"
)

func (m *Main) runStats(ctx context.Context, args []string) error {
	fl := m.command("stats", "stats", "Shows how many articles and chunks are stored, their publication dates, the embedder,\nand the store's path and size.")
	if help, err := parseNoArgs(fl, args); help || err != nil {
		return err
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
	fmt.Fprintf(m.Stdout, "store:     %s (%s)\n", di.Location, humanize.IBytes(uint64(max(di.Bytes, 0))))
	fmt.Fprintf(m.Stdout, "engine:    %s, schema version %d, change %d\n", di.Engine, di.SchemaVersion, di.Seq)
	return nil
}
