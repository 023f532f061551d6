package answer

import (
	"slices"
	"testing"
)

func TestQuestionType(t *testing.T) {
	tests := []struct {
		q    string
		want qtype
	}{
		{"How many people does Acme employ?", qNumber},
		{"By how much did output rise?", qNumber},
		{"How much did Chelsea pay for Robben?", qMoney},
		{"How much money has Italy given Ukraine?", qMoney},
		{"How did the plant close?", qOther},
		{"When will the plant open?", qTime},
		{"In what year did the plant open?", qTime},
		{"Who runs Acme?", qPerson},
		{"Where is the plant?", qPlace},
		{"Which country hosts the summit?", qPlace},
		{"Why did Acme close the plant?", qReason},
		{"How come Acme closed the plant?", qReason},
		{"Whereabouts is the plant?", qPlace},
		{"What was behind the fall in sales?", qReason},
		{"What reason has Russia given for the invasion?", qReason},
		{"What led to the strike?", qReason},
		// Only the wh-word that opens the question counts: a clause
		// inside it says when or who, not what is asked.
		{"What did DiCaprio say about Scorsese when he picked up his award?", qOther},
		{"Who was the leader when the Franks entered the valley?", qPerson},
		{"What did the man who founded Acme say?", qOther},
		{"What happens to the norm when a number is multiplied by p?", qOther},
		{"Did the plant close?", qOther},
		{"Who's running Acme now?", qPerson},
		{"What's the reason for the strike?", qReason},
		// A clause before a comma, then the question proper.
		{"When imperialism changes a state's norms, what is it called?", qOther},
		{"Although the city is built up, how much of it is undeveloped?", qNumber},
		{"Who, when asked, said no?", qPerson},
	}
	for _, tt := range tests {
		if got := questionType(tt.q); got != tt.want {
			t.Errorf("questionType(%q) = %d, want %d", tt.q, got, tt.want)
		}
	}
}

func TestFocusOf(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"How many people does Acme employ?", []string{stem("people")}},
		{"How many ethnic minority Conservative MPs are there?", []string{stem("ethnic"), stem("mps")}},
		{"How many people work in Chile's mines?", []string{stem("people"), stem("work")}},
		{"How much prize money do winners get?", []string{stem("prize"), stem("money")}},
		{"How many of them came?", nil},
		{"When did it open?", nil},
	}
	for _, tt := range tests {
		if got := focusOf(tt.q, questionType(tt.q)); !slices.Equal(got, tt.want) {
			t.Errorf("focusOf(%q) = %q, want %q", tt.q, got, tt.want)
		}
	}
}
