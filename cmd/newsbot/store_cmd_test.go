package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ingestFixture stores four articles from two sources (one undated) in a
// fresh data dir and returns that dir's XDG_DATA_HOME.
func ingestFixture(t *testing.T) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "news.jsonl")
	lines := []string{
		`{"id":"dam","title":"Dam opens","source":"River News","published":"2025-08-10","text":"The new Kariba dam opened on Monday after six years of work. Engineers said it would power 2 million homes."}`,
		`{"id":"bridge","title":"Bridge closes","source":"City Desk","published":"2025-07-01","text":"The old Tay bridge closed for repairs. Commuters must use the ferry until May."}`,
		`{"id":"wheat","title":"Wheat exports","source":"River News","published":"2025-06-15","text":"Wheat exports from Odesa doubled in July, traders said."}`,
		`{"id":"undated","title":"Harbour dredged","source":"City Desk","text":"The harbour at Leith was dredged to let larger ferries dock."}`,
	}
	if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"ingest", f}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "4 added") || !strings.Contains(out.String(), "holds 4 articles in 4 chunks") {
		t.Fatalf("ingest: %s", out)
	}
	m.Close()
	return m.Getenv("XDG_DATA_HOME")
}

// run runs one command in a fresh Main over the data dir home (a new
// process, as far as the store is concerned).
func run(t *testing.T, home string, args ...string) (string, string, error) {
	t.Helper()
	m, out, errb := testMain(t, map[string]string{"XDG_DATA_HOME": home})
	err := m.Run(context.Background(), args)
	if cerr := m.Close(); cerr != nil {
		t.Fatal(cerr)
	}
	return out.String(), errb.String(), err
}

// ids returns the ID column of an articles table, in order, read at the
// header's ID offset (the columns are aligned).
func ids(table string) []string {
	lines := strings.Split(strings.TrimSpace(table), "\n")
	col := strings.Index(lines[0], "ID")
	var out []string
	for _, l := range lines[1:] {
		if len(l) > col {
			out = append(out, strings.Fields(l[col:])[0])
		}
	}
	return out
}

func TestArticlesCommand(t *testing.T) {
	home := ingestFixture(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"all, newest first, undated last", []string{"articles"}, []string{"dam", "bridge", "wheat", "undated"}},
		{"by source", []string{"articles", "--source", "river news"}, []string{"dam", "wheat"}},
		{"since", []string{"articles", "--since", "2025-07-01"}, []string{"dam", "bridge"}},
		{"both", []string{"articles", "--source", "City Desk", "--since", "2025-01-01"}, []string{"bridge"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, home, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out, "DATE") || strings.Join(ids(out), " ") != strings.Join(tt.want, " ") {
				t.Errorf("%v:\n%s\nwant ids %v", tt.args, out, tt.want)
			}
		})
	}
	out, _, err := run(t, home, "articles", "--json", "--source", "River News")
	if err != nil {
		t.Fatal(err)
	}
	var got []jsonArticle
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := []jsonArticle{
		{ID: "dam", Published: "2025-08-10T00:00:00Z", Source: "River News", Title: "Dam opens", Chunks: 1},
		{ID: "wheat", Published: "2025-06-15T00:00:00Z", Source: "River News", Title: "Wheat exports", Chunks: 1},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("articles --json = %+v, want %+v", got, want)
	}
	if out, _, _ := run(t, home, "articles", "--source", "Nobody"); out != "No articles match.\n" {
		t.Errorf("no match: %q", out)
	}
	if _, _, err := run(t, home, "articles", "--since", "last tuesday"); !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "not a date") {
		t.Errorf("bad date: %v", err)
	}
}

