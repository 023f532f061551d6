package follow

import (
	"context"
	"slices"
	"testing"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/bot/text"
)

// weights is a bot.TermWeigher over a fixed table; stems not in it weigh
// common, and unseen ones (never stored) 0.
type weights struct {
	idf    map[string]float64
	unseen []string
}

func (w weights) IDF(stem string) float64 {
	if slices.Contains(w.unseen, stem) {
		return 0
	}
	if x, ok := w.idf[stem]; ok {
		return x
	}
	return 1
}

func stemTable(words map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for w, x := range words {
		out[text.Stem(w)] = x
	}
	return out
}

func TestPrefilter(t *testing.T) {
	art := bot.Article{ID: "a", Title: "Record harvest",
		Text: "Farmers in Kenya reported a record maize harvest, officials in Nairobi said on Monday."}
	w := weights{idf: stemTable(map[string]float64{
		"kenya": 5, "maize": 5, "harvest": 4, "nairobi": 5, "farmers": 3, "record": 1.5,
		"officials": 1.2, "said": 0.3, "monday": 1.2, "zelensky": 5, "brazil": 4, "exports": 3,
		"interest": 2.5, "rates": 2.5, "england": 3, "bank": 2, "festival": 4, "music": 3, "lineup": 5,
		"imf": 4, "growth": 2, "forecast": 2.5, "tesco": 5, "profits": 3,
	}), unseen: []string{text.Stem("wakanda"), text.Stem("zamunda")}}
	tests := []struct {
		query string
		kept  bool
	}{
		{"maize harvest Kenya", true},
		{"kenya maize", true}, // lower case: no names, rare words enough
		{"What did the farmers in Nairobi say?", true},
		{"When will the Bank of England change interest rates?", false}, // shares nothing rare
		{"Is there news about Zelensky and the harvest?", false},        // its name is not in the article
		{"maize exports from Brazil", false},                            // nor this one's
		{"record profits at Tesco", false},                              // "record" is common
		{"harvest festival music lineup", false},                        // one rare word of four
		{"IMF growth forecast for Kenya", false},                        // a name present, too little weight
		{"maize harvest in Wakanda", false},                             // a name no stored text has
		{"maize trade figures for wakanda and zamunda", false},          // lower case: unseen words weigh as the rarest
		{"Monday officials said", false},                                // no rare word at all
	}
	var follows []bot.Follow
	for i, tc := range tests {
		follows = append(follows, bot.Follow{ID: int64(i + 1), Query: tc.query})
	}
	m := NewMatcher(nil, w)
	got := map[int64]bool{}
	for _, f := range m.Candidates(art, follows) {
		got[f.ID] = true
	}
	for i, tc := range tests {
		if got[int64(i+1)] != tc.kept {
			t.Errorf("%q: kept %v, want %v", tc.query, got[int64(i+1)], tc.kept)
		}
	}

	// The cap keeps the follows the article covers best.
	m = NewMatcher(nil, w, WithPrefilter(Prefilter{MinRarity: 0.5, MinShare: 0.1, MaxCandidates: 2}))
	cs := m.Candidates(art, follows)
	if len(cs) != 2 || cs[0].ID != 1 || cs[1].ID != 2 {
		t.Errorf("capped candidates %v, want follows 1 and 2", cs)
	}
}

// TestPrefilterFollowsChange rebuilds the index when the follows change
// and only then.
func TestPrefilterFollowsChange(t *testing.T) {
	art := bot.Article{ID: "a", Text: "Farmers in Kenya reported a record maize harvest."}
	m := NewMatcher(nil, weights{idf: stemTable(map[string]float64{"kenya": 5, "maize": 5, "harvest": 4, "nairobi": 5})})
	fs := []bot.Follow{{ID: 1, Query: "Nairobi traffic"}, {ID: 2, Query: "maize harvest"}}
	if got := m.Candidates(art, fs); len(got) != 1 || got[0].ID != 2 {
		t.Fatalf("candidates %v", got)
	}
	first := m.idx
	m.Candidates(art, slices.Clone(fs))
	if m.idx != first {
		t.Error("the index was rebuilt for the same follows")
	}
	fs = append(fs, bot.Follow{ID: 3, Query: "Kenya maize"})
	if got := m.Candidates(art, fs); len(got) != 2 {
		t.Fatalf("after a new follow: candidates %v", got)
	}
	fs = fs[1:]
	if got := m.Candidates(art, fs); len(got) != 2 || got[0].ID == 1 {
		t.Fatalf("after an unfollow: candidates %v", got)
	}
}

