package lab

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/retrieval/index"
	"newsbot/retrieval/ingest"
	"newsbot/retrieval/store"
)

// evalQuestion is one line of a questions file.
type evalQuestion struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Answers  []string `json:"answers"`
	DocID    string   `json:"doc_id"`
	Type     string   `json:"type"`
	// NearDoc is, for a question that must be refused, the article it is
	// about; it keeps the question in that article's fold.
	NearDoc string `json:"near_doc"`
}

// modeRetriever searches an index with one retriever mode, for eval.
type modeRetriever struct {
	*index.Index
	mode string
}

func (r modeRetriever) Search(ctx context.Context, q bot.Query) ([]bot.Passage, error) {
	return r.Index.SearchMode(ctx, q, r.mode)
}

// Set is one documents file with its questions.
type Set struct {
	name              string
	docs              string
	questions, refuse string
}

// EvalOptions are eval's settings, one per flag of newsbot eval.
type EvalOptions struct {
	Docs, Questions, Unanswerable string
	// Also are more sets, scored and fitted with the first.
	Also []Set
	JSON bool
	K    int
	Mode string // hybrid, dense or keyword
	// Threshold is the refusal threshold; negative: the config's, else the model's.
	Threshold   float64
	Sweep       bool
	Limit       int
	Misses      bool
	DenseWeight float64
	Cache       string
	Folds       int
	Fit         string
	Lambda      float64
	PerArticle  bool
	MinAnswered float64
	// Command is the command line, recorded in a fitted model.
	Command string
}

// DefaultEvalOptions are eval's defaults.
func DefaultEvalOptions() EvalOptions {
	return EvalOptions{K: 10, Mode: "hybrid", Threshold: -1, DenseWeight: index.DefaultDenseWeight, Lambda: 3, MinAnswered: 0.93}
}

// ParseSet reads --also's DOCS,QUESTIONS[,UNANSWERABLE].
func ParseSet(v string) (Set, error) {
	p := strings.Split(v, ",")
	if len(p) < 2 || len(p) > 3 {
		return Set{}, fmt.Errorf("want DOCS,QUESTIONS[,UNANSWERABLE], got %q", v)
	}
	s := Set{name: strings.TrimSuffix(filepath.Base(filepath.Dir(p[1])), "/"), docs: p[0], questions: p[1]}
	if len(p) == 3 {
		s.refuse = p[2]
	}
	return s, nil
}

// Validate checks o as the flags' usage does; its error is the usage
// mistake.
func (o EvalOptions) Validate() error {
	switch {
	case o.Docs == "" || o.Questions == "":
		return UsageError{"eval: --docs and --questions are required"}
	case !slices.Contains([]string{"hybrid", "dense", "keyword"}, o.Mode):
		return UsageError{fmt.Sprintf("eval: --mode %q: use hybrid, dense or keyword", o.Mode)}
	case o.DenseWeight < 0 || o.DenseWeight > 1:
		return UsageError{"eval: --dense-weight must be within 0..1"}
	case o.Folds == 1 || o.Folds < 0:
		return UsageError{"eval: --folds must be 0 (off) or at least 2"}
	}
	return nil
}