func TestRmCommand(t *testing.T) {
	home := ingestFixture(t)
	// By id; an unknown id is reported and fails the command, the known
	// one is still removed.
	out, errOut, err := run(t, home, "rm", "dam", "nosuch")
	if !errors.Is(err, errReported) || !strings.Contains(errOut, `no article with id "nosuch"`) {
		t.Errorf("rm dam nosuch: %v, stderr %q", err, errOut)
	}
	if !strings.Contains(out, "Removed 1 article (1 chunk); the store holds 3 articles in 3 chunks.") {
		t.Errorf("rm output %q", out)
	}
	// The removed article is gone for a new process, and from the answers.
	list, _, _ := run(t, home, "articles")
	if strings.Join(ids(list), " ") != "bridge wheat undated" {
		t.Errorf("after rm dam:\n%s", list)
	}
	ans, _, err := run(t, home, "ask", "--json", "How many homes will the Kariba dam power?")
	if err != nil || strings.Contains(ans, "2 million homes") {
		t.Errorf("the removed article still answers: %v\n%s", err, ans)
	}
	// In bulk: City Desk before August keeps the undated article.
	out, _, err = run(t, home, "rm", "--source", "City Desk", "--before", "2025-08-01")
	if err != nil || !strings.Contains(out, "Removed 1 article") {
		t.Errorf("rm --source --before: %v %q", err, out)
	}
	list, _, _ = run(t, home, "articles")
	if strings.Join(ids(list), " ") != "wheat undated" {
		t.Errorf("after bulk rm:\n%s", list)
	}
	for _, args := range [][]string{{"rm"}, {"rm", "wheat", "--source", "x"}, {"rm", "--before", "soon"}} {
		if _, _, err := run(t, home, args...); !errors.As(err, new(usageError)) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	if out, _, err := run(t, home, "rm", "--source", "Nobody"); err != nil || !strings.Contains(out, "nothing removed") {
		t.Errorf("rm with no match: %v %q", err, out)
	}
}

// TestConfirm checks the terminal confirmation's reading of answers.
func TestConfirm(t *testing.T) {
	for in, want := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "": false, "yep\n": false} {
		m, out, _ := testMain(t, nil)
		m.Stdin = strings.NewReader(in)
		if got := m.confirm("Remove 2 articles?"); got != want {
			t.Errorf("answer %q: %v, want %v", in, got, want)
		}
		if !bytes.HasPrefix(out.Bytes(), []byte("Remove 2 articles? [y/N] ")) {
			t.Errorf("prompt %q", out)
		}
	}
}

// TestIngestSummarySingular checks the ingest summary's grammar for one
// article in one chunk.
func TestIngestSummarySingular(t *testing.T) {
	f := filepath.Join(t.TempDir(), "dam.txt")
	os.WriteFile(f, []byte("Title: Dam opens\n\nThe new Kariba dam opened on Monday."), 0o644)
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"ingest", f}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "1 added, 0 unchanged, 0 replaced, 0 duplicates skipped, 0 failed in ") ||
		!strings.HasSuffix(out.String(), "; the store holds 1 article in 1 chunk.\n") {
		t.Errorf("summary %q", out)
	}
}

// TestArticlesEmptyStore checks listing an empty store says it is empty
// and how to add news, while a filter that matches nothing says so.
func TestArticlesEmptyStore(t *testing.T) {
	home := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"articles"}, emptyStoreHint + "\n"},
		{[]string{"articles", "--source", "Nobody"}, "No articles match.\n"},
		{[]string{"articles", "--since", "2020-01-01"}, "No articles match.\n"},
	} {
		out, errb, err := run(t, home, c.args...)
		if err != nil || out != c.want {
			t.Errorf("%v: %q, %v (stderr %q); want %q", c.args, out, err, errb, c.want)
		}
	}
	if !strings.Contains(emptyStoreHint, "newsbot ingest") {
		t.Errorf("hint %q does not say how to add news", emptyStoreHint)
	}
}

// TestSeedOnlyOnce checks the sample news is ingested into a store that
// was never seeded or filled, and not again once its articles are removed.
func TestSeedOnlyOnce(t *testing.T) {
	const seeding = "ingesting the bundled sample news"
	removeAll := func(t *testing.T, home string) {
		t.Helper()
		list, _, err := run(t, home, "articles", "--json")
		var arts []jsonArticle
		if err != nil || json.Unmarshal([]byte(list), &arts) != nil || len(arts) == 0 {
			t.Fatalf("articles --json: %v\n%s", err, list)
		}
		args := []string{"rm", "--yes"}
		for _, a := range arts {
			args = append(args, a.ID)
		}
		if out, errb, err := run(t, home, args...); err != nil {
			t.Fatalf("rm: %v %s %s", err, out, errb)
		}
		if out, _, _ := run(t, home, "articles"); out != emptyStoreHint+"\n" {
			t.Fatalf("after rm: %q", out)
		}
	}
	for _, c := range []struct {
		name      string
		home      func(t *testing.T) string
		wantFirst bool // the first ask seeds
	}{
		{"fresh install", func(t *testing.T) string { return t.TempDir() }, true},
		{"filled by hand", ingestFixture, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := c.home(t)
			_, errb, err := run(t, home, "ask", "--json", "What happened?")
			if err != nil && !errors.As(err, new(exitStatus)) {
				t.Fatal(err)
			}
			if got := strings.Contains(errb, seeding); got != c.wantFirst {
				t.Errorf("first ask seeded = %v, want %v (stderr %q)", got, c.wantFirst, errb)
			}
			removeAll(t, home)
			_, errb, _ = run(t, home, "ask", "--json", "What happened?")
			if strings.Contains(errb, seeding) {
				t.Errorf("ask after rm re-seeded: %q", errb)
			}
			if out, _, _ := run(t, home, "articles"); out != emptyStoreHint+"\n" {
				t.Errorf("after ask the store holds articles again:\n%s", out)
			}
		})
	}
}

