// Package pgtest gives tests a fresh PostgreSQL database on the server
// that .ci/with-postgres (run by .ci/run) starts.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the test server's URL.
const EnvURL = "NEWSBOT_TEST_POSTGRES_URL"

// ServerURL returns the test server's URL, or skips the test with a loud
// message when EnvURL is unset, so that a machine without PostgreSQL still
// passes and says what it did not test.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip("SKIPPED: " + EnvURL + " is not set, so PostgreSQL is NOT tested here; " +
			"run .ci/run, or .ci/with-postgres go test ./...")
	}
	return u
}

// FreshDatabase creates an empty database on the test server, dropped
// (with any connection left to it) when the test ends, and returns its
// URL.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	admin := ServerURL(t)
	ctx := context.Background()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "newsbot_test_" + hex.EncodeToString(b)
	if err := exec(ctx, admin, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("creating a test database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec(ctx, admin, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s must be a postgres:// URL", EnvURL)
	}
	u.Path = "/" + name
	return u.String()
}

// exec runs one statement on its own connection to dbURL.
func exec(ctx context.Context, dbURL, sql string) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
