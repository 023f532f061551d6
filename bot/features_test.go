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
