package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"newsbot/adapters/cli"
	"newsbot/bot"
	"newsbot/bot/follow"
)

// tailPoll is how often `newsbot follow` looks for new articles when the
// store does not say it changed.
const tailPoll = 2 * time.Second

func (m *Main) followCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "follow TOPIC",
		Short: "Print new quotes on a topic or question as articles are stored, until Ctrl-C",
		Long: "Prints the best quote so far on a topic or question (or that there is none yet),\n" +
			"then every new quote that answers it as articles are stored, by this or any other\n" +
			"process on the same store (serve's feed poller, ingest): a tail -f for the news.\n" +
			"The same story from several feeds is printed once. Nothing is stored: chats follow\n" +
			"with /follow, and `newsbot follows` lists their follows. Ctrl-C or SIGTERM ends it\n" +
			"normally (exit status 0). With --json each new quote is one JSON object a line\n" +
			"(JSON Lines) on stdout, and the best quote so far goes to stderr.",
		Example:           `  newsbot follow "When will the interest rate change?"`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			return m.runFollow(c.Context(), args, asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print new quotes as JSON Lines: {follow_id, query, story, created, digest, message, quote}")
	return c
}

func (m *Main) runFollow(ctx context.Context, args []string, asJSON bool) error {
	q := strings.Join(strings.Fields(strings.Join(args, " ")), " ")
	if len(args) == 0 {
		return usageError{"follow: no topic given"}
	}
	if q == "" {
		return emptyQuestion{}
	}
	if err := m.openSeeded(ctx); err != nil {
		return err
	}
	// The position to follow from is taken before the best quote so far
	// is looked up: an article stored meanwhile is printed, not lost.
	src := followSource{idx: m.index, db: m.db}
	from, err := src.Latest(ctx)
	if err != nil {
		return storeError{err}
	}
	mt, err := m.followMatcher()
	if err != nil {
		return err
	}
	ans, err := m.bot.Ask(ctx, bot.Question{Text: q})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, qt := range ans.Quotes {
		seen[follow.Story(qt)] = true // already shown: not new
	}
	head := m.Stdout
	if asJSON {
		head = m.Stderr
	}
	if _, err := fmt.Fprintln(head, followHead(q, ans, head)); err != nil {
		return err
	}
	f := bot.Follow{Chat: bot.Chat{Platform: cli.Platform}, Query: q, Created: time.Now()}
	p := cli.NewPusher(m.Stdout, asJSON)
	return follow.Tail(ctx, mt, src, f, from, seen, tailPoll, m.Log, func(ctx context.Context, x bot.Push) error {
		return p.Push(ctx, f, []bot.Push{x})
	})
}

// followHead is what `newsbot follow` prints first: what it watches, and
// the best quote so far or that there is none yet.
func followHead(q string, ans bot.Answer, w io.Writer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Following “%s”: new quotes that answer it are printed as articles are stored; Ctrl-C stops.\n\n", q)
	if !ans.Answered || len(ans.Quotes) == 0 {
		b.WriteString("Nothing in the news answers it yet.\n")
		return b.String()
	}
	best := ans
	best.Quotes = ans.Quotes[:1]
	b.WriteString("The best quote so far:\n")
	b.WriteString(cli.RenderFor(best, w))
	b.WriteString("\n")
	return b.String()
}

func (m *Main) followsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "follows",
		Short: "The follows of every chat",
		Long: "Lists the stored follows of every chat: platform, chat, its number in the chat (as\n" +
			"/following shows it and /unfollow takes it), query, schedule, when it was made and\n" +
			"its last push.",
		Args:              noArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE:              func(c *cobra.Command, _ []string) error { return m.runFollows(c.Context(), asJSON) },
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print one JSON array of {platform, chat, number, id, query, per_hour, daily, zone, created, last_push}")
	return c
}

// jsonFollow is one follow of `follows --json`.
type jsonFollow struct {
	Platform string `json:"platform"`
	Chat     string `json:"chat"`
	// Number is the follow's number in its chat, as /following lists it.
	Number  int    `json:"number"`
	ID      int64  `json:"id"`
	Query   string `json:"query"`
	PerHour int    `json:"per_hour"`
	Daily   string `json:"daily"` // "" for a digest at the next hour
	Zone    string `json:"zone"`
	Created string `json:"created"`   // RFC 3339
	Last    string `json:"last_push"` // RFC 3339, "" when never
}

func (m *Main) runFollows(ctx context.Context, asJSON bool) error {
	if err := m.ensureDB(ctx); err != nil {
		return err
	}
	fs, err := m.db.AllFollows(ctx)
	if err != nil {
		return storeError{fmt.Errorf("read the follows: %w", err)}
	}
	out := make([]jsonFollow, len(fs))
	n := map[bot.Chat]int{}
	for i, f := range fs {
		n[f.Chat]++
		per := f.PerHour
		if per <= 0 {
			per = bot.DefaultPerHour
		}
		out[i] = jsonFollow{Platform: f.Chat.Platform, Chat: f.Chat.ID, Number: n[f.Chat], ID: f.ID, Query: f.Query,
			PerHour: per, Daily: f.Daily, Zone: f.Zone, Created: f.Created.UTC().Format(time.RFC3339)}
		if !f.LastPush.IsZero() {
			out[i].Last = f.LastPush.UTC().Format(time.RFC3339)
		}
	}
	if asJSON {
		return m.printJSON(out)
	}
	if len(out) == 0 {
		_, err := fmt.Fprintln(m.Stdout, "No chat follows anything. Chats start with /follow on Telegram or Discord (see README, \"Following a story\").")
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PLATFORM\tCHAT\t#\tQUERY\tSCHEDULE\tCREATED\tLAST PUSH")
	for _, f := range out {
		sched := fmt.Sprintf("%d/hour, digest hourly", f.PerHour)
		if f.Daily != "" {
			zone := f.Zone
			if zone == "" {
				zone = "UTC"
			}
			sched = fmt.Sprintf("%d/hour, digest daily %s %s", f.PerHour, f.Daily, zone)
		}
		last := f.Last
		if last == "" {
			last = "never"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", f.Platform, orDash(f.Chat), f.Number, oneLineText(f.Query), sched, f.Created, last)
	}
	return tw.Flush()
}

// orDash shows an empty table cell as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
