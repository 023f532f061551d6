package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbot/bot/follow"
	"newsbot/retrieval/embedtest"
	"newsbot/retrieval/feeds"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/sqlite"
)

// These tests run newsbot as real child processes sharing one data dir:
// the test binary re-executes itself as newsbot when NEWSBOT_TEST_CHILD is
// set, with a fast fake embedder in place of the model.

// NEWSBOT_TEST_MAIN=1 runs the real program instead, with the built-in
// model (the chat on a pseudo-terminal needs its own controlling terminal
// and stdio).
func TestMain(m *testing.M) {
	switch {
	case os.Getenv("NEWSBOT_TEST_CHILD") == "1":
		os.Exit(childMain(os.Args[1:]))
	case os.Getenv("NEWSBOT_TEST_MAIN") == "1":
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// childMain is main with the fake embedder.
func childMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	delay, _ := time.ParseDuration(os.Getenv("NEWSBOT_TEST_EMBED_DELAY"))
	// Test children only: the replica tests poll a loopback feed every few
	// seconds so that several intervals pass in a test's time. The shipped
	// binary never runs this function, so its minimum stays a minute.
	feeds.MinInterval = time.Second
	// The follow replica tests let a dead replica's claim on a push run
	// out in seconds, not the 2 minutes of a real one.
	if d, err := time.ParseDuration(os.Getenv("NEWSBOT_TEST_CLAIM_TTL")); err == nil {
		followOptions = []follow.Option{follow.WithIntervals(100*time.Millisecond, 5*time.Second, d)}
	}
	m := NewMain()
	m.Embedder = &embedtest.Stems{Delay: delay, Announce: os.Stderr}
	return runMain(ctx, m, args)
}

// child returns the command for newsbot args in a child process.
func child(t *testing.T, dir string, delay time.Duration, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--data", dir}, args...)...)
	cmd.Env = append(os.Environ(), "NEWSBOT_TEST_CHILD=1", "NEWSBOT_TEST_EMBED_DELAY="+delay.String(),
		"NEWSBOT_CONFIG=", "NEWSBOT_DATA_DIR=")
	return cmd
}

// writeCorpus writes n articles with ids prefix-0… as JSON Lines; each
// has three paragraphs, so three chunks.
func writeCorpus(t *testing.T, prefix string, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), prefix+".jsonl")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for i := range n {
		var paras []string
		for k := range 3 {
			words := make([]string, 70)
			for w := range words {
				words[w] = fmt.Sprintf("w%s%dx%dy%d", prefix, i, k, w)
			}
			paras = append(paras, strings.Join(words, " ")+".")
		}
		enc.Encode(map[string]string{"id": fmt.Sprintf("%s-%d", prefix, i), "title": fmt.Sprintf("Report %s %d", prefix, i),
			"text": strings.Join(paras, "\n\n")})
	}
	return p
}

