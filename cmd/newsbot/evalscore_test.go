package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestEvalCountsOnlyTheGoldArticle: with a doc_id, a quote holding the
// answer string from another article is no hit, while one from an article
// with identical text is; questions with a type are reported per type, and
// --folds adds fitted and cross-validated figures.
func TestEvalCountsOnlyTheGoldArticle(t *testing.T) {
	docs, qs, un := evalFixture(t)
	m, out, _ := testMain(t, nil)
	if err := m.Run(context.Background(), []string{"eval", "--docs", docs, "--questions", qs, "--unanswerable", un,
		"--threshold", "0", "--folds", "2", "--json"}); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		QuoteHit    float64 `json:"quote_hit"`
		TopQuoteHit float64 `json:"top_quote_hit"`
		ByType      map[string]struct {
			Questions int     `json:"questions"`
			QuoteHit  float64 `json:"quote_hit"`
		} `json:"by_type"`
		OutOfScopeRefused *float64        `json:"out_of_scope_refused"`
		Fitted            json.RawMessage `json:"fitted"`
		CrossValidated    *struct {
			Folds int `json:"folds"`
		} `json:"cross_validated"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.ByType["how-many"].QuoteHit != 1 || rep.ByType["how-many"].Questions != 1 {
		t.Errorf("the identical copy of the gold article should count: %+v", rep.ByType)
	}
	if rep.ByType["when"].QuoteHit != 0 {
		t.Errorf("a quote from another article than doc_id counted as a hit: %+v", rep.ByType)
	}
	if rep.QuoteHit != 0.5 {
		t.Errorf("quote_hit = %v, want 0.5", rep.QuoteHit)
	}
	if rep.OutOfScopeRefused == nil || len(rep.Fitted) == 0 || rep.CrossValidated == nil || rep.CrossValidated.Folds != 2 {
		t.Errorf("missing out_of_scope_refused, fitted or cross_validated:\n%s", out)
	}
}

// TestEvalPerArticle: --per-article asks each question in a store holding
// only its own article (so "When did the Kariba dam open?", whose doc_id is
// the bridge article, finds no Monday there), reports it as a set of its
// own, and never fits on it.
func TestEvalPerArticle(t *testing.T) {
	docs, qs, un := evalFixture(t)
	samples := map[bool]float64{}
	for _, per := range []bool{false, true} {
		m, out, _ := testMain(t, nil)
		fit := filepath.Join(t.TempDir(), "w.json")
		args := []string{"eval", "--docs", docs, "--questions", qs, "--unanswerable", un, "--threshold", "0", "--fit", fit, "--json"}
		if per {
			args = append(args, "--per-article")
		}
		if err := m.Run(context.Background(), args); err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Also []struct {
				Questions         int      `json:"questions"`
				QuoteHit          float64  `json:"quote_hit"`
				OutOfScopeRefused *float64 `json:"out_of_scope_refused"`
			} `json:"also"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var w struct {
			Fit struct {
				Samples float64 `json:"samples"`
			} `json:"fit"`
		}
		data, err := os.ReadFile(fit)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &w); err != nil {
			t.Fatal(err)
		}
		samples[per] = w.Fit.Samples
		if !per {
			if len(rep.Also) != 0 {
				t.Errorf("without --per-article: %d more sets", len(rep.Also))
			}
			continue
		}
		if len(rep.Also) != 1 {
			t.Fatalf("with --per-article: %d more sets, want 1:\n%s", len(rep.Also), out)
		}
		a := rep.Also[0]
		if a.Questions != 2 || a.QuoteHit != 0.5 || a.OutOfScopeRefused == nil || *a.OutOfScopeRefused != 0 {
			t.Errorf("one-article stores: %+v, want 2 questions, quote_hit 0.5, the near miss answered at threshold 0", a)
		}
	}
	if samples[true] != samples[false] || samples[false] == 0 {
		t.Errorf("fitted samples %v with --per-article, %v without: the one-article stores must not be fitted on", samples[true], samples[false])
	}
}

// evalFixture writes three articles (two identical), two typed questions
// and one near miss, and returns the three files.
func evalFixture(t *testing.T) (docs, qs, un string) {
	t.Helper()
	dir := t.TempDir()
	docs = filepath.Join(dir, "docs.jsonl")
	qs = filepath.Join(dir, "q.jsonl")
	un = filepath.Join(dir, "u.jsonl")
	os.WriteFile(docs, []byte(`{"id":"d1","title":"Dam","text":"The Kariba dam opened on Monday. It will power 2 million homes."}
{"id":"d2","title":"Dam copy","text":"The Kariba dam opened on Monday. It will power 2 million homes."}
{"id":"d3","title":"Bridge","text":"The Tay bridge closed for repairs. Commuters must use the ferry until May."}
`), 0o644)
	// q1's gold is d2, an exact copy of d1 (the store keeps one of them);
	// q2's gold answer "Monday" is in d1, but its doc_id says d3.
	os.WriteFile(qs, []byte(`{"id":"q1","question":"How many homes will the Kariba dam power?","answers":["2 million"],"doc_id":"d2","type":"how-many"}
{"id":"q2","question":"When did the Kariba dam open?","answers":["Monday"],"doc_id":"d3","type":"when"}
`), 0o644)
	os.WriteFile(un, []byte(`{"id":"u1","question":"Who designed the Tay bridge?","near_doc":"d3"}
`), 0o644)
	return docs, qs, un
}
