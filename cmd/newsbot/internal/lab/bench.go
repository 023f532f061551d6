package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/index"
	"newsbot/retrieval/ingest"
)

// benchReport is what bench measures; see README, "Performance".
type benchReport struct {
	Articles         int     `json:"articles"`
	Chunks           int     `json:"chunks"`
	IngestS          float64 `json:"ingest_s"`
	ChunksPerS       float64 `json:"chunks_per_s"`
	EmbedPerS        float64 `json:"embed_per_s"`
	QueryEmbedMsP50  float64 `json:"query_embed_ms_p50"`
	QueryP50Ms       float64 `json:"query_p50_ms"`
	QueryP95Ms       float64 `json:"query_p95_ms"`
	StoreScanMsP50   float64 `json:"store_scan_ms_p50"`
	StartupS         float64 `json:"startup_s"`
	CommitMsP50      float64 `json:"commit_ms_p50"`
	CommitShare      float64 `json:"commit_share"`
	SyncMsP50        float64 `json:"sync_ms_p50"`
	SyncMsP95        float64 `json:"sync_ms_p95"`
	DBMB             float64 `json:"db_mb"`
	RSSMB            float64 `json:"rss_mb"`
	ScaledChunks     int     `json:"scaled_chunks,omitempty"`
	Cores            int     `json:"cores"`
	CPU              string  `json:"cpu"`
	QueriesMeasured  int     `json:"queries"`
	IngestedArticles int     `json:"ingested_articles"`
}

// BenchOptions are bench's settings, one per flag of newsbot bench.
type BenchOptions struct {
	Corpus       string
	Scale, Limit int
	Queries      int
	JSON         bool
	Dir          string
}

// DefaultBenchOptions are bench's defaults.
func DefaultBenchOptions() BenchOptions { return BenchOptions{Queries: 200} }

