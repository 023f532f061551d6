package index

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	chromem "github.com/philippgille/chromem-go"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// Index is the in-memory index of the articles in a store of record
// (store.DB): a chromem-go collection for dense search and a BM25 index
// for keywords, with the articles' text and chunk offsets. It implements
// bot.Retriever. It is safe for concurrent use: searches run in parallel
// with each other and wait only while an article is swapped in or out.
//
// The DB is the truth and the Index a cache of it: Put commits each
// article to the DB as soon as it is embedded, and Sync / Follow apply
// what other processes committed.
type Index struct {
	db       store.DB // nil: in memory only
	emb      Embedder
	log      *slog.Logger
	maxWords int
	// denseWeight weighs the dense score in hybrid search (see
	// DefaultDenseWeight).
	denseWeight float64

	mu       sync.RWMutex
	articles map[string]*record
	texts    map[[16]byte]string // text hash → id of the article holding it
	chunks   []chunkSlot         // indexed by chunk number; removed chunks have a nil article
	kw       *keywordIndex
	cdb      *chromem.DB
	col      *chromem.Collection

	standing vectorCache // vectors of standing queries (standing.go)

	syncMu sync.Mutex // one Sync at a time
	synced SyncStatus // guarded by mu
}

// record is one stored article with the chunk numbers it owns.
type record struct {
	bot.Article
	hash   string
	chunks []int32
}

// chunkSlot is one chunk. vec is shared with the chromem-go document, so
// the vectors live in memory once.
type chunkSlot struct {
	art       *record
	span      bot.Span
	sentences []bot.Span
	vec       []float32
}

// Option configures an Index.
type Option func(*Index)

// WithLogger sets the index's logger.
func WithLogger(l *slog.Logger) Option { return func(s *Index) { s.log = l } }

// WithChunkWords sets the most words per chunk (default MaxChunkWords).
func WithChunkWords(n int) Option { return func(s *Index) { s.maxWords = n } }

// WithDenseWeight sets the weight of the dense score in hybrid search,
// in 0..1; the keyword score gets 1 minus it (default DefaultDenseWeight).
func WithDenseWeight(w float64) Option { return func(s *Index) { s.denseWeight = w } }

// Open loads the index from db, bound to emb; a nil db gives an index that
// lives in memory only (evaluation, tests). Articles whose vectors another
// embedder made are re-embedded with emb and committed back one by one, so
// vectors of two models never mix; if that fails for any of them, Open
// fails and those articles stay in db as they were.
func Open(ctx context.Context, db store.DB, emb Embedder, opts ...Option) (*Index, error) {
	s := &Index{db: db, emb: emb, log: slog.Default(), maxWords: MaxChunkWords, denseWeight: DefaultDenseWeight}
	for _, o := range opts {
		o(s)
	}
	s.reset()
	if db == nil {
		return s, nil
	}
	stale, err := s.load(ctx)
	if err != nil {
		return nil, err
	}
	if len(stale) == 0 {
		return s, nil
	}
	s.log.Warn("store holds articles embedded with another model; re-embedding them",
		"articles", len(stale), "now", emb.Name())
	rep, err := s.put(ctx, emb, stale, nil)
	if err != nil {
		return nil, fmt.Errorf("open store: re-embed with %s: %w", emb.Name(), err)
	}
	if rep.Failed > 0 {
		return nil, fmt.Errorf("open store: re-embed with %s failed for %d of %d articles (first: %v); those are stored unchanged",
			emb.Name(), rep.Failed, len(stale), rep.Errors[0])
	}
	return s, nil
}

