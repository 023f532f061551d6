package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileClasses ingests files of the kinds issue #11 lists (classes 8–12)
// and checks what was stored (export) and what is quoted (ask --json).
func TestFileClasses(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		// Class 8: "p.m. Friday" and "e.g. Belgium" do not end a sentence,
		// "Inc. The" does.
		"strike.txt": "Title: Dock strike\n\nDock workers walked out of the talks at 9 p.m. Friday after the employers refused a pay offer. " +
			"Exports to nearby markets, e.g. Belgium and the Netherlands, were halted. " +
			"The terminal is run by Harrow Logistics Inc. The company said it would not negotiate under pressure.",
		// Class 9: a paragraph hard-wrapped at about 60 columns.
		"library.txt": "Title: New library\n\n" +
			"The town council voted seven to two on Tuesday to build a new\n" +
			"library on the site of the old bus depot near the station. The\n" +
			"building will hold 90,000 books and a children's theatre, and\n" +
			"it is due to open in the spring of 2027, officials said.",
		// Class 11: a heading that repeats the title, and a question heading.
		"design.md": "---\ntitle: The glass library\nsource: City Desk\n---\n\n# The glass library\n\n" +
			"## Who designed the glass library?\n\nThe glass library was designed by the architect Ada Osei, who won the competition in 2021.\n\nIt opens in June.",
		// Class 12: a zone abbreviation in a header.
		"late.txt": "Title: Late vote\nPublished: Mon, 21 Apr 2025 22:30:00 EDT\n\nThe late vote on the harbour budget passed narrowly.",
	})
	m, out, _ := testMain(t, nil)
	ingestAll(t, m, dir)
	stored, _ := exported(t, m, out)

	tests := []struct {
		class, question, wantIn string
		notWant                 []string
	}{
		{"8 p.m. Friday", "When did the dock workers walk out of the talks?", "at 9 p.m. Friday after the employers refused a pay offer.", nil},
		{"8 e.g.", "Which markets had exports halted?", "e.g. Belgium and the Netherlands, were halted.", nil},
		{"8 Inc.", "Would the company negotiate under pressure?", "The company said it would not negotiate under pressure.", []string{"Inc."}},
		{"9 hard wrap", "What did the town council vote to build?", "to build a new\nlibrary on the site of the old bus depot near the station.", nil},
		{"11 headings", "Who designed the glass library?", "designed by the architect Ada Osei", []string{"#"}},
	}
	for _, tt := range tests {
		a := askJSON(t, m, out, tt.question)
		if !a.Answered {
			t.Errorf("class %s: %q refused", tt.class, tt.question)
			continue
		}
		q := a.Quotes[0]
		if !strings.Contains(q.Text, tt.wantIn) {
			t.Errorf("class %s: %q quoted %q, want it to hold %q", tt.class, tt.question, q.Text, tt.wantIn)
		}
		for _, bad := range tt.notWant {
			if strings.Contains(q.Text, bad) {
				t.Errorf("class %s: quote %q holds %q", tt.class, q.Text, bad)
			}
		}
		if text := stored[q.ArticleID].Text; text[q.Start:q.End] != q.Text {
			t.Errorf("class %s: quote is not text[start:end]", tt.class)
		}
	}
	if got := stored["design"].Text; strings.Count(got, "The glass library") != 1 || !strings.HasPrefix(got, "## Who designed") {
		t.Errorf("class 11: stored text %q: want the title heading gone and the other heading kept", got)
	}
	if got := stored["library"].Text; !strings.Contains(got, "build a new\nlibrary") {
		t.Errorf("class 9: stored text was rewritten: %q", got)
	}
	if got := stored["late"].Published; got != "2025-04-22T02:30:00Z" {
		t.Errorf("class 12: published %q, want 2025-04-22T02:30:00Z", got)
	}
}

// TestBrokenFrontMatter (class 10): broken YAML or an unclosed fence is an
// error naming the file and the line, and nothing of the file is stored.
func TestBrokenFrontMatter(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"quote.md": "---\nsource: Wire\ntitle: \"Unclosed\n---\nThe body.",
		"list.md":  "---\ntitle: Fine\nsource: [x\n---\nThe body.",
		"fence.md": "---\ntitle: Fine\nsource: Wire\n\nThe body goes on without a closing fence.",
		"good.md":  "---\ntitle: Good\n---\nThe good body is stored.",
	})
	m, out, errb := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"ingest", dir}); err == nil {
		t.Fatal("ingest of broken front matter succeeded")
	}
	for name, line := range map[string]string{"quote.md": "line 3", "list.md": "line 2", "fence.md": "line 1"} {
		want := filepath.Join(dir, name) + ": " + line + ":"
		if !strings.Contains(errb.String(), want) {
			t.Errorf("no error %q in:\n%s", want, errb)
		}
	}
	stored, _ := exported(t, m, out)
	if len(stored) != 1 || stored["good"].Title != "Good" {
		t.Errorf("stored %+v, want only good.md", stored)
	}
}

// TestIngestUnsupportedNamesAllExtensions checks the refusal of an
// unsupported file names every extension ingest accepts.
func TestIngestUnsupportedNamesAllExtensions(t *testing.T) {
	f := filepath.Join(t.TempDir(), "weird.pdf")
	if err := os.WriteFile(f, []byte("%PDF"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, errb := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"ingest", f}); err == nil {
		t.Fatal("ingest weird.pdf succeeded")
	}
	for _, ext := range []string{".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".ndjson"} {
		if !strings.Contains(errb.String(), ext+",") && !strings.Contains(errb.String(), ext+" ") && !strings.Contains(errb.String(), ext+")") {
			t.Errorf("error does not name %s: %s", ext, errb)
		}
	}
}
