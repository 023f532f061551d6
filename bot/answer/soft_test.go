package answer

import (
	"testing"

	"newsbot/bot"
)

// TestSoftCoverage checks cov_soft: a paraphrase counts for part of the
// missing word, an unrelated sentence does not, and a name never counts
// unless it is there.
func TestSoftCoverage(t *testing.T) {
	tests := []struct {
		question, sentence string
		wantMore           bool // cov_soft above cov_related
		want               float64
	}{
		// "kept" / "held": a paraphrase the word tables lack.
		{"Where is the nuclear waste kept?", "The nuclear waste is held at Sellafield.", true, 0},
		// Every word found: both are 1.
		{"Where is the nuclear waste stored?", "The nuclear waste is stored at Sellafield.", false, 1},
		// Another person is not the person asked about.
		{"What did the council say about Johnson's plan?", "The council spoke about Smith's plan.", false, 0},
	}
	for _, tt := range tests {
		a := analyse(tt.question, "", nil, nil)
		p := bot.Passage{Article: &bot.Article{Text: tt.sentence}, Sentences: []bot.Span{{Start: 0, End: len(tt.sentence)}}}
		f := featurize(a, []bot.Passage{p})[0].Features
		if tt.wantMore {
			if f[fSoft] <= f[fRelated] || f[fSoft] >= 1 {
				t.Errorf("%q / %q: cov_soft %.3f, want between cov_related %.3f and 1", tt.question, tt.sentence, f[fSoft], f[fRelated])
			}
			continue
		}
		if tt.want == 0 {
			// Only the words found count: the name adds nothing.
			tt.want = f[fRelated]
		}
		if !near(f[fSoft], tt.want) || (tt.want < 1 && f[fRelated] >= 1) {
			t.Errorf("%q / %q: cov_soft %.3f, want %v", tt.question, tt.sentence, f[fSoft], tt.want)
		}
	}
}

// TestRespelledName checks that a misspelt name matches the stored
// spelling the retriever suggests, and is then not an unseen name.
func TestRespelledName(t *testing.T) {
	idf := idfOf("John", "Sheepshanks", "paintings")
	respell := func(s string) string {
		if s == stem("sheeshanks") {
			return stem("sheepshanks")
		}
		return ""
	}
	q := "How many paintings did John Sheeshanks give?"
	for _, tt := range []struct {
		respell func(string) string
		unseen  bool
	}{{nil, true}, {respell, false}} {
		a := analyse(q, "", idf, tt.respell)
		if a.unseenName != tt.unseen {
			t.Errorf("respell %v: unseen name %v, want %v", tt.respell != nil, a.unseenName, tt.unseen)
		}
		m := sentenceMatch(a, "John Sheepshanks donated 233 paintings.")
		if got := a.share(m.related, nil) == 1; got == tt.unseen {
			t.Errorf("respell %v: sentence with the stored spelling fully matched = %v", tt.respell != nil, got)
		}
	}
}

// TestNameAfterStopWords: a capitalised word counts as a name (for answer
// types and novelty) unless it opens the text, even when stop words come
// before it and it is the first word that is analysed.
func TestNameAfterStopWords(t *testing.T) {
	text := "The Dingolfing site will be closed."
	terms := Terms(text)
	if !capitalisedInside(text, terms[0]) {
		t.Errorf("%q: %q is not taken for a name", text, text[terms[0].Start:terms[0].End])
	}
	if got := qPlace.answers(text, terms, nil); len(got) != 1 || got[0] != [2]int{terms[0].Start, terms[0].End} {
		t.Errorf("where-type answers of %q = %v, want the span of Dingolfing", text, got)
	}
	opening := "Dingolfing is in Bavaria."
	if capitalisedInside(opening, Terms(opening)[0]) {
		t.Errorf("%q: the opening word is taken for a name", opening)
	}
}
