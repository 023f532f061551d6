package answer

import (
	"context"
	"strings"
	"testing"

	"newsbot/bot"
)

// idfOf returns an IDF function that knows only the given stems' words.
func idfOf(words ...string) func(string) float64 {
	known := map[string]bool{}
	for _, w := range words {
		known[stem(strings.ToLower(w))] = true
	}
	return func(s string) float64 {
		if known[s] {
			return 2
		}
		return 0
	}
}

func sentenceMatch(a *analysis, text string) match { return a.matchText(Terms(text)) }

func TestUnseenWordsAreNeutral(t *testing.T) {
	// "say" never occurs in this store (only "stated"): it must not count
	// against a sentence that has everything else the question asks about.
	idf := idfOf("Meloni", "guarantee", "stated")
	a := analyse("What did Meloni zorblat about the guarantee?", "", idf, nil)
	m := sentenceMatch(a, "Meloni stated that the guarantee would hold.")
	if got := a.share(m.related, nil); got != 1 {
		t.Errorf("coverage with an unseen question word = %v, want 1", got)
	}
	for _, tm := range a.terms {
		if tm.stem == stem("zorblat") && tm.weight != 0 {
			t.Errorf("unseen word weighs %v, want 0", tm.weight)
		}
	}
	// Without any store statistics every word weighs the same.
	b := analyse("What did Meloni zorblat about the guarantee?", "", nil, nil)
	if got := b.share(sentenceMatch(b, "Meloni stated that the guarantee would hold.").related, nil); got >= 1 {
		t.Errorf("without IDF the unknown word should count: %v", got)
	}
}

