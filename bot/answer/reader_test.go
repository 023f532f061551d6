package answer

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"newsbot/bot"
)

// keywordReader is a stand-in Reader: a sentence holding word gets a high
// log-odds, any other a low one.
type keywordReader struct {
	word  string
	calls int
	seen  int
	err   error
}

func (r *keywordReader) Logits(_ context.Context, _ string, sentences []string) ([]float32, error) {
	r.calls++
	r.seen += len(sentences)
	if r.err != nil {
		return nil, r.err
	}
	out := make([]float32, len(sentences))
	for i, s := range sentences {
		out[i] = -4
		if strings.Contains(s, r.word) {
			out[i] = 4
		}
	}
	return out, nil
}

func readerTestArticle() *bot.Article {
	return &bot.Article{ID: "r", Title: "Harbour", Text: "The harbour authority met on Monday. " +
		"The quay will reopen in May after repairs. The harbour authority thanked the divers."}
}

// TestReaderRanks checks that the reader's output reaches the answer model:
// with a model that weighs only the reader, the sentence the reader likes is
// quoted, although the others share more words with the question.
func TestReaderRanks(t *testing.T) {
	m := &Model{Features: FeatureNames, Weights: make([]float64, NumFeatures), Threshold: 0.5}
	m.Weights[fReader] = 1
	m.Weights[fUnread] = -10
	rd := &keywordReader{word: "reopen"}
	x := New(&memRetriever{arts: []*bot.Article{readerTestArticle()}}, WithReader(rd), WithModel(m))
	ans, err := bot.New(x).Ask(context.Background(), bot.Question{Text: "When does the harbour authority open the dock again?"})
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Answered || !strings.Contains(ans.Quotes[0].Text, "reopen") {
		t.Fatalf("got %+v", ans)
	}
	if rd.calls != 1 || rd.seen != 3 {
		t.Errorf("reader called %d times on %d sentences, want once on 3", rd.calls, rd.seen)
	}
	if got, _ := x.Model(); got != m {
		t.Error("WithModel did not win over the reader's default model")
	}
}

func TestReaderLimitsAndFailures(t *testing.T) {
	// Only the preselect model's best ReaderCandidates sentences are read.
	var text strings.Builder
	for i := range ReaderCandidates + 5 {
		text.WriteString("The harbour quay number " + strings.Repeat("x", i+1) + " reopens. ")
	}
	a := &bot.Article{ID: "many", Text: strings.TrimSpace(text.String())}
	rd := &keywordReader{word: "reopen"}
	x := New(&memRetriever{arts: []*bot.Article{a}}, WithReader(rd))
	p, err := x.Pool(context.Background(), bot.Question{Text: "Which harbour quay reopens?"})
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, c := range p.Candidates {
		if c.Features[fUnread] == 0 {
			read++
			if c.Features[fReader] != 4 || c.Features[fGapReader] != 0 {
				t.Errorf("read candidate features %v %v", c.Features[fReader], c.Features[fGapReader])
			}
		}
	}
	if read != ReaderCandidates || rd.seen != ReaderCandidates {
		t.Errorf("%d candidates read, reader saw %d, want %d", read, rd.seen, ReaderCandidates)
	}

	// A failing reader fails the question with a short message, not a crash.
	rd = &keywordReader{word: "x", err: errors.New("boom")}
	b := newBot(&memRetriever{arts: []*bot.Article{readerTestArticle()}}, WithReader(rd))
	_, err = b.Ask(context.Background(), bot.Question{Text: "When does the quay reopen?"})
	if err == nil || !strings.Contains(bot.UserMessage(err), "couldn't read") {
		t.Errorf("error %v (user message %q)", err, bot.UserMessage(err))
	}

	// Without a reader every candidate is unread and the preselect model answers.
	x = New(&memRetriever{arts: []*bot.Article{readerTestArticle()}})
	if got, _ := x.Model(); got != preselectModel {
		t.Error("without a reader the preselect model should answer")
	}
	p, _ = x.Pool(context.Background(), bot.Question{Text: "When does the quay reopen?"})
	for _, c := range p.Candidates {
		if c.Features[fUnread] != 1 || c.Features[fReader] != 0 {
			t.Errorf("unread candidate has reader features %v", c.Features)
		}
	}
}

func TestPreselectModel(t *testing.T) {
	m := PreselectModel()
	for _, f := range []int{fReader, fGapReader, fUnread} {
		if m.Weights[f] != 0 {
			t.Errorf("preselect weighs %s", FeatureNames[f])
		}
	}
	// Only reader features may be missing from a preselect file.
	short := Model{Features: FeatureNames[:fReader], Weights: make([]float64, fReader), Threshold: 0.2}
	data, _ := json.Marshal(short)
	if _, err := parseModel(data, readerFeatures); err != nil {
		t.Errorf("a model without reader features: %v", err)
	}
	if _, err := ParseModel(data); err == nil {
		t.Error("the answer model must name every feature")
	}
	short.Features, short.Weights = FeatureNames[1:fReader], make([]float64, fReader-1)
	data, _ = json.Marshal(short)
	if _, err := parseModel(data, readerFeatures); err == nil {
		t.Error("a model missing a hand-built feature was accepted")
	}
}
