package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFeedStateImported checks that the feeds.json an older newsbot left
// in the data dir is moved into the store once, and still shown.
func TestFeedStateImported(t *testing.T) {
	dir := t.TempDir()
	old := `{"version": 1, "feeds": [{"url": "https://example.org/feed.xml", "last_fetch": "2026-01-01T10:00:00Z", "last_error": "HTTP 503 from the server", "failures": 2, "articles": 41, "items": 7}]}`
	if err := os.WriteFile(filepath.Join(dir, "feeds.json"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := feedConfig(t, "https://example.org/feed.xml")
	for run := range 2 {
		m, out, errb := testMain(t, nil)
		if err := m.Run(context.Background(), []string{"--config", cfg, "--data", dir, "feeds"}); err != nil {
			t.Fatalf("feeds: %v\n%s", err, errb)
		}
		m.Close()
		if !strings.Contains(out.String(), "HTTP 503 from the server") || !strings.Contains(out.String(), "41") {
			t.Fatalf("run %d: imported state not shown:\n%s", run, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "feeds.json")); !os.IsNotExist(err) {
			t.Fatalf("run %d: feeds.json still in place (%v)", run, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "feeds.json.imported")); err != nil {
		t.Fatalf("the old file was not kept aside: %v", err)
	}
}
