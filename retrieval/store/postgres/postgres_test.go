package postgres_test

import (
	"context"
	"testing"

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/postgres/pgtest"
	"newsbot/retrieval/store/storetest"
)

var (
	serverURL     = pgtest.ServerURL
	freshDatabase = pgtest.FreshDatabase
)

// open opens a DB on dbURL, closed when the test ends.
func open(t testing.TB, dbURL string, opts ...postgres.Option) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), dbURL, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

func TestConformance(t *testing.T) {
	serverURL(t)
	storetest.Run(t, func(t *testing.T) storetest.Connect {
		dbURL := freshDatabase(t)
		return func(t *testing.T) store.DB { return open(t, dbURL, postgres.WithMaxConns(6)) }
	})
}
