package discord

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"newsbot/adapters/internal/convo"
	"newsbot/bot"
	"newsbot/internal/golden"
)

// showMessages lays out messages for a golden file.
func showMessages(msgs []string) string {
	var b strings.Builder
	for i, m := range msgs {
		fmt.Fprintf(&b, "===== message %d/%d (%d chars) =====\n%s\n", i+1, len(msgs), discordLen(m), m)
	}
	return b.String()
}

func TestRenderAnswerGolden(t *testing.T) {
	propQuotes := []bot.Quote{
		quote(t, artProposal, "The proposal was confirmed by the Danish presidency on Friday."),
		quote(t, artProposal, "A final vote is expected in June."),
	}
	_, long := longArticle(t, 120)
	multi := &bot.Article{ID: "m", Title: "Statement", Text: "He said:\n\nfirst line\n> second line\n\n- third"}
	tests := []struct {
		name     string
		ans      bot.Answer
		question string
	}{
		{"answer_basic", bot.Answer{Answered: true, Quotes: propQuotes}, ""},
		{"answer_ask", bot.Answer{Answered: true, Quotes: propQuotes}, "who confirmed the **proposal**?"},
		{"answer_summary", bot.Answer{Answered: true, Quotes: propQuotes,
			Summary: "The Danish presidency confirmed it [1]; a *final* vote is due in June [2]."}, ""},
		{"answer_hostile", bot.Answer{Answered: true, Quotes: []bot.Quote{quote(t, artHostile, artHostile.Text)}},
			"what did @everyone say?"},
		{"answer_long", bot.Answer{Answered: true, Quotes: []bot.Quote{propQuotes[0], long, propQuotes[1]}}, ""},
		{"answer_multiline", bot.Answer{Answered: true, Quotes: []bot.Quote{quote(t, multi, multi.Text)}}, ""},
		{"answer_citations", bot.Answer{Answered: true, Quotes: []bot.Quote{
			{Text: "No link.", Title: "Plain", Source: "Wire"},
			{Text: "Script link.", Title: "Tricky ] title ) with [brackets]", URL: "javascript:alert(1)"},
			{Text: "Odd URL.", Title: "", URL: "https://example.com/a b/(c)>d?q=<x>", Published: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
			{Text: "Credentials in URL.", Title: "Creds", URL: "https://user:pass@example.com/"},
			{Text: "Long title.", Title: strings.Repeat("Very long headline ", 15), Source: strings.Repeat("S", 100), URL: "http://example.net/x"},
		}}, ""},
		{"answer_refusal", bot.Answer{Question: "x"}, ""},
		{"answer_refusal_ask", bot.Answer{Question: "what is on Mars?"}, "what is on Mars?"},
		{"answer_refusal_closest", bot.Answer{Question: "x", Closest: []bot.Citation{
			citationOf(artProposal), citationOf(artHostile),
			{ArticleID: "odd", Title: " @everyone\n# read *this* ", Source: "<@123> & co", URL: "javascript:alert(1)"},
		}}, ""},
		{"answer_refusal_closest_ask", bot.Answer{Question: "how many fishermen?", Closest: []bot.Citation{
			citationOf(artProposal)}}, "how many fishermen?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := renderAnswer(tt.ans, tt.question)
			for i, m := range msgs {
				if discordLen(m) > maxMessageLen {
					t.Errorf("message %d is %d long", i, discordLen(m))
				}
			}
			// Every quote is displayed exactly, possibly across parts.
			var shown []string
			for _, m := range msgs {
				shown = append(shown, quotedTexts(m)...)
			}
			all := strings.Join(shown, "\n")
			for _, q := range tt.ans.Quotes {
				if !strings.Contains(strings.Join(strings.Fields(all), " "), strings.Join(strings.Fields(q.Text), " ")) {
					t.Errorf("quote %q not displayed", q.Text[:min(40, len(q.Text))])
				}
			}
			golden.Check(t, tt.name, showMessages(msgs))
		})
	}
}

// closestRE matches one closest article as renderNoAnswer writes it, with
// the escaped title, the link target (if any) and the rest.
var closestRE = regexp.MustCompile(`\*(?:\[((?:\\.|[^\\\]])*)\]\(<([^>]*)>\)|((?:\\.|[^\\*])*))\*(?: \(([^)]*)\))?`)

