package index

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// Before the store of record, a store was a snapshot generation of two
// files, published by atomically replacing CURRENT:
//
//	CURRENT          the name of the live generation, e.g. "gen-000007"
//	gen-000007.meta  gob: embedder, articles with their text and chunk spans
//	gen-000007.vec   the chunk vectors, raw little-endian float32, in chunk order
//
// ImportSnapshot reads such a data dir into a DB once.

const snapshotVersion = 1

type snapshot struct {
	Version  int
	Embedder string
	Dim      int
	Articles []snapArticle
	vecs     []float32 // from the .vec file
}

type snapArticle struct {
	Article bot.Article
	Hash    string
	Chunks  []snapChunk
}

type snapChunk struct {
	Span      bot.Span
	Sentences []bot.Span
}

// ImportedDir is where ImportSnapshot moves the old files once their
// articles are committed, so a user can still roll back by hand.
const ImportedDir = "snapshot-imported"

// ImportSnapshot imports the snapshot store in dir (the format before the
// store of record) into db, vectors included, and then moves its files
// into dir/ImportedDir. It returns how many articles it imported; with no
// snapshot in dir it does nothing. The old files stay in place until every
// article is committed, so an interrupted import is simply run again.
func ImportSnapshot(ctx context.Context, dir string, db store.DB) (int, error) {
	snap, gen, err := readSnapshot(dir)
	if err != nil || snap == nil {
		if err != nil {
			err = fmt.Errorf("import old store %s: %w", dir, err)
		}
		return 0, err
	}
	vecs := snap.vecs
	for _, sa := range snap.Articles {
		r := store.Record{Article: sa.Article, Hash: sa.Hash, TextHash: textHashHex(sa.Article.Text), Embedder: snap.Embedder,
			Chunks: make([]store.Chunk, len(sa.Chunks))}
		for i, c := range sa.Chunks {
			r.Chunks[i] = store.Chunk{Span: c.Span, Sentences: c.Sentences, Vector: vecs[:snap.Dim:snap.Dim]}
			vecs = vecs[snap.Dim:]
		}
		if _, _, err := db.Put(ctx, r); err != nil {
			return 0, fmt.Errorf("import old store %s: %w", dir, err)
		}
	}
	if err := moveSnapshot(dir, gen); err != nil {
		return len(snap.Articles), fmt.Errorf("import old store %s: imported, but the old files stay: %w", dir, err)
	}
	return len(snap.Articles), nil
}

// moveSnapshot moves CURRENT and the generation's files aside; CURRENT
// goes last, since it is what marks a data dir as not yet imported.
func moveSnapshot(dir, gen string) error {
	to := filepath.Join(dir, ImportedDir)
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if n := e.Name(); strings.HasPrefix(n, "gen-") || n == "LOCK" {
			if err := os.Rename(filepath.Join(dir, n), filepath.Join(to, n)); err != nil {
				return err
			}
		}
	}
	return os.Rename(filepath.Join(dir, "CURRENT"), filepath.Join(to, "CURRENT"))
}

// readSnapshot loads the live generation, or returns nil when dir holds
// none.
func readSnapshot(dir string) (*snapshot, string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	gen := strings.TrimSpace(string(b))
	if _, err := strconv.Atoi(strings.TrimPrefix(gen, "gen-")); err != nil {
		return nil, "", fmt.Errorf("CURRENT names %q, not a generation", gen)
	}
	f, err := os.Open(filepath.Join(dir, gen+".meta"))
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var snap snapshot
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&snap); err != nil {
		return nil, "", fmt.Errorf("read %s.meta: corrupt: %w", gen, err)
	}
	if snap.Version != snapshotVersion {
		return nil, "", fmt.Errorf("snapshot format %d; this newsbot reads %d", snap.Version, snapshotVersion)
	}
	n := 0
	for _, a := range snap.Articles {
		for _, c := range a.Chunks {
			if c.Span.Start < 0 || c.Span.End > len(a.Article.Text) || c.Span.Start > c.Span.End {
				return nil, "", fmt.Errorf("read %s.meta: article %q: corrupt chunk span", gen, a.Article.ID)
			}
		}
		n += len(a.Chunks)
	}
	vf, err := os.Open(filepath.Join(dir, gen+".vec"))
	if err != nil {
		return nil, "", err
	}
	defer vf.Close()
	if fi, err := vf.Stat(); err != nil {
		return nil, "", err
	} else if fi.Size() != int64(4*n*snap.Dim) {
		return nil, "", fmt.Errorf("read %s.vec: %d bytes, want %d for %d chunks", gen, fi.Size(), 4*n*snap.Dim, n)
	}
	snap.vecs = make([]float32, n*snap.Dim)
	if err := store.ReadVectors(vf, snap.vecs); err != nil {
		return nil, "", fmt.Errorf("read %s.vec: %w", gen, err)
	}
	return &snap, gen, nil
}
