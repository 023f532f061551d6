package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"newsbot/bot"
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

// idList collects repeated --id flags.
type idList []string

func (l *idList) String() string     { return fmt.Sprint(*l) }
func (l *idList) Set(v string) error { *l = append(*l, v); return nil }

// runExport prints stored articles as JSON Lines: all of them (newest
// first) or those named by --id, in the order named. An unknown id is an
// error, after the known ones are printed, so a script notices it.
func (m *Main) runExport(ctx context.Context, args []string) error {
	fl := m.command("export", "export [--id ID]...", "Prints stored articles as JSON Lines {id, title, url, source, published, author, text},\nthe format ingest reads: newsbot export > backup.jsonl && newsbot ingest backup.jsonl")
	var ids idList
	fl.Var(&ids, "id", "export only the article with this `id` (repeatable)")
	if help, err := parseFlags(fl, args); help || err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usageError{fmt.Sprintf("export: unexpected argument %q (use --id ID)", fl.Arg(0))}
	}
	if err := m.openStore(ctx); err != nil {
		return err
	}
	if len(ids) == 0 {
		for _, a := range m.store.Articles() {
			ids = append(ids, a.ID)
		}
	}
	w := bufio.NewWriter(m.Stdout)
	enc := json.NewEncoder(w)
	// Quotes are read by people: keep <, > and & as they are in the text.
	enc.SetEscapeHTML(false)
	missing := 0
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		a, ok := m.store.Article(id)
		if !ok {
			missing++
			fmt.Fprintf(m.Stderr, "newsbot: export: no article with id %q\n", id)
			continue
		}
		if err := enc.Encode(toExportLine(a)); err != nil {
			return fmt.Errorf("export: %w", err)
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

func toExportLine(a bot.Article) exportLine {
	l := exportLine{ID: a.ID, Title: a.Title, URL: a.URL, Source: a.Source, Author: a.Author, Text: a.Text}
	if !a.Published.IsZero() {
		l.Published = a.Published.UTC().Format(time.RFC3339Nano)
	}
	return l
}
