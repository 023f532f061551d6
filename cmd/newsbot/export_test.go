package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeFiles writes name → content into a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// exported runs `export` with args and returns its lines decoded, keyed by id.
func exported(t *testing.T, m *Main, out *bytes.Buffer, args ...string) (map[string]exportLine, []byte) {
	t.Helper()
	out.Reset()
	if err := m.Run(context.Background(), append([]string{"export"}, args...)); err != nil {
		t.Fatalf("export %v: %v", args, err)
	}
	raw := bytes.Clone(out.Bytes())
	got := map[string]exportLine{}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var l exportLine
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("export line is not the schema: %v\n%s", err, sc.Bytes())
		}
		got[l.ID] = l
	}
	return got, raw
}

// ingestAll ingests paths into m and fails the test on any failure.
func ingestAll(t *testing.T, m *Main, paths ...string) {
	t.Helper()
	if err := m.Run(context.Background(), append([]string{"ingest"}, paths...)); err != nil {
		t.Fatalf("ingest %v: %v", paths, err)
	}
}

// TestExportRoundTrip: export prints every stored article in the schema
// ingest reads, and ingesting the export into an empty store and exporting
// again gives the same bytes: same ids, texts and fields.
func TestExportRoundTrip(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"dam.txt":    "Title: Dam opens\nSource: River News\nPublished: 2025-08-10\nAuthor: Ana Lima\n\nThe new Kariba dam opened on Monday after six years of work. Engineers said it would power 2 million homes.",
		"bridge.md":  "---\ntitle: Bridge closes\nsource: City Desk\nurl: https://example.com/news/bridge?utm_source=x\ndate: 2025-08-11T09:15:00+02:00\n---\nThe old Tay bridge closed for *repairs*. Commuters must use the ferry until May.\n\n## Detours\n\nBuses run every <10> minutes & trains too.",
		"page.html":  `<html><head><title>Harbour wall - Coast Times</title><meta property="og:site_name" content="Coast Times"></head><body><article><h1>Harbour wall</h1><p>The harbour wall in Whitby was repaired after the February storms, the council said on Friday.</p><p>Workers placed 400 tonnes of rock along the outer wall during three weeks of low tides.</p></article></body></html>`,
		"more.jsonl": `{"id":"j1","title":"Wheat","text":"Wheat exports from Odesa doubled in July.\n\nPort officials said \"ships\" were waiting.","published":"Mon, 21 Apr 2025 22:30:00 EDT"}` + "\n",
	})
	m, out, _ := testMain(t, nil)
	ingestAll(t, m, dir)
	first, raw := exported(t, m, out)
	if len(first) != 4 {
		t.Fatalf("export has %d articles, want 4:\n%s", len(first), raw)
	}
	if got := first["dam"]; got.Title != "Dam opens" || got.Source != "River News" || got.Published != "2025-08-10T00:00:00Z" || got.Author != "Ana Lima" ||
		got.Text != "The new Kariba dam opened on Monday after six years of work. Engineers said it would power 2 million homes." {
		t.Errorf("dam exported as %+v", got)
	}
	if got := first["j1"]; got.Published != "2025-04-22T02:30:00Z" || got.URL != "" {
		t.Errorf("j1 exported as %+v", got)
	}

	file := filepath.Join(t.TempDir(), "backup.jsonl")
	if err := os.WriteFile(file, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	m2, out2, _ := testMain(t, nil)
	ingestAll(t, m2, file)
	second, raw2 := exported(t, m2, out2)
	if !bytes.Equal(raw, raw2) {
		t.Errorf("export → ingest → export changed the articles:\nfirst:\n%s\nsecond:\n%s", raw, raw2)
	}
	for id := range first {
		if _, ok := second[id]; !ok {
			t.Errorf("id %q lost in the round trip", id)
		}
	}

	// --id selects, in the order asked; an unknown id fails after the rest.
	picked, _ := exported(t, m2, out2, "--id", "j1", "--id", "dam")
	if len(picked) != 2 || picked["j1"].Text != first["j1"].Text {
		t.Errorf("export --id j1 --id dam: %+v", picked)
	}
	out2.Reset()
	err := m2.Run(context.Background(), []string{"export", "--id", "nope", "--id", "dam"})
	if err == nil || !strings.Contains(out2.String(), `"id":"dam"`) {
		t.Errorf("export of an unknown id: err %v, out %s", err, out2)
	}
}

// TestTodayWestOfUTC (class 13): on a host at UTC−4/−5, an article dated
// today without a time is today's news.
func TestTodayWestOfUTC(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	old := time.Local
	time.Local = ny
	t.Cleanup(func() { time.Local = old })

	now := time.Now().In(ny)
	today := now.Format("2006-01-02")
	// A timed article from later in the local day, on a related subject: it
	// passes the "today" filter whatever the rule for date-only values is.
	later := time.Date(now.Year(), now.Month(), now.Day(), 0, 30, 0, 0, ny).UTC().Format(time.RFC3339)
	dir := writeFiles(t, map[string]string{
		"ferry.txt":  "Title: Ferry strike\nPublished: " + today + "\n\nFerry crews in Portland walked out over pay on the first day of the strike. The ferry strike stopped every crossing to the islands.",
		"market.txt": "Title: Market\nPublished: " + later + "\n\nThe fish market in Portland opened early as crews landed a large catch of cod.",
	})
	m, out, _ := testMain(t, nil)
	ingestAll(t, m, dir)
	a := askJSON(t, m, out, "What happened with the ferry strike today?")
	if !a.Answered || a.Quotes[0].ArticleID != "ferry" {
		t.Fatalf("today's date-only article not found for a reader in New York: %+v", a)
	}
}
