package sqlite

import (
	"context"
	"testing"
	"time"

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/storetest"
)

// TestConformance runs the suite every store.DB engine must pass; each
// Connect opens the same file again, as another process would.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Connect {
		dir := t.TempDir()
		return func(t *testing.T) store.DB {
			d, err := Open(context.Background(), dir, WithWatchInterval(20*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
	})
}
