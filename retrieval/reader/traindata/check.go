package traindata

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/bot/text"
)

// CopyN is the longest run of consecutive words a question may share with
// its article: five in a row is copying, not asking.
const CopyN = 5

// Check verifies one row against the corpus and the list of articles that
// training data may be written about. It returns every problem found.
func Check(r Row, corpus map[string]*Article, allowed map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{r.ID}, args...)...))
	}
	if r.ID == "" {
		bad("no id")
	}
	if strings.TrimSpace(r.Question) == "" {
		bad("empty question")
	}
	if r.DocID != "" && !allowed[r.DocID] {
		bad("article %q is not in train_articles.txt", r.DocID)
	}
	a := corpus[r.DocID]
	if r.DocID != "" && a == nil {
		bad("article %q is not in the corpus", r.DocID)
		return errs
	}
	if a != nil {
		if run := CopiedRun(r.Question, a.Text); run != "" {
			bad("copies %d words from the article: %q", CopyN, run)
		}
	}
	if r.Unanswerable {
		switch {
		case r.Kind != "near" && r.Kind != "chat":
			bad("unanswerable kind %q, want near or chat", r.Kind)
		case r.Kind == "near" && r.DocID == "":
			bad("a near miss names its article")
		case r.Kind == "chat" && r.DocID != "":
			bad("a chat question names no article")
		}
		if r.Start != 0 || r.End != 0 || len(r.Answers) > 0 || r.Type != "" {
			bad("an unanswerable row has no span, answers or type")
		}
		return errs
	}
	if !slices.Contains(Types, r.Type) {
		bad("type %q is not one of %v", r.Type, Types)
	}
	if a == nil {
		bad("an answerable row names its article")
		return errs
	}
	if r.Start < 0 || r.End <= r.Start || r.End > len(a.Text) {
		bad("span [%d,%d) outside the text (%d bytes)", r.Start, r.End, len(a.Text))
		return errs
	}
	if !utf8.RuneStart(a.Text[r.Start]) || (r.End < len(a.Text) && !utf8.RuneStart(a.Text[r.End])) {
		bad("span [%d,%d) splits a character", r.Start, r.End)
	}
	span := a.Text[r.Start:r.End]
	if len(r.Answers) == 0 {
		bad("no answers")
	}
	for _, ans := range r.Answers {
		if strings.TrimSpace(ans) == "" || !strings.Contains(span, ans) {
			bad("answer %q is not in the gold sentence", ans)
		}
	}
	return errs
}

// words lower-cases s and splits it into runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// CopiedRun returns the first run of CopyN consecutive words of the question
// that also stands, word for word, in the text; "" when there is none.
func CopiedRun(question, text string) string {
	qw := words(question)
	if len(qw) < CopyN {
		return ""
	}
	tw := words(text)
	grams := make(map[string]bool, len(tw))
	for i := 0; i+CopyN <= len(tw); i++ {
		grams[strings.Join(tw[i:i+CopyN], " ")] = true
	}
	for i := 0; i+CopyN <= len(qw); i++ {
		if g := strings.Join(qw[i:i+CopyN], " "); grams[g] {
			return g
		}
	}
	return ""
}

// SharedContent counts the content words (stop words dropped, stemmed) that
// the question shares with the sentence, names aside: a word written with a
// capital inside the sentence is taken for a name and not counted.
func SharedContent(question, sentence string) int {
	names := map[string]bool{}
	for i, t := range text.Terms(sentence) {
		r, _ := utf8.DecodeRuneInString(sentence[t.Start:])
		if i > 0 && unicode.IsUpper(r) || unicode.IsDigit(r) {
			names[t.Stem] = true
		}
	}
	sent := map[string]bool{}
	for _, s := range text.Stems(sentence) {
		sent[s] = true
	}
	seen := map[string]bool{}
	n := 0
	for _, s := range text.Stems(question) {
		if sent[s] && !names[s] && !seen[s] {
			seen[s] = true
			n++
		}
	}
	return n
}
