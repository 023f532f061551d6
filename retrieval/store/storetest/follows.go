package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/retrieval/store"
)

// The follows' checks pass their own times to ClaimPushes, MarkSent and
// Defer, all from t0, so that no check depends on how long anything
// takes: a claim "expires" because the next call says it is later.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Two chats with the same id on two platforms: they must not mix.
var (
	chatA = bot.Chat{Platform: "telegram", ID: "-1001234"}
	chatB = bot.Chat{Platform: "discord", ID: "-1001234"}
)

// addFollow stores a follow of query in chat and fails the test on error.
func addFollow(t *testing.T, db store.DB, chat bot.Chat, query string) bot.Follow {
	t.Helper()
	f, err := db.AddFollow(testContext(t), bot.Follow{Chat: chat, Query: query})
	if err != nil {
		t.Fatalf("AddFollow(%v, %q): %v", chat, query, err)
	}
	return f
}

// pushFor is a push of story for f, due at due, with a quote naming both.
func pushFor(f bot.Follow, story string, due time.Time) bot.Push {
	return bot.Push{FollowID: f.ID, Story: story, Due: due,
		Quote: bot.Quote{Text: "Quote of " + story, ArticleID: story, Start: 3, End: 17, Confidence: 0.5}}
}

// addPush calls AddPush and fails the test on error.
func addPush(t *testing.T, db store.DB, p bot.Push) (bot.Push, bool) {
	t.Helper()
	got, added, err := db.AddPush(testContext(t), p)
	if err != nil {
		t.Fatalf("AddPush(follow %d, %q): %v", p.FollowID, p.Story, err)
	}
	return got, added
}

// mustAdd adds pushes of stories for f, due at due, failing unless each
// is added.
func mustAdd(t *testing.T, db store.DB, f bot.Follow, due time.Time, stories ...string) []bot.Push {
	t.Helper()
	var out []bot.Push
	for _, s := range stories {
		p, added := addPush(t, db, pushFor(f, s, due))
		if !added {
			t.Fatalf("AddPush(follow %d, %q) = not added, want added", f.ID, s)
		}
		out = append(out, p)
	}
	return out
}

// claim calls ClaimPushes and fails the test on error.
func claim(t *testing.T, db store.DB, holder string, now time.Time, ttl time.Duration, limit int) []bot.Push {
	t.Helper()
	ps, err := db.ClaimPushes(testContext(t), holder, now, ttl, limit)
	if err != nil {
		t.Fatalf("ClaimPushes(%s, %v, %v, %d): %v", holder, now, ttl, limit, err)
	}
	return ps
}

// markSent calls MarkSent and fails the test on error.
func markSent(t *testing.T, db store.DB, at time.Time, ids ...int64) {
	t.Helper()
	if err := db.MarkSent(testContext(t), at, ids...); err != nil {
		t.Fatalf("MarkSent(%v, %v): %v", at, ids, err)
	}
}

// sentSince calls SentSince and fails the test on error.
func sentSince(t *testing.T, db store.DB, followID int64, since time.Time) int {
	t.Helper()
	n, err := db.SentSince(testContext(t), followID, since)
	if err != nil {
		t.Fatalf("SentSince(%d, %v): %v", followID, since, err)
	}
	return n
}

// follows calls Follows (AllFollows for a nil chat) and fails the test on
// error.
func follows(t *testing.T, db store.DB, chat *bot.Chat) []bot.Follow {
	t.Helper()
	var (
		fs  []bot.Follow
		err error
	)
	if chat == nil {
		fs, err = db.AllFollows(testContext(t))
	} else {
		fs, err = db.Follows(testContext(t), *chat)
	}
	if err != nil {
		t.Fatalf("Follows(%v): %v", chat, err)
	}
	return fs
}

