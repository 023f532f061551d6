package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/adapters/cli"
	"newsbot/bot"
	"newsbot/bot/follow"
	"newsbot/retrieval/embedtest"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store/sqlite"
)

// TestFollowSource reads another writer's articles through the index
// once it holds them, and keeps the cursor in the store of record.
func TestFollowSource(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() *index.Index {
		db, err := sqlite.Open(ctx, dir, sqlite.WithWatchInterval(10*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		st, err := index.Open(ctx, db, &embedtest.Stems{})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	writer, idx := open(), open()
	src := followSource{idx: idx, db: idx.DB()}
	if _, ok, err := src.Load(ctx); ok || err != nil {
		t.Fatalf("a fresh store has a cursor: %v %v", ok, err)
	}
	start, err := src.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := bot.Article{ID: "k1", Title: "Harvest", Text: "Farmers in Kenya reported a record maize harvest."}
	if _, err := writer.Put(ctx, []bot.Article{a}, nil); err != nil {
		t.Fatal(err)
	}
	chs, err := src.Changes(ctx, start, 10)
	if err != nil || len(chs) != 1 || chs[0].ID != "k1" || chs[0].Deleted {
		t.Fatalf("changes %+v, %v", chs, err)
	}
	if got, ok := src.Article("k1"); !ok || got.Text != a.Text {
		t.Fatalf("the index does not hold the changed article: %+v", got)
	}
	if err := src.Save(ctx, chs[0].Seq); err != nil {
		t.Fatal(err)
	}
	again := followSource{idx: writer, db: writer.DB()} // another process
	if seq, ok, err := again.Load(ctx); !ok || err != nil || seq != chs[0].Seq {
		t.Fatalf("cursor %d %v %v, want %d", seq, ok, err, chs[0].Seq)
	}
	if chs, err := src.Changes(ctx, chs[0].Seq, 10); err != nil || len(chs) != 0 {
		t.Errorf("changes after the cursor: %+v, %v", chs, err)
	}
}

// TestFollowServiceEndToEnd follows a question on a store of record,
// stores an article answering it, and sees one push delivered through the
// CLI's Pusher; the same story from another feed is not pushed again.
func TestFollowServiceEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the embedder and the reader")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, _, _ := testMain(t, nil)
	m.Config = defaultConfig()
	m.Config.DataDir = t.TempDir()
	m.Log = m.logger("serve", false)
	if err := m.openStore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.ensureSeeded(ctx); err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	svc, err := m.followService(map[string]bot.Pusher{"cli": cli.NewPusher(&out, true)}, follow.Limits{},
		follow.WithIntervals(20*time.Millisecond, time.Minute, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	chat := bot.Chat{Platform: "cli"}
	f, _, err := svc.Follow(ctx, chat, "How big was the maize harvest in Kenya this year?")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = svc.Run(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	waitUntil(t, func() bool { _, ok, _ := followSource{idx: m.index, db: m.db}.Load(ctx); return ok })
	const answer = "Farmers in Kenya brought in a record maize harvest of 4.2 million tonnes this year, the agriculture ministry said."
	put := func(a bot.Article) {
		t.Helper()
		if _, err := m.index.Put(ctx, []bot.Article{a}, nil); err != nil {
			t.Fatal(err)
		}
	}
	put(bot.Article{ID: "wire-1", Title: "Kenya's record maize harvest", Source: "Wire", URL: "https://example.org/wire-1",
		Text: answer + " Prices of maize flour fell in Nairobi markets. Exporters expect more sales to Uganda."})
	waitUntil(t, func() bool { return strings.Contains(out.String(), "4.2 million tonnes") })
	put(bot.Article{ID: "paper-7", Title: "Record harvest", Source: "Paper", URL: "https://example.org/paper-7",
		Text: "NAIROBI (Paper) - " + answer + " Prices of maize flour fell. Copyright Paper."})
	time.Sleep(500 * time.Millisecond) // room for a wrong second push
	// One JSON line per push.
	if n := strings.Count(out.String(), `"follow_id"`); n != 1 {
		t.Errorf("%d pushes, want 1:\n%s", n, out.String())
	}
	if n, err := m.db.SentSince(ctx, f.ID, time.Now().Add(-time.Hour)); n != 1 || err != nil {
		t.Errorf("the store counts %d pushes sent (%v), want 1", n, err)
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestEvalFollows runs eval --follows on a tiny set: each question is a
// follow, and its own article pushes it the answer.
func TestEvalFollows(t *testing.T) {
	docs, qs := evalSet(t, `{"id":"d1","title":"Dam","text":"The Kariba dam opened on Monday. It will power 2 million homes in Zambia."}
{"id":"d2","title":"Bridge","text":"The Tay bridge closed for repairs. Commuters must use the ferry until May."}
{"id":"d3","title":"Rates","text":"The central bank raised interest rates on Tuesday. Inflation stayed above 4 percent."}
`, `{"id":"q1","question":"How many homes will the Kariba dam power?","answers":["2 million"],"doc_id":"d1"}
{"id":"q2","question":"Until when must commuters on the Tay use the ferry?","answers":["May"],"doc_id":"d2"}
`)
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"eval", "--follows", "--docs", docs, "--questions", qs, "--json", "--sweep"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Follows, Articles int
		GoldPushed        float64 `json:"gold_pushed"`
		GoldCandidate     float64 `json:"gold_candidate"`
		OtherPer1000      float64 `json:"other_per_follow_per_1000"`
		Sweep             []json.RawMessage
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Follows != 2 || rep.Articles != 3 || rep.GoldCandidate != 1 || rep.GoldPushed != 1 || rep.OtherPer1000 != 0 || len(rep.Sweep) == 0 {
		t.Errorf("report %s", out)
	}
}
