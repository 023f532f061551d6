package index

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	chromem "github.com/philippgille/chromem-go"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

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

// Progress is how far a Put is, in articles.
type Progress struct {
	// Done is how many of Total articles were handled (stored, skipped
	// or failed).
	Done, Total int
	// Skipped is how many of Done needed no embedding (unchanged or
	// duplicates): they take no time, so rates and ETAs leave them out.
	Skipped int
}

// Put stores arts: new articles are added, changed ones replace their old
// version, identical ones are left alone. Each article is committed to the
// store of record in its own transaction as soon as it is embedded, whole
// or not at all, so a crash loses at most the articles in flight. One bad
// article never stops the others: its error is in the report. progress,
// if not nil, is called after each article (see Progress). The error is non-nil only if
// the context ended or the store of record refused a commit (a full disk):
// the report then counts what was committed before.
func (s *Index) Put(ctx context.Context, arts []bot.Article, progress func(Progress)) (Report, error) {
	return s.PutWith(ctx, s.emb, arts, progress)
}

// PutWith is Put with another instance of the store's embedder (same
// Name), such as one that replays known vectors when building benchmark
// stores. An embedder of another name is refused: vectors never mix.
func (s *Index) PutWith(ctx context.Context, emb Embedder, arts []bot.Article, progress func(Progress)) (Report, error) {
	if emb.Name() != s.emb.Name() {
		return Report{}, fmt.Errorf("put: store embeds with %s, not %s", s.emb.Name(), emb.Name())
	}
	return s.put(ctx, emb, arts, progress)
}

func (s *Index) put(ctx context.Context, emb Embedder, arts []bot.Article, progress func(Progress)) (Report, error) {
	var rep Report
	pr := Progress{Total: len(arts)}
	tick := func() {
		pr.Done++
		if progress != nil {
			progress(pr)
		}
	}
	// skip ticks an article that needed no embedding.
	skip := func() {
		pr.Skipped++
		tick()
	}
	fail := func(a bot.Article, err error) {
		rep.Failed++
		rep.Errors = append(rep.Errors, fmt.Errorf("article %q: %w", a.ID, err))
		tick()
	}
	var batch []*pending
	nchunks := 0
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
			replaced, err := s.commit(ctx, p)
			if errors.Is(err, store.ErrDuplicateText) {
				// Another process stored this text under another id
				// since the check above: the store's unique key decided.
				rep.Duplicates++
				tick()
				continue
			}
			if err != nil {
				// The store of record refused (full disk, lost file):
				// the next article would fail alike.
				return err
			}
			if replaced {
				rep.Replaced++
			} else {
				rep.Added++
			}
			tick()
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
				skip()
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
		if ok && old.hash == h || !ok && s.storedAs(ctx, a.ID, h) {
			rep.Unchanged++
			skip()
			continue
		}
		if other, ok := seenText[th]; (dup && holder != a.ID) || (ok && other != a.ID) {
			rep.Duplicates++
			skip()
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

// storedAs reports whether the store of record holds article id with
// hash h, embedded by this Index's embedder (a re-embed must not skip it),
// though the index does not (yet): another process committed it since the
// last Sync. Reading one record is far cheaper than embedding
// the article again and counting it as added. A read error counts as
// not stored: the article is then embedded and committed as usual.
func (s *Index) storedAs(ctx context.Context, id, h string) bool {
	if s.db == nil {
		return false
	}
	r, err := s.db.Get(ctx, id)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Debug("put: read stored article", "id", id, "err", err)
		}
		return false
	}
	return r.Hash == h && r.Embedder == s.emb.Name()
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
func (s *Index) embedPending(ctx context.Context, emb Embedder, batch []*pending) error {
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

// commit stores an embedded article in the store of record, then swaps it
// into the index, replacing any old version; it reports whether one was
// replaced.
func (s *Index) commit(ctx context.Context, p *pending) (bool, error) {
	r := store.Record{Article: p.art, Hash: p.hash, TextHash: textHashHex(p.art.Text), Embedder: s.emb.Name(),
		Chunks: make([]store.Chunk, len(p.chunks))}
	for i, c := range p.chunks {
		r.Chunks[i] = store.Chunk{Span: c.Span, Sentences: c.Sentences, Vector: normalize(p.vecs[i])}
	}
	replaced := false
	if s.db != nil {
		var err error
		if _, replaced, err = s.db.Put(ctx, r); err != nil {
			return false, fmt.Errorf("store article %q: %w", p.art.ID, err)
		}
	}
	prep := prepare(r) // outside the lock: searches wait only for the swap
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.articles[p.art.ID]; ok {
		s.dropLocked(old)
		replaced = true
	}
	s.addRecordLocked(prep)
	return replaced, nil
}

// addRecordLocked indexes the prepared record p, whose vectors are
// normalised. The caller holds s.mu.
func (s *Index) addRecordLocked(p prepared) {
	sr := p.rec
	r := &record{Article: sr.Article, hash: sr.Hash, chunks: make([]int32, 0, len(sr.Chunks))}
	for i, c := range sr.Chunks {
		id := int32(len(s.chunks))
		s.chunks = append(s.chunks, chunkSlot{art: r, span: c.Span, sentences: c.Sentences, vec: c.Vector})
		s.kw.add(id, p.terms[i])
		// AddDocument only fails for an empty ID or vector, neither possible here.
		_ = s.col.AddDocument(context.Background(), chromem.Document{ID: strconv.Itoa(int(id)), Embedding: c.Vector})
		r.chunks = append(r.chunks, id)
	}
	s.articles[r.ID] = r
	s.texts[p.textHash] = r.ID
}

// textHashHex is the hex SHA-256 of text, as stored in Record.TextHash.
func textHashHex(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

func textHash(text string) [16]byte {
	h := sha256.Sum256([]byte(text))
	return [16]byte(h[:16])
}

// dropLocked removes r and its chunks. The caller holds s.mu.
func (s *Index) dropLocked(r *record) {
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
