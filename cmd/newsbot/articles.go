package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/ingest"
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

// selectArticles returns the stored articles that pass f, newest first.
func (m *Main) selectArticles(f articleFilter) []bot.Article {
	var out []bot.Article
	for _, a := range m.store.Articles() {
		if f.match(a) {
			out = append(out, a)
		}
	}
	return out
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

func (m *Main) runArticles(ctx context.Context, args []string) error {
	fl := m.command("articles", "articles [--source S] [--since DATE] [--json]",
		"Lists the stored articles, newest first: date, source, chunks, id and title. On a\nterminal the list goes through $PAGER (less by default).")
	var f articleFilter
	fl.StringVar(&f.source, "source", "", "only articles from this `source` (as cited; case does not matter)")
	fl.Var(&f.since, "since", "only articles published on or after this `date` (YYYY-MM-DD)")
	asJSON := fl.Bool("json", false, "print one JSON array of {id, published, source, title, url, chunks}")
	if help, err := parseNoArgs(fl, args); help || err != nil {
		return err
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	arts := m.selectArticles(f)
	if *asJSON {
		out := make([]jsonArticle, len(arts))
		for i, a := range arts {
			out[i] = jsonArticle{ID: a.ID, Source: a.Source, Title: a.Title, URL: a.URL, Chunks: m.store.ChunkCount(a.ID)}
			if !a.Published.IsZero() {
				out[i].Published = a.Published.Format(time.RFC3339)
			}
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = m.Stdout.Write(append(b, '\n'))
		return err
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
	m.writeArticleTable(&b, arts)
	return m.page(ctx, b.Bytes())
}

// writeArticleTable writes arts as aligned columns, one article a line.
func (m *Main) writeArticleTable(w io.Writer, arts []bot.Article) {
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", date, oneLineText(src), m.store.ChunkCount(a.ID), a.ID, oneLineText(a.Title))
	}
	tw.Flush()
}

// oneLineText keeps a field on one line of a table.
func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
