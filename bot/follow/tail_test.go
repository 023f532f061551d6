package follow

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbot/bot"
	"newsbot/bot/answer"
)

// TestTail follows one topic without storing it: the articles put after
// the start push once per story, the back catalogue and the stories
// already seen do not, and the end of ctx is a normal end.
func TestTail(t *testing.T) {
	tests := []struct {
		name string
		seen bool // the story was already shown
		arts []bot.Article
		want int
	}{
		{"one new article", false, []bot.Article{{ID: "wire-1", Title: "Harvest", Text: harvest}}, 1},
		{"the same story from two feeds", false, []bot.Article{
			{ID: "wire-1", Title: "Harvest", Text: harvest},
			{ID: "paper-9", Title: "Kenya", Text: "NAIROBI (Paper) - " + harvest},
		}, 1},
		{"a story already shown", true, []bot.Article{{ID: "wire-1", Title: "Harvest", Text: harvest}}, 0},
		{"an unrelated article", false, []bot.Article{{ID: "x", Title: "Tennis", Text: "Alcaraz won the final in four sets on Sunday."}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lib := newLibrary()
			for _, a := range background {
				lib.put(a)
			}
			lib.put(bot.Article{ID: "old", Title: "Old harvest", Text: harvest}) // before the start
			m := NewMatcher(answer.New(lib), lib, WithThreshold(0.05), WithPrefilter(Prefilter{MinRarity: 0.2, MinShare: 0.3}),
				WithMatcherLogger(quiet))
			from, _ := lib.Latest(context.Background())
			seen := map[string]bool{}
			if tc.seen {
				old, _ := lib.Article("old")
				ms, err := m.Match(context.Background(), old, []bot.Follow{{Query: "Kenya maize harvest"}})
				if err != nil || len(ms) != 1 {
					t.Fatalf("the old article does not match: %v %v", ms, err)
				}
				seen[ms[0].Story] = true
			}
			ctx, cancel := context.WithCancel(context.Background())
			var mu sync.Mutex
			var got []bot.Push
			done := make(chan error, 1)
			f := bot.Follow{Chat: bot.Chat{Platform: "cli"}, Query: "Kenya maize harvest"}
			go func() {
				done <- Tail(ctx, m, lib, f, from, seen, 10*time.Millisecond, quiet, func(_ context.Context, p bot.Push) error {
					mu.Lock()
					defer mu.Unlock()
					got = append(got, p)
					return nil
				})
			}()
			for _, a := range tc.arts {
				lib.put(a)
			}
			// A marker article after them: once it is matched, every
			// earlier one was.
			lib.put(bot.Article{ID: "marker", Title: "Kenya maize harvest marker", Text: "Kenya maize harvest marker: the Kenya maize harvest was a record."})
			waitFor(t, func() bool {
				mu.Lock()
				defer mu.Unlock()
				return len(got) > 0 && strings.Contains(got[len(got)-1].Quote.Text, "marker")
			})
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Tail ended with %v", err)
			}
			if n := len(got) - 1; n != tc.want {
				t.Errorf("%d pushes before the marker, want %d: %+v", n, tc.want, got)
			}
			for _, p := range got[:len(got)-1] {
				if p.Story == "" || p.Query != f.Query || p.Chat != f.Chat || !strings.Contains(p.Quote.Text, "maize") {
					t.Errorf("push %+v", p)
				}
			}
		})
	}
}
