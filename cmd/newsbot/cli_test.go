package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestFlagsAnywhere checks that flags work after the arguments and global
// flags after the command, with the double-dash spelling.
func TestFlagsAnywhere(t *testing.T) {
	m, out, errb := testMain(t, nil)
	ctx := context.Background()
	if err := m.Run(ctx, []string{"ask", "When will Zelensky visit Washington?", "--json"}); err != nil {
		t.Fatalf("ask q --json: %v\n%s", err, errb)
	}
	var a map[string]any
	if err := json.Unmarshal(out.Bytes(), &a); err != nil || a["question"] != "When will Zelensky visit Washington?" {
		t.Errorf("ask q --json printed %q (%v); want JSON about the question alone", out, err)
	}

	dir := filepath.Join(t.TempDir(), "store")
	f := filepath.Join(t.TempDir(), "bridge.txt")
	os.WriteFile(f, []byte("Title: Bridge\n\nThe Tay bridge closed for repairs on Monday.\n"), 0o644)
	m, out, errb = testMain(t, nil)
	if err := m.Run(ctx, []string{"ingest", f, "--seeds", "--data", dir}); err != nil {
		t.Fatalf("ingest f --seeds --data: %v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), "2 added") {
		t.Errorf("ingest f --seeds: %q; want the file and the seed added", out)
	}
	m, out, errb = testMain(t, nil)
	if err := m.Run(ctx, []string{"stats", "--data", dir}); err != nil {
		t.Fatalf("stats --data: %v\n%s", err, errb)
	}
	if !strings.Contains(out.String(), "articles:  2\n") || !strings.Contains(out.String(), dir) {
		t.Errorf("stats --data %s:\n%s", dir, out)
	}
}

// TestVersion checks --version, -v and version print the same build line,
// and that the line carries the VCS revision, its time and the modified
// flag.
func TestVersion(t *testing.T) {
	var got []string
	for _, args := range [][]string{{"--version"}, {"-v"}, {"version"}} {
		m, out, errb := testMain(t, nil)
		if err := m.Run(context.Background(), args); err != nil || errb.Len() > 0 {
			t.Fatalf("%v: %v %s", args, err, errb)
		}
		got = append(got, out.String())
	}
	if got[0] != got[1] || got[0] != got[2] || !strings.HasPrefix(got[0], "newsbot ") {
		t.Errorf("--version %q, -v %q, version %q", got[0], got[1], got[2])
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "newsbot", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	want := "newsbot v1.2.0 (revision 0123456789ab, 2026-12-01T10:00:00Z, modified), go1.26.8"
	if s := buildInfoFrom(bi).String(); s != want {
		t.Errorf("build line %q, want %q", s, want)
	}
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"stats"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "build:     newsbot ") {
		t.Errorf("stats does not show the build:\n%s", out)
	}
}

// TestMissingDataDir checks that a read command given a data dir that
// does not exist says so and exits 4 without creating it, while the
// commands that write create it, and the default dir is created on first
// use (the quick start).
func TestMissingDataDir(t *testing.T) {
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{{"ask", "who?"}, {"stats"}, {"articles"}, {"export"}, {"rm", "x"}, {"chat"}} {
		m, out, errb := testMain(t, nil)
		code := runMain(ctx, m, append([]string{"--data", missing}, args...))
		if code != exitStore || !strings.Contains(errb.String(), "does not exist") || out.Len() != 0 {
			t.Errorf("%v on a missing --data: status %d, stdout %q, stderr %q", args, code, out, errb)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%v created the missing data dir", args)
		}
	}
	m, _, errb := testMain(t, map[string]string{"NEWSBOT_DATA_DIR": missing})
	if code := runMain(ctx, m, []string{"stats"}); code != exitStore {
		t.Errorf("stats on a missing NEWSBOT_DATA_DIR: status %d, %s", code, errb)
	}
	m, _, errb = testMain(t, nil)
	if err := m.Run(ctx, []string{"--data", missing, "ingest", "--seeds"}); err != nil {
		t.Fatalf("ingest into a new dir: %v\n%s", err, errb)
	}
	if _, err := os.Stat(missing); err != nil {
		t.Errorf("ingest did not create the data dir: %v", err)
	}
	home := t.TempDir()
	m, out, errb := testMain(t, map[string]string{"XDG_DATA_HOME": home})
	m.Stdin = strings.NewReader("When will Zelensky visit Washington?\n")
	if err := m.Run(ctx, []string{"chat"}); err != nil || !strings.Contains(out.String(), "Zelensky") {
		t.Fatalf("chat on the default data dir: %v\n%s\n%s", err, out, errb)
	}
	if _, err := os.Stat(filepath.Join(home, "newsbot")); err != nil {
		t.Errorf("chat did not create the default data dir: %v", err)
	}
}

// TestListingsSkipTheIndex checks that stats and articles read the store
// of record only: the search index is never loaded.
func TestListingsSkipTheIndex(t *testing.T) {
	dir := t.TempDir()
	m, _, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"--data", dir, "ingest", "--seeds"}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"stats"}, {"articles"}, {"articles", "--json"}} {
		m, out, _ := testMain(t, nil)
		if err := m.Run(context.Background(), append([]string{"--data", dir}, args...)); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if m.index != nil {
			t.Errorf("%v loaded the search index", args)
		}
		if want := map[string]string{"stats": "articles:  1\n", "articles": seedSource}[args[0]]; !strings.Contains(out.String(), want) {
			t.Errorf("%v printed %q", args, out)
		}
	}
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"--data", dir, "articles", "--json"}); err != nil {
		t.Fatal(err)
	}
	var arts []jsonArticle
	if err := json.Unmarshal(out.Bytes(), &arts); err != nil || len(arts) != 1 || arts[0].Chunks == 0 {
		t.Errorf("articles --json: %v %+v", err, arts)
	}
}
