package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"newsbot/retrieval/store/postgres/pgtest"
)

func TestStoreConfig(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		file string            // config body
		env  map[string]string // environment
		want string            // the URL loaded, or "error: …"
	}{
		{"default is embedded", "", nil, ""},
		{"from the file", "[store]\nurl = \"postgres://a@h/db\"\n", nil, "postgres://a@h/db"},
		{"postgresql scheme", "[store]\nurl = \"postgresql://a@h/db\"\n", nil, "postgresql://a@h/db"},
		{"environment wins", "[store]\nurl = \"postgres://a@h/db\"\n",
			map[string]string{"NEWSBOT_STORE_URL": "postgres://b@h/db"}, "postgres://b@h/db"},
		{"other scheme", "[store]\nurl = \"mysql://u:hunter2@h/db\"\n", nil,
			"error: [store] url must start with postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".toml")
			if err := os.WriteFile(p, []byte(tt.file), 0o644); err != nil {
				t.Fatal(err)
			}
			getenv := func(k string) string { return tt.env[k] }
			c, err := loadConfig(p, getenv)
			if want, isErr := strings.CutPrefix(tt.want, "error: "); isErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("loadConfig = %v, want an error with %q", err, want)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows the URL's password: %v", err)
				}
				return
			}
			if err != nil || c.Store.URL != tt.want {
				t.Errorf("loadConfig: url %q, %v; want %q", c.Store.URL, err, tt.want)
			}
		})
	}
}

// TestStoreOnPostgres runs the commands in process against PostgreSQL:
// the seeds go into the shared store, ask answers from it, and stats
// names the engine without the password.
func TestStoreOnPostgres(t *testing.T) {
	pgURL := pgtest.FreshDatabase(t)
	m, out, _ := testMain(t, map[string]string{"NEWSBOT_STORE_URL": pgURL})
	ctx := context.Background()
	if err := m.Run(ctx, []string{"ingest", "--seeds"}); err != nil {
		t.Fatalf("ingest --seeds: %v", err)
	}
	a := askJSON(t, m, out, "When will Zelensky visit Washington?")
	if !a.Answered || len(a.Quotes) == 0 || !strings.Contains(a.Quotes[0].Text, "Washington") {
		t.Errorf("ask on PostgreSQL: %+v", a)
	}
	out.Reset()
	if err := m.Run(ctx, []string{"stats"}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(pgURL)
	password, _ := u.User.Password()
	if !strings.Contains(out.String(), "engine:    postgres") || (password != "" && strings.Contains(out.String(), password)) {
		t.Errorf("stats on PostgreSQL, want the engine and no password:\n%s", out)
	}
}