// followByID returns the stored follow with id, failing the test if
// there is none.
func followByID(t *testing.T, db store.DB, id int64) bot.Follow {
	t.Helper()
	for _, f := range follows(t, db, nil) {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("follow %d is not stored", id)
	return bot.Follow{}
}

// ids lists the pushes' ids, in their order.
func ids(ps []bot.Push) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// sameTime reports whether a and b are the same instant, both or neither
// zero.
func sameTime(a, b time.Time) bool { return a.Equal(b) && a.IsZero() == b.IsZero() }

// assertFollows fails the test unless got holds want's follows in order,
// field for field (times as instants).
func assertFollows(t *testing.T, what string, got, want []bot.Follow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d follows %v, want %d %v", what, len(got), got, len(want), want)
		return
	}
	for i := range got {
		g, w := got[i], want[i]
		if !sameTime(g.Created, w.Created) || !sameTime(g.LastPush, w.LastPush) {
			t.Errorf("%s[%d]: Created, LastPush = %v, %v, want %v, %v", what, i, g.Created, g.LastPush, w.Created, w.LastPush)
		}
		g.Created, g.LastPush, w.Created, w.LastPush = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if g != w {
			t.Errorf("%s[%d] = %+v, want %+v", what, i, g, w)
		}
	}
}

// assertQuote fails the test unless got is want: every string byte for
// byte, offsets and floats exactly, Published the same instant at the
// same offset from UTC.
func assertQuote(t *testing.T, what string, got, want bot.Quote) {
	t.Helper()
	_, gotOff := got.Published.Zone()
	_, wantOff := want.Published.Zone()
	if !sameTime(got.Published, want.Published) || gotOff != wantOff {
		t.Errorf("%s: Published = %v, want %v", what, got.Published, want.Published)
	}
	got.Published, want.Published = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("%s: Quote =\n%#v\nwant\n%#v", what, got, want)
	}
}

// assertClaimed fails the test unless ps are the pushes with want's ids,
// in that order.
func assertClaimed(t *testing.T, what string, ps []bot.Push, want ...bot.Push) {
	t.Helper()
	if !slices.Equal(ids(ps), ids(want)) {
		t.Errorf("%s: claimed %v, want %v", what, ids(ps), ids(want))
	}
}

func testFollowsAddListDelete(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	ctx := testContext(t)
	before := time.Now().Truncate(time.Microsecond)
	inputs := []bot.Follow{
		{Chat: chatA, Query: "Ukraine security guarantees"},
		{Chat: chatB, Query: "when will the interest rate change?", PerHour: 5, Daily: "08:00", Zone: "Europe/London"},
		{Chat: chatA, Query: "Zürich — 東京 “rates” 🚀", PerHour: 1, Daily: "23:59", Zone: "Asia/Tokyo"},
		// ID, Created and LastPush are the store's to set.
		{Chat: chatA, Query: "ferry strike", ID: 77, Created: t0, LastPush: t0},
	}
	var added []bot.Follow
	for _, in := range inputs {
		f, err := a.AddFollow(ctx, in)
		if err != nil {
			t.Fatalf("AddFollow(%+v): %v", in, err)
		}
		if f.ID <= 0 || (len(added) > 0 && f.ID <= added[len(added)-1].ID) {
			t.Errorf("AddFollow(%q): ID %d, want a positive id above the previous follow's", in.Query, f.ID)
		}
		if f.Created.Before(before) || f.Created.After(time.Now()) || !f.LastPush.IsZero() {
			t.Errorf("AddFollow(%q): Created %v (want it between the call's start and end), LastPush %v (want zero)",
				in.Query, f.Created, f.LastPush)
		}
		want := in
		want.ID, want.Created, want.LastPush = f.ID, f.Created, time.Time{}
		assertFollows(t, "AddFollow", []bot.Follow{f}, []bot.Follow{want})
		added = append(added, f)
	}
	a1, b1, a2, a3 := added[0], added[1], added[2], added[3]
	// Another handle (another process) reads them.
	assertFollows(t, "Follows(A)", follows(t, b, &chatA), []bot.Follow{a1, a2, a3})
	assertFollows(t, "Follows(B)", follows(t, b, &chatB), []bot.Follow{b1})
	assertFollows(t, "Follows(unknown)", follows(t, b, &bot.Chat{Platform: "cli"}), nil)
	assertFollows(t, "AllFollows", follows(t, b, nil), added)

	steps := []struct {
		chat  bot.Chat
		ids   []int64
		want  int
		left  []bot.Follow // Follows(chat) after the step
		other []bot.Follow // Follows of the other chat after the step
	}{
		{chatA, []int64{b1.ID}, 0, []bot.Follow{a1, a2, a3}, []bot.Follow{b1}}, // not A's follow
		{chatA, []int64{a2.ID, a3.ID + 1000}, 1, []bot.Follow{a1, a3}, []bot.Follow{b1}},
		{chatA, []int64{a2.ID}, 0, []bot.Follow{a1, a3}, []bot.Follow{b1}}, // gone already
		{chatA, nil, 2, nil, []bot.Follow{b1}},                             // all of A's
		{chatA, nil, 0, nil, []bot.Follow{b1}},
		{chatB, nil, 1, nil, nil},
	}
	for i, s := range steps {
		db := []store.DB{a, b}[i%2]
		n, err := db.DeleteFollows(ctx, s.chat, s.ids...)
		if err != nil {
			t.Fatalf("step %d: DeleteFollows(%v, %v): %v", i, s.chat, s.ids, err)
		}
		if n != s.want {
			t.Errorf("step %d: DeleteFollows(%v, %v) = %d, want %d", i, s.chat, s.ids, n, s.want)
		}
		other := chatB
		if s.chat == chatB {
			other = chatA
		}
		assertFollows(t, fmt.Sprintf("step %d: Follows(%v)", i, s.chat), follows(t, a, &s.chat), s.left)
		assertFollows(t, fmt.Sprintf("step %d: Follows(%v)", i, other), follows(t, a, &other), s.other)
	}
}

