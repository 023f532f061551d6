package main

import (
	"context"
	"fmt"

	"github.com/dustin/go-humanize"
	"github.com/spf13/cobra"

	"newsbot/retrieval/use"
)

func (m *Main) statsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "stats",
		Short: "What is stored, and where",
		Long: "Shows how many articles and chunks are stored, their publication dates, the embedder,\n" +
			"the store's path and size, and the build of newsbot.",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, _ []string) error { return m.runStats(c.Context()) },
	}
}

func (m *Main) runStats(ctx context.Context) error {
	// The store of record alone: loading the search index would take
	// seconds on a large store, for counts the database has at hand.
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	inf, err := m.storedTotals(ctx)
	if err != nil {
		return storeError{err}
	}
	name, err := m.embedderName()
	if err != nil {
		return storeError{err}
	}
	fmt.Fprintf(m.Stdout, "articles:  %d\n", inf.Articles)
	fmt.Fprintf(m.Stdout, "chunks:    %d\n", inf.Chunks)
	if !inf.Newest.IsZero() {
		fmt.Fprintf(m.Stdout, "published: %s to %s\n", inf.Oldest.Format("2 Jan 2006"), inf.Newest.Format("2 Jan 2006"))
	}
	fmt.Fprintf(m.Stdout, "embedder:  %s\n", name)
	di, err := m.db.Info(ctx)
	if err != nil {
		return storeError{err}
	}
	fmt.Fprintf(m.Stdout, "store:     %s (%s)\n", di.Location, humanize.IBytes(uint64(max(di.Bytes, 0))))
	fmt.Fprintf(m.Stdout, "engine:    %s, schema version %d, change %d\n", di.Engine, di.SchemaVersion, di.Seq)
	fmt.Fprintf(m.Stdout, "build:     %s\n", readBuildInfo())
	return nil
}

// embedderName is the configured embedder's name, without loading the
// built-in model.
func (m *Main) embedderName() (string, error) {
	if m.Embedder == nil && (m.Config.Embedder.Provider == "" || m.Config.Embedder.Provider == "builtin") {
		return use.Name, nil
	}
	e, err := m.embedder()
	if err != nil {
		return "", err
	}
	return e.Name(), nil
}
