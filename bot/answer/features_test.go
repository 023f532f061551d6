package answer

import (
	"testing"

	"newsbot/bot"
)

// TestBeyondTitleAndLead checks cov_beyond_title and cov_beyond_lead: the
// words a question shares with the article's title (and, for the second,
// its first sentence) do not count, so a lead restating the story's topic
// scores under the later sentence that holds the asked-for fact.
func TestBeyondTitleAndLead(t *testing.T) {
	const text = "The Port of Avonmouth reopened after storm repairs. The repairs cost £4m, the harbour board said."
	tests := []struct {
		title, question string
		// For the lead and the fact: cov_beyond_title, its gap,
		// cov_beyond_lead, its gap.
		lead, fact [4]float64
	}{
		// "storm" and "repairs" are title words; "cost" is the fact's.
		{"Port storm repairs", "How much did the storm repairs cost?", [4]float64{0, -1, 0, -1}, [4]float64{1, 0, 1, 0}},
		// Every question word is in the title: nothing beyond it.
		{"Port storm repairs", "What about the port storm repairs?", [4]float64{}, [4]float64{}},
		// "repairs" is in the lead, not the title: only "cost" is beyond both.
		{"Storm damage", "How much did the repairs cost?", [4]float64{0.5, -0.5, 0, -1}, [4]float64{1, 0, 1, 0}},
		// Every word is in the lead: nothing is beyond it.
		{"Storm damage", "When did the port reopen after repairs?", [4]float64{1, 0, 0, 0}, [4]float64{1.0 / 3, -2.0 / 3, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			art := &bot.Article{ID: "p", Title: tt.title, Text: text}
			ps := []bot.Passage{{Article: art, Span: bot.Span{Start: 0, End: len(text)}, Sentences: []bot.Span{{Start: 0, End: 51}, {Start: 52, End: len(text)}}}}
			cs := featurize(analyse(tt.question, "", nil, nil), ps)
			if len(cs) != 2 {
				t.Fatalf("%d candidates, want 2", len(cs))
			}
			for i, want := range [][4]float64{tt.lead, tt.fact} {
				f := cs[i].Features
				got := [4]float64{f[fBeyond], f[fGapBeyond], f[fBeyondLead], f[fGapLead]}
				for k := range got {
					if !near(got[k], want[k]) {
						t.Errorf("sentence %d: beyond title, gap, beyond lead, gap = %v, want %v", i, got, want)
						break
					}
				}
			}
		})
	}
}

func TestLeadOf(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"Mr. Smith went to Washington on Monday. He met the president.", "Mr. Smith went to Washington on Monday"},
		{"Short. Then a longer second sentence follows here.", "Short. Then a longer second sentence follows here."},
		{"A headline-like first line\nThe body.", "A headline-like first line"},
	} {
		if got := leadOf(tt.text); got != tt.want {
			t.Errorf("leadOf(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestTypeNear checks type_near: an answer of the asked-for type counts
// only close to a question word that the title and lead do not hold.
func TestTypeNear(t *testing.T) {
	text := "Acme opened a plant in Leeds. It employs 1,200 people. In 2004 sales rose sharply across Europe and the firm now plans to employ more."
	art := &bot.Article{ID: "a", Title: "Acme in Leeds", Text: text}
	ps := []bot.Passage{{Article: art, Span: bot.Span{Start: 0, End: len(text)}, Sentences: []bot.Span{{Start: 0, End: 29}, {Start: 30, End: 54}, {Start: 55, End: len(text)}}}}
	cs := featurize(analyse("How many people does Acme employ?", "", nil, nil), ps)
	want := []float64{0, 1, 0} // the lead has no number; 2004 stands far from "employ"
	for i, c := range cs {
		if c.Features[fTypeNear] != want[i] {
			t.Errorf("%q: type_near %v, want %v", c.Text(), c.Features[fTypeNear], want[i])
		}
	}
}

// TestClassMatch checks type_class: for "who", a name after a word for a
// person; for "where", a place WordNet knows.
func TestClassMatch(t *testing.T) {
	tests := []struct {
		question, sentence string
		want               float64
	}{
		{"Who is decorating the tree?", "The tree is decorated by sculptor Richard Wentworth.", 1},
		{"Who is decorating the tree?", "Mr Wentworth is decorating the tree.", 1},
		{"Who is decorating the tree?", "The tree stands in Tate Britain.", 0},
		{"Where is the waste stored?", "The waste is stored in Cumbria.", 1},
		{"Where is the waste stored?", "The waste is stored by Acme.", 0},
		{"How many trees are there?", "Sculptor Richard Wentworth made 3.", 0},
	}
	for _, tt := range tests {
		a := analyse(tt.question, "", nil, nil)
		p := bot.Passage{Article: &bot.Article{Text: tt.sentence}, Sentences: []bot.Span{{Start: 0, End: len(tt.sentence)}}}
		if got := featurize(a, []bot.Passage{p})[0].Features[fTypeClass]; got != tt.want {
			t.Errorf("%q / %q: type_class %v, want %v", tt.question, tt.sentence, got, tt.want)
		}
	}
}
