package main

import (
	"context"
	"fmt"
	"strings"

	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
	"newsbot/retrieval/store/sqlite"
)

// StoreConfig chooses the store of record.
type StoreConfig struct {
	// URL is a PostgreSQL URL (postgres://user:password@host:port/db)
	// shared by every process of a deployment; empty means the embedded
	// SQLite store in the data dir. NEWSBOT_STORE_URL overrides it.
	URL string `toml:"url"`
}

// validate checks the URL's scheme only; the database itself is checked
// when a command opens it. The URL is never echoed: it may hold a
// password.
func (c StoreConfig) validate() error {
	if c.URL == "" || strings.HasPrefix(c.URL, "postgres://") || strings.HasPrefix(c.URL, "postgresql://") {
		return nil
	}
	return fmt.Errorf("config: [store] url must start with postgres:// or postgresql:// (or be empty for the embedded store)")
}

// openDB opens the configured store of record: PostgreSQL at [store] url
// when it is set, else the embedded store in dir.
func (m *Main) openDB(ctx context.Context, dir string) (store.DB, error) {
	return m.openEngine(ctx, m.Config.Store.URL, dir)
}

// openEngine is the one place that chooses the engine: PostgreSQL at url
// when url is not empty, else SQLite in dir.
func (m *Main) openEngine(ctx context.Context, url, dir string) (store.DB, error) {
	if url != "" {
		return postgres.Open(ctx, url, postgres.WithLogger(m.Log))
	}
	return sqlite.Open(ctx, dir, sqlite.WithLogger(m.Log))
}
