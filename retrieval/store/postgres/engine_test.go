package postgres_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"newsbot/bot"
	"newsbot/retrieval/store"
	"newsbot/retrieval/store/postgres"
)

// guard bounds waits on the server so a broken listener fails the test
// instead of hanging it; it is not a performance bound.
const guard = 30 * time.Second

func article(id, text string) store.Record {
	return store.Record{
		Article:  bot.Article{ID: id, Title: "T " + id, Text: text},
		Hash:     "h-" + id,
		TextHash: "th-" + id,
		Embedder: "test",
		Chunks: []store.Chunk{{
			Span:      bot.Span{Start: 0, End: len(text)},
			Sentences: []bot.Span{{Start: 0, End: len(text)}},
			Vector:    []float32{1, 0, -0.5},
		}},
	}
}

func TestOpenConcurrentMigrations(t *testing.T) {
	dbURL := freshDatabase(t)
	const processes = 8
	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for range processes {
		wg.Go(func() {
			db, err := postgres.Open(context.Background(), dbURL, postgres.WithMaxConns(2))
			if err != nil {
				errs <- err
				return
			}
			errs <- db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Open during concurrent starts: %v", err)
		}
	}
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, version int
	if err := conn.QueryRow(context.Background(), `SELECT count(*), max(version) FROM newsbot_schema`).Scan(&rows, &version); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || version != postgres.SchemaVersion {
		t.Errorf("newsbot_schema: %d rows, version %d; want 1 row, version %d", rows, version, postgres.SchemaVersion)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	dbURL := freshDatabase(t)
	open(t, dbURL).Close()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE newsbot_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(context.Background(), dbURL)
	if err == nil || !strings.Contains(err.Error(), "schema version 99 is newer") {
		t.Errorf("Open of a newer schema = %v, want a 'schema version 99 is newer' error", err)
	}
}

// TestPasswordNeverShown checks errors, Info and logs for the password,
// on the paths where a driver or server message might echo it.
func TestPasswordNeverShown(t *testing.T) {
	good := freshDatabase(t)
	u, _ := url.Parse(good)
	password, _ := u.User.Password()
	if password == "" {
		t.Fatal("the test server's URL has no password; .ci/with-postgres sets one")
	}
	wrong := *u
	wrong.User = url.UserPassword(u.User.Username(), "wrong-"+password)
	badPort := "postgres://newsbot:" + password + "@127.0.0.1:notaport/x"
	dsn := "host=127.0.0.1 port=1 user=newsbot password=" + password + " connect_timeout=2"

	for name, target := range map[string]string{"wrong password": wrong.String(), "bad port": badPort, "unreachable DSN": dsn} {
		ctx, cancel := context.WithTimeout(context.Background(), guard)
		_, err := postgres.Open(ctx, target)
		cancel()
		if err == nil {
			t.Errorf("%s: Open succeeded", name)
			continue
		}
		t.Logf("%s: %v", name, err)
		if strings.Contains(err.Error(), password) {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}

	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return logs.Write(p)
	}), nil))
	db := open(t, good, postgres.WithLogger(log))
	defer db.Close()
	info, err := db.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(info.Location, password) || !strings.Contains(info.Location, u.Host) {
		t.Errorf("Info.Location = %q, want the host without the password", info.Location)
	}
	// A dropped listener logs its reconnection.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := db.Watch(ctx)
	killListeners(t, good)
	writer := open(t, good)
	defer writer.Close()
	put(t, writer, article("after-kill", "text"))
	waitForSignal(t, db, ch, "after-kill")
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "reconnecting") {
		t.Errorf("no reconnection in the log, so it was not checked:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), password) {
		t.Errorf("the log shows the password:\n%s", logs.String())
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// killListeners terminates every LISTEN connection to dbURL's database,
// as a database restart or a network cut would, and waits until one is
// back, so a later write is announced by NOTIFY and not only by the
// listener's reconnection.
func killListeners(t *testing.T, dbURL string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	listeners := func() (pids []int32) {
		rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`)
		if err != nil {
			t.Fatal(err)
		}
		pids, err = pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			t.Fatal(err)
		}
		return pids
	}
	var old []int32
	deadline := time.Now().Add(guard)
	for old = listeners(); len(old) == 0; old = listeners() {
		if time.Now().After(deadline) {
			t.Fatal("no LISTEN connection to kill")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, pid := range old {
		if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
			t.Fatal(err)
		}
	}
	for {
		now := listeners()
		if len(now) > 0 && now[0] != old[0] {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the listener did not reconnect within %v", guard)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// put stores r and fails the test on error.
func put(t *testing.T, db store.DB, r store.Record) int64 {
	t.Helper()
	seq, _, err := db.Put(context.Background(), r)
	if err != nil {
		t.Fatalf("Put(%s): %v", r.Article.ID, err)
	}
	return seq
}

// waitForSignal waits for Watch signals until db's latest change is id's.
func waitForSignal(t *testing.T, db store.DB, ch <-chan struct{}, id string) {
	t.Helper()
	timeout := time.After(guard)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				t.Fatal("Watch channel closed")
			}
			changes, err := db.Changes(context.Background(), 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) > 0 && changes[len(changes)-1].ID == id {
				return
			}
		case <-timeout:
			t.Fatalf("no Watch signal for %s within %v", id, guard)
		}
	}
}

func TestWatchSurvivesDroppedConnections(t *testing.T) {
	dbURL := freshDatabase(t)
	watcher := open(t, dbURL)
	defer watcher.Close()
	writer := open(t, dbURL)
	defer writer.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := watcher.Watch(ctx)
	for round := range 3 { // repeated drops: the backoff resets after each recovery
		killListeners(t, dbURL)
		id := "round-" + string(rune('a'+round))
		put(t, writer, article(id, "text"))
		waitForSignal(t, watcher, ch, id)
	}
}

func TestPutRefusesWhatPostgresCannotHold(t *testing.T) {
	db := open(t, freshDatabase(t))
	defer db.Close()
	tests := []struct {
		name string
		edit func(*store.Record)
		want string
	}{
		{"NUL in text", func(r *store.Record) { r.Article.Text = "a\x00b"; r.Chunks = nil }, "text holds a NUL byte"},
		{"NUL in title", func(r *store.Record) { r.Article.Title = "a\x00" }, "title holds a NUL byte"},
		{"invalid UTF-8", func(r *store.Record) { r.Article.Source = "\xff" }, "source is not valid UTF-8"},
		{"chunk outside text", func(r *store.Record) { r.Chunks[0].Span.End = 99 }, "chunk 0 spans bytes [0, 99)"},
	}
	for _, tt := range tests {
		r := article("bad", "text")
		tt.edit(&r)
		_, _, err := db.Put(context.Background(), r)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Put = %v, want an error with %q", tt.name, err, tt.want)
		}
	}
	if _, err := db.Get(context.Background(), "bad"); err != store.ErrNotFound {
		t.Errorf("after refused Puts: Get = %v, want ErrNotFound", err)
	}
}

func TestClosed(t *testing.T) {
	db := open(t, freshDatabase(t))
	ch := db.Watch(context.Background())
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	select {
	case <-ch:
		// drained a pending signal or saw the close; look again
	case <-time.After(guard):
		t.Fatal("Watch channel still open after Close")
	}
	if _, ok := <-ch; ok {
		t.Error("Watch channel still open after Close")
	}
	if _, _, err := db.Put(context.Background(), article("x", "y")); err == nil {
		t.Error("Put on a closed DB succeeded")
	}
	if _, ok := <-db.Watch(context.Background()); ok {
		t.Error("Watch on a closed DB gave an open channel")
	}
}

func TestChangeHistoryCompaction(t *testing.T) {
	dbURL := freshDatabase(t)
	// Keep 3 changes, however young: every write compacts.
	db := open(t, dbURL, postgres.WithChangeHistory(3, 0), postgres.WithCompactEvery(0))
	defer db.Close()
	ctx := context.Background()
	var seqs []int64
	for i := range 8 {
		seqs = append(seqs, put(t, db, article(fmt.Sprintf("c%d", i), "text")))
	}
	tests := []struct {
		since    int64
		wantGone bool
		want     []int64
	}{
		{0, true, nil},
		{seqs[3], true, nil},
		{seqs[4], false, seqs[5:]},
		{seqs[6], false, seqs[7:]},
		{seqs[7], false, nil},
	}
	for _, tt := range tests {
		got, err := db.Changes(ctx, tt.since, 0)
		if tt.wantGone {
			if !errors.Is(err, store.ErrHistoryGone) {
				t.Errorf("Changes(%d) = %v, %v; want ErrHistoryGone", tt.since, got, err)
			}
			continue
		}
		var gotSeqs []int64
		for _, c := range got {
			gotSeqs = append(gotSeqs, c.Seq)
		}
		if err != nil || fmt.Sprint(gotSeqs) != fmt.Sprint(tt.want) {
			t.Errorf("Changes(%d) = %v, %v; want %v", tt.since, gotSeqs, err, tt.want)
		}
	}
	// Keeping none keeps the latest: it is where readers start.
	none := open(t, dbURL, postgres.WithChangeHistory(0, 0), postgres.WithCompactEvery(0))
	defer none.Close()
	last := put(t, none, article("last", "text"))
	if info, err := none.Info(ctx); err != nil || info.Seq != last {
		t.Errorf("after compacting all it could: Info = %+v, %v; want seq %d", info, err, last)
	}
	if got, err := none.Changes(ctx, last-1, 0); err != nil || len(got) != 1 || got[0].ID != "last" {
		t.Errorf("Changes(%d) = %+v, %v; want the latest change", last-1, got, err)
	}
	seqs = append(seqs, last)

	// Changes an hour young are kept whatever their number.
	young := open(t, dbURL, postgres.WithChangeHistory(0, time.Hour), postgres.WithCompactEvery(0))
	defer young.Close()
	put(t, young, article("young", "text"))
	if _, err := young.Changes(ctx, seqs[len(seqs)-1]-1, 0); err != nil {
		t.Errorf("a change an hour young was compacted: %v", err)
	}
}

// TestMigrationMovesDuplicateTexts rebuilds a version 2 database holding
// one text under three ids (what racing ingests used to leave) and checks
// that migration 3 keeps the article changed first, moves the others whole
// to duplicate_articles, logs their deletion, and makes text_hash unique.
func TestMigrationMovesDuplicateTexts(t *testing.T) {
	dbURL := freshDatabase(t)
	ctx := context.Background()
	db := open(t, dbURL)
	for _, id := range []string{"b-first", "a-second", "c-third", "d"} {
		if _, _, err := db.Put(ctx, article(id, "Same text. Twice over.")); err != nil {
			t.Fatal(err)
		}
	}
	seq, err := db.Scan(ctx, func(store.Record) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE pushes, follows; -- migration 4's
		DROP TABLE duplicate_articles;
		DROP INDEX articles_text_hash;
		CREATE INDEX articles_text_hash ON articles (text_hash);
		UPDATE articles SET text_hash = 'same' WHERE id <> 'd';
		UPDATE newsbot_schema SET version = 2`); err != nil {
		t.Fatal(err)
	}
	db = open(t, dbURL)
	defer db.Close()
	var ids []string
	if _, err := db.Scan(ctx, func(r store.Record) error { ids = append(ids, r.Article.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	if strings.Join(ids, ",") != "b-first,d" {
		t.Fatalf("after migration the store holds %v, want [b-first d]", ids)
	}
	rows, err := conn.Query(ctx, `SELECT id, title, body, kept_id FROM duplicate_articles ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var moved []string
	for rows.Next() {
		var id, title, body, kept string
		if err := rows.Scan(&id, &title, &body, &kept); err != nil {
			t.Fatal(err)
		}
		if title != "T "+id || body != "Same text. Twice over." || kept != "b-first" {
			t.Errorf("moved row %s: title %q body %q kept %q", id, title, body, kept)
		}
		moved = append(moved, id)
	}
	rows.Close()
	if strings.Join(moved, ",") != "a-second,c-third" {
		t.Errorf("duplicate_articles holds %v", moved)
	}
	ch, err := db.Changes(ctx, seq, 0)
	if err != nil || len(ch) != 2 || !ch[0].Deleted || !ch[1].Deleted {
		t.Errorf("changes after migration %+v (%v), want two deletions", ch, err)
	}
	r := article("e", "Same text. Twice over.")
	r.TextHash = "same"
	if _, _, err := db.Put(ctx, r); !errors.Is(err, store.ErrDuplicateText) {
		t.Errorf("put of a stored text after migration: %v", err)
	}
}

// TestMigrationAddsFollows rebuilds a version 3 database holding an
// article and checks that migration 4 adds the follows and pushes tables
// with their one-push-per-story key, keeping the article.
func TestMigrationAddsFollows(t *testing.T) {
	dbURL := freshDatabase(t)
	ctx := context.Background()
	db := open(t, dbURL)
	if _, _, err := db.Put(ctx, article("a", "Kept across the migration.")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `DROP TABLE pushes, follows; UPDATE newsbot_schema SET version = 3`); err != nil {
		t.Fatal(err)
	}
	db = open(t, dbURL)
	defer db.Close()
	if info, err := db.Info(ctx); err != nil || info.SchemaVersion != postgres.SchemaVersion {
		t.Fatalf("schema after migration %d (%v), want %d", info.SchemaVersion, err, postgres.SchemaVersion)
	}
	if _, err := db.Get(ctx, "a"); err != nil {
		t.Fatalf("article lost by migration: %v", err)
	}
	f, err := db.AddFollow(ctx, bot.Follow{Chat: bot.Chat{Platform: "cli"}, Query: "ferry strike"})
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := db.AddPush(ctx, bot.Push{FollowID: f.ID, Story: "s"}); err != nil || !added {
		t.Fatalf("AddPush after migration: %v, %v", added, err)
	}
	// The key itself, not only AddPush's ON CONFLICT, refuses a second push
	// of a story.
	_, err = conn.Exec(ctx, `INSERT INTO pushes (follow_id, platform, chat_id, query, quote, story, created, due, digest)
		SELECT follow_id, platform, chat_id, query, quote, story, created, due, digest FROM pushes`)
	if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "23505" {
		t.Errorf("raw insert of a second push of a story: %v, want a unique violation", err)
	}
}
