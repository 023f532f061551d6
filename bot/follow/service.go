package follow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"newsbot/bot"
)

// Change is one entry of the store of record's change sequence.
type Change struct {
	// Seq is the change's position; sequences only grow.
	Seq int64
	// ID is the article put or deleted.
	ID string
	// Deleted is true when the article was removed.
	Deleted bool
}

// ErrHistoryGone is wrapped by Source.Changes when the changes after the
// asked position were compacted away.
var ErrHistoryGone = errors.New("change history compacted")

// Source is the store of record's change sequence as the index the
// Matcher searches sees it. cmd/newsbot adapts the index and its store
// of record to it.
type Source interface {
	// Changes returns up to limit changes after seq, oldest first, that
	// the index already reflects (so Article finds what they put). It
	// returns an error wrapping ErrHistoryGone when the changes after seq
	// were compacted away.
	Changes(ctx context.Context, seq int64, limit int) ([]Change, error)
	// Latest returns the position of the last change the index reflects:
	// where matching starts when no cursor was saved.
	Latest(ctx context.Context) (int64, error)
	// Article returns the article with id as the index holds it.
	Article(id string) (bot.Article, bool)
	// Watch returns a channel that receives a value (coalesced) when the
	// store may have changed; it is closed when ctx ends.
	Watch(ctx context.Context) <-chan struct{}
}

// Cursor keeps the match loop's position in the change sequence in the
// store of record, so that a restart (or another replica taking over)
// carries on where matching stopped.
type Cursor interface {
	// Load returns the saved position; ok is false when none was saved.
	Load(ctx context.Context) (seq int64, ok bool, err error)
	// Save records seq as the position matched up to.
	Save(ctx context.Context, seq int64) error
}

// Limits are the admin's limits on follows (0: no limit).
type Limits struct {
	// PerChat bounds one chat's follows.
	PerChat int
	// Total bounds all follows in the store.
	Total int
	// PerHour is the pushes a new follow may send in an hour before the
	// rest wait for its digest (0: bot.DefaultPerHour).
	PerHour int
}

// MatchLease is the name of the lease under which one replica at a time
// matches new articles.
const MatchLease = "follows-match"

// Service implements bot.Follower over a FollowStore, and runs the loops
// that match new articles against the follows and deliver their pushes.
type Service struct {
	store  bot.FollowStore
	asker  bot.Asker
	limits Limits
	log    *slog.Logger
	now    func() time.Time

	// matching
	matcher  *Matcher
	source   Source
	cursor   Cursor
	leaser   bot.Leaser
	holder   string
	acquired time.Time // when the match lease was last taken (match loop only)
	// failedSeq is the change whose article failed to match failures
	// times in a row (match loop only).
	failedSeq int64
	failures  int

	// delivery
	pushers map[string]bot.Pusher

	leaseTTL, claimTTL, poll time.Duration
	batch                    int
	wake                     chan struct{} // match → deliver: pushes were added

	mu      sync.Mutex
	backoff map[bot.Chat]retry // chats whose last send failed
}

// retry is a chat's backoff after failed sends.
type retry struct {
	failures int
	until    time.Time
}

// Option configures a Service.
type Option func(*Service)

// WithMatching makes Run match the articles of src's change sequence
// against the follows with m, from the position cur keeps.
func WithMatching(m *Matcher, src Source, cur Cursor) Option {
	return func(s *Service) { s.matcher, s.source, s.cursor = m, src, cur }
}

// WithLeaser makes the replica holder match only while it holds the
// lease MatchLease, and claim pushes as holder (default: no lease, and
// the holder "newsbot").
func WithLeaser(l bot.Leaser, holder string) Option {
	return func(s *Service) { s.leaser, s.holder = l, holder }
}

// WithPushers makes Run deliver pushes: each through the Pusher of its
// chat's platform ("telegram", "discord", "cli").
func WithPushers(p map[string]bot.Pusher) Option { return func(s *Service) { s.pushers = p } }

// WithLimits sets the admin's limits.
func WithLimits(l Limits) Option { return func(s *Service) { s.limits = l } }

// WithLogger sets the logger (default slog.Default).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithIntervals sets how often the loops look for work when nothing
// wakes them (poll, default 2 s), how long the match lease lasts unless
// renewed (leaseTTL, default 30 s) and how long a replica holds the
// pushes it claims before another may deliver them (claimTTL, default 2
// min; a send is given at most half of it).
func WithIntervals(poll, leaseTTL, claimTTL time.Duration) Option {
	return func(s *Service) { s.poll, s.leaseTTL, s.claimTTL = poll, leaseTTL, claimTTL }
}

