package sqlite

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

func open(t *testing.T, dir string, opts ...Option) *DB {
	t.Helper()
	d, err := Open(context.Background(), dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func record(id, text string) store.Record {
	pub := time.Date(2025, 3, 4, 10, 30, 0, 0, time.FixedZone("CET", 3600))
	return store.Record{
		Article:  bot.Article{ID: id, Title: "T " + id, Source: "S", URL: "https://x/" + id, Author: "A", Published: pub, Text: text},
		Hash:     "h-" + text,
		TextHash: "th-" + text,
		Embedder: "fake",
		Chunks: []store.Chunk{
			{Span: bot.Span{Start: 0, End: 5}, Sentences: []bot.Span{{Start: 0, End: 2}, {Start: 3, End: 5}}, Vector: []float32{1, -0.5, 0.25}},
			{Span: bot.Span{Start: 6, End: len(text)}, Sentences: []bot.Span{{Start: 6, End: len(text)}}, Vector: []float32{0, 1, 2}},
		},
	}
}

func TestPutGetScanRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	want := record("a", "Ab cd. Ef gh ij.")
	seq, replaced, err := d.Put(ctx, want)
	if err != nil || replaced || seq != 1 {
		t.Fatalf("put: seq %d replaced %v err %v", seq, replaced, err)
	}
	got, err := d.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Article.Published.Equal(want.Article.Published) {
		t.Fatalf("published %v, want %v", got.Article.Published, want.Article.Published)
	}
	if _, off := got.Article.Published.Zone(); off != 3600 {
		t.Errorf("published lost its offset: %v", got.Article.Published)
	}
	got.Article.Published, want.Article.Published = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("get:\n got %+v\nwant %+v", got, want)
	}
	if _, err := d.Get(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("get unknown: %v", err)
	}
	var n int
	scanSeq, err := d.Scan(ctx, func(r store.Record) error { n++; return nil })
	if err != nil || n != 1 || scanSeq != 1 {
		t.Fatalf("scan: %d records at seq %d, err %v", n, scanSeq, err)
	}
}