func TestLemmasAndRelatedWords(t *testing.T) {
	tests := []struct {
		question, sentence string
		exact, related     float64
	}{
		// Derivation: "invading" / "invasion".
		{"Why is Russia invading Ukraine?", "Russia cited this as a justification for its invasion of Ukraine.", 2.0 / 3, 1},
		// Irregular forms: "took" / "take", "won" / "win".
		{"Who took part in the talks?", "Ministers will take part in the talks.", 1, 1},
		{"Which team won the cup?", "The team expects to win the cup.", 1, 1},
		// Unrelated words stay unrelated.
		{"Who won the cup?", "The cup was lost.", 0.5, 0.5},
	}
	for _, tt := range tests {
		a := analyse(tt.question, "", nil, nil)
		m := sentenceMatch(a, tt.sentence)
		if got := a.share(m.exact, nil); !near(got, tt.exact) {
			t.Errorf("%q in %q: exact share %v, want %v", tt.question, tt.sentence, got, tt.exact)
		}
		if got := a.share(m.related, nil); !near(got, tt.related) {
			t.Errorf("%q in %q: related share %v, want %v", tt.question, tt.sentence, got, tt.related)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestAnswerTypeAndFocus(t *testing.T) {
	tests := []struct {
		question, sentence string
		typeMatch, focus   float64
	}{
		{"How many people does Acme employ?", "Acme employs 1,200 people in Leeds.", 1, 1},
		{"How many people does Acme employ?", "Acme made a profit of £5m last year.", 1, 0},
		{"How many people does Acme employ?", "Acme is based in Leeds.", 0, 0},
		{"When did Acme open its plant?", "Acme opened the plant in March 2004.", 1, 0},
		{"When did Acme open its plant?", "Acme opened the plant to great fanfare.", 0, 0},
		{"When will Acme open its plant?", "Acme will open the plant next week.", 1, 0},
		{"When did Acme open its plant?", "Acme opened the plant two years ago.", 1, 0},
		// A clause, a century or a war can say when.
		{"When does Acme close its plant?", "Acme closes the plant when demand falls.", 1, 0},
		{"In what century did Acme open its plant?", "Acme opened the plant in the 19th century.", 1, 0},
		{"When did Acme open its plant?", "Acme opened the plant after World War II.", 1, 0},
		{"When did Acme open its plant?", "The plant dates from 4,000 BC.", 1, 0},
		{"Who runs Acme?", "Acme is run by chief executive Jane Doe.", 1, 0},
		{"Who runs Acme?", "Acme is run well.", 0, 0},
		{"Why did Acme close the plant?", "Acme closed the plant.", 0, 0},
		// "How much" about paying asks for a sum of money: any other number
		// is no answer, and a rise asks for any number.
		{"How much did Acme pay for the plant?", "Acme paid $45bn for the plant.", 1, 0},
		{"How much did Acme pay for the plant?", "Acme paid 142bn euros for the plant.", 1, 0},
		{"How much did Acme pay for the plant?", "Acme bought the plant in 2004 with a 10% stake.", 0, 0},
		{"How much did Acme's sales rise?", "Acme's sales rose 8% to 4.7 million.", 1, 0},
		// The counted thing is the head of the phrase after "how many".
		{"How many ethnic minority Conservative MPs are there?", "There are two ethnic minority Conservative MPs.", 1, 1},
		{"How many ethnic minority Conservative MPs are there?", "Two ethnic minority candidates stand for the Conservatives.", 1, 1},
		{"How many ethnic minority Conservative MPs are there?", "The party has 198 MPs and two ethnic minority candidates.", 1, 1},
		{"How many ethnic minority Conservative MPs are there?", "Ethnic minority voters back the Conservatives by 8%.", 1, 0},
		{"How much prize money do the winners get?", "The winners get 10,000 euros in prize money.", 1, 1},
		// A clause after the wh-word does not change what is asked: no
		// type, so nothing is missing.
		{"What did Acme say when it opened the plant in 2004?", "Acme said it was proud.", 0, 0},
	}
	for _, tt := range tests {
		a := analyse(tt.question, "", nil, nil)
		p := bot.Passage{Article: &bot.Article{Text: tt.sentence}, Sentences: []bot.Span{{Start: 0, End: len(tt.sentence)}}}
		f := featurize(a, []bot.Passage{p})[0].Features
		if f[fType] != tt.typeMatch || f[fTypeFocus] != tt.focus {
			t.Errorf("%q / %q: type_match %v, type_focus %v; want %v, %v", tt.question, tt.sentence, f[fType], f[fTypeFocus], tt.typeMatch, tt.focus)
		}
		// A missing number or sum is value_missing, a missing time
		// time_missing, any other missing type type_missing: the three
		// are fitted apart.
		missing := map[qtype]int{qNumber: fNoValue, qMoney: fNoValue, qTime: fNoTime}
		for _, i := range []int{fNoValue, fNoTime, fNoType} {
			want := 0.0
			if j, ok := missing[a.typ]; (ok && j == i) || (!ok && i == fNoType && a.typ != qOther) {
				want = 1 - tt.typeMatch
			}
			if f[i] != want {
				t.Errorf("%q / %q: %s %v, want %v", tt.question, tt.sentence, FeatureNames[i], f[i], want)
			}
		}
	}
}

func TestFollowUpIsAnsweredOnItsOwnWords(t *testing.T) {
	b := newBot(&memRetriever{arts: []*bot.Article{kenya, rates}}, WithThreshold(0))
	ans, err := b.Ask(context.Background(), bot.Question{
		Text:     "And what about inflation?",
		Previous: []string{"What did the central bank do to interest rates on Tuesday?"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Answered || !strings.HasPrefix(ans.Quotes[0].Text, "Inflation stayed") {
		t.Errorf("follow-up answered with %+v, want the inflation sentence", ans.Quotes)
	}
	// The previous question's words help find the article, but only its
	// names count for the sentence; its own question words do not.
	a := analyse("What did it say?", "What did the central bank do on Tuesday?", nil, nil)
	for _, tm := range a.terms {
		if !tm.context {
			t.Errorf("term %q of the previous question is not marked as context", tm.stem)
		}
	}
}

// TestShortQuestionMayChangeTopic: a short question without a pronoun or
// an opener may be a follow-up or a new topic (the end-to-end case is
// TestChatShortQuestionChangesTopic in cmd/newsbot).
func TestShortQuestionMayChangeTopic(t *testing.T) {
	for _, tt := range []struct {
		text       string
		prev, sure bool
	}{
		{"What did Meloni say?", true, false},
		{"And what did Zelensky say?", true, true},
		{"Why did she say it?", true, true},
		{"How did the central bank change interest rates?", false, false},
	} {
		prev, sure := followUp(bot.Question{Text: tt.text, Previous: []string{"Which bakery won the prize?"}})
		if (prev != "") != tt.prev || sure != tt.sure {
			t.Errorf("followUp(%q) = %q, %v; want context %v, sure %v", tt.text, prev, sure, tt.prev, tt.sure)
		}
	}
}

// TestUnseenFirstName: a capitalised first content word that no stored text
// has ("Macron" in "What did Macron say…?") marks the question as about
// someone the news never mentions, though it weighs as an ordinary word;
// an acronym there does not ("NATO" may be written out in the store).
func TestUnseenFirstName(t *testing.T) {
	idf := idfOf("proposal", "Meloni", "2004", "won", "vote")
	for _, tt := range []struct {
		q      string
		unseen bool
	}{
		{"What did Macron say about the proposal?", true},
		{"What did NATO say about the proposal?", false},
		{"What did Meloni say about the proposal?", false},
		{"Proposal news: what did Meloni say?", false}, // the opening word is capitalised anyway
		// A number nobody wrote is a name for this: the store lacks the
		// events of that year.
		{"Who won the 2022 proposal vote?", true},
		{"Who won the 2004 proposal vote?", false},
	} {
		if got := analyse(tt.q, "", idf, nil).unseenName; got != tt.unseen {
			t.Errorf("%q: unseen name %v, want %v", tt.q, got, tt.unseen)
		}
	}
}