// NewService returns a Service over st; asker answers a new follow's
// question at once, as ask would.
func NewService(st bot.FollowStore, asker bot.Asker, opts ...Option) *Service {
	s := &Service{store: st, asker: asker, log: slog.Default(), now: time.Now, holder: "newsbot",
		poll: 2 * time.Second, leaseTTL: 30 * time.Second, claimTTL: 2 * time.Minute, batch: 100,
		wake: make(chan struct{}, 1), backoff: map[bot.Chat]retry{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

var _ bot.Follower = (*Service)(nil)

// Follow implements bot.Follower.
func (s *Service) Follow(ctx context.Context, chat bot.Chat, text string) (bot.Follow, bot.Answer, error) {
	f, err := Parse(text)
	if err != nil {
		return bot.Follow{}, bot.Answer{}, err
	}
	mine, err := s.store.Follows(ctx, chat)
	if err != nil {
		return bot.Follow{}, bot.Answer{}, bot.Errorf("Sorry, I couldn't save that follow just now.", "follows of %s/%s: %w", chat.Platform, chat.ID, err)
	}
	for _, g := range mine {
		if strings.EqualFold(g.Query, f.Query) {
			return bot.Follow{}, bot.Answer{}, &bot.Error{Message: "You already follow that; /following lists your follows."}
		}
	}
	if n := s.limits.PerChat; n > 0 && len(mine) >= n {
		return bot.Follow{}, bot.Answer{}, &bot.Error{Message: fmt.Sprintf("This chat follows %d topics, the most allowed; /unfollow one first.", len(mine))}
	}
	if n := s.limits.Total; n > 0 {
		all, err := s.store.AllFollows(ctx)
		if err != nil {
			return bot.Follow{}, bot.Answer{}, bot.Errorf("Sorry, I couldn't save that follow just now.", "all follows: %w", err)
		}
		if len(all) >= n {
			return bot.Follow{}, bot.Answer{}, &bot.Error{Message: "I'm following as many topics as I can for everyone; please try again later."}
		}
	}
	// The current best answer comes through the normal Ask path, which
	// also refuses a topic that cannot be asked (too long, not text).
	ans, err := s.asker.Ask(ctx, bot.Question{Text: f.Query})
	if errors.Is(err, bot.ErrInvalidQuestion) {
		return bot.Follow{}, bot.Answer{}, err
	}
	if err != nil {
		s.log.Warn("no current answer for a new follow", "query", f.Query, "err", err)
		ans = bot.Answer{Question: f.Query}
	}
	f.Chat, f.PerHour = chat, s.limits.PerHour
	f, err = s.store.AddFollow(ctx, f)
	if err != nil {
		return bot.Follow{}, bot.Answer{}, bot.Errorf("Sorry, I couldn't save that follow just now.", "add follow: %w", err)
	}
	s.log.Info("follow added", "platform", chat.Platform, "chat", chat.ID, "follow", f.ID)
	return f, ans, nil
}

// Following implements bot.Follower.
func (s *Service) Following(ctx context.Context, chat bot.Chat) ([]bot.Follow, error) {
	fs, err := s.store.Follows(ctx, chat)
	if err != nil {
		return nil, bot.Errorf("Sorry, I couldn't read your follows just now.", "follows of %s/%s: %w", chat.Platform, chat.ID, err)
	}
	return fs, nil
}

// Unfollow implements bot.Follower.
func (s *Service) Unfollow(ctx context.Context, chat bot.Chat, n int, all bool) (int, error) {
	var ids []int64
	if !all {
		fs, err := s.Following(ctx, chat)
		if err != nil {
			return 0, err
		}
		switch {
		case len(fs) == 0:
			return 0, &bot.Error{Message: "This chat follows nothing."}
		case n < 1 || n > len(fs):
			return 0, &bot.Error{Message: fmt.Sprintf("Say which follow to stop: a number from 1 to %d as /following lists them, or all.", len(fs))}
		}
		ids = []int64{fs[n-1].ID}
	}
	removed, err := s.store.DeleteFollows(ctx, chat, ids...)
	if err != nil {
		return 0, bot.Errorf("Sorry, I couldn't remove that follow just now.", "delete follows of %s/%s: %w", chat.Platform, chat.ID, err)
	}
	return removed, nil
}

// Run matches new articles (when WithMatching was given) and delivers
// pushes (when WithPushers was given) until ctx ends; it returns nil
// then. Errors on the way are logged and retried.
func (s *Service) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	if s.matcher != nil {
		wg.Go(func() { s.matchLoop(ctx) })
	}
	if len(s.pushers) > 0 {
		wg.Go(func() { s.deliverLoop(ctx) })
	}
	wg.Wait()
	return nil
}

// sleep waits for d, a value on wake (nil: none) or the end of ctx, and
// reports whether ctx is still alive.
func sleep(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	case <-wake:
	}
	return true
}
