package retrieval

import (
	"bufio"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"newsbot/bot"
)

// The store on disk is a generation of two files, written whole and then
// published by atomically replacing CURRENT, so a crash at any moment leaves
// either the old or the new generation, never a mix:
//
//	CURRENT          the name of the live generation, e.g. "gen-000007"
//	gen-000007.meta  gob: embedder, articles with their text and chunk spans
//	gen-000007.vec   the chunk vectors, raw little-endian float32, in chunk order
//
// The vectors are loaded into an in-memory chromem-go collection on open. A
// raw file reads an order of magnitude faster than chromem-go's one gob file
// per document, which is what keeps startup of a 100,000-chunk store short.

const snapshotVersion = 1

type snapshot struct {
	Version  int
	Embedder string
	Dim      int
	Articles []snapArticle
	vecs     []float32 // from the .vec file
	gen      int       // the generation number it was read from
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

// Save writes the store to disk if anything changed since the last save.
func (s *Store) Save() error {
	if s.dir == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.RLock()
	if !s.dirty {
		s.mu.RUnlock()
		return nil
	}
	err := s.writeLocked()
	s.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("save store %s: %w", s.dir, err)
	}
	s.mu.Lock()
	s.dirty = false
	s.mu.Unlock()
	return nil
}

// writeLocked writes a new generation; the caller holds s.mu for reading.
func (s *Store) writeLocked() error {
	unlock, err := lockDir(s.dir)
	if err != nil {
		return err
	}
	defer unlock()
	// Another process (an `ingest` beside a running `serve`) may have saved
	// since this store was read; writing over it would lose its articles.
	cur, _ := currentGen(s.dir)
	if cur != s.gen {
		return ErrChangedOnDisk
	}
	gen := fmt.Sprintf("gen-%06d", cur+1)
	ids := make([]string, 0, len(s.articles))
	for id := range s.articles {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	snap := snapshot{Version: snapshotVersion, Embedder: s.emb.Name()}
	var order []int32
	for _, id := range ids {
		r := s.articles[id]
		sa := snapArticle{Article: r.Article, Hash: r.hash}
		for _, c := range r.chunks {
			sl := s.chunks[c]
			sa.Chunks = append(sa.Chunks, snapChunk{Span: sl.span, Sentences: sl.sentences})
			order = append(order, c)
			snap.Dim = len(sl.vec)
		}
		snap.Articles = append(snap.Articles, sa)
	}
	meta := filepath.Join(s.dir, gen+".meta")
	vec := filepath.Join(s.dir, gen+".vec")
	if err := writeFileSync(meta, func(w io.Writer) error { return gob.NewEncoder(w).Encode(&snap) }); err != nil {
		return err
	}
	if err := writeFileSync(vec, func(w io.Writer) error {
		buf := make([]byte, 4*snap.Dim)
		for _, c := range order {
			for i, x := range s.chunks[c].vec {
				binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(x))
			}
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(s.dir, "CURRENT"), func(w io.Writer) error {
		_, err := io.WriteString(w, gen+"\n")
		return err
	}); err != nil {
		return err
	}
	syncDir(s.dir)
	s.gen = cur + 1
	removeOldGens(s.dir, gen)
	return nil
}

// ErrChangedOnDisk is returned by Save when another process saved the store
// after this one read it. Nothing is overwritten; reopen the store to see
// both processes' articles, then ingest again.
var ErrChangedOnDisk = errors.New("the store was changed on disk by another newsbot process since it was opened; nothing was overwritten: restart this one (or run one writer at a time)")

// writeFileSync writes path via a temporary file, fsync and rename.
func writeFileSync(path string, fill func(io.Writer) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// currentGen returns the number of the live generation, 0 if none.
func currentGen(dir string) (int, string) {
	b, err := os.ReadFile(filepath.Join(dir, "CURRENT"))
	if err != nil {
		return 0, ""
	}
	name := strings.TrimSpace(string(b))
	n, _ := strconv.Atoi(strings.TrimPrefix(name, "gen-"))
	return n, name
}

func removeOldGens(dir, keep string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, "gen-") && !strings.HasPrefix(n, keep+".") {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

// readSnapshot loads the live generation, or returns nil for a new store.
func readSnapshot(dir string) (*snapshot, error) {
	genN, gen := currentGen(dir)
	if gen == "" {
		return nil, nil
	}
	f, err := os.Open(filepath.Join(dir, gen+".meta"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var snap snapshot
	if err := gob.NewDecoder(bufio.NewReaderSize(f, 1<<20)).Decode(&snap); err != nil {
		return nil, fmt.Errorf("read %s.meta: corrupt: %w", gen, err)
	}
	snap.gen = genN
	if snap.Version != snapshotVersion {
		return nil, fmt.Errorf("store format %d; this newsbot reads %d", snap.Version, snapshotVersion)
	}
	n := 0
	for _, a := range snap.Articles {
		n += len(a.Chunks)
	}
	vf, err := os.Open(filepath.Join(dir, gen+".vec"))
	if err != nil {
		return nil, err
	}
	defer vf.Close()
	if fi, err := vf.Stat(); err != nil {
		return nil, err
	} else if fi.Size() != int64(4*n*snap.Dim) {
		return nil, fmt.Errorf("read %s.vec: %d bytes, want %d for %d chunks", gen, fi.Size(), 4*n*snap.Dim, n)
	}
	snap.vecs = make([]float32, n*snap.Dim)
	if err := readFloats(vf, snap.vecs); err != nil {
		return nil, fmt.Errorf("read %s.vec: %w", gen, err)
	}
	return &snap, nil
}

// readFloats fills dst with little-endian float32s from r. On little-endian
// machines the bytes are read straight into dst's memory: no second copy of
// what is by far the largest part of the store.
func readFloats(r io.Reader, dst []float32) error {
	if len(dst) == 0 {
		return nil
	}
	if nativeLittleEndian {
		_, err := io.ReadFull(r, unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 4*len(dst)))
		return err
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var b [4]byte
	for i := range dst {
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return err
		}
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[:]))
	}
	return nil
}

var nativeLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// restore fills an empty store from a snapshot.
func (s *Store) restore(ctx interface{ Err() error }, snap *snapshot) error {
	// Loading makes much short-lived garbage next to a large live heap; a
	// tighter GC target while it runs keeps the peak resident memory of a
	// 100,000-chunk store near its steady state, at no cost in time
	// (measured: 700 → 540 MB peak). A stricter setting (GOGC) is kept.
	if old := debug.SetGCPercent(50); old >= 0 && old < 50 {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vecs := snap.vecs
	for _, sa := range snap.Articles {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunks := make([]Chunk, len(sa.Chunks))
		vv := make([][]float32, len(sa.Chunks))
		for i, c := range sa.Chunks {
			if c.Span.Start < 0 || c.Span.End > len(sa.Article.Text) || c.Span.Start > c.Span.End {
				return errors.New("corrupt chunk span")
			}
			chunks[i] = Chunk{Span: c.Span, Sentences: c.Sentences}
			vv[i], vecs = vecs[:snap.Dim:snap.Dim], vecs[snap.Dim:]
		}
		s.addLocked(&record{Article: sa.Article, hash: sa.Hash}, chunks, vv)
	}
	return nil
}