func TestReplaceDeleteAndChanges(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	d.Put(ctx, record("a", "Ab cd. Ef gh ij."))
	d.Put(ctx, record("b", "Bb cd. Ef gh ij."))
	if _, replaced, err := d.Put(ctx, record("a", "Zz cd. Ef gh ij kl.")); err != nil || !replaced {
		t.Fatalf("replace: %v %v", replaced, err)
	}
	if n, err := d.Delete(ctx, "b", "unknown"); err != nil || n != 1 {
		t.Fatalf("delete: %d %v", n, err)
	}
	got, _ := d.Get(ctx, "a")
	if got.Article.Text != "Zz cd. Ef gh ij kl." || len(got.Chunks) != 2 {
		t.Fatalf("after replace: %q with %d chunks", got.Article.Text, len(got.Chunks))
	}
	chs, err := d.Changes(ctx, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Change{{Seq: 2, ID: "b"}, {Seq: 3, ID: "a"}, {Seq: 4, ID: "b", Deleted: true}}
	if !reflect.DeepEqual(chs, want) {
		t.Fatalf("changes %+v, want %+v", chs, want)
	}
	if chs, _ := d.Changes(ctx, 1, 2); len(chs) != 2 {
		t.Fatalf("limit 2 gave %d", len(chs))
	}
	var chunks int
	d.r.QueryRow(`SELECT count(*) FROM chunks`).Scan(&chunks)
	if chunks != 2 {
		t.Fatalf("%d chunk rows left, want 2 (the old version's and the deleted article's removed)", chunks)
	}
}

func TestCompactedHistoryIsReported(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir(), WithHistory(10, 0))
	for i := range 300 {
		if _, _, err := d.Put(ctx, record("a", "Ab cd. Ef gh ij"+strings.Repeat("!", i%3))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Changes(ctx, 5, 0); !errors.Is(err, store.ErrHistoryGone) {
		t.Fatalf("changes after compaction: %v, want ErrHistoryGone", err)
	}
	chs, err := d.Changes(ctx, 290, 0)
	if err != nil || len(chs) != 10 {
		t.Fatalf("recent changes: %d, %v", len(chs), err)
	}
	inf, _ := d.Info(ctx)
	if inf.Seq != 300 {
		t.Fatalf("seq %d, want 300", inf.Seq)
	}
}

func TestValuesAndLeases(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	if _, err := d.Value(ctx, "feed", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing value: %v", err)
	}
	if err := d.SetValue(ctx, "feed", "k", []byte("v1"), 0); err != nil {
		t.Fatal(err)
	}
	if err := d.SetValue(ctx, "telegram", "k", []byte("short"), time.Nanosecond); err != nil {
		t.Fatal(err)
	}
	if v, err := d.Value(ctx, "feed", "k"); err != nil || string(v) != "v1" {
		t.Fatalf("value %q %v", v, err)
	}
	time.Sleep(time.Millisecond)
	if _, err := d.Value(ctx, "telegram", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired value: %v", err)
	}
	d.SetValue(ctx, "feed", "k", nil, 0)
	if _, err := d.Value(ctx, "feed", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted value: %v", err)
	}

	for _, step := range []struct {
		holder string
		ttl    time.Duration
		want   bool
	}{{"one", time.Hour, true}, {"two", time.Hour, false}, {"one", time.Hour, true}} {
		if got, err := d.Acquire(ctx, "poller", step.holder, step.ttl); err != nil || got != step.want {
			t.Fatalf("acquire by %s: %v %v, want %v", step.holder, got, err, step.want)
		}
	}
	d.Release(ctx, "poller", "one")
	if got, _ := d.Acquire(ctx, "poller", "two", time.Nanosecond); !got {
		t.Fatal("released lease not taken")
	}
	time.Sleep(time.Millisecond)
	if got, _ := d.Acquire(ctx, "poller", "three", time.Hour); !got {
		t.Fatal("expired lease not taken")
	}
}

func TestWatchSeesAnotherHandle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	reader := open(t, dir, WithWatchInterval(5*time.Millisecond))
	writer := open(t, dir)
	ch := reader.Watch(ctx)
	if _, _, err := writer.Put(ctx, record("a", "Ab cd. Ef gh ij.")); err != nil {
		t.Fatal(err)
	}
	<-ch // the test times out if no notification ever comes
	cancel()
	for range ch {
	}
}

func TestMigrationFromVersion1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := open(t, dir, withSchema(1))
	if inf, _ := old.Info(ctx); inf.SchemaVersion != 1 {
		t.Fatalf("old schema %d", inf.SchemaVersion)
	}
	old.Put(ctx, record("a", "Ab cd. Ef gh ij."))
	old.Close()
	d := open(t, dir)
	inf, err := d.Info(ctx)
	if err != nil || inf.SchemaVersion != SchemaVersion {
		t.Fatalf("schema %d (%v), want %d", inf.SchemaVersion, err, SchemaVersion)
	}
	if _, err := d.Get(ctx, "a"); err != nil {
		t.Fatalf("article lost by migration: %v", err)
	}
	var idx int
	d.r.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'articles_text_hash'`).Scan(&idx)
	if idx != 1 {
		t.Fatal("migration 2 not applied")
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := open(t, dir)
	d.w.Exec(`INSERT INTO schema_version VALUES (99, 'future')`)
	d.Close()
	_, err := Open(ctx, dir)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("open of a newer schema: %v", err)
	}
}

func TestReadOnlyDirFailsAtOpen(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only directories")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o555)
	if _, err := Open(context.Background(), ro); err == nil {
		t.Fatal("open in a read-only dir succeeded")
	}
}

func TestSpanEncoding(t *testing.T) {
	for _, spans := range [][]bot.Span{nil, {{Start: 10, End: 10}}, {{Start: 10, End: 300}, {Start: 301, End: 100000}}} {
		got, err := decodeSpans(10, encodeSpans(10, spans))
		if err != nil || !reflect.DeepEqual(got, spans) {
			t.Errorf("spans %v → %v, %v", spans, got, err)
		}
	}
	if _, err := decodeSpans(0, []byte{0x80}); err == nil {
		t.Error("truncated varint accepted")
	}
}

// TestFullDiskKeepsCommitted fills the database to a page limit, as a
// full disk would: the failing Put says so and every earlier article is
// still there.
func TestFullDiskKeepsCommitted(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	var pages int
	d.w.QueryRow(`PRAGMA page_count`).Scan(&pages)
	// The writer pool has one connection, so the limit holds for every Put.
	if _, err := d.w.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+40)); err != nil {
		t.Fatal(err)
	}
	big := record("x", strings.Repeat("Words and more words. ", 400))
	big.Chunks = big.Chunks[:1]
	big.Chunks[0].Vector = make([]float32, 512)
	var stored []string
	var err error
	for i := range 200 {
		r := big
		r.Article.ID = fmt.Sprint("a", i)
		r.TextHash = fmt.Sprint("th-", i) // one text, as if each differed
		if _, _, err = d.Put(ctx, r); err != nil {
			break
		}
		stored = append(stored, r.Article.ID)
	}
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("put into a full database: %v", err)
	}
	if len(stored) == 0 {
		t.Fatal("nothing fit before the limit; the test proved nothing")
	}
	for _, id := range stored {
		if _, err := d.Get(ctx, id); err != nil {
			t.Fatalf("committed article %s lost: %v", id, err)
		}
	}
}

// TestFileLayout checks the settings a new file must be created with:
// WAL, incremental vacuum and pages large enough for several chunk rows.
func TestFileLayout(t *testing.T) {
	d := open(t, t.TempDir())
	for _, c := range []struct{ pragma, want string }{{"page_size", "16384"}, {"auto_vacuum", "2"}, {"journal_mode", "wal"}} {
		var got string
		if err := d.r.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s = %q (%v), want %q", c.pragma, got, err, c.want)
		}
	}
}

// TestScanVectorsAreDistinct guards what scan relies on to adopt each
// vector blob without copying it: that no later row reuses the memory of
// an earlier one. Were the driver or database/sql to start reusing a
// buffer, the vectors read first would change under the later rows.
func TestScanVectorsAreDistinct(t *testing.T) {
	ctx := context.Background()
	d := open(t, t.TempDir())
	want := map[string][][]float32{}
	for i := range 50 {
		r := record(fmt.Sprintf("a%02d", i), "Alpha beta gamma delta.")
		r.TextHash = fmt.Sprint("th-", i) // one text, as if each differed
		for c := range r.Chunks {
			v := make([]float32, 512) // the model's width: a blob of a realistic size
			for j := range v {
				v[j] = float32(i*1000 + c*100 + j)
			}
			r.Chunks[c].Vector = v
			want[r.Article.ID] = append(want[r.Article.ID], v)
		}
		if _, _, err := d.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string][][]float32{}
	if _, err := d.Scan(ctx, func(r store.Record) error {
		for _, c := range r.Chunks {
			got[r.Article.ID] = append(got[r.Article.ID], c.Vector)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatal("vectors read by one scan differ from those stored: a buffer was reused")
	}
}

// TestMigrationMovesDuplicateTexts opens a version 2 store holding one
// text under three ids (what two racing ingests used to leave) and checks
// that migration 3 keeps the first, moves the others whole to
// duplicate_articles, logs their deletion for readers, and makes the
// text hash unique.
func TestMigrationMovesDuplicateTexts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := open(t, dir, withSchema(2))
	for _, id := range []string{"b-first", "a-second", "c-third"} {
		r := record(id, "Same text. Twice over.")
		r.TextHash += id // this code's Put would refuse the copy: hash it apart, then fix it below
		if _, _, err := old.Put(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.w.Exec(`UPDATE articles SET text_hash = 'th-' || text`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := old.Put(ctx, record("d", "Other text. Only once.")); err != nil {
		t.Fatal(err)
	}
	seq, _ := latestSeq(ctx, old.r)
	old.Close()
	d := open(t, dir)
	var ids []string
	if _, err := d.Scan(ctx, func(r store.Record) error { ids = append(ids, r.Article.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(sortStrings(ids), ",") != "b-first,d" {
		t.Fatalf("after migration the store holds %v, want [b-first d]", ids)
	}
	rows, err := d.r.Query(`SELECT id, title, text, kept_id FROM duplicate_articles ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var moved []string
	for rows.Next() {
		var id, title, text, kept string
		rows.Scan(&id, &title, &text, &kept)
		if title != "T "+id || text != "Same text. Twice over." || kept != "b-first" {
			t.Errorf("moved row %s: title %q text %q kept %q", id, title, text, kept)
		}
		moved = append(moved, id)
	}
	rows.Close()
	if strings.Join(moved, ",") != "a-second,c-third" {
		t.Errorf("duplicate_articles holds %v", moved)
	}
	ch, err := d.Changes(ctx, seq, 0)
	if err != nil || len(ch) != 2 || !ch[0].Deleted || !ch[1].Deleted {
		t.Errorf("changes after migration %+v (%v), want two deletions", ch, err)
	}
	if _, _, err := d.Put(ctx, record("e", "Same text. Twice over.")); !errors.Is(err, store.ErrDuplicateText) {
		t.Errorf("put of a stored text after migration: %v", err)
	}
	// The unique key itself, not only Put's check, refuses a copy.
	_, err = d.w.Exec(`INSERT INTO articles(id, title, source, url, author, published, text, hash, text_hash, embedder)
		SELECT 'f', title, source, url, author, published, text, hash, text_hash, embedder FROM articles WHERE id = 'd'`)
	if !isUniqueTextHash(err) {
		t.Errorf("raw insert of a duplicate text hash: %v", err)
	}
}