func TestStory(t *testing.T) {
	q := func(s string) bot.Quote { return bot.Quote{Text: s} }
	base := Story(q("The bank raised rates to 4.5% on Tuesday."))
	for _, tc := range []struct {
		text string
		same bool
	}{
		{"The bank raised rates to 4.5% on Tuesday.", true},
		{"the bank  raised rates to 4.5% on Tuesday", true},    // case, spacing, the full stop
		{"The bank raised rates to 4.5 % on Tuesday.\n", true}, // a feed's own spacing
		{"“The bank raised rates to 4.5% on Tuesday.”", true},  // quoted
		{"The bank raised rates to 4.75% on Tuesday.", false},  // a new figure is news
		{"The bank did not raise rates on Tuesday.", false},    // and so is a denial
		{"The bank raised rates to 4.5% on Wednesday.", false},
		{"LONDON (Reuters) - The bank raised rates to 4.5% on Tuesday.", true}, // a wire's dateline
		{"LONDON, March 3 (Reuters) - The bank raised rates to 4.5% on Tuesday.", true},
		{"NAIROBI — The bank raised rates to 4.5% on Tuesday.", true},
		{"UK - The bank raised rates to 4.5% on Tuesday.", true},
		{"Analysts - The bank raised rates to 4.5% on Tuesday.", false}, // not a dateline: not in capitals
	} {
		if got := Story(q(tc.text)) == base; got != tc.same {
			t.Errorf("%q: same story %v, want %v", tc.text, got, tc.same)
		}
	}
}

// TestMatchQuotesTheNewArticle scores the prefilter's candidates with the
// real answer model, restricted to the new article.
func TestMatchQuotesTheNewArticle(t *testing.T) {
	lib := newLibrary()
	lib.put(bot.Article{ID: "old", Title: "Rates", Text: "The central bank raised interest rates by 0.25 points on Tuesday. Inflation stayed above 4 percent."})
	lib.put(bot.Article{ID: "new", Title: "Harvest", Source: "Wire",
		Text: "Farmers in Kenya reported a record maize harvest. Prices fell sharply in Nairobi markets. The weather was mild."})
	follows := []bot.Follow{
		{ID: 1, Query: "What happened to maize prices in Nairobi?"},
		{ID: 2, Query: "How much did the central bank raise interest rates?"},
		{ID: 3, Query: "Kenya maize harvest"},
	}
	// Two articles make every word rare or common: a looser prefilter.
	loose := WithPrefilter(Prefilter{MinRarity: 0.2, MinShare: 0.3})
	m := NewMatcher(answer.New(lib), lib, WithThreshold(0.05), loose)
	a, _ := lib.Article("new")
	ms, err := m.Match(context.Background(), a, follows)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, x := range ms {
		if x.Quote.ArticleID != "new" || a.Text[x.Quote.Start:x.Quote.End] != x.Quote.Text {
			t.Errorf("follow %d: quote %+v is not verbatim from the new article", x.Follow.ID, x.Quote)
		}
		if x.Story != Story(x.Quote) {
			t.Errorf("follow %d: story %q", x.Follow.ID, x.Story)
		}
		got[x.Follow.ID] = x.Quote.Text
	}
	want := map[int64]string{1: "Prices fell sharply in Nairobi markets.", 3: "Farmers in Kenya reported a record maize harvest."}
	for id, q := range want {
		if got[id] != q {
			t.Errorf("follow %d: pushed %q, want %q", id, got[id], q)
		}
	}
	if q, ok := got[2]; ok {
		t.Errorf("the rates follow matched the harvest article: %q", q)
	}

	// A threshold above every probability pushes nothing.
	m = NewMatcher(answer.New(lib), lib, WithThreshold(1.01), loose)
	if ms, _ := m.Match(context.Background(), a, follows); len(ms) != 0 {
		t.Errorf("threshold above 1 pushed %v", ms)
	}
}
