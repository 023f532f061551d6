package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/storetest"
)

// serverURL returns the URL of the test server's maintenance database, or
// skips the test loudly when there is none.
func serverURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("NEWSBOT_TEST_POSTGRES_URL")
	if u == "" {
		t.Skip("SKIPPED: NEWSBOT_TEST_POSTGRES_URL is not set, so the PostgreSQL store is NOT tested; " +
			"run .ci/run (or .ci/with-postgres go test ./retrieval/store/postgres/) to test it")
	}
	return u
}

// freshDatabase creates an empty database on the test server, dropped
// when the test ends, and returns its URL.
func freshDatabase(t *testing.T) string {
	t.Helper()
	admin := serverURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connecting to the test server: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "newsbot_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("dropping %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal("NEWSBOT_TEST_POSTGRES_URL must be a postgres:// URL")
	}
	u.Path = "/" + name
	return u.String()
}

// open opens a DB on dbURL, closed when the test ends.
func open(t *testing.T, dbURL string, opts ...postgres.Option) *postgres.DB {
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