func sortStrings(s []string) []string {
	slices.Sort(s)
	return s
}

// TestFileModes (issue #23, point 7): a new data dir is 0700 and the
// database with its -wal and -shm 0600; an existing dir and file keep
// their wider modes and are warned about once per process.
func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "newsbot")
	d := open(t, dir)
	if _, _, err := d.Put(ctx, record("a", "Ab cd. Ef gh ij.")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{dir: 0o700, d.Path(): 0o600, d.Path() + "-wal": 0o600, d.Path() + "-shm": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %#o, want %#o", p, fi.Mode().Perm(), want)
		}
	}
	d.Close()

	old := filepath.Join(t.TempDir(), "old")
	os.Mkdir(old, 0o755)
	os.Chmod(old, 0o755) // whatever the umask
	var log strings.Builder
	logger := slog.New(slog.NewTextHandler(&log, nil))
	o := open(t, old, WithLogger(logger))
	o.Close()
	os.Chmod(filepath.Join(old, FileName), 0o644)
	for range 2 {
		o := open(t, old, WithLogger(logger))
		o.Close()
	}
	for p, want := range map[string]os.FileMode{old: 0o755, filepath.Join(old, FileName): 0o644} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != want {
			t.Errorf("%s: mode changed to %#o, want it kept at %#o", p, fi.Mode().Perm(), want)
		}
		if n := strings.Count(log.String(), "path="+p+" "); n != 1 {
			t.Errorf("%s warned about %d times, want once:\n%s", p, n, log.String())
		}
	}
}

