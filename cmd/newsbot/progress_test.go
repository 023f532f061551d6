package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsbot/retrieval"
)

func TestHumanDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "under 1s"},
		{400 * time.Millisecond, "under 1s"},
		{999 * time.Millisecond, "under 1s"},
		{time.Second, "1s"},
		{1499 * time.Millisecond, "1s"},
		{3*time.Minute + 51636*time.Millisecond, "3m52s"},
	} {
		if got := humanDuration(c.d); got != c.want {
			t.Errorf("humanDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestProgressETA checks that articles skipped as already stored do not
// count towards the rate: a resumed ingest must not promise an ETA of 0.
func TestProgressETA(t *testing.T) {
	for _, c := range []struct {
		name string
		el   time.Duration
		pr   retrieval.Progress
		want string
	}{
		{"nothing worked yet", 0, retrieval.Progress{Done: 445, Skipped: 445, Total: 2225}, ""},
		{"resumed", 10 * time.Second, retrieval.Progress{Done: 455, Skipped: 445, Total: 2225}, "29m30s"},
		{"fresh", 10 * time.Second, retrieval.Progress{Done: 10, Total: 20}, "10s"},
		{"finished", 10 * time.Second, retrieval.Progress{Done: 20, Total: 20}, ""},
	} {
		if got := progressETA(c.el, c.pr); got != c.want {
			t.Errorf("%s: progressETA = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestIngestDurationRounded checks the ingest summary and the progress
// lines show durations as people read them, not "3m51.636s" or "0s".
func TestIngestDurationRounded(t *testing.T) {
	dir := t.TempDir()
	var lines []string
	for i := range 20 {
		lines = append(lines, `{"id":"a`+string(rune('a'+i))+`","title":"T","text":"Article number `+strings.Repeat("x", i+1)+` reports on the harbour."}`)
	}
	f := filepath.Join(dir, "news.jsonl")
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, out, errb := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"ingest", f}); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errb)
	}
	dur := `(under 1s|(\d+h)?(\d+m)?\d+s)`
	if !regexp.MustCompile(` failed in ` + dur + `; the store`).MatchString(out.String()) {
		t.Errorf("summary %q: duration not rounded", out)
	}
	prog := regexp.MustCompile(`^newsbot: \d+/20 articles \(\d+%\) in ` + dur + `( ETA ` + dur + `)?$`)
	for _, l := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if !prog.MatchString(l) {
			t.Errorf("progress line %q: duration not rounded", l)
		}
	}
}