func testAddPushDedup(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f1 := addFollow(t, a, chatA, "ferry strike")
	f2 := addFollow(t, a, chatB, "harbour board")

	in := pushFor(f1, "story-1", t0)
	in.Chat, in.Query = chatB, "not the follow's" // the follow's are stored
	before := time.Now().Truncate(time.Microsecond)
	p, added := addPush(t, a, in)
	if !added || p.ID <= 0 || p.Created.Before(before) || p.Created.After(time.Now()) {
		t.Fatalf("AddPush = %+v, %v; want added with an ID and Created set", p, added)
	}
	if p.Chat != f1.Chat || p.Query != f1.Query || p.FollowID != f1.ID || p.Story != "story-1" ||
		!sameTime(p.Due, t0) || p.Digest || !p.Sent.IsZero() {
		t.Errorf("AddPush returned %+v, want the follow's chat and query, the story, Due %v, unsent", p, t0)
	}
	assertQuote(t, "AddPush", p.Quote, in.Quote)

	again := pushFor(f1, "story-1", t0)
	again.Quote.Text = "another sentence of the same story"
	steps := []struct {
		db   store.DB
		p    bot.Push
		want bool
	}{
		{b, again, false},                      // same follow, same story: through another handle too
		{a, pushFor(f1, "story-2", t0), true},  // another story
		{b, pushFor(f2, "story-1", t0), true},  // another follow
		{a, pushFor(f2, "story-1", t0), false}, // which now has it
		{b, pushFor(f1, "Story-1", t0), true},  // stories are exact strings
		{a, pushFor(f1, "story-1 ", t0), true}, // stories are exact strings
		{b, pushFor(f1, "story-1", t0.Add(time.Hour)), false},
	}
	for i, s := range steps {
		if _, got := addPush(t, s.db, s.p); got != s.want {
			t.Errorf("step %d: AddPush(follow %d, %q) added = %v, want %v", i, s.p.FollowID, s.p.Story, got, s.want)
		}
	}
	// The story kept its first push.
	ps := claim(t, a, "r", t0, time.Hour, 0)
	if len(ps) != 5 || ps[0].ID != p.ID {
		t.Fatalf("claimed %d pushes %v, want 5, the first %d", len(ps), ids(ps), p.ID)
	}
	assertQuote(t, "stored push", ps[0].Quote, in.Quote)

	// A push for a follow that is gone (it raced an unfollow) is not added.
	if n, err := a.DeleteFollows(testContext(t), chatB); err != nil || n != 1 {
		t.Fatalf("DeleteFollows(B) = %d, %v", n, err)
	}
	if _, added := addPush(t, b, pushFor(f2, "story-3", t0)); added {
		t.Error("AddPush for a deleted follow: added")
	}
}

