package traindata

import (
	"os"
	"path/filepath"
	"testing"
)

const shared = "../../../../shared"

// TestRows checks every committed training row against the BBC corpus and
// the list of articles training data may be written about: offsets inside
// the text, answers inside the gold sentence, no five words copied, no
// article outside the list. CI has ../shared beside the clone; a checkout
// without it skips.
func TestRows(t *testing.T) {
	corpusPath := filepath.Join(shared, "eval/bbc/news_corpus.jsonl")
	if _, err := os.Stat(corpusPath); err != nil {
		t.Skip("../shared/eval absent")
	}
	corpus, err := LoadCorpus(corpusPath)
	if err != nil {
		t.Fatal(err)
	}
	allowed, err := LoadIDs(filepath.Join(shared, "eval/news/train_articles.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := LoadRows(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no training rows found")
	}
	ids := map[string]bool{}
	for _, r := range rows {
		if ids[r.ID] {
			t.Errorf("%s: id used twice", r.ID)
		}
		ids[r.ID] = true
		for _, err := range Check(r, corpus, allowed) {
			t.Error(err)
		}
	}
	t.Logf("%d rows checked", len(rows))
}

func TestCheckRejects(t *testing.T) {
	corpus := map[string]*Article{
		"a": {ID: "a", Text: "The harbour authority said on Monday that the quay will reopen in May."},
		"b": {ID: "b", Text: "Other text."},
	}
	allowed := map[string]bool{"a": true}
	ok := Row{ID: "ok", DocID: "a", Question: "When does the dock open again?", Type: "when", Start: 0, End: 70, Answers: []string{"in May"}}
	if errs := Check(ok, corpus, allowed); len(errs) != 0 {
		t.Fatalf("good row rejected: %v", errs)
	}
	for name, r := range map[string]Row{
		"outside list":      {ID: "x", DocID: "b", Question: "What?", Type: "what", Start: 0, End: 5, Answers: []string{"Other"}},
		"unknown article":   {ID: "x", DocID: "zz", Question: "What?", Type: "what"},
		"span past end":     {ID: "x", DocID: "a", Question: "When?", Type: "when", Start: 0, End: 500, Answers: []string{"May"}},
		"answer not in":     {ID: "x", DocID: "a", Question: "When?", Type: "when", Start: 0, End: 20, Answers: []string{"May"}},
		"bad type":          {ID: "x", DocID: "a", Question: "When?", Type: "whence", Start: 0, End: 70, Answers: []string{"May"}},
		"copied five":       {ID: "x", DocID: "a", Question: "Did the harbour authority said on Monday anything?", Type: "yes-no", Start: 0, End: 70, Answers: []string{"said"}},
		"no answers":        {ID: "x", DocID: "a", Question: "When?", Type: "when", Start: 0, End: 70},
		"chat with doc":     {ID: "x", DocID: "a", Question: "hi", Unanswerable: true, Kind: "chat"},
		"near without doc":  {ID: "x", Question: "hi", Unanswerable: true, Kind: "near"},
		"unanswerable span": {ID: "x", DocID: "a", Question: "Who?", Unanswerable: true, Kind: "near", Start: 1, End: 5},
		"empty question":    {ID: "x", DocID: "a", Question: " ", Type: "when", Start: 0, End: 70, Answers: []string{"May"}},
	} {
		if errs := Check(r, corpus, allowed); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestSharedContent(t *testing.T) {
	s := "Shares in Nokia fell sharply after the firm cut its sales forecast."
	for _, tt := range []struct {
		q    string
		want int
	}{
		{"Why did Nokia stock drop?", 0},          // the name does not count
		{"Why did Nokia shares drop sharply?", 2}, // shares, fell/fall
		{"What happened to the forecast for sales?", 2},
	} {
		if got := SharedContent(tt.q, s); got != tt.want {
			t.Errorf("SharedContent(%q) = %d, want %d", tt.q, got, tt.want)
		}
	}
}
