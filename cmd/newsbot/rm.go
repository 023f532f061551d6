package main

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dustin/go-humanize/english"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

func (m *Main) runRm(ctx context.Context, args []string) error {
	fl := m.command("rm", "rm [--yes] ID...\n   or: newsbot rm [--yes] [--source S] [--before DATE]",
		"Removes articles, with their chunks and vectors: by id (see newsbot articles), or every\narticle of a source and/or published before a date (articles without a date are kept).\nOn a terminal it lists them and asks first, unless --yes.")
	var f articleFilter
	fl.StringVar(&f.source, "source", "", "remove the articles of this `source`")
	fl.Var(&f.before, "before", "remove the articles published before this `date` (YYYY-MM-DD)")
	yes := fl.Bool("yes", false, "do not ask for confirmation")
	if help, err := parseFlags(fl, args); help || err != nil {
		return err
	}
	ids := fl.Args()
	switch {
	case len(ids) == 0 && f.empty():
		return usageError{"rm: name article ids, or --source and/or --before (see newsbot rm -h)"}
	case slices.ContainsFunc(ids, func(id string) bool { return strings.HasPrefix(id, "-") }):
		return usageError{"rm: flags go before the ids (see newsbot rm -h)"}
	case len(ids) > 0 && !f.empty():
		return usageError{"rm: give either ids or --source/--before, not both"}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	var arts []bot.Article
	missing := 0
	if len(ids) > 0 {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			a, ok := m.store.Article(id)
			if !ok {
				fmt.Fprintf(m.Stderr, "newsbot: rm: no article with id %q\n", id)
				missing++
				continue
			}
			a.Text = ""
			arts = append(arts, a)
		}
	} else {
		arts = m.selectArticles(f)
	}
	if len(arts) == 0 {
		if missing == 0 {
			fmt.Fprintln(m.Stdout, "No articles match; nothing removed.")
		}
		return m.rmStatus(missing)
	}
	if !*yes && cli.Interactive(m.Stdin, m.Stdout) {
		m.writeArticleTable(m.Stdout, arts)
		if !m.confirm(fmt.Sprintf("Remove %s?", english.Plural(len(arts), "article", ""))) {
			fmt.Fprintln(m.Stdout, "Nothing removed.")
			return nil
		}
	}
	chunks := 0
	del := make([]string, len(arts))
	for i, a := range arts {
		del[i] = a.ID
		chunks += m.store.ChunkCount(a.ID)
	}
	n, err := m.store.Delete(ctx, del...)
	if err != nil {
		return fmt.Errorf("rm: %w", err)
	}
	inf := m.totals(ctx)
	fmt.Fprintf(m.Stdout, "Removed %s (%s); the store holds %s in %s.\n", english.Plural(n, "article", ""),
		english.Plural(chunks, "chunk", ""), english.Plural(inf.Articles, "article", ""), english.Plural(inf.Chunks, "chunk", ""))
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