func testConcurrentAddPush(t *testing.T, connect Connect) {
	handles := []store.DB{handle(t, connect), handle(t, connect)}
	f := addFollow(t, handles[0], chatA, "ferry strike")
	const rounds, writers = 5, 8
	for round := range rounds {
		story := fmt.Sprintf("story-%d", round)
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			added []int64
		)
		for w := range writers {
			db := handles[w%len(handles)]
			wg.Go(func() {
				p := pushFor(f, story, t0)
				p.Quote.Text = fmt.Sprintf("writer %d's sentence", w)
				got, ok, err := db.AddPush(testContext(t), p)
				if err != nil {
					t.Errorf("AddPush(%s) by writer %d: %v", story, w, err)
					return
				}
				if ok {
					mu.Lock()
					added = append(added, got.ID)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(added) != 1 {
			t.Errorf("%s: %d of %d racing AddPush calls added it (%v), want exactly 1", story, len(added), writers, added)
		}
	}
	if ps := claim(t, handles[1], "r", t0, time.Hour, 0); len(ps) != rounds {
		t.Errorf("%d pushes stored for %d stories", len(ps), rounds)
	}
}

func testClaimDueLimitOrder(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f := addFollow(t, a, chatA, "ferry strike")
	// Added (Created) in this order; Due in another.
	early := mustAdd(t, a, f, t0.Add(-2*time.Hour), "early")[0]
	onTime := mustAdd(t, a, f, t0, "on time")[0]
	late := mustAdd(t, a, f, t0.Add(-time.Hour), "an hour ago")[0]
	later := mustAdd(t, a, f, t0.Add(time.Minute), "in a minute")[0]

	steps := []struct {
		db     store.DB
		holder string
		now    time.Time
		limit  int
		want   []bot.Push
	}{
		{a, "r1", t0.Add(-3 * time.Hour), 0, nil},   // nothing due yet
		{a, "r1", t0, 2, []bot.Push{early, onTime}}, // oldest first, due at now counts
		{b, "r2", t0, 0, []bot.Push{late}},          // the rest that is due; not r1's
		{b, "r2", t0, 0, nil},                       // r2 holds what it claimed
		{a, "r1", t0.Add(59 * time.Second), 5, nil}, // not due yet
		{b, "r2", t0.Add(time.Minute), 1, []bot.Push{later}},
		{b, "r2", t0.Add(time.Minute), 1, nil},
	}
	for i, s := range steps {
		ps := claim(t, s.db, s.holder, s.now, time.Hour, s.limit)
		assertClaimed(t, fmt.Sprintf("step %d: ClaimPushes(%s, t0 + %v, limit %d)", i, s.holder, s.now.Sub(t0), s.limit), ps, s.want...)
		for j, p := range ps {
			if j < len(s.want) {
				w := s.want[j]
				if p.FollowID != f.ID || p.Chat != f.Chat || p.Query != f.Query || p.Story != w.Story ||
					!sameTime(p.Due, w.Due) || !sameTime(p.Created, w.Created) || p.Digest || !p.Sent.IsZero() {
					t.Errorf("step %d: claimed %+v, want %+v", i, p, w)
				}
				assertQuote(t, fmt.Sprintf("step %d", i), p.Quote, w.Quote)
			}
		}
	}
}

func testClaimConcurrent(t *testing.T, connect Connect) {
	const pushes, claimers, batch = 200, 4, 7
	handles := make([]store.DB, claimers)
	for i := range handles {
		handles[i] = handle(t, connect)
	}
	f := addFollow(t, handles[0], chatA, "ferry strike")
	stories := make([]string, pushes)
	for i := range stories {
		stories[i] = fmt.Sprintf("story-%03d", i)
	}
	all := mustAdd(t, handles[0], f, t0.Add(-time.Minute), stories...)

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		claimed = map[int64][]string{} // push id: its holders
	)
	for c, db := range handles {
		holder := fmt.Sprintf("replica-%d", c)
		wg.Go(func() {
			for {
				ps, err := db.ClaimPushes(testContext(t), holder, t0, time.Hour, batch)
				if err != nil {
					t.Errorf("ClaimPushes(%s): %v", holder, err)
					return
				}
				if len(ps) == 0 {
					return
				}
				mu.Lock()
				for _, p := range ps {
					claimed[p.ID] = append(claimed[p.ID], holder)
				}
				mu.Unlock()
				if err := db.MarkSent(testContext(t), t0, ids(ps)...); err != nil {
					t.Errorf("MarkSent by %s: %v", holder, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, p := range all {
		if hs := claimed[p.ID]; len(hs) != 1 {
			t.Errorf("push %d was claimed %d times (%v), want once", p.ID, len(hs), hs)
		}
	}
	if len(claimed) != pushes {
		t.Errorf("%d pushes claimed, want %d", len(claimed), pushes)
	}
	if n := sentSince(t, handles[1], f.ID, t0); n != pushes {
		t.Errorf("SentSince = %d, want %d", n, pushes)
	}
	// Sent pushes are never claimed again, even once the claims are over.
	if ps := claim(t, handles[2], "late", t0.Add(2*time.Hour), time.Hour, 0); len(ps) != 0 {
		t.Errorf("sent pushes claimed again: %v", ids(ps))
	}
}

func testClaimExpired(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f := addFollow(t, a, chatA, "ferry strike")
	p := mustAdd(t, a, f, t0.Add(-time.Minute), "story")[0]
	steps := []struct {
		db     store.DB
		holder string
		now    time.Time
		want   []bot.Push
	}{
		{a, "crashed", t0, []bot.Push{p}},                      // held until t0+1m
		{b, "alive", t0.Add(59 * time.Second), nil},            // still held
		{a, "crashed", t0.Add(30 * time.Second), nil},          // a holder does not claim its own push twice
		{b, "alive", t0.Add(time.Minute), []bot.Push{p}},       // expired at t0+1m: re-claimed
		{a, "crashed", t0.Add(time.Minute), nil},               // now held by alive until t0+2m
		{a, "crashed", t0.Add(2 * time.Minute), []bot.Push{p}}, // and so on
	}
	for i, s := range steps {
		ps := claim(t, s.db, s.holder, s.now, time.Minute, 0)
		assertClaimed(t, fmt.Sprintf("step %d: ClaimPushes(%s, t0 + %v)", i, s.holder, s.now.Sub(t0)), ps, s.want...)
	}
}

func testMarkSent(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f1 := addFollow(t, a, chatA, "ferry strike")
	f2 := addFollow(t, a, chatB, "harbour board")
	p := mustAdd(t, a, f1, t0.Add(-time.Minute), "p1", "p2", "p3")
	q := mustAdd(t, a, f2, t0.Add(-time.Minute), "q1")[0]
	if got := claim(t, a, "r", t0, time.Minute, 0); len(got) != 4 {
		t.Fatalf("claimed %d pushes, want 4", len(got))
	}
	sent := t0.Add(10 * time.Second)
	markSent(t, b, sent, p[0].ID, p[1].ID, q.ID+1000) // an unknown id is ignored
	markSent(t, b, sent)                              // no ids: nothing to do
	if got := followByID(t, a, f1.ID).LastPush; !sameTime(got, sent) {
		t.Errorf("LastPush after MarkSent = %v, want %v", got, sent)
	}
	if got := followByID(t, a, f2.ID).LastPush; !got.IsZero() {
		t.Errorf("LastPush of a follow with nothing sent = %v, want zero", got)
	}
	// Once the claims are over, only the unsent are claimed again.
	assertClaimed(t, "after MarkSent", claim(t, b, "r2", t0.Add(time.Hour), time.Minute, 0), p[2], q)

	// An earlier delivery does not move LastPush back; a push sent again
	// keeps its first Sent and does not move LastPush either.
	markSent(t, a, t0.Add(5*time.Second), p[2].ID)
	markSent(t, a, t0.Add(time.Hour), p[0].ID)
	if got := followByID(t, b, f1.ID).LastPush; !sameTime(got, sent) {
		t.Errorf("LastPush = %v, want it kept at %v", got, sent)
	}
	counts := []struct {
		since time.Time
		want  int
	}{
		{t0, 3},
		{t0.Add(5 * time.Second), 3}, // at or after
		{t0.Add(6 * time.Second), 2},
		{sent, 2},
		{sent.Add(time.Microsecond), 0},
	}
	for _, c := range counts {
		if n := sentSince(t, b, f1.ID, c.since); n != c.want {
			t.Errorf("SentSince(f1, t0 + %v) = %d, want %d", c.since.Sub(t0), n, c.want)
		}
	}
}

func testDefer(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f := addFollow(t, a, chatA, "ferry strike")
	p := mustAdd(t, a, f, t0.Add(-time.Minute), "p1", "p2", "p3")
	if got := claim(t, a, "r1", t0, 24*time.Hour, 0); len(got) != 3 {
		t.Fatalf("claimed %d pushes, want 3", len(got))
	}
	digest := t0.Add(time.Hour)
	if err := b.Defer(testContext(t), digest, p[0].ID, p[1].ID); err != nil {
		t.Fatalf("Defer: %v", err)
	}
	assertClaimed(t, "before the digest", claim(t, b, "r2", digest.Add(-time.Microsecond), time.Hour, 0))
	// Deferring released r1's claim (it would hold them for a day).
	got := claim(t, b, "r2", digest, time.Hour, 0)
	assertClaimed(t, "at the digest", got, p[0], p[1])
	for _, g := range got {
		if !g.Digest || !sameTime(g.Due, digest) {
			t.Errorf("deferred push %d: Digest %v, Due %v; want true, %v", g.ID, g.Digest, g.Due, digest)
		}
	}
	// A sent push is not deferred (nor resent).
	markSent(t, a, t0, p[2].ID)
	if err := a.Defer(testContext(t), digest, p[2].ID, p[2].ID+1000); err != nil {
		t.Fatalf("Defer of a sent push: %v", err)
	}
	if err := a.Defer(testContext(t), digest); err != nil {
		t.Fatalf("Defer of no pushes: %v", err)
	}
	assertClaimed(t, "after deferring a sent push", claim(t, a, "r3", digest.Add(48*time.Hour), time.Hour, 0), p[0], p[1])
	if n := sentSince(t, b, f.ID, t0); n != 1 {
		t.Errorf("SentSince = %d, want 1", n)
	}
}

func testSentSince(t *testing.T, connect Connect) {
	db := handle(t, connect)
	f1 := addFollow(t, db, chatA, "ferry strike")
	f2 := addFollow(t, db, chatB, "harbour board")
	p := mustAdd(t, db, f1, t0.Add(-time.Minute), "a", "b", "c", "unsent")
	q := mustAdd(t, db, f2, t0.Add(-time.Minute), "a")
	markSent(t, db, t0, p[0].ID, q[0].ID)
	markSent(t, db, t0.Add(time.Second), p[1].ID)
	markSent(t, db, t0.Add(time.Hour), p[2].ID)
	cases := []struct {
		follow int64
		since  time.Time
		want   int
	}{
		{f1.ID, t0.Add(-time.Hour), 3},
		{f1.ID, t0, 3},
		{f1.ID, t0.Add(time.Microsecond), 2},
		{f1.ID, t0.Add(time.Second), 2},
		{f1.ID, t0.Add(time.Hour), 1},
		{f1.ID, t0.Add(2 * time.Hour), 0},
		{f2.ID, t0.Add(-time.Hour), 1},
		{f2.ID + f1.ID + 1000, t0.Add(-time.Hour), 0},
	}
	for _, c := range cases {
		if n := sentSince(t, db, c.follow, c.since); n != c.want {
			t.Errorf("SentSince(%d, t0 + %v) = %d, want %d", c.follow, c.since.Sub(t0), n, c.want)
		}
	}
}

func testQuoteRoundTrip(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f := addFollow(t, a, chatA, sampleText)
	quotes := []bot.Quote{
		{
			Text:       sampleText,
			ArticleID:  "bbc-ü-1",
			Title:      "«Zürich» 東京 <b>&amp;</b> \u2028 \\ \"",
			URL:        "https://example.com/news/ü?a=1&b=2#:~:text=Z%C3%BCrich,rose",
			Source:     "BBC News — Wörld",
			Published:  time.Date(2026, 3, 1, 23, 30, 45, 123456000, time.FixedZone("IST", 5*3600+1800)),
			Start:      17,
			End:        len(sampleText) - 3,
			Score:      -1.0 / 3.0,
			Confidence: 0.1 + 0.2, // 0.30000000000000004
		},
		{ArticleID: "zero"}, // nothing else: zero stays zero
		{
			Text: "Negative offset.", ArticleID: "west",
			Published: time.Date(1999, 12, 31, 19, 0, 0, 1000, time.FixedZone("", -5*3600)),
			Start:     1 << 20, End: 1<<20 + 16, Score: 1e300, Confidence: 1,
		},
	}
	var added []bot.Push
	for i, q := range quotes {
		p := bot.Push{FollowID: f.ID, Story: fmt.Sprintf("story «%d»", i), Due: t0, Quote: q}
		got, ok := addPush(t, a, p)
		if !ok {
			t.Fatalf("AddPush %d: not added", i)
		}
		assertQuote(t, fmt.Sprintf("AddPush %d", i), got.Quote, q)
		added = append(added, got)
	}
	got := claim(t, b, "r", t0, time.Hour, 0)
	assertClaimed(t, "ClaimPushes", got, added...)
	for i := range got {
		assertQuote(t, fmt.Sprintf("claimed %d", i), got[i].Quote, quotes[i])
		if got[i].Story != added[i].Story || got[i].Query != sampleText {
			t.Errorf("claimed %d: Story %q, Query %q; want %q, %q", i, got[i].Story, got[i].Query, added[i].Story, sampleText)
		}
	}
}

func testDeleteFollowsCascades(t *testing.T, connect Connect) {
	a := handle(t, connect)
	b := handle(t, connect)
	f1 := addFollow(t, a, chatA, "ferry strike")
	f2 := addFollow(t, a, chatA, "harbour board")
	p := mustAdd(t, a, f1, t0.Add(-time.Minute), "unsent", "sent", "claimed")
	q := mustAdd(t, a, f2, t0.Add(-time.Minute), "unsent")[0]
	markSent(t, a, t0, p[1].ID)
	if got := claim(t, b, "r", t0, time.Minute, 1); len(got) != 1 || got[0].ID != p[0].ID {
		t.Fatalf("claimed %v, want [%d]", ids(got), p[0].ID)
	}
	if n, err := b.DeleteFollows(testContext(t), chatA, f1.ID); err != nil || n != 1 {
		t.Fatalf("DeleteFollows(A, f1) = %d, %v; want 1", n, err)
	}
	assertClaimed(t, "after deleting f1", claim(t, a, "r2", t0.Add(time.Hour), time.Minute, 0), q)
	if n := sentSince(t, a, f1.ID, t0.Add(-time.Hour)); n != 0 {
		t.Errorf("SentSince(deleted follow) = %d, want 0", n)
	}
	if _, added := addPush(t, b, pushFor(f1, "new", t0)); added {
		t.Error("AddPush for the deleted follow: added")
	}
	// A new follow of the same query is another follow: its own id, its
	// own stories.
	again := addFollow(t, b, chatA, f1.Query)
	if again.ID == f1.ID {
		t.Errorf("a new follow reused the deleted follow's id %d", f1.ID)
	}
	mustAdd(t, b, again, t0, "unsent", "sent")
}

func testPushDueZero(t *testing.T, connect Connect) {
	db := handle(t, connect)
	f := addFollow(t, db, chatA, "ferry strike")
	p, added := addPush(t, db, pushFor(f, "at once", time.Time{}))
	if !added || p.Created.IsZero() || !sameTime(p.Due, p.Created) {
		t.Fatalf("AddPush with a zero Due = %+v, %v; want added, Due = Created", p, added)
	}
	assertClaimed(t, "just before Created", claim(t, db, "r", p.Created.Add(-time.Microsecond), time.Hour, 0))
	assertClaimed(t, "at Created", claim(t, db, "r", p.Created, time.Hour, 0), p)
}
