package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/cli"
	"newsbot/bot"
)

// TestFollowsConfig reads the [follows] section: the defaults, and a bad
// value is a config error (exit 5) naming its key.
func TestFollowsConfig(t *testing.T) {
	c, err := loadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if want := (FollowsConfig{Enabled: true, PerChat: 20, Total: 10000, PerHour: bot.DefaultPerHour}); c.Follows != want {
		t.Errorf("defaults %+v, want %+v", c.Follows, want)
	}
	dir := t.TempDir()
	for _, tt := range []struct{ body, want string }{
		{"[follows]\nper_chat = -1\n", "per_chat"},
		{"[follows]\ntotal = -5\n", "total"},
		{"[follows]\nper_hour = 0\n", "per_hour"},
		{"[follows]\nper_hour = 5000\n", "per_hour"},
		{"[follows]\nper_minute = 1\n", "follows.per_minute"},
		{"[follows]\nenabled = \"yes\"\n", "enabled"},
	} {
		t.Run(tt.body, func(t *testing.T) {
			p := filepath.Join(dir, "c.toml")
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			m, _, _ := testMain(t, nil)
			err := m.Run(context.Background(), []string{"--config", p, "stats"})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want it to name %q", err, tt.want)
			}
			if f := classify(err); f.status != exitConfig {
				t.Errorf("exit %d, want %d", f.status, exitConfig)
			}
		})
	}
	p := filepath.Join(dir, "ok.toml")
	if err := os.WriteFile(p, []byte("[follows]\nenabled = false\nper_chat = 0\nper_hour = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = loadConfig(p, func(string) string { return "" })
	if err != nil || c.Follows != (FollowsConfig{PerHour: 1, Total: 10000}) {
		t.Errorf("%+v, %v", c.Follows, err)
	}
}

// TestFollowsCommand lists follows made through the store API, numbered
// per chat as /following numbers them, with their last push.
func TestFollowsCommand(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	m, out, _ := testMain(t, map[string]string{"XDG_DATA_HOME": home})
	if err := m.Run(ctx, []string{"follows"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "No chat follows anything") {
		t.Errorf("no follows: %q", out)
	}
	tg, dc := bot.Chat{Platform: "telegram", ID: "1001"}, bot.Chat{Platform: "discord", ID: "77"}
	var first bot.Follow
	for i, f := range []bot.Follow{
		{Chat: tg, Query: "Ukraine security guarantees"},
		{Chat: dc, Query: "interest rates", Daily: "08:00", Zone: "Europe/London", PerHour: 1},
		{Chat: tg, Query: "Kenya maize\nharvest"},
	} {
		got, err := m.db.AddFollow(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = got
		}
	}
	sent := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	if _, _, err := m.db.AddPush(ctx, bot.Push{FollowID: first.ID, Chat: tg, Query: first.Query, Story: "s1", Due: sent,
		Quote: bot.Quote{Text: "Guarantees were agreed."}}); err != nil {
		t.Fatal(err)
	}
	ps, err := m.db.ClaimPushes(ctx, "test", sent, time.Minute, 10)
	if err != nil || len(ps) != 1 {
		t.Fatalf("claim %v %v", ps, err)
	}
	if err := m.db.MarkSent(ctx, sent, ps[0].ID); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := m.Run(ctx, []string{"follows"}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := [][]string{
		{"PLATFORM", "CHAT", "#", "QUERY", "SCHEDULE", "CREATED", "LAST PUSH"},
		{"telegram", "1001", "1", "Ukraine security guarantees", "3/hour, digest hourly", "2026-03-01T09:30:00Z"},
		{"discord", "77", "1", "interest rates", "1/hour, digest daily 08:00 Europe/London", "never"},
		{"telegram", "1001", "2", "Kenya maize harvest", "3/hour, digest hourly", "never"},
	}
	if len(lines) != len(want) {
		t.Fatalf("follows printed:\n%s", out)
	}
	for i, w := range want {
		for _, cell := range w {
			if !strings.Contains(lines[i], cell) {
				t.Errorf("line %d %q lacks %q", i, lines[i], cell)
			}
		}
	}

	out.Reset()
	if err := m.Run(ctx, []string{"follows", "--json"}); err != nil {
		t.Fatal(err)
	}
	var got []jsonFollow
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got) != 3 || got[0].Last != "2026-03-01T09:30:00Z" || got[2].Number != 2 || got[1].Zone != "Europe/London" ||
		got[1].PerHour != 1 || got[0].Created == "" || got[2].Last != "" {
		t.Errorf("follows --json: %+v", got)
	}
}

// TestFollowCommand runs `newsbot follow` while another Main ingests an
// article answering it into the same data dir: the quote is printed once,
// with its link opening at the quote, and the end of the context (Ctrl-C)
// ends the command normally.
func TestFollowCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the embedder and the reader")
	}
	const answer = "Farmers in Kenya brought in a record maize harvest of 4.2 million tonnes this year, the agriculture ministry said."
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", asJSON), func(t *testing.T) {
			home := t.TempDir()
			env := map[string]string{"XDG_DATA_HOME": home}
			seed, _, _ := testMain(t, env)
			if err := seed.Run(context.Background(), []string{"stats"}); err != nil { // seeds the store
				t.Fatal(err)
			}
			seed.Close()

			m, _, _ := testMain(t, env)
			var out, errb lockedBuffer
			m.Stdout, m.Stderr = &out, &errb
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			args := []string{"follow", "How big was the maize harvest in Kenya this year?"}
			if asJSON {
				args = append(args, "--json")
			}
			done := make(chan error, 1)
			go func() { done <- m.Run(ctx, args) }()
			head := &out
			if asJSON {
				head = &errb
			}
			waitUntil(t, func() bool { return strings.Contains(head.String(), "Following “How big") })
			if !strings.Contains(head.String(), "Nothing in the news answers it yet.") {
				t.Errorf("head %q", head)
			}

			docs := filepath.Join(t.TempDir(), "news.jsonl")
			var lines []string
			for _, a := range []map[string]string{
				{"id": "wire-1", "title": "Kenya's record maize harvest", "source": "Wire", "url": "https://example.org/wire-1",
					"text": answer + " Prices of maize flour fell in Nairobi markets. Exporters expect more sales to Uganda."},
				{"id": "paper-7", "title": "Record harvest", "source": "Paper", "url": "https://example.org/paper-7",
					"text": "NAIROBI (Paper) - " + answer + " Prices of maize flour fell. Copyright Paper."},
				{"id": "marker", "title": "Kenya maize harvest figures", "source": "Wire", "url": "https://example.org/marker",
					"text": "The maize harvest in Kenya this year was the largest since 1988, farmers said."},
			} {
				b, _ := json.Marshal(a)
				lines = append(lines, string(b))
			}
			if err := os.WriteFile(docs, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			ing, _, ierr := testMain(t, env)
			if err := ing.Run(context.Background(), []string{"ingest", docs}); err != nil {
				t.Fatalf("ingest: %v\n%s", err, ierr)
			}
			ing.Close()
			// The last article ingested is matched last: once it is
			// printed, every earlier one was matched.
			waitUntil(t, func() bool { return strings.Contains(out.String(), "since 1988") })
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("follow ended with %v\n%s", err, errb.String())
			}
			got := out.String()
			n := strings.Count(got, "4.2 million tonnes")
			if asJSON {
				n = strings.Count(got, `"text":"Farmers in Kenya brought in`)
			}
			if n != 1 {
				t.Errorf("the harvest quote printed %d times, want once:\n%s", n, got)
			}
			if !strings.Contains(got, "#:~:text=") {
				t.Errorf("no link opening at the quote:\n%s", got)
			}
			if asJSON {
				for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
					var p cli.JSONPush
					if err := json.Unmarshal([]byte(l), &p); err != nil || p.Query == "" || p.Quote.Text == "" {
						t.Errorf("line %q: %+v %v", l, p, err)
					}
				}
			} else if !strings.Contains(got, "New on your follow “How big was the maize harvest") {
				t.Errorf("output:\n%s", got)
			}
			// Nothing was stored.
			if fs, err := m.db.AllFollows(context.Background()); err != nil || len(fs) != 0 {
				t.Errorf("follows left behind: %v %v", fs, err)
			}
		})
	}
}
