package index

import (
	"context"
	"encoding/binary"
	"encoding/gob"
	"math"
	"os"
	"path/filepath"
	"testing"

	"newsbot/bot"
)

// writeOldSnapshot writes dir in the snapshot format newsbot used before
// the store of record, as its Save did.
func writeOldSnapshot(t *testing.T, dir string, emb Embedder, arts []bot.Article) {
	t.Helper()
	snap := snapshot{Version: snapshotVersion, Embedder: emb.Name()}
	var vec []byte
	for _, a := range arts {
		sa := snapArticle{Article: a, Hash: hashArticle(a)}
		for _, c := range ChunkText(a.Text, MaxChunkWords) {
			sa.Chunks = append(sa.Chunks, snapChunk{Span: c.Span, Sentences: c.Sentences})
			v, err := emb.Embed(context.Background(), []string{embedText(&a, c)})
			if err != nil {
				t.Fatal(err)
			}
			snap.Dim = len(v[0])
			for _, x := range v[0] {
				vec = binary.LittleEndian.AppendUint32(vec, math.Float32bits(x))
			}
		}
		snap.Articles = append(snap.Articles, sa)
	}
	f, err := os.Create(filepath.Join(dir, "gen-000003.meta"))
	if err != nil {
		t.Fatal(err)
	}
	if err := gob.NewEncoder(f).Encode(&snap); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.WriteFile(filepath.Join(dir, "gen-000003.vec"), vec, 0o644)
	os.WriteFile(filepath.Join(dir, "CURRENT"), []byte("gen-000003\n"), 0o644)
}

func TestImportSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	emb := &hashEmbedder{}
	writeOldSnapshot(t, dir, emb, corpus)
	db := openDB(t, dir)
	n, err := ImportSnapshot(ctx, dir, db)
	if err != nil || n != len(corpus) {
		t.Fatalf("import: %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "CURRENT")); !os.IsNotExist(err) {
		t.Fatalf("old CURRENT left in place: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ImportedDir, "gen-000003.vec")); err != nil {
		t.Fatalf("old files not kept aside: %v", err)
	}
	calls := emb.Calls()
	st, err := Open(ctx, db, emb)
	if err != nil {
		t.Fatal(err)
	}
	if emb.Calls() != calls {
		t.Fatal("imported vectors were embedded again")
	}
	ps, _ := st.Search(ctx, bot.Query{Text: "Who scored for Arsenal?", K: 1})
	if len(ps) != 1 || ps[0].Article.ID != "a3" {
		t.Fatalf("search after import: %+v", ps)
	}
	// A second open finds nothing left to import.
	if n, err := ImportSnapshot(ctx, dir, db); n != 0 || err != nil {
		t.Fatalf("second import: %d, %v", n, err)
	}
}

func TestImportBrokenSnapshotKeepsFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	writeOldSnapshot(t, dir, &hashEmbedder{}, corpus)
	os.Truncate(filepath.Join(dir, "gen-000003.vec"), 100)
	if _, err := ImportSnapshot(ctx, dir, openDB(t, dir)); err == nil {
		t.Fatal("a truncated vector file was imported")
	}
	if _, err := os.Stat(filepath.Join(dir, "CURRENT")); err != nil {
		t.Fatalf("old files moved after a failed import: %v", err)
	}
}