// TestRenderNoAnswer checks that each closest article's title displays
// exactly as stored (whitespace collapsed), with no Markdown or mention
// left active, linked when it has a usable link, and that a refusal that
// would not fit drops links, then articles, never the refusal.
func TestRenderNoAnswer(t *testing.T) {
	hostile := bot.Citation{ArticleID: "h", Title: artHostile.Title + " @everyone <@123> `x` ~~y~~ ||z|| \\ ", Source: "Chat_Weekly",
		URL: "https://example.org/a(1)", Published: artHostile.Published}
	tests := []struct {
		name    string
		closest []bot.Citation
		limit   int
		want    []string // per item: title as displayed, link, meta
	}{
		{"no closest", nil, maxMessageLen, nil},
		{"hostile title", []bot.Citation{hostile}, maxMessageLen,
			[]string{strings.Join(strings.Fields(hostile.Title), " "), "https://example.org/a%281%29", `Chat\_Weekly, 1 June 2025`}},
		{"unknown parts left out", []bot.Citation{{Title: "Bare", URL: "ftp://x"}, citationOf(artProposal)}, maxMessageLen,
			[]string{"Bare", "", "", artProposal.Title, artProposal.URL, "Example News, 30 May 2025"}},
		{"links dropped to fit", []bot.Citation{citationOf(artProposal)}, 150,
			[]string{artProposal.Title, "", "Example News, 30 May 2025"}},
		{"items dropped to fit", []bot.Citation{citationOf(artProposal)}, 60, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := renderNoAnswer(tt.closest, tt.limit)
			if discordLen(msg) > tt.limit {
				t.Errorf("%d long, over %d", discordLen(msg), tt.limit)
			}
			rest, ok := strings.CutPrefix(msg, bot.NoAnswer)
			if !ok {
				t.Fatalf("%q does not start with the refusal", msg)
			}
			var got []string
			if rest != "" {
				items, ok := strings.CutPrefix(rest, " "+bot.ClosestLead)
				if !ok {
					t.Fatalf("closest articles without their lead: %q", rest)
				}
				for _, item := range strings.Split(items, "; ") {
					m := closestRE.FindStringSubmatch(item)
					if m == nil || m[0] != item {
						t.Fatalf("item %q is not *title* (meta)", item)
					}
					title := m[1] + m[3]
					if a := activeMarkup(title); a != "" {
						t.Errorf("title %q leaves %q active", title, a)
					}
					got = append(got, display(title), m[2], m[4])
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestRenderQuoteExactly(t *testing.T) {
	for _, s := range hostileTexts {
		if s == "" {
			continue
		}
		msgs := renderAnswer(bot.Answer{Answered: true, Quotes: []bot.Quote{{Text: s, Title: "T"}}}, "")
		if got := quotedTexts(msgs[0]); len(got) != 1 || got[0] != bot.Display(s) { // hidden characters dropped
			t.Errorf("quote %q displays as %q", s, got)
		}
	}
}

func TestSplitQuoteCarriesCitationLast(t *testing.T) {
	_, long := longArticle(t, 120)
	msgs := renderAnswer(bot.Answer{Answered: true, Quotes: []bot.Quote{long}}, "")
	if len(msgs) < 3 {
		t.Fatalf("%d messages, want the quote split", len(msgs))
	}
	for i, m := range msgs {
		last := i == len(msgs)-1
		if strings.Contains(m, "[1] [Very long report]") != last {
			t.Errorf("message %d: citation present = %v", i, !last)
		}
		for j, line := range strings.Split(m, "\n") {
			if !strings.HasPrefix(line, "> ") && !(last && strings.HasPrefix(line, "[1] ")) {
				t.Errorf("message %d line %d is neither quote nor citation: %q", i, j, line)
			}
		}
	}
}

func TestRenderSourcesGolden(t *testing.T) {
	ans := bot.Answer{Question: "who confirmed the proposal?", Answered: true, Quotes: []bot.Quote{
		quote(t, artProposal, "The proposal was confirmed by the Danish presidency on Friday."),
		quote(t, artHostile, "Moderators wrote: @everyone please read the __rules__ and ||spoilers|| now."),
	}}
	out := showMessages(renderSources(ans, true)) +
		showMessages(renderSources(bot.Answer{Question: "q"}, true)) +
		showMessages(renderSources(bot.Answer{}, false))
	golden.Check(t, "sources", out)
}

func TestRenderHelpGolden(t *testing.T) {
	info := bot.Info{Articles: 1234, Chunks: 56789, Oldest: artProposal.Published, Newest: artHostile.Published, Embedder: "x"}
	out := showMessages([]string{
		renderHelp(info, nil, fakeBotID, false),
		renderHelp(bot.Info{}, nil, "", false),
		renderHelp(info, errors.New("store offline"), fakeBotID, false),
	})
	golden.Check(t, "help", out)
	golden.Check(t, "help_follows", showMessages([]string{renderHelp(info, nil, fakeBotID, true)}))
}

func TestRenderSmallTalkGolden(t *testing.T) {
	out := showMessages([]string{greeting(fakeBotID), convo.ThanksReply, convo.GoodbyeReply})
	golden.Check(t, "small_talk", out)
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
