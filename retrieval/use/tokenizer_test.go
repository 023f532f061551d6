package use

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestTokenizeReference(t *testing.T) {
	m := testModel(t)
	for _, path := range []string{"testdata/reference.json", "testdata/extra.json"} {
		g := loadGolden(t, path)
		for i, s := range g.Sentences {
			if got := m.Tokenize(s); !slices.Equal(got, g.Tokens[i]) {
				t.Errorf("%s: Tokenize(%.40q)\n got %v\nwant %v", path, s, got, g.Tokens[i])
			}
		}
	}
}

// TestTokenizeRuntimeCorpus compares with the runtime's ids for edge cases
// (empty and blank input, control characters, NFKC compatibility forms,
// combining marks, emoji and other non-BMP text, scripts without
// vocabulary, the odd ":30"/":00" scores) and 400 random strings.
func TestTokenizeRuntimeCorpus(t *testing.T) {
	m := testModel(t)
	b, err := os.ReadFile("testdata/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Texts  []string `json:"texts"`
		Tokens [][]int  `json:"tokens"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Texts) == 0 || len(c.Texts) != len(c.Tokens) {
		t.Fatalf("tokenizer.json: %d texts, %d token lists", len(c.Texts), len(c.Tokens))
	}
	bad := 0
	for i, s := range c.Texts {
		got := m.Tokenize(s)
		if len(got) == 0 && len(c.Tokens[i]) == 0 {
			continue
		}
		if !slices.Equal(got, c.Tokens[i]) {
			if bad++; bad <= 10 {
				t.Errorf("Tokenize(%q)\n got %v\nwant %v", s, got, c.Tokens[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d texts tokenized differently from the runtime", bad, len(c.Texts))
	}
}

func TestTokenizeInvalidUTF8(t *testing.T) {
	m := testModel(t)
	tests := []struct{ bad, fixed string }{
		{"caf\xe9 au lait", "caf\uFFFD au lait"},
		{"\xff\xfe news", "\uFFFD news"},
		{"trailing \xe2\x82", "trailing \uFFFD"},
	}
	for _, tt := range tests {
		got, want := m.Tokenize(tt.bad), m.Tokenize(tt.fixed)
		if !slices.Equal(got, want) {
			t.Errorf("Tokenize(%q) = %v, want %v as for %q", tt.bad, got, want, tt.fixed)
		}
		if !slices.Contains(got, unknownID) {
			t.Errorf("Tokenize(%q) = %v, want an unknown token", tt.bad, got)
		}
	}
}

func TestTokenizeLongTextNotCut(t *testing.T) {
	m := testModel(t)
	text := strings.Repeat("The central bank raised interest rates. ", 40)
	if n := len(m.Tokenize(text)); n <= MaxTokens {
		t.Errorf("Tokenize of a 280-word text gave %d ids, want more than %d (Tokenize must not cut)", n, MaxTokens)
	}
}