// storedIDs opens the data dir's store of record and returns every stored
// article after checking it is whole: all its chunks, each with a vector.
func storedIDs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("the store does not open: %v", err)
	}
	defer db.Close()
	ids := map[string]bool{}
	_, err = db.Scan(context.Background(), func(r store.Record) error {
		want := len(index.ChunkText(r.Article.Text, index.MaxChunkWords))
		if len(r.Chunks) != want {
			return fmt.Errorf("article %s has %d of its %d chunks", r.Article.ID, len(r.Chunks), want)
		}
		for _, c := range r.Chunks {
			if len(c.Vector) != 64 {
				return fmt.Errorf("article %s: a chunk without its vector", r.Article.ID)
			}
		}
		ids[r.Article.ID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestKillDuringIngest kills an ingest with SIGKILL after its first
// commits: every article committed before the kill is there, whole, and
// the store opens.
func TestKillDuringIngest(t *testing.T) {
	dir := t.TempDir()
	corpus := writeCorpus(t, "k", 300)
	cmd := child(t, dir, 150*time.Millisecond, "ingest", corpus)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// Wait for the first commits, watching as another process would.
	var seen int64
	for seen < 10 {
		time.Sleep(20 * time.Millisecond)
		db, err := sqlite.Open(context.Background(), dir)
		if err != nil {
			continue // the child may be creating the database
		}
		inf, _ := db.Info(context.Background())
		db.Close()
		seen = inf.Seq
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	ids := storedIDs(t, dir)
	if int64(len(ids)) < seen {
		t.Fatalf("%d articles after the kill, but %d were committed before it", len(ids), seen)
	}
	if len(ids) == 300 {
		t.Fatal("the ingest finished before the kill; the test proved nothing")
	}
	t.Logf("%d committed before the kill, %d stored after it", seen, len(ids))
}

// TestConcurrentIngests runs two ingests into one data dir at once: both
// succeed and every article of both lands.
func TestConcurrentIngests(t *testing.T) {
	dir := t.TempDir()
	var cmds []*exec.Cmd
	for _, prefix := range []string{"p", "q"} {
		cmd := child(t, dir, 20*time.Millisecond, "ingest", writeCorpus(t, prefix, 80))
		cmds = append(cmds, cmd)
	}
	outs := make([][]byte, len(cmds))
	errs := make([]error, len(cmds))
	var wg sync.WaitGroup
	for i, c := range cmds {
		wg.Add(1)
		go func() { defer wg.Done(); outs[i], errs[i] = c.CombinedOutput() }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("ingest %d: %v\n%s", i, err, outs[i])
		}
	}
	if ids := storedIDs(t, dir); len(ids) != 160 {
		t.Fatalf("%d articles stored, want 160", len(ids))
	}
}

// chatProc is a running `newsbot chat` with its stdin kept open.
type chatProc struct {
	in  io.WriteCloser
	mu  sync.Mutex
	out strings.Builder
}

func startChat(t *testing.T, dir string) *chatProc {
	t.Helper()
	cmd := child(t, dir, 0, "chat")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &chatProc{in: in}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			c.mu.Lock()
			c.out.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		in.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	return c
}

// askUntil asks q until the chat's reply contains want (or, with absent,
// no longer contains it). The test's own timeout bounds the wait: the
// chat follows the store about every second.
func (c *chatProc) askUntil(t *testing.T, q, want string, absent bool) {
	t.Helper()
	for {
		c.mu.Lock()
		mark := c.out.Len()
		c.mu.Unlock()
		if _, err := fmt.Fprintln(c.in, q); err != nil {
			t.Fatalf("chat closed its input: %v", err)
		}
		time.Sleep(300 * time.Millisecond)
		c.mu.Lock()
		reply := c.out.String()[mark:]
		c.mu.Unlock()
		// The piped chat echoes each question ("? q") before its answer.
		var ans []string
		for _, l := range strings.Split(reply, "\n") {
			if !strings.HasPrefix(l, "? ") {
				ans = append(ans, l)
			}
		}
		reply = strings.TrimSpace(strings.Join(ans, "\n"))
		if reply != "" && strings.Contains(reply, want) != absent {
			return
		}
	}
}

// TestRunningChatFollowsOtherProcesses keeps a chat running while other
// processes add, replace and delete an article: the chat's answers follow.
func TestRunningChatFollowsOtherProcesses(t *testing.T) {
	dir := t.TempDir()
	if out, err := child(t, dir, 0, "ingest", "--seeds").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	chat := startChat(t, dir)
	chat.askUntil(t, "When will Zelensky visit Washington?", "Zelensky", false) // the chat is up

	story := func(day string) string {
		p := filepath.Join(t.TempDir(), "bridge.txt")
		os.WriteFile(p, []byte("Title: Quillon bridge\nID: quillon-bridge\n\nThe Zorblatt river bridge in Quillon reopened on "+day+" after repairs. Engineers inspected every cable.\n"), 0o644)
		return p
	}
	q := "When did the Zorblatt river bridge in Quillon reopen?"
	if out, err := child(t, dir, 0, "ingest", story("Friday")).CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out)
	}
	chat.askUntil(t, q, "reopened on Friday", false)

	if out, err := child(t, dir, 0, "ingest", story("Sunday")).CombinedOutput(); err != nil {
		t.Fatalf("re-ingest: %v\n%s", err, out)
	}
	chat.askUntil(t, q, "reopened on Sunday", false)

	// Another process deletes it (as `newsbot rm` or retention would).
	ctx := context.Background()
	db, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := index.Open(ctx, db, &embedtest.Stems{})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.Delete(ctx, "quillon-bridge"); err != nil || n != 1 {
		t.Fatalf("delete: %d, %v", n, err)
	}
	db.Close()
	chat.askUntil(t, q, "Zorblatt", true)
}

// TestReadOnlyDataDirFailsBeforeEmbedding runs an ingest, as an
// unprivileged user, into a data dir it cannot write: it fails at once,
// with a clear error, before the embedder is ever called.
func TestReadOnlyDataDirFailsBeforeEmbedding(t *testing.T) {
	base, err := os.MkdirTemp("", "newsbot-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	// The child runs as nobody: it must be able to run a copy of the test
	// binary and read the corpus, but not write the data dir.
	bin := filepath.Join(base, "newsbot.test")
	if data, err := os.ReadFile(os.Args[0]); err != nil {
		t.Fatal(err)
	} else if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	corpus := filepath.Join(base, "c.txt")
	os.WriteFile(corpus, []byte("Title: Ro\n\nSome text worth storing.\n"), 0o644)
	dir := filepath.Join(base, "data")
	os.Mkdir(dir, 0o755)
	os.Chmod(base, 0o755)
	cmd := exec.Command(bin, "--data", dir, "ingest", corpus)
	cmd.Env = []string{"NEWSBOT_TEST_CHILD=1", "HOME=" + base}
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	} else {
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
	}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("ingest into a read-only dir succeeded:\n%s", out)
	}
	if strings.Contains(string(out), "fake embedder") {
		t.Fatalf("embedding started before the store was found read-only:\n%s", out)
	}
	if !strings.Contains(string(out), "read-only") && !strings.Contains(string(out), "not writable") {
		t.Fatalf("error does not say the store is not writable:\n%s", out)
	}
	if n := strings.Count(strings.TrimSpace(string(out)), "\n"); n > 0 {
		t.Errorf("want a one-line error, got:\n%s", out)
	}
}
