package lab

import (
	"context"
	"fmt"
	"sync"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store"
)

// timedDB records how long each Put into the store of record takes, for
// bench's commit_ms_p50: the cost of durability next to embedding.
type timedDB struct {
	store.DB
	mu   sync.Mutex
	puts []float64 // ms
}

func (t *timedDB) Put(ctx context.Context, r store.Record) (int64, bool, error) {
	t0 := time.Now()
	seq, replaced, err := t.DB.Put(ctx, r)
	d := ms(time.Since(t0))
	t.mu.Lock()
	t.puts = append(t.puts, d)
	t.mu.Unlock()
	return seq, replaced, err
}

// total returns the summed and the median commit time in ms.
func (t *timedDB) total() (sum, p50 float64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, x := range t.puts {
		sum += x
	}
	return sum, percentile(append([]float64(nil), t.puts...), 50)
}

// benchSync measures how long a second, following reader of the store in
// dir takes to make an article another writer commits searchable: n
// trials of one new article each, from the commit's return to the
// reader's index holding it. It returns the times in ms.
func (l *Lab) benchSync(ctx context.Context, dir string, writer *index.Index, emb index.Embedder, arts []bot.Article, n int) ([]float64, error) {
	rdb, err := l.OpenDB(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer rdb.Close()
	reader, err := index.Open(ctx, rdb, emb, l.storeOptions()...)
	if err != nil {
		return nil, err
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go reader.Follow(fctx)
	var out []float64
	for i := range n {
		a := arts[(i*31)%len(arts)]
		a.ID = fmt.Sprintf("bench-sync-%d-%d", time.Now().UnixNano(), i)
		a.Text += fmt.Sprintf("\n\nSync edition %d.", i)
		if _, err := writer.PutWith(ctx, emb, []bot.Article{a}, nil); err != nil {
			return nil, err
		}
		t0 := time.Now()
		for {
			if _, ok := reader.Article(a.ID); ok {
				break
			}
			if time.Since(t0) > 30*time.Second {
				return nil, fmt.Errorf("bench: the reader did not see a new article within 30 s")
			}
			time.Sleep(2 * time.Millisecond)
		}
		out = append(out, ms(time.Since(t0)))
		// Spread the trials over the watcher's polling phase.
		time.Sleep(time.Duration(37*(i%7)) * time.Millisecond)
	}
	return out, nil
}