// TestIngestTotalsSeeOtherProcesses checks an ingest's closing totals and
// its unchanged count include what another process committed while this
// one's index was open, as with two ingests run at once.
func TestIngestTotalsSeeOtherProcesses(t *testing.T) {
	home := t.TempDir()
	dir := t.TempDir()
	write := func(name, text string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	dam := write("dam.txt", "Title: Dam opens\n\nThe new Kariba dam opened on Monday after six years of work.")
	bridge := write("bridge.txt", "Title: Bridge closes\n\nThe old Tay bridge closed for repairs on Tuesday.")
	wheat := write("wheat.txt", "Title: Wheat exports\n\nWheat exports from Odesa doubled in July, traders said.")
	// first keeps its index open across both of its ingests.
	first, out, _ := testMain(t, map[string]string{"XDG_DATA_HOME": home})
	if err := first.Run(context.Background(), []string{"ingest", dam}); err != nil {
		t.Fatal(err)
	}
	// Another process stores two more articles meanwhile.
	if o, _, err := run(t, home, "ingest", bridge, wheat); err != nil || !strings.Contains(o, "holds 3 articles") {
		t.Fatalf("second ingest: %v %q", err, o)
	}
	out.Reset()
	if err := first.Run(context.Background(), []string{"ingest", wheat}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "0 added, 1 unchanged, 0 replaced") || !strings.Contains(out.String(), "the store holds 3 articles in 3 chunks.") {
		t.Errorf("summary %q; want wheat unchanged and 3 articles held", out)
	}
}

// refusingEmbedder is an embedder of another model that cannot embed: a
// command that opened the search index over a store it did not embed
// would have to re-embed every article with it, and fail.
type refusingEmbedder struct{}

func (refusingEmbedder) Name() string { return "another-model" }

func (refusingEmbedder) Embed(context.Context, []string) ([][]float32, error) {
	return nil, errors.New("this embedder must not be called")
}

// TestStoreCommandsSkipTheIndex checks that the commands that only read or
// remove stored articles work on the store of record alone: they neither
// load the search index nor need the embedder.
func TestStoreCommandsSkipTheIndex(t *testing.T) {
	home := ingestFixture(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"stats"}, "articles:  4\nchunks:    4\n"},
		{[]string{"articles", "--source", "City Desk"}, "Harbour dredged"},
		{[]string{"export", "--id", "bridge"}, `"text":"The old Tay bridge closed for repairs.`},
		{[]string{"export"}, `{"id":"dam","title":"Dam opens"`},
		{[]string{"rm", "wheat"}, "Removed 1 article (1 chunk); the store holds 3 articles in 3 chunks.\n"},
		{[]string{"rm", "--source", "River News"}, "Removed 1 article (1 chunk); the store holds 2 articles in 2 chunks.\n"},
	}
	for _, tt := range tests {
		m, out, errb := testMain(t, map[string]string{"XDG_DATA_HOME": home})
		m.Embedder = refusingEmbedder{}
		err := m.Run(context.Background(), tt.args)
		if cerr := m.Close(); cerr != nil {
			t.Fatal(cerr)
		}
		if err != nil || !strings.Contains(out.String(), tt.want) {
			t.Errorf("%v: %v (stderr %q)\n%s\nwant it to contain %q", tt.args, err, errb, out, tt.want)
		}
	}
}
