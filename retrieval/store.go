package retrieval

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	chromem "github.com/philippgille/chromem-go"

	"newsbot/bot"
)

// Store holds the ingested articles, their chunks and vectors, and answers
// searches. It implements bot.Retriever. It is safe for concurrent use:
// searches run in parallel with each other and wait only while an ingest
// commits an article.
type Store struct {
	dir      string
	emb      Embedder
	log      *slog.Logger
	maxWords int

	mu       sync.RWMutex
	articles map[string]*record
	texts    map[[16]byte]string // text hash → id of the article holding it
	chunks   []chunkSlot         // indexed by chunk number; removed chunks have a nil article
	kw       *keywordIndex
	db       *chromem.DB
	col      *chromem.Collection
	dirty    bool
	gen      int // the generation on disk this store was read from or last wrote

	saveMu sync.Mutex // one snapshot at a time
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

// Option configures a Store.
type Option func(*Store)

// WithLogger sets the store's logger.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

// WithChunkWords sets the most words per chunk (default MaxChunkWords).
func WithChunkWords(n int) Option { return func(s *Store) { s.maxWords = n } }

// Open opens the store in dir (creating it if needed) bound to emb. An
// empty dir gives a store that lives in memory only. If the store on disk
// was built by another embedder, its articles are kept and re-embedded with
// emb, so vectors of two models never mix.
func Open(ctx context.Context, dir string, emb Embedder, opts ...Option) (*Store, error) {
	s := &Store{dir: dir, emb: emb, log: slog.Default(), maxWords: MaxChunkWords}
	for _, o := range opts {
		o(s)
	}
	s.reset()
	if dir == "" {
		return s, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	snap, err := readSnapshot(dir)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	if snap == nil {
		return s, nil
	}
	s.gen = snap.gen
	if snap.Embedder == emb.Name() {
		if err := s.restore(ctx, snap); err != nil {
			return nil, fmt.Errorf("open store %s: %w", dir, err)
		}
		return s, nil
	}
	// Another embedder built these vectors: keep the articles, re-embed.
	s.log.Warn("store was built with another embedder; re-embedding all articles",
		"stored", snap.Embedder, "now", emb.Name(), "articles", len(snap.Articles))
	arts := make([]bot.Article, len(snap.Articles))
	for i, a := range snap.Articles {
		arts[i] = a.Article
	}
	// The old generation stays on disk until every article is re-embedded:
	// an interrupted or failing re-embed (the new model's server is down)
	// must not save a store that lost articles.
	rep, err := s.put(ctx, emb, arts, nil, false)
	if err != nil {
		return nil, fmt.Errorf("open store %s: re-embed with %s: %w", dir, emb.Name(), err)
	}
	if rep.Failed > 0 {
		return nil, fmt.Errorf("open store %s: re-embed with %s failed for %d of %d articles (first: %v); the store on disk is unchanged",
			dir, emb.Name(), rep.Failed, len(arts), rep.Errors[0])
	}
	if err := s.Save(); err != nil {
		return nil, err
	}
	return s, nil
}

// reset empties the in-memory state.
func (s *Store) reset() {
	s.articles = map[string]*record{}
	s.texts = map[[16]byte]string{}
	s.chunks = nil
	s.kw = newKeywordIndex()
	s.db = chromem.NewDB()
	// The embedding function is never called: every document and query
	// comes with its vector.
	col, err := s.db.CreateCollection("chunks:"+s.emb.Name(), map[string]string{"embedder": s.emb.Name()}, noEmbed)
	if err != nil {
		panic(err) // only fails for an empty name
	}
	s.col = col
}

func noEmbed(context.Context, string) ([]float32, error) {
	return nil, errors.New("newsbot embeds outside chromem-go")
}

// Embedder returns the name of the store's embedder.
func (s *Store) Embedder() string { return s.emb.Name() }

// Dir returns the store's directory ("" for an in-memory store).
func (s *Store) Dir() string { return s.dir }

// Info implements bot.Retriever.
func (s *Store) Info(context.Context) (bot.Info, error) {
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

// Article returns the stored article with id.
func (s *Store) Article(id string) (bot.Article, bool) {
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
func (s *Store) Articles() []bot.Article {
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

// Report counts what an ingest did.
type Report struct {
	Added, Unchanged, Replaced, Failed int
	// Duplicates counts articles skipped because another article (another
	// id) with the very same text is stored: syndicated copies are common.
	Duplicates int
	// Errors holds one error per failed article, naming it.
	Errors []error
}

// MaxArticleBytes is the largest article text the store accepts.
const MaxArticleBytes = 5 << 20

// hashArticle fingerprints everything stored about an article, so a change
// to any of it replaces the old version.
func hashArticle(a bot.Article) string {
	h := sha256.New()
	for _, f := range []string{a.ID, a.Title, a.Source, a.URL, a.Author, a.Published.UTC().Format(time.RFC3339), a.Text} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func validate(a bot.Article) error {
	switch {
	case strings.TrimSpace(a.ID) == "":
		return errors.New("no id")
	case strings.TrimSpace(a.Text) == "":
		return errors.New("no text")
	case len(a.Text) > MaxArticleBytes:
		return fmt.Errorf("text too large: %d bytes > %d", len(a.Text), MaxArticleBytes)
	case !utf8.ValidString(a.Text) || !utf8.ValidString(a.Title):
		return errors.New("not valid UTF-8")
	}
	return nil
}

// pending is an article waiting to be committed with its embedded chunks.
type pending struct {
	art    bot.Article
	hash   string
	chunks []Chunk
	vecs   [][]float32
	err    error // why embedding failed, when vecs is nil
}

// embedBatch is how many chunks are embedded in one call; large enough to
// keep every core busy, small enough to commit articles steadily.
const embedBatch = 64

// Put stores arts: new articles are added, changed ones replace their old
// version, identical ones are left alone. Each article is stored whole or
// not at all, and one bad article never stops the others: its error is in
// the report. progress, if not nil, is called after each article. The
// store is saved to disk before Put returns. The error is non-nil only if
// the context ended or saving failed.
func (s *Store) Put(ctx context.Context, arts []bot.Article, progress func(done, total int)) (Report, error) {
	return s.PutWith(ctx, s.emb, arts, progress)
}

// PutWith is Put with another instance of the store's embedder (same
// Name), such as one that replays known vectors when building benchmark
// stores. An embedder of another name is refused: vectors never mix.
func (s *Store) PutWith(ctx context.Context, emb Embedder, arts []bot.Article, progress func(done, total int)) (Report, error) {
	if emb.Name() != s.emb.Name() {
		return Report{}, fmt.Errorf("put: store embeds with %s, not %s", s.emb.Name(), emb.Name())
	}
	rep, err := s.put(ctx, emb, arts, progress, true)
	if err != nil {
		return rep, err
	}
	return rep, s.Save()
}

// put is Put without the final save; with periodic, long ingests are saved
// every few minutes as they go.
func (s *Store) put(ctx context.Context, emb Embedder, arts []bot.Article, progress func(done, total int), periodic bool) (Report, error) {
	var rep Report
	done := 0
	tick := func() {
		done++
		if progress != nil {
			progress(done, len(arts))
		}
	}
	fail := func(a bot.Article, err error) {
		rep.Failed++
		rep.Errors = append(rep.Errors, fmt.Errorf("article %q: %w", a.ID, err))
		tick()
	}
	var batch []*pending
	nchunks := 0
	lastSave := time.Now()
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		defer func() { batch, nchunks = batch[:0], 0 }()
		if err := s.embedPending(ctx, emb, batch); err != nil && ctx.Err() != nil {
			return ctx.Err()
		}
		for _, p := range batch {
			if p.vecs == nil {
				fail(p.art, fmt.Errorf("embed: %w", p.err))
				continue
			}
			if s.commit(p) {
				rep.Replaced++
			} else {
				rep.Added++
			}
			tick()
		}
		// Long ingests are saved as they go, so a crash loses minutes, not hours.
		if periodic && time.Since(lastSave) > 2*time.Minute {
			lastSave = time.Now()
			return s.Save()
		}
		return nil
	}
	seen := map[string]string{}       // id → hash of the first article with it
	seenText := map[[16]byte]string{} // text hash → id, within this ingest
	for _, a := range arts {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := validate(a); err != nil {
			fail(a, err)
			continue
		}
		h := hashArticle(a)
		if first, ok := seen[a.ID]; ok {
			// The same article twice in one ingest is stored once; two
			// different articles with one id would silently lose one.
			if first == h {
				rep.Unchanged++
				tick()
			} else {
				fail(a, errors.New("another article in this ingest has the same id; the first was kept (give each a distinct id, URL or file name)"))
			}
			continue
		}
		seen[a.ID] = h
		th := textHash(a.Text)
		s.mu.RLock()
		old, ok := s.articles[a.ID]
		holder, dup := s.texts[th]
		s.mu.RUnlock()
		if ok && old.hash == h {
			rep.Unchanged++
			tick()
			continue
		}
		if other, ok := seenText[th]; (dup && holder != a.ID) || (ok && other != a.ID) {
			rep.Duplicates++
			tick()
			continue
		}
		seenText[th] = a.ID
		p := &pending{art: a, hash: h, chunks: ChunkText(a.Text, s.maxWords)}
		if len(p.chunks) == 0 {
			fail(a, errors.New("no sentences"))
			continue
		}
		batch = append(batch, p)
		nchunks += len(p.chunks)
		if nchunks >= embedBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// embedText is what the model reads for a chunk: the title gives the
// passage its topic, which a lone paragraph often lacks.
func embedText(a *bot.Article, c Chunk) string {
	// The model reads a line break as an unknown token, not a space.
	t := strings.Join(strings.Fields(a.Text[c.Span.Start:c.Span.End]), " ")
	if a.Title != "" && !strings.HasPrefix(t, a.Title) {
		return a.Title + ". " + t
	}
	return t
}

// embedPending embeds the chunks of a batch of articles in one call. If the
// batch fails, each article is retried alone so that one bad article cannot
// fail its neighbours; articles that still fail are left with nil vecs.
func (s *Store) embedPending(ctx context.Context, emb Embedder, batch []*pending) error {
	var texts []string
	for _, p := range batch {
		for _, c := range p.chunks {
			texts = append(texts, embedText(&p.art, c))
		}
	}
	vecs, err := emb.Embed(ctx, texts)
	if err == nil && len(vecs) == len(texts) {
		for _, p := range batch {
			p.vecs, vecs = vecs[:len(p.chunks)], vecs[len(p.chunks):]
		}
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var last error
	for _, p := range batch {
		texts = texts[:0]
		for _, c := range p.chunks {
			texts = append(texts, embedText(&p.art, c))
		}
		v, err := emb.Embed(ctx, texts)
		if err == nil && len(v) != len(texts) {
			err = fmt.Errorf("%d vectors for %d texts", len(v), len(texts))
		}
		if err != nil {
			s.log.Debug("embed article", "id", p.art.ID, "err", err)
			p.err, last = err, err
			continue
		}
		p.vecs = v
	}
	return last
}

// commit swaps an embedded article in, replacing any old version, and
// reports whether it replaced one.
func (s *Store) commit(p *pending) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, replaced := s.articles[p.art.ID]
	if replaced {
		s.dropLocked(old)
	}
	r := &record{Article: p.art, hash: p.hash}
	s.addLocked(r, p.chunks, p.vecs)
	s.dirty = true
	return replaced
}

// addLocked indexes r's chunks. The caller holds s.mu.
func (s *Store) addLocked(r *record, chunks []Chunk, vecs [][]float32) {
	for i, c := range chunks {
		id := int32(len(s.chunks))
		v := normalize(vecs[i])
		s.chunks = append(s.chunks, chunkSlot{art: r, span: c.Span, sentences: c.Sentences, vec: v})
		s.kw.add(id, stemsOf(r.Text[c.Span.Start:c.Span.End]))
		// AddDocument only fails for an empty ID or vector, neither possible here.
		_ = s.col.AddDocument(context.Background(), chromem.Document{ID: strconv.Itoa(int(id)), Embedding: v})
		r.chunks = append(r.chunks, id)
	}
	s.articles[r.ID] = r
	s.texts[textHash(r.Text)] = r.ID
}

func textHash(text string) [16]byte {
	h := sha256.Sum256([]byte(text))
	return [16]byte(h[:16])
}

// dropLocked removes r and its chunks. The caller holds s.mu.
func (s *Store) dropLocked(r *record) {
	ids := make([]string, len(r.chunks))
	for i, c := range r.chunks {
		s.kw.remove(c)
		s.chunks[c] = chunkSlot{}
		ids[i] = strconv.Itoa(int(c))
	}
	_ = s.col.Delete(context.Background(), nil, nil, ids...)
	delete(s.articles, r.ID)
	if th := textHash(r.Text); s.texts[th] == r.ID {
		delete(s.texts, th)
	}
}

// DeleteOlderThan removes articles published before t (articles without a
// date are kept) and saves the store. It returns how many it removed.
func (s *Store) DeleteOlderThan(ctx context.Context, t time.Time) (int, error) {
	s.mu.Lock()
	n := 0
	for _, r := range s.articles {
		if !r.Published.IsZero() && r.Published.Before(t) {
			s.dropLocked(r)
			n++
		}
	}
	if n > 0 {
		s.dirty = true
	}
	s.mu.Unlock()
	if n == 0 {
		return 0, nil
	}
	return n, s.Save()
}

// Size returns the bytes the store takes on disk.
func (s *Store) Size() int64 {
	if s.dir == "" {
		return 0
	}
	var n int64
	_ = filepath.WalkDir(s.dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
