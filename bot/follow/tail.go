package follow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"newsbot/bot"
)

// Tail matches the articles src's change sequence puts after the position
// from against the one follow f, with m, and calls push with each new
// story's push (FollowID f.ID, due and created now), until ctx ends; it
// returns nil then. Nothing is stored: this is `newsbot follow`, a tail -f
// for the news that leaves no follow behind. seen holds the story keys not
// to push (the quotes already shown); Tail adds to it. An article that
// cannot be matched is logged to log and skipped; a failure to read the
// changes is logged and retried after a backoff (poll, doubling, at most
// 5 minutes); when the history after the position was compacted, Tail
// goes on from the latest change and says so in the log.
func Tail(ctx context.Context, m *Matcher, src Source, f bot.Follow, from int64, seen map[string]bool, poll time.Duration, log *slog.Logger, push func(context.Context, bot.Push) error) error {
	watch := src.Watch(ctx)
	seq, fails := from, 0
	for ctx.Err() == nil {
		chs, err := src.Changes(ctx, seq, 100)
		if errors.Is(err, ErrHistoryGone) {
			latest, lerr := src.Latest(ctx)
			if lerr == nil {
				log.Warn("the change history was compacted: the articles put in between are not matched", "from", seq, "to", latest)
				seq = latest
				continue
			}
			err = lerr
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			fails++
			log.Warn("reading new articles failed; retrying", "err", err, "failures", fails)
			sleep(ctx, backoff(poll, fails), nil)
			continue
		}
		fails = 0
		for _, c := range current(chs) {
			a, ok := src.Article(c.ID)
			if !ok {
				continue
			}
			ms, err := m.Match(ctx, a, []bot.Follow{f})
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				log.Error("matching an article failed; it is skipped", "article", c.ID, "err", err)
				continue
			}
			for _, x := range ms {
				if seen[x.Story] {
					continue
				}
				seen[x.Story] = true
				now := time.Now()
				p := bot.Push{FollowID: f.ID, Chat: f.Chat, Query: f.Query, Quote: x.Quote, Story: x.Story, Created: now, Due: now}
				if err := push(ctx, p); err != nil {
					return fmt.Errorf("push the quote of article %s: %w", c.ID, err)
				}
			}
		}
		if len(chs) > 0 {
			seq = chs[len(chs)-1].Seq
			continue
		}
		sleep(ctx, poll, watch)
	}
	return nil
}

// current returns the changes of a batch that put an article's latest
// version: a deletion, or a put the batch overtakes, needs no matching
// (Source.Article returns the current version anyway).
func current(chs []Change) []Change {
	last := map[string]int64{}
	for _, c := range chs {
		last[c.ID] = c.Seq
	}
	var out []Change
	for _, c := range chs {
		if !c.Deleted && last[c.ID] == c.Seq {
			out = append(out, c)
		}
	}
	return out
}
