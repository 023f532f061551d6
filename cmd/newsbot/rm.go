package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dustin/go-humanize/english"
	"github.com/spf13/cobra"

	"newsbot/adapters/cli"
	"newsbot/bot"
	"newsbot/retrieval/store"
)

func (m *Main) rmCmd() *cobra.Command {
	var f articleFilter
	var yes bool
	c := &cobra.Command{
		Use:   "rm [ID...]",
		Short: "Remove articles",
		Long: "Removes articles, with their chunks and vectors: by id (see newsbot articles), or every\n" +
			"article of a source and/or published before a date (articles without a date are kept).\n" +
			"Give ids, or --source and/or --before. On a terminal it lists them and asks first, unless --yes.",
		Example: `  newsbot rm 3f2a9c0d1e2b4a5f
  newsbot rm --source "Old Wire" --before 2024-01-01 --yes`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, ids []string) error {
			switch {
			case len(ids) == 0 && f.empty():
				return usageError{"rm: name article ids, or --source and/or --before"}
			case len(ids) > 0 && !f.empty():
				return usageError{"rm: give either ids or --source/--before, not both"}
			}
			return m.runRm(c.Context(), ids, f, yes)
		},
	}
	c.Flags().StringVar(&f.source, "source", "", "remove the articles of this `source`")
	c.Flags().Var(&f.before, "before", "remove the articles published before this `date` (YYYY-MM-DD)")
	c.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return c
}

func (m *Main) runRm(ctx context.Context, ids []string, f articleFilter, yes bool) error {
	// The store of record alone: removing needs no search index, and
	// loading one (the embedder, every vector) would take seconds on a
	// large store.
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	var arts []bot.Article
	chunks := map[string]int{}
	missing := 0
	if len(ids) > 0 {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			r, err := m.db.Get(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				fmt.Fprintf(m.Stderr, "newsbot: rm: no article with id %q\n", id)
				missing++
				continue
			}
			if err != nil {
				return storeError{fmt.Errorf("rm: %w", err)}
			}
			a := r.Article
			a.Text = ""
			arts = append(arts, a)
			chunks[id] = len(r.Chunks)
		}
	} else {
		list, err := m.listArticles(ctx)
		if err != nil {
			return storeError{fmt.Errorf("rm: %w", err)}
		}
		for _, s := range list {
			if f.match(s.Article) {
				arts = append(arts, s.Article)
				chunks[s.Article.ID] = s.Chunks
			}
		}
	}
	if len(arts) == 0 {
		if missing == 0 {
			fmt.Fprintln(m.Stdout, "No articles match; nothing removed.")
		}
		return m.rmStatus(missing)
	}
	count := func(id string) int { return chunks[id] }
	if !yes && cli.Interactive(m.Stdin, m.Stdout) {
		writeArticleTable(m.Stdout, arts, count)
		if !m.confirm(fmt.Sprintf("Remove %s?", english.Plural(len(arts), "article", ""))) {
			fmt.Fprintln(m.Stdout, "Nothing removed.")
			return nil
		}
	}
	removed := 0
	del := make([]string, len(arts))
	for i, a := range arts {
		del[i] = a.ID
		removed += count(a.ID)
	}
	n, err := m.db.Delete(ctx, del...)
	if err != nil {
		return fmt.Errorf("rm: %w", err)
	}
	inf, err := m.storedTotals(ctx)
	if err != nil {
		return storeError{fmt.Errorf("rm: count what is left: %w", err)}
	}
	fmt.Fprintf(m.Stdout, "Removed %s (%s); the store holds %s in %s.\n", english.Plural(n, "article", ""),
		english.Plural(removed, "chunk", ""), english.Plural(inf.Articles, "article", ""), english.Plural(inf.Chunks, "chunk", ""))
	return m.rmStatus(missing)
}

// rmStatus fails the command when some ids named nothing, so that a
// script notices a typo.
func (m *Main) rmStatus(missing int) error {
	if missing > 0 {
		return errReported
	}
	return nil
}

// confirm asks a yes/no question on the terminal; only y or yes agrees.
func (m *Main) confirm(question string) bool {
	fmt.Fprintf(m.Stdout, "%s [y/N] ", question)
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(m.Stdout)
		return false
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
