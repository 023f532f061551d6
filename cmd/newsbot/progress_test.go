package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsbot/retrieval/index"
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

// TestProgressETA checks the estimate of the time left. Articles skipped
// as already stored or duplicate take no time: a resumed ingest must not
// promise an ETA of 0, and a file of mostly duplicates must not promise
// hours for a job of seconds.
func TestProgressETA(t *testing.T) {
	// feed runs a Put of total articles, the i-th needing work when
	// works(i), and returns the ETA after done of them and el.
	feed := func(total, done int, el time.Duration, works func(i int) bool) string {
		var e etaEstimate
		pr := index.Progress{Total: total}
		for i := range done {
			pr.Done++
			if !works(i) {
				pr.Skipped++
			}
			e.add(pr)
		}
		return e.left(el, pr)
	}
	all := func(int) bool { return true }
	for _, c := range []struct {
		name  string
		total int
		done  int
		el    time.Duration
		works func(int) bool
		want  string
	}{
		{"nothing worked yet", 2225, 445, 0, func(int) bool { return false }, ""},
		{"resumed", 2225, 545, 100 * time.Second, func(i int) bool { return i >= 445 }, "28m0s"},
		{"fresh", 20, 10, 10 * time.Second, all, "10s"},
		{"mostly duplicates", 1000, 100, 5 * time.Second, func(i int) bool { return i%10 == 0 }, "45s"},
		{"finished", 20, 20, 10 * time.Second, all, ""},
	} {
		if got := feed(c.total, c.done, c.el, c.works); got != c.want {
			t.Errorf("%s: ETA %q, want %q", c.name, got, c.want)
		}
	}
}

// TestProgressLastFrame checks the terminal bar's frames: each clears the
// rest of the line, so a shorter frame leaves nothing of a longer one, and
// the last says how long it took, with no ETA.
func TestProgressLastFrame(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, "articles")
	p.tty = true
	for i := 1; i <= 3; i++ {
		p.update(index.Progress{Done: i, Total: 3})
	}
	frames := strings.Split(b.String(), "\r")
	last := frames[len(frames)-1]
	if !strings.HasSuffix(last, "\x1b[K\n") || strings.Contains(last, "ETA") ||
		!regexp.MustCompile(`3/3 articles 100% in (under 1s|\d+s)`).MatchString(last) {
		t.Errorf("last frame %q", last)
	}
	for _, f := range frames[1:] {
		if !strings.Contains(f, "\x1b[K") {
			t.Errorf("frame %q does not clear the rest of the line", f)
		}
	}
	// On a terminal 40 columns wide no frame wraps.
	b.Reset()
	p = newProgress(&b, "articles")
	p.tty, p.width = true, 40
	p.update(index.Progress{Done: 1, Total: 3000})
	for _, f := range strings.Split(b.String(), "\r")[1:] {
		f = strings.TrimSuffix(strings.TrimSuffix(f, "\n"), "\x1b[K")
		if len(f) >= 40 || !strings.HasPrefix(f, "1/3000 articles") {
			t.Errorf("frame %q on a 40-column terminal", f)
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