// TestMigrationAddsFollows opens a version 3 store holding an article and
// checks that migration 4 adds the follows and pushes tables, keeps the
// article, and that the one-push-per-story key and the cascade from
// follows to pushes hold in the schema itself.
func TestMigrationAddsFollows(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := open(t, dir, withSchema(3))
	if _, _, err := old.Put(ctx, record("a", "Ab cd. Ef gh ij.")); err != nil {
		t.Fatal(err)
	}
	var tables int
	old.r.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('follows', 'pushes')`).Scan(&tables)
	if tables != 0 {
		t.Fatalf("a version 3 store has %d of the follows tables", tables)
	}
	old.Close()
	d := open(t, dir)
	if inf, err := d.Info(ctx); err != nil || inf.SchemaVersion != SchemaVersion {
		t.Fatalf("schema %d (%v), want %d", inf.SchemaVersion, err, SchemaVersion)
	}
	if _, err := d.Get(ctx, "a"); err != nil {
		t.Fatalf("article lost by migration: %v", err)
	}
	f, err := d.AddFollow(ctx, bot.Follow{Chat: bot.Chat{Platform: "cli"}, Query: "ferry strike"})
	if err != nil {
		t.Fatal(err)
	}
	if _, added, err := d.AddPush(ctx, bot.Push{FollowID: f.ID, Story: "s"}); err != nil || !added {
		t.Fatalf("AddPush after migration: %v, %v", added, err)
	}
	_, err = d.w.Exec(`INSERT INTO pushes(follow_id, platform, chat_id, query, quote, story, created, due, digest)
		SELECT follow_id, platform, chat_id, query, quote, story, created, due, digest FROM pushes`)
	if err == nil || !strings.Contains(err.Error(), "UNIQUE constraint failed: pushes.follow_id, pushes.story") {
		t.Errorf("raw insert of a second push of a story: %v, want the unique key's refusal", err)
	}
	if _, err := d.w.Exec(`DELETE FROM follows`); err != nil {
		t.Fatal(err)
	}
	var pushes int
	d.w.QueryRow(`SELECT count(*) FROM pushes`).Scan(&pushes)
	if pushes != 0 {
		t.Errorf("%d pushes left after their follow was deleted: the foreign key does not cascade", pushes)
	}
}
