package index

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"newsbot/bot"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/postgres/pgtest"
)

// TestConcurrentIngestsStoreEachTextOnce runs 2, 4 and 8 ingests at once,
// each with a store handle of its own (as separate processes have), of
// overlapping articles: the same texts under ids of each ingest's own, as
// when two processes ingest copies of the same files. Every text must be
// stored once, and each copy counted as added or duplicate.
func TestConcurrentIngestsStoreEachTextOnce(t *testing.T) {
	engines := map[string]func(t *testing.T) func() store.DB{
		"sqlite": func(t *testing.T) func() store.DB {
			dir := t.TempDir()
			return func() store.DB { return openDB(t, dir) }
		},
		"postgres": func(t *testing.T) func() store.DB {
			dbURL := pgtest.FreshDatabase(t)
			return func() store.DB {
				db, err := postgres.Open(context.Background(), dbURL, postgres.WithMaxConns(2))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
		},
	}
	for _, engine := range []string{"sqlite", "postgres"} {
		for _, n := range []int{2, 4, 8} {
			t.Run(fmt.Sprintf("%s/%d", engine, n), func(t *testing.T) {
				concurrentIngests(t, engines[engine](t), n)
			})
		}
	}
}

func concurrentIngests(t *testing.T, connect func() store.DB, ingests int) {
	ctx := context.Background()
	const texts = 24
	// Each ingest takes 16 of the 24 texts, starting at its own place,
	// so every text is in at least one ingest and most in several.
	batches := make([][]bot.Article, ingests)
	want := map[string]bool{}
	for p := range ingests {
		for i := range 16 {
			k := (i + p*texts/ingests) % texts
			text := fmt.Sprintf("Report number %d says the council met on day %d. Members voted on item %d.", k, k, k)
			want[text] = true
			batches[p] = append(batches[p], art(fmt.Sprintf("p%d/file%02d", p, k), fmt.Sprint("Report ", k), text))
		}
	}
	stores := make([]*Index, ingests)
	for p := range stores {
		st, err := Open(ctx, connect(), &hashEmbedder{})
		if err != nil {
			t.Fatal(err)
		}
		stores[p] = st
	}
	reps := make([]Report, ingests)
	var wg sync.WaitGroup
	for p := range ingests {
		wg.Go(func() {
			var err error
			reps[p], err = stores[p].Put(ctx, batches[p], nil)
			if err != nil {
				t.Errorf("ingest %d: %v", p, err)
			}
		})
	}
	wg.Wait()
	added, dups := 0, 0
	for _, r := range reps {
		if r.Failed > 0 {
			t.Errorf("failures: %v", r.Errors)
		}
		added += r.Added
		dups += r.Duplicates
	}
	seen := map[string]string{}
	stored := 0
	if _, err := connect().Scan(ctx, func(r store.Record) error {
		stored++
		if other, ok := seen[r.Article.Text]; ok {
			t.Errorf("text stored twice: %s and %s", other, r.Article.ID)
		}
		seen[r.Article.Text] = r.Article.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if stored != len(want) || len(seen) != len(want) {
		t.Errorf("%d articles for %d distinct texts stored; want %d", stored, len(seen), len(want))
	}
	if added != len(want) || added+dups != 16*ingests {
		t.Errorf("reports: %d added + %d duplicates; want %d + %d", added, dups, len(want), 16*ingests-len(want))
	}
	t.Logf("%d ingests: %d articles for %d distinct texts; %d added, %d duplicates", ingests, stored, len(seen), added, dups)
}