// UsageError is a mistake in the options, which the command line made.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Bench runs bench: see newsbot bench --help.
func (l *Lab) Bench(ctx context.Context, o BenchOptions) error {
	corpus, scale, limit, nq, asJSON, dir := &o.Corpus, &o.Scale, &o.Limit, &o.Queries, &o.JSON, &o.Dir
	if *corpus == "" {
		return UsageError{"bench: --corpus is required"}
	}
	if err := mustExist("--corpus", *corpus); err != nil {
		return err
	}
	arts, err := ingest.File(*corpus)
	if _, partial := ingest.Partial(err); err != nil && !partial {
		return fmt.Errorf("bench: %w", err)
	}
	if *limit > 0 && *limit < len(arts) {
		arts = arts[:*limit]
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "newsbot-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}
	emb, err := l.Embedder()
	if err != nil {
		return err
	}
	rep := benchReport{Articles: len(arts), Cores: runtime.NumCPU(), CPU: cpuModel()}

	// 1. End-to-end ingest: parse is done; chunk + embed + store + save.
	odb, err := l.OpenDB(ctx, *dir)
	if err != nil {
		return err
	}
	db := &timedDB{DB: odb}
	st, err := index.Open(ctx, db, emb, l.storeOptions()...)
	if err != nil {
		db.Close()
		return err
	}
	t0 := time.Now()
	r, err := st.Put(ctx, arts, l.Progress("articles"))
	if err != nil {
		return err
	}
	rep.IngestS = time.Since(t0).Seconds()
	commitMs, commitP50 := db.total()
	rep.CommitMsP50 = commitP50
	rep.CommitShare = commitMs / 1000 / rep.IngestS
	rep.IngestedArticles = r.Added + r.Replaced
	inf, _ := st.Info(ctx)
	rep.Chunks = inf.Chunks
	rep.ChunksPerS = float64(rep.Chunks) / rep.IngestS

	// 2. The embedder alone on real passages.
	var passages []string
	for _, a := range arts {
		for _, c := range index.ChunkText(a.Text, index.MaxChunkWords) {
			if len(passages) < 128 {
				passages = append(passages, a.Text[c.Span.Start:c.Span.End])
			}
		}
	}
	t0 = time.Now()
	if _, err := emb.Embed(ctx, passages); err != nil {
		return err
	}
	rep.EmbedPerS = float64(len(passages)) / time.Since(t0).Seconds()

	// 3. Scale the store with varied copies whose vectors are perturbed
	// copies of real ones, so queries run over a realistic store without
	// waiting for the embedder.
	if *scale > rep.Chunks {
		if err := l.scaleStore(ctx, st, arts, emb.Name(), *scale); err != nil {
			return err
		}
		inf, _ = st.Info(ctx)
		rep.ScaledChunks = inf.Chunks
	}
	st = nil
	if err := db.Close(); err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()

	// 4. Startup: open the persisted store and answer one question.
	qs := benchQuestions(arts, *nq)
	t0 = time.Now()
	if odb, err = l.OpenDB(ctx, *dir); err != nil {
		return err
	}
	defer odb.Close()
	st, err = index.Open(ctx, odb, emb, l.storeOptions()...)
	if err != nil {
		return err
	}
	b, err := l.NewBot(st)
	if err != nil {
		return err
	}
	if _, err := b.Ask(ctx, bot.Question{Text: qs[0]}); err != nil {
		return err
	}
	rep.StartupS = time.Since(t0).Seconds()

	// 5. Queries: the embedding alone, chromem-go's bare scan, the full path.
	var embMs, scanMs, askMs []float64
	for _, q := range qs {
		t0 = time.Now()
		qv, err := st.QueryVector(ctx, q)
		if err != nil {
			return err
		}
		embMs = append(embMs, ms(time.Since(t0)))
		t0 = time.Now()
		if _, err := st.ScanDense(ctx, qv, 50); err != nil {
			return err
		}
		scanMs = append(scanMs, ms(time.Since(t0)))
		t0 = time.Now()
		if _, err := b.Ask(ctx, bot.Question{Text: q}); err != nil {
			return err
		}
		askMs = append(askMs, ms(time.Since(t0)))
	}
	rep.QueriesMeasured = len(qs)
	rep.QueryEmbedMsP50 = percentile(embMs, 50)
	rep.StoreScanMsP50 = percentile(scanMs, 50)
	rep.QueryP50Ms = percentile(askMs, 50)
	rep.QueryP95Ms = percentile(askMs, 95)
	// Steady-state memory: what the process holds once the garbage of
	// loading has been returned to the OS, as a long-running serve does.
	debug.FreeOSMemory()
	rep.RSSMB = rssMB()

	// 6. Sync: a second process-like reader (its own connections and
	// index) picks up articles this one commits.
	// 40 trials, so p95 is not just the slowest one.
	syncMs, err := l.benchSync(ctx, *dir, st, emb, arts, 40)
	if err != nil {
		return err
	}
	rep.SyncMsP50 = percentile(syncMs, 50)
	rep.SyncMsP95 = percentile(syncMs, 95)
	if di, err := st.DBInfo(ctx); err == nil {
		rep.DBMB = float64(di.Bytes) / 1e6
	}

	if *asJSON {
		enc := json.NewEncoder(l.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	fmt.Fprintf(l.Stdout, "machine          %d cores, %s\n", rep.Cores, rep.CPU)
	fmt.Fprintf(l.Stdout, "ingest           %d articles, %d chunks in %.1f s (%.1f chunks/s)\n", rep.Articles, rep.Chunks, rep.IngestS, rep.ChunksPerS)
	fmt.Fprintf(l.Stdout, "embedder         %.1f passages/s\n", rep.EmbedPerS)
	if rep.ScaledChunks > 0 {
		fmt.Fprintf(l.Stdout, "scaled store     %d chunks\n", rep.ScaledChunks)
	}
	fmt.Fprintf(l.Stdout, "startup          %.2f s\n", rep.StartupS)
	fmt.Fprintf(l.Stdout, "store            commit p50 %.1f ms per article (%.1f%% of ingest), sync p50 %.0f ms p95 %.0f ms, %.0f MB on disk\n",
		rep.CommitMsP50, 100*rep.CommitShare, rep.SyncMsP50, rep.SyncMsP95, rep.DBMB)
	fmt.Fprintf(l.Stdout, "query            p50 %.1f ms, p95 %.1f ms (embed p50 %.1f ms, bare scan p50 %.1f ms)\n", rep.QueryP50Ms, rep.QueryP95Ms, rep.QueryEmbedMsP50, rep.StoreScanMsP50)
	fmt.Fprintf(l.Stdout, "memory           %.0f MB RSS\n", rep.RSSMB)
	return nil
}

// scaleStore adds varied copies of arts until the store holds n chunks.
// A copy shuffles its article's paragraphs, so its chunks and keyword
// statistics are new text; its vectors come from a replaying embedder
// that perturbs real vectors of the corpus.
func (l *Lab) scaleStore(ctx context.Context, st *index.Index, arts []bot.Article, name string, n int) error {
	pool, err := st.SampleVectors(4096)
	if err != nil {
		return err
	}
	rep := &replayEmbedder{name: name, pool: pool}
	rng := rand.New(rand.NewPCG(7, 11))
	copyN := 0
	for {
		inf, _ := st.Info(ctx)
		have := inf.Chunks
		if have >= n {
			return nil
		}
		// Each round adds about what is missing; the chunk count of a copy
		// is only known once the store has chunked it.
		var batch []bot.Article
		for have < n {
			copyN++
			for _, a := range arts {
				if have >= n {
					break
				}
				paras := strings.Split(a.Text, "\n\n")
				rng.Shuffle(len(paras), func(i, j int) { paras[i], paras[j] = paras[j], paras[i] })
				v := a
				v.ID = a.ID + "~" + strconv.Itoa(copyN)
				v.Title = fmt.Sprintf("%s (%d)", a.Title, copyN)
				// The edition line keeps copies of one-paragraph articles
				// distinct, so that the store's duplicate check keeps them.
				v.Text = strings.Join(paras, "\n\n") + fmt.Sprintf("\n\nEdition %d.", copyN)
				batch = append(batch, v)
				have += len(index.ChunkText(v.Text, index.MaxChunkWords))
			}
		}
		r, err := st.PutWith(ctx, rep, batch, l.Progress("scaled articles"))
		if err != nil {
			return err
		}
		if r.Added == 0 {
			return fmt.Errorf("bench: scaling added no chunks")
		}
	}
}

// replayEmbedder returns, for any text, a real vector from the corpus
// (chosen by the text's hash) with small noise: realistic vectors at no
// embedding cost, for scaling benchmarks only.
type replayEmbedder struct {
	name string
	pool [][]float32
}

func (r *replayEmbedder) Name() string { return r.name }

func (r *replayEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		seed := h.Sum64()
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		src := r.pool[seed%uint64(len(r.pool))]
		v := make([]float32, len(src))
		var norm float64
		for j, x := range src {
			v[j] = x + float32(rng.NormFloat64()*0.02)
			norm += float64(v[j]) * float64(v[j])
		}
		inv := float32(1 / math.Sqrt(norm))
		for j := range v {
			v[j] *= inv
		}
		out[i] = v
	}
	return out, nil
}

// benchQuestions makes n questions from the corpus titles.
func benchQuestions(arts []bot.Article, n int) []string {
	var qs []string
	forms := []string{"What happened with %s?", "What is the latest on %s?", "Why %s?", "Who said %s?"}
	for i := 0; len(qs) < n && i < 4*len(arts); i++ {
		a := arts[(i*7919)%len(arts)]
		if a.Title == "" {
			continue
		}
		qs = append(qs, fmt.Sprintf(forms[i%len(forms)], strings.ToLower(a.Title)))
	}
	if len(qs) == 0 {
		qs = append(qs, "What happened?")
	}
	return qs
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rssMB reads the resident set size from /proc (Linux); 0 elsewhere.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