// load fills an empty index from the DB and returns the articles that
// another embedder's vectors came with.
func (s *Index) load(ctx context.Context) ([]bot.Article, error) {
	// Loading makes much short-lived garbage next to a large live heap; a
	// tighter GC target while it runs keeps the peak resident memory of a
	// 100,000-chunk store near its steady state, at no cost in time. A
	// stricter setting (GOGC) is kept.
	if old := debug.SetGCPercent(50); old >= 0 && old < 50 {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A pipeline, since reading SQLite and stemming chunk text each take
	// about as long as the rest of indexing: one goroutine scans, workers
	// stem, and this one indexes, the only part that needs s.mu.
	raw := make(chan store.Record, 64)
	ready := make(chan prepared, 64)
	var (
		seq     int64
		scanErr error
	)
	go func() {
		defer close(raw)
		seq, scanErr = s.db.Scan(ctx, func(r store.Record) error {
			select {
			case raw <- r:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range raw {
				p := prepared{rec: r}
				if r.Embedder == s.emb.Name() {
					p = prepare(r)
				}
				select {
				case ready <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(ready)
	}()
	var stale []bot.Article
	s.mu.Lock()
	defer s.mu.Unlock()
	for p := range ready {
		if p.terms == nil {
			stale = append(stale, p.rec.Article)
			continue
		}
		s.addRecordLocked(p)
	}
	if scanErr != nil {
		return nil, fmt.Errorf("open store: %w", scanErr)
	}
	s.synced.Seq = seq
	s.synced.LastSync = time.Now()
	s.log.Debug("store loaded", "articles", len(s.articles), "chunks", s.kw.live, "seq", seq, "took", time.Since(start))
	return stale, nil
}

// prepared is a record analysed for the index outside the store's lock:
// the counted terms of each chunk and the key of its text. terms is nil
// for a record another embedder made.
type prepared struct {
	rec      store.Record
	terms    []termCounts
	textHash [16]byte
}

// prepare analyses r for addRecordLocked.
func prepare(r store.Record) prepared {
	p := prepared{rec: r, terms: make([]termCounts, len(r.Chunks)), textHash: textHash(r.Article.Text)}
	for i, c := range r.Chunks {
		p.terms[i] = countTerms(stemsOf(r.Article.Text[c.Span.Start:c.Span.End]))
	}
	return p
}

// reset empties the in-memory state.
func (s *Index) reset() {
	s.articles = map[string]*record{}
	s.texts = map[[16]byte]string{}
	s.chunks = nil
	s.kw = newKeywordIndex()
	s.cdb = chromem.NewDB()
	// The embedding function is never called: every document and query
	// comes with its vector.
	col, err := s.cdb.CreateCollection("chunks:"+s.emb.Name(), map[string]string{"embedder": s.emb.Name()}, noEmbed)
	if err != nil {
		panic(err) // only fails for an empty name
	}
	s.col = col
}

func noEmbed(context.Context, string) ([]float32, error) {
	return nil, errors.New("newsbot embeds outside chromem-go")
}

// Embedder returns the name of the store's embedder.
func (s *Index) Embedder() string { return s.emb.Name() }

// DB returns the store of record, nil for an in-memory store.
func (s *Index) DB() store.DB { return s.db }

// Info implements bot.Retriever.
func (s *Index) Info(context.Context) (bot.Info, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	inf := bot.Info{Articles: len(s.articles), Chunks: s.kw.live, Embedder: s.emb.Name()}
	for _, r := range s.articles {
		p := r.Published
		if p.IsZero() {
			continue
		}
		if p.After(inf.Newest) {
			inf.Newest = p
		}
		if inf.Oldest.IsZero() || p.Before(inf.Oldest) {
			inf.Oldest = p
		}
	}
	return inf, nil
}

// DBInfo describes the store of record (engine, location, schema
// version, bytes, change number); Engine is "memory" without one.
func (s *Index) DBInfo(ctx context.Context) (store.Info, error) {
	if s.db == nil {
		return store.Info{Engine: "memory"}, nil
	}
	return s.db.Info(ctx)
}

// Size returns the bytes the store of record takes on disk (0 in memory
// or when unknown).
func (s *Index) Size() int64 {
	inf, err := s.DBInfo(context.Background())
	if err != nil {
		return 0
	}
	return inf.Bytes
}

// Article returns the stored article with id.
func (s *Index) Article(id string) (bot.Article, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.articles[id]
	if !ok {
		return bot.Article{}, false
	}
	return r.Article, true
}

// Articles returns all stored articles' metadata (Text left empty), newest
// first.
func (s *Index) Articles() []bot.Article {
	s.mu.RLock()
	out := make([]bot.Article, 0, len(s.articles))
	for _, r := range s.articles {
		a := r.Article
		a.Text = ""
		out = append(out, a)
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b bot.Article) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Delete removes the articles with the given ids (unknown ids are
// ignored) from the store of record and the index, and returns how many
// were stored.
func (s *Index) Delete(ctx context.Context, ids ...string) (int, error) {
	n := 0
	if s.db != nil {
		var err error
		if n, err = s.db.Delete(ctx, ids...); err != nil {
			return 0, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped := 0
	for _, id := range ids {
		if r, ok := s.articles[id]; ok {
			s.dropLocked(r)
			dropped++
		}
	}
	if s.db == nil {
		n = dropped
	}
	return n, nil
}

// DeleteOlderThan removes articles published before t (articles without a
// date are kept). It returns how many it removed.
func (s *Index) DeleteOlderThan(ctx context.Context, t time.Time) (int, error) {
	s.mu.RLock()
	var ids []string
	for id, r := range s.articles {
		if !r.Published.IsZero() && r.Published.Before(t) {
			ids = append(ids, id)
		}
	}
	s.mu.RUnlock()
	if len(ids) == 0 {
		return 0, nil
	}
	return s.Delete(ctx, ids...)
}
