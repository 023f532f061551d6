package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"newsbot/adapters/cli"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/postgres/pgtest"
	"newsbot/retrieval/store/sqlite"
)

// These tests run newsbot processes against one PostgreSQL database, each
// process with a data dir of its own, so all they share is the database.
// They set NEWSBOT_STORE_URL for the test, which child processes inherit.

// bridgeStory writes a one-article .txt file whose text depends on day.
func bridgeStory(t *testing.T, day string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bridge.txt")
	text := "Title: Quillon bridge\nID: quillon-bridge\nPublished: 2026-11-30T08:00:00Z\n\n" +
		"The Zorblatt river bridge in Quillon reopened on " + day + " after repairs. Engineers inspected every cable.\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runChild runs newsbot args in a child process with a fresh data dir
// and returns its stdout, failing the test if it fails.
func runChild(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := child(t, t.TempDir(), 0, args...)
	var stderr []byte
	out, err := cmd.Output()
	if ee, ok := err.(interface{ Stderr() []byte }); ok {
		stderr = ee.Stderr()
	}
	if err != nil {
		t.Fatalf("newsbot %v: %v\n%s%s", args, err, out, stderr)
	}
	return out
}

func TestPostgresIngestInOneProcessAnswerInAnother(t *testing.T) {
	pgURL := pgtest.FreshDatabase(t)
	t.Setenv("NEWSBOT_STORE_URL", pgURL)
	runChild(t, "ingest", bridgeStory(t, "Friday"))

	var a cli.JSONAnswer
	out := runChild(t, "ask", "--json", "When did the Zorblatt river bridge in Quillon reopen?")
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("ask --json: %v\n%s", err, out)
	}
	if !a.Answered || len(a.Quotes) == 0 || a.Quotes[0].ArticleID != "quillon-bridge" {
		t.Fatalf("the other process did not answer from the shared store: %+v", a)
	}
	db, err := postgres.Open(context.Background(), pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Get(context.Background(), "quillon-bridge")
	if err != nil {
		t.Fatal(err)
	}
	q := a.Quotes[0]
	if q.End > len(r.Article.Text) || r.Article.Text[q.Start:q.End] != q.Text {
		t.Errorf("quote %q at [%d, %d) is not the stored text there", q.Text, q.Start, q.End)
	}
}

// TestPostgresRunningChatSeesNewArticle keeps a chat running while
// other processes add and replace an article. How long the chat took is
// logged; the sync latency itself is measured by bench (sync_ms_p50).
func TestPostgresRunningChatSeesNewArticle(t *testing.T) {
	t.Setenv("NEWSBOT_STORE_URL", pgtest.FreshDatabase(t))
	chat := startChat(t, t.TempDir()) // seeds the empty shared store
	chat.askUntil(t, "When will Zelensky visit Washington?", "Zelensky", false)

	q := "When did the Zorblatt river bridge in Quillon reopen?"
	for _, day := range []string{"Friday", "Sunday"} {
		runChild(t, "ingest", bridgeStory(t, day))
		t0 := time.Now()
		chat.askUntil(t, q, "reopened on "+day, false)
		t.Logf("the running chat answered from the %s edition %v after the ingest ended", day, time.Since(t0).Round(time.Millisecond))
	}
}

// TestPostgresExportIngestIntoEmbedded moves a deployment back to one
// machine: `newsbot export` from PostgreSQL, `newsbot ingest` of that
// file into the embedded store: every article, chunk and vector arrives
// unchanged.
func TestPostgresExportIngestIntoEmbedded(t *testing.T) {
	pgURL := pgtest.FreshDatabase(t)
	t.Setenv("NEWSBOT_STORE_URL", pgURL)
	runChild(t, "ingest", "--seeds")
	runChild(t, "ingest", bridgeStory(t, "Friday"))
	export := filepath.Join(t.TempDir(), "export.jsonl")
	if err := os.WriteFile(export, runChild(t, "export"), 0o644); err != nil {
		t.Fatal(err)
	}

	embedded := t.TempDir()
	cmd := child(t, embedded, 0, "ingest", export)
	cmd.Env = append(cmd.Env, "NEWSBOT_STORE_URL=") // the embedded store
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ingest into the embedded store: %v\n%s", err, out)
	}

	ctx := context.Background()
	pg, err := postgres.Open(ctx, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	lite, err := sqlite.Open(ctx, embedded)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	from, to := scanAll(t, pg), scanAll(t, lite)
	if len(from) < 2 || len(to) != len(from) {
		t.Fatalf("%d articles in PostgreSQL, %d in the embedded store", len(from), len(to))
	}
	for id, want := range from {
		got := to[id]
		if !got.Article.Published.Equal(want.Article.Published) {
			t.Errorf("%s: published %v, want %v", id, got.Article.Published, want.Article.Published)
		}
		got.Article.Published, want.Article.Published = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s changed on the way:\n%+v\nwant\n%+v", id, got.Article, want.Article)
		}
	}
}

// scanAll returns every record of db by id.
func scanAll(t *testing.T, db store.DB) map[string]store.Record {
	t.Helper()
	out := map[string]store.Record{}
	if _, err := db.Scan(context.Background(), func(r store.Record) error {
		out[r.Article.ID] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}
