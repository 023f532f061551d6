package bot

import "testing"

// TestBeyondTitle checks that the words a question shares with the article's
// title do not count for cov_beyond_title, so a lead sentence restating the
// title scores under the later sentence that holds the asked-for fact.
func TestBeyondTitle(t *testing.T) {
	art := &Article{ID: "p", Title: "Port storm repairs",
		Text: "The Port of Avonmouth reopened after storm repairs. The repairs cost £4m, the harbour board said."}
	ps := []Passage{{Article: art, Span: Span{0, len(art.Text)}, Sentences: []Span{{0, 51}, {52, len(art.Text)}}}}
	tests := []struct {
		question       string
		lead, fact     float64 // cov_beyond_title of the two sentences
		leadGap, factG float64 // gap_beyond_title
	}{
		// "storm" and "repairs" are title words; "cost" is the fact's.
		{"How much did the storm repairs cost?", 0, 1, -1, 0},
		// Every question word is in the title: nothing beyond it.
		{"What about the port storm repairs?", 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			cs := featurize(analyse(tt.question, "", nil, nil), ps)
			if len(cs) != 2 {
				t.Fatalf("%d candidates, want 2", len(cs))
			}
			got := [4]float64{cs[0].Features[fBeyond], cs[1].Features[fBeyond], cs[0].Features[fGapBeyond], cs[1].Features[fGapBeyond]}
			if want := [4]float64{tt.lead, tt.fact, tt.leadGap, tt.factG}; got != want {
				t.Errorf("beyond-title (lead, fact, lead gap, fact gap) = %v, want %v", got, want)
			}
		})
	}
}

// TestBeyondLead checks cov_beyond_lead: the words of the article's first
// sentence count as the title's, so a question whose topic the lead
// restates is scored on its remaining words.
func TestBeyondLead(t *testing.T) {
	art := &Article{ID: "p", Title: "Storm damage",
		Text: "The Port of Avonmouth reopened after storm repairs. The repairs cost £4m, the harbour board said."}
	ps := []Passage{{Article: art, Span: Span{0, len(art.Text)}, Sentences: []Span{{0, 51}, {52, len(art.Text)}}}}
	tests := []struct {
		question               string
		leadTitle, factTitle   float64 // cov_beyond_title of the two sentences
		leadLead, factLead     float64 // cov_beyond_lead
		leadLeadGap, factLdGap float64 // gap_beyond_lead
	}{
		// "repairs" is in the lead, not the title: only "cost" is beyond it.
		{"How much did the repairs cost?", 0.5, 1, 0, 1, -1, 0},
		// Every word is in the lead: nothing is beyond it.
		{"When did the port reopen after repairs?", 1, 1.0 / 3, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			cs := featurize(analyse(tt.question, "", nil, nil), ps)
			f0, f1 := cs[0].Features, cs[1].Features
			got := [6]float64{f0[fBeyond], f1[fBeyond], f0[fBeyondLead], f1[fBeyondLead], f0[fGapLead], f1[fGapLead]}
			want := [6]float64{tt.leadTitle, tt.factTitle, tt.leadLead, tt.factLead, tt.leadLeadGap, tt.factLdGap}
			for i := range got {
				if !near(got[i], want[i]) {
					t.Errorf("(title lead, title fact, lead lead, lead fact, gaps) = %v, want %v", got, want)
					break
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
	art := &Article{ID: "a", Title: "Acme in Leeds", Text: text}
	ps := []Passage{{Article: art, Span: Span{0, len(text)}, Sentences: []Span{{0, 29}, {30, 54}, {55, len(text)}}}}
	cs := featurize(analyse("How many people does Acme employ?", "", nil, nil), ps)
	want := []float64{0, 1, 0} // the lead has no number; 2004 stands far from "employ"
	for i, c := range cs {
		if c.Features[fTypeNear] != want[i] {
			t.Errorf("%q: type_near %v, want %v", c.Text(), c.Features[fTypeNear], want[i])
		}
	}
}
