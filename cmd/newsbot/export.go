package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// exportLine is one line of `newsbot export`: the schema `newsbot ingest`
// reads from .jsonl files, so an export ingests back to the same articles.
type exportLine struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Published string `json:"published"` // RFC 3339 in UTC, or "" when unknown
	Author    string `json:"author"`
	Text      string `json:"text"`
}

// runExport prints stored articles as JSON Lines: all of them (newest
// first) or those named by --id, in the order named. An unknown id is an
// error, after the known ones are printed, so a script notices it.
func (m *Main) exportCmd() *cobra.Command {
	var ids []string
	c := &cobra.Command{
		Use:   "export",
		Short: "Print stored articles as JSON Lines",
		Long: "Prints stored articles as JSON Lines {id, title, url, source, published, author, text},\n" +
			"the format ingest reads: newsbot export > backup.jsonl && newsbot ingest backup.jsonl",
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Sprintf("export: unexpected argument %q (use --id ID)", args[0])}
			}
			return m.runExport(c.Context(), ids)
		},
	}
	c.Flags().StringArrayVar(&ids, "id", nil, "export only the article with this `id` (repeatable)")
	return c
}

func (m *Main) runExport(ctx context.Context, ids []string) error {
	// The store of record alone, not the search index: see runStats.
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	w := bufio.NewWriter(m.Stdout)
	enc := json.NewEncoder(w)
	// Quotes are read by people: keep <, > and & as they are in the text.
	enc.SetEscapeHTML(false)
	write := func(a bot.Article) error {
		if err := enc.Encode(toExportLine(a)); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		return nil
	}
	missing := 0
	if len(ids) == 0 {
		arts, err := m.allArticles(ctx)
		if err != nil {
			return storeError{fmt.Errorf("export: %w", err)}
		}
		for _, a := range arts {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := write(a); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := m.db.Get(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			missing++
			fmt.Fprintf(m.Stderr, "newsbot: export: no article with id %q\n", id)
			continue
		}
		if err != nil {
			return storeError{fmt.Errorf("export: %w", err)}
		}
		if err := write(r.Article); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	if missing > 0 {
		return errReported
	}
	return nil
}

// allArticles returns every stored article with its text, newest first as
// listArticles orders them. One scan of the store reads them all; their
// chunks and vectors are dropped as they come.
func (m *Main) allArticles(ctx context.Context) ([]bot.Article, error) {
	var arts []bot.Article
	if _, err := m.db.Scan(ctx, func(r store.Record) error {
		arts = append(arts, r.Article)
		return nil
	}); err != nil {
		return nil, err
	}
	slices.SortFunc(arts, newestFirst)
	return arts, nil
}

func toExportLine(a bot.Article) exportLine {
	l := exportLine{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Text: a.Text}
	if !a.Published.IsZero() {
		l.Published = a.Published.UTC().Format(time.RFC3339Nano)
	}
	return l
}
