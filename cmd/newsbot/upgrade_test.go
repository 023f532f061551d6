package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/cli"
	"newsbot/bot"
	"newsbot/retrieval/embedtest"
	"newsbot/retrieval/index"
)

// oldSnapshot mirrors the gob layout of the snapshot store newsbot wrote
// before the store of record (gob matches fields by name).
type oldSnapshot struct {
	Version  int
	Embedder string
	Dim      int
	Articles []struct {
		Article bot.Article
		Hash    string
		Chunks  []struct {
			Span      bot.Span
			Sentences []bot.Span
		}
	}
}

// TestOldSnapshotImported opens a data dir in the old snapshot format
// through Main: its articles are imported on first open, with their
// vectors, and answered from.
func TestOldSnapshotImported(t *testing.T) {
	dir := t.TempDir()
	emb := &embedtest.Stems{}
	a := bot.Article{ID: "ferry", Title: "Ferry strike", Source: "Harbour News", Published: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC),
		Text: "The Lindqvist ferry crews went on strike on Thursday. The harbour board offered a 4 percent raise."}
	var snap oldSnapshot
	snap.Version, snap.Embedder = 1, emb.Name()
	snap.Articles = make([]struct {
		Article bot.Article
		Hash    string
		Chunks  []struct {
			Span      bot.Span
			Sentences []bot.Span
		}
	}, 1)
	snap.Articles[0].Article, snap.Articles[0].Hash = a, "old-hash"
	var vec []byte
	for _, c := range index.ChunkText(a.Text, index.MaxChunkWords) {
		snap.Articles[0].Chunks = append(snap.Articles[0].Chunks, struct {
			Span      bot.Span
			Sentences []bot.Span
		}{c.Span, c.Sentences})
		v, _ := emb.Embed(context.Background(), []string{a.Title + ". " + a.Text[c.Span.Start:c.Span.End]})
		snap.Dim = len(v[0])
		for _, x := range v[0] {
			vec = binary.LittleEndian.AppendUint32(vec, math.Float32bits(x))
		}
	}
	var meta bytes.Buffer
	if err := gob.NewEncoder(&meta).Encode(&snap); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "gen-000002.meta"), meta.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "gen-000002.vec"), vec, 0o644)
	os.WriteFile(filepath.Join(dir, "CURRENT"), []byte("gen-000002\n"), 0o644)

	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Embedder: emb}
	defer m.Close()
	if err := m.Run(context.Background(), []string{"--data", dir, "ask", "--json", "When did the Lindqvist ferry crews strike?"}); err != nil {
		t.Fatalf("ask: %v\n%s", err, errb.String())
	}
	if !strings.Contains(errb.String(), "imported 1 article") {
		t.Errorf("the import was not reported: %s", errb.String())
	}
	var ans cli.JSONAnswer
	json.Unmarshal(out.Bytes(), &ans)
	if !ans.Answered || ans.Quotes[0].ArticleID != "ferry" || !strings.Contains(ans.Quotes[0].Text, "Thursday") {
		t.Fatalf("answer after the import: %s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "CURRENT")); !os.IsNotExist(err) {
		t.Errorf("old CURRENT still in place after the import: %v", err)
	}
}
