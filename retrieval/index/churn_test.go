package index

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store/sqlite"
)

var churn30 = flag.Bool("churn30", false, "run the full 30-day, 5,000-article retention churn and log the database size per day")

func fileMB(path string) float64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return float64(fi.Size()) / 1e6
}

// vecEmbedder makes 512-dimensional vectors from a text's hash: the size
// of the real model's, at no cost.
type vecEmbedder struct{}

func (vecEmbedder) Name() string { return "test-vec512" }

func (vecEmbedder) Embed(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		h := fnv.New64a()
		h.Write([]byte(t))
		r := rand.New(rand.NewPCG(h.Sum64(), 1))
		v := make([]float32, 512)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		out[i] = normalize(v)
	}
	return out, nil
}

// TestRetentionKeepsDatabaseBounded simulates feed churn: every day a
// day's worth of new articles arrives and retention deletes those older
// than a week, so the store holds a steady number of articles. The
// database file must level off, not grow with every day's deletions.
// With -churn30 it runs 30 days at 5,000 articles and logs the size curve.
func TestRetentionKeepsDatabaseBounded(t *testing.T) {
	days, steady := 16, 700
	if *churn30 {
		days, steady = 30, 5000
	}
	const keepDays = 7
	perDay := steady / keepDays
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := Open(ctx, db, vecEmbedder{})
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Fields("council budget river bridge minister election school hospital market storm harvest court police strike energy price")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	sizes := make([]float64, days)
	for d := range days {
		day := start.AddDate(0, 0, d)
		var arts []bot.Article
		for i := range perDay {
			var paras []string
			for p := range 5 {
				w := make([]string, 60)
				for k := range w {
					w[k] = words[(d*7+i*3+p*5+k)%len(words)]
				}
				paras = append(paras, fmt.Sprintf("Day %d item %d part %d: %s.", d, i, p, strings.Join(w, " ")))
			}
			arts = append(arts, bot.Article{ID: fmt.Sprintf("d%d-%d", d, i), Title: fmt.Sprintf("Item %d of day %d", i, d),
				Published: day.Add(time.Duration(i) * time.Minute), Text: strings.Join(paras, "\n\n")})
		}
		if rep, err := st.Put(ctx, arts, nil); err != nil || rep.Added != perDay {
			t.Fatalf("day %d: %+v, %v", d, rep, err)
		}
		if _, err := st.DeleteOlderThan(ctx, day.AddDate(0, 0, -keepDays+1)); err != nil {
			t.Fatal(err)
		}
		ix, _ := st.Info(ctx)
		main, wal := fileMB(filepath.Join(dir, sqlite.FileName)), fileMB(filepath.Join(dir, sqlite.FileName+"-wal"))
		sizes[d] = main + wal
		t.Logf("day %2d: %5d articles, %6d chunks, database %.1f MB + WAL %.1f MB", d+1, ix.Articles, ix.Chunks, main, wal)
	}
	// Steady state is reached after keepDays; from then on the file may
	// wobble by the slack incremental vacuum leaves, not grow.
	settled := sizes[keepDays+1]
	if last := sizes[days-1]; last > 1.25*settled {
		t.Fatalf("database grew from %.1f MB (day %d) to %.1f MB (day %d) at a steady article count", settled, keepDays+2, last, days)
	}
}
