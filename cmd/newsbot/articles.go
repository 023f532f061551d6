package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
	"newsbot/retrieval/store"
)

// dateFlag is a date given on the command line, in any form ingest reads
// in article metadata (2025-08-10, RFC 3339, "10 Aug 2025"…).
type dateFlag struct{ t time.Time }

func (d *dateFlag) String() string {
	if d == nil || d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

func (d *dateFlag) Type() string { return "date" }

func (d *dateFlag) Set(s string) error {
	t, err := ingest.ParseDate(s)
	if err != nil {
		return fmt.Errorf("%q is not a date; use YYYY-MM-DD", s)
	}
	d.t = t
	return nil
}

// emptyStoreHint is what listing an empty store says.
const emptyStoreHint = "The store is empty. Add news with `newsbot ingest PATH|URL...`, or the sample news with `newsbot ingest --seeds`."

// articleFilter selects stored articles by source and publication date.
type articleFilter struct {
	source        string
	since, before dateFlag
}

func (f articleFilter) empty() bool {
	return f.source == "" && f.since.t.IsZero() && f.before.t.IsZero()
}

// match reports whether a passes the filter. An article without a date
// passes no date bound: nothing is known of its age.
func (f articleFilter) match(a bot.Article) bool {
	if f.source != "" && !strings.EqualFold(a.Source, f.source) {
		return false
	}
	if !f.since.t.IsZero() && (a.Published.IsZero() || a.Published.Before(f.since.t)) {
		return false
	}
	if !f.before.t.IsZero() && (a.Published.IsZero() || !a.Published.Before(f.before.t)) {
		return false
	}
	return true
}

// jsonArticle is one article of `articles --json`.
type jsonArticle struct {
	ID        string `json:"id"`
	Published string `json:"published"` // RFC 3339, "" when unknown
	Source    string `json:"source"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Chunks    int    `json:"chunks"`
}

func (m *Main) articlesCmd() *cobra.Command {
	var f articleFilter
	var asJSON bool
	c := &cobra.Command{
		Use:   "articles",
		Short: "The stored articles, newest first",
		Long: "Lists the stored articles, newest first: date, source, chunks, id and title. On a\n" +
			"terminal the list goes through $PAGER (less by default).",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, _ []string) error { return m.runArticles(c.Context(), f, asJSON) },
	}
	c.Flags().StringVar(&f.source, "source", "", "only articles from this `source` (as cited; case does not matter)")
	c.Flags().Var(&f.since, "since", "only articles published on or after this `date` (YYYY-MM-DD)")
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of {id, published, source, title, url, chunks}")
	return c
}

func (m *Main) runArticles(ctx context.Context, f articleFilter, asJSON bool) error {
	// The store of record alone, not the search index: see runStats.
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	list, err := m.listArticles(ctx)
	if err != nil {
		return storeError{err}
	}
	var arts []bot.Article
	chunks := map[string]int{}
	for _, s := range list {
		if f.match(s.Article) {
			arts = append(arts, s.Article)
			chunks[s.Article.ID] = s.Chunks
		}
	}
	if asJSON {
		out := make([]jsonArticle, len(arts))
		for i, a := range arts {
			out[i] = jsonArticle{ID: a.ID, Source: a.Source, Title: a.Title, URL: a.URL, Chunks: chunks[a.ID]}
			if !a.Published.IsZero() {
				out[i].Published = a.Published.Format(time.RFC3339)
			}
		}
		return m.printJSON(out)
	}
	if len(arts) == 0 {
		msg := "No articles match."
		if f.empty() {
			msg = emptyStoreHint
		}
		_, err := fmt.Fprintln(m.Stdout, msg)
		return err
	}
	var b bytes.Buffer
	writeArticleTable(&b, arts, func(id string) int { return chunks[id] })
	return m.page(ctx, b.Bytes())
}

// listArticles lists the articles of the store of record, newest first
// (undated last, then by id), as the index's Articles orders them.
func (m *Main) listArticles(ctx context.Context) ([]store.Summary, error) {
	var list []store.Summary
	err := store.List(ctx, m.db, func(s store.Summary) error {
		list = append(list, s)
		return nil
	})
	slices.SortFunc(list, func(a, b store.Summary) int { return newestFirst(a.Article, b.Article) })
	return list, err
}

// newestFirst orders articles newest first, undated last, then by id.
func newestFirst(a, b bot.Article) int {
	if c := b.Published.Compare(a.Published); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// storedTotals counts the articles and chunks of the store of record and
// the span of their publication dates, without loading the index.
func (m *Main) storedTotals(ctx context.Context) (bot.Info, error) {
	var inf bot.Info
	err := store.List(ctx, m.db, func(s store.Summary) error {
		inf.Articles++
		inf.Chunks += s.Chunks
		if p := s.Article.Published; !p.IsZero() {
			if p.After(inf.Newest) {
				inf.Newest = p
			}
			if inf.Oldest.IsZero() || p.Before(inf.Oldest) {
				inf.Oldest = p
			}
		}
		return nil
	})
	return inf, err
}

// writeArticleTable writes arts as aligned columns, one article a line,
// with the number of chunks of each.
func writeArticleTable(w io.Writer, arts []bot.Article, chunks func(id string) int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSOURCE\tCHUNKS\tID\tTITLE")
	for _, a := range arts {
		date := "-"
		if !a.Published.IsZero() {
			date = a.Published.Format(time.DateOnly)
		}
		src := a.Source
		if src == "" {
			src = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", date, oneLineText(src), chunks(a.ID), a.ID, oneLineText(a.Title))
	}
	tw.Flush()
}

// oneLineText keeps a field on one line of a table.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }

// printJSON prints v as one indented JSON document: the --json output of
// the listing commands.
func (m *Main) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = m.Stdout.Write(append(b, '\n'))
	return err
}