// Eval runs eval: see newsbot eval --help.
func (l *Lab) Eval(ctx context.Context, o EvalOptions) error {
	if err := o.Validate(); err != nil {
		return err
	}
	docs, questions, unanswerable, also, asJSON := &o.Docs, &o.Questions, &o.Unanswerable, o.Also, &o.JSON
	k, mode, sweep, limit, misses := &o.K, &o.Mode, &o.Sweep, &o.Limit, &o.Misses
	cache, folds, fit, lambda, perArticle, minAnswered := &o.Cache, &o.Folds, &o.Fit, &o.Lambda, &o.PerArticle, &o.MinAnswered
	l.denseWeight = &o.DenseWeight
	threshold := &o.Threshold
	sets := append([]Set{{name: filepath.Base(filepath.Dir(*questions)), docs: *docs, questions: *questions, refuse: *unanswerable}}, also...)

	var items []*evalItem
	var reps []*evalReport
	for i, s := range sets {
		dir := *cache
		if dir != "" && i > 0 {
			dir = filepath.Join(dir, fmt.Sprintf("also-%d", i))
		}
		its, rep, err := l.evalSet(ctx, s, i, dir, *mode, *k, *limit, *threshold)
		if err != nil {
			return err
		}
		items = append(items, its...)
		reps = append(reps, rep)
	}
	if *perArticle {
		for i, s := range sets[:len(sets):len(sets)] {
			its, rep, err := l.evalPerArticle(ctx, s, i, len(reps), *mode, *k, *limit, *threshold)
			if err != nil {
				return err
			}
			items = append(items, its...)
			reps = append(reps, rep)
			sets = append(sets, Set{name: s.name + " (one article per store)"})
		}
	}
	model, thr := l.evalModel(*threshold)
	// The shipped model, as Ask uses it.
	for i, rep := range reps {
		rep.score(filter(items, i), func(*evalItem) (*answer.Model, float64) { return model, thr })
	}
	if *fit != "" || *folds > 0 {
		fitted, err := fitItems(items, *lambda, *minAnswered, nil)
		if err != nil {
			return fmt.Errorf("eval: %w", err)
		}
		for i, rep := range reps {
			rep.Fitted = &evalScores{}
			rep.Fitted.score(filter(items, i), func(*evalItem) (*answer.Model, float64) { return fitted, fitted.Threshold })
		}
		if *folds > 0 {
			fm := make([]*answer.Model, *folds)
			for f := range fm {
				if fm[f], err = fitItems(items, *lambda, *minAnswered, func(it *evalItem) bool { return it.fold(*folds) != f }); err != nil {
					return fmt.Errorf("eval: fold %d: %w", f, err)
				}
			}
			for i, rep := range reps {
				rep.CrossValidated = &evalScores{Folds: *folds}
				rep.CrossValidated.score(filter(items, i), func(it *evalItem) (*answer.Model, float64) {
					f := fm[it.fold(*folds)]
					return f, f.Threshold
				})
			}
		}
		if *fit != "" {
			fitted.Fit = map[string]any{
				"command": o.Command,
				"samples": len(samples(fittable(items), nil)), "questions": len(fittable(items)), "lambda": *lambda,
				"fitted": time.Now().UTC().Format(time.RFC3339),
			}
			data, err := json.MarshalIndent(fitted, "", " ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(*fit, append(data, '\n'), 0o644); err != nil {
				return fmt.Errorf("eval: %w", err)
			}
		}
	}
	if *asJSON {
		out := reps[0]
		out.Also = reps[1:]
		enc := json.NewEncoder(l.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for i, rep := range reps {
		rep.print(l.Stdout, sets[i].name, *mode)
		if *sweep {
			printSweep(l.Stdout, filter(items, i), model)
		}
		if *misses {
			printMisses(l.Stdout, filter(items, i), model, thr)
		}
	}
	return nil
}

// evalModel is the model and threshold the bot itself uses.
func (l *Lab) evalModel(threshold float64) (*answer.Model, float64) {
	x, err := l.NewExtractor(nil)
	if err != nil {
		return answer.DefaultModel(), answer.DefaultThreshold
	}
	model, t := x.Model()
	if c := l.Threshold; c != nil {
		t = *c
	}
	if threshold >= 0 {
		t = threshold
	}
	return model, t
}

// read reads the set's documents, its questions and its questions to
// refuse, the questions cut to the first limit of each when limit > 0.
func (s Set) read(limit int) (arts []bot.Article, qs, oos []evalQuestion, err error) {
	if err := mustExist("--docs", s.docs); err != nil {
		return nil, nil, nil, err
	}
	if arts, err = ingest.File(s.docs); err != nil {
		return nil, nil, nil, fmt.Errorf("eval: %w", err)
	}
	if qs, err = ReadQuestions(s.questions); err != nil {
		return nil, nil, nil, fmt.Errorf("eval: %w", err)
	}
	if s.refuse != "" {
		if oos, err = ReadQuestions(s.refuse); err != nil {
			return nil, nil, nil, fmt.Errorf("eval: %w", err)
		}
	}
	if limit > 0 {
		qs, oos = qs[:min(limit, len(qs))], oos[:min(limit, len(oos))]
	}
	return arts, qs, oos, nil
}

// evalSet builds the store of one set and asks all its questions once,
// keeping each question's candidate pool for scoring.
func (l *Lab) evalSet(ctx context.Context, s Set, set int, dir, mode string, k, limit int, threshold float64) ([]*evalItem, *evalReport, error) {
	arts, qs, oos, err := s.read(limit)
	if err != nil {
		return nil, nil, err
	}
	st, closeDB, err := l.openSetStore(ctx, arts, dir)
	if err != nil {
		return nil, nil, err
	}
	defer closeDB()
	texts := map[string]string{}
	for _, a := range arts {
		texts[a.ID] = a.Text
	}
	r := modeRetriever{st, mode}
	x, err := l.NewExtractor(r)
	if err != nil {
		return nil, nil, err
	}
	model, thr := l.evalModel(threshold)
	rep := &evalReport{Set: s.docs, Questions: len(qs), Docs: len(arts)}
	var lat []float64
	var items []*evalItem
	for i, q := range append(slices.Clone(qs), oos...) {
		it := &evalItem{set: set, foldSet: set, q: q, answerable: i < len(qs), gold: lowerAll(q.Answers), goldText: texts[q.DocID]}
		ms, err := it.measure(ctx, st, x, mode, k, model, thr, rep)
		if err != nil {
			return nil, nil, err
		}
		lat = append(lat, ms)
		items = append(items, it)
	}
	rep.finish(len(qs), lat)
	if len(oos) > 0 {
		rep.unanswerable = len(oos)
	}
	return items, rep, nil
}

// openSetStore opens an index holding arts: in memory, or kept in dir
// (--cache) and reused when it already holds them. closeDB closes its
// store of record.
func (l *Lab) openSetStore(ctx context.Context, arts []bot.Article, dir string) (st *index.Index, closeDB func(), err error) {
	emb, err := l.Embedder()
	if err != nil {
		return nil, nil, err
	}
	var db store.DB // in memory unless --cache names a dir
	closeDB = func() {}
	if dir != "" {
		// Always embedded: eval must never write its documents into a
		// deployment's shared store.
		if db, err = l.OpenLocal(ctx, dir); err != nil {
			return nil, nil, err
		}
		closeDB = func() { db.Close() }
	}
	if st, err = index.Open(ctx, db, emb, l.storeOptions()...); err == nil {
		_, err = st.Put(ctx, arts, l.Progress("documents"))
	}
	if err != nil {
		closeDB()
		return nil, nil, err
	}
	return st, closeDB, nil
}

// recall counts, for an answerable item, the rank of the first of the k
// passages st retrieves that holds a gold answer.
func (it *evalItem) recall(ctx context.Context, st *index.Index, mode string, k int, rep *evalReport) error {
	if !it.answerable {
		return nil
	}
	ps, err := st.SearchMode(ctx, bot.Query{Text: it.q.Question, K: k}, mode)
	if err != nil {
		return err
	}
	for i, p := range ps {
		if it.holds(p.Article, p.Text()) {
			rep.recall(i)
			break
		}
	}
	return nil
}

// measure counts the item's retrieval recall in rep, puts its question to
// x, keeps the candidate pool with each candidate labelled, and returns
// the milliseconds the bot took.
func (it *evalItem) measure(ctx context.Context, st *index.Index, x *answer.Extractor, mode string, k int, model *answer.Model, thr float64, rep *evalReport) (float64, error) {
	if err := it.recall(ctx, st, mode, k, rep); err != nil {
		return 0, err
	}
	t0 := time.Now()
	pool, err := x.Pool(ctx, bot.Question{Text: it.q.Question})
	if err != nil {
		return 0, fmt.Errorf("eval: question %s: %w", it.q.ID, err)
	}
	it.pool, it.x = pool, x
	_ = x.Compose(pool, model, thr)
	ms := float64(time.Since(t0).Microseconds()) / 1000
	it.labels = make([]bool, len(pool.Candidates))
	for j, c := range pool.Candidates {
		it.labels[j] = it.answerable && it.holds(c.Passage.Article, c.Text())
	}
	return ms, nil
}

// evalPerArticle asks each question of set s that names its article
// (doc_id, or near_doc for one that must be refused) in a store holding
// only that article: what a first install with one article, such as the
// bundled seed, does with it. Its items are set number set and share the
// folds of set foldSet. Questions about no article are left out.
func (l *Lab) evalPerArticle(ctx context.Context, s Set, foldSet, set int, mode string, k, limit int, threshold float64) ([]*evalItem, *evalReport, error) {
	arts, qs, oos, err := s.read(limit)
	if err != nil {
		return nil, nil, err
	}
	byID := map[string]bot.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	emb, err := l.Embedder()
	if err != nil {
		return nil, nil, err
	}
	model, thr := l.evalModel(threshold)
	rep := &evalReport{Set: s.docs + " (one article per store)"}
	// One store per article, its questions asked in order of the article.
	byArt := map[string][]*evalItem{}
	var order []string
	for i, q := range append(slices.Clone(qs), oos...) {
		id := q.DocID
		if id == "" {
			id = q.NearDoc
		}
		if _, ok := byID[id]; !ok {
			continue
		}
		if i < len(qs) {
			rep.Questions++
		}
		if byArt[id] == nil {
			order = append(order, id)
		}
		it := &evalItem{set: set, foldSet: foldSet, q: q, answerable: i < len(qs), gold: lowerAll(q.Answers), goldText: byID[id].Text}
		byArt[id] = append(byArt[id], it)
	}
	var items []*evalItem
	var lat []float64
	progress := l.Progress("one-article stores")
	for n, id := range order {
		st, err := index.Open(ctx, nil, emb, l.storeOptions()...)
		if err != nil {
			return nil, nil, err
		}
		if _, err := st.Put(ctx, []bot.Article{byID[id]}, nil); err != nil {
			return nil, nil, err
		}
		x, err := l.NewExtractor(modeRetriever{st, mode})
		if err != nil {
			return nil, nil, err
		}
		for _, it := range byArt[id] {
			ms, err := it.measure(ctx, st, x, mode, k, model, thr, rep)
			if err != nil {
				return nil, nil, err
			}
			lat = append(lat, ms)
			items = append(items, it)
		}
		rep.Docs++
		progress(index.Progress{Done: n + 1, Total: len(order)})
	}
	rep.finish(rep.Questions, lat)
	rep.unanswerable = len(items) - rep.Questions
	return items, rep, nil
}

// ReadQuestions reads a questions file (JSON Lines).
func ReadQuestions(path string) ([]evalQuestion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []evalQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q evalQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if q.Question == "" {
			return nil, fmt.Errorf("%s:%d: no question", path, line)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

func lowerAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(strings.TrimSpace(s))
	}
	return out
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if x != "" && strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// percentile returns the p-th percentile of xs (nearest rank).
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}
