package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDisplay(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "The minister said \"no\".", "The minister said \"no\"."},
		{"right-to-left override", "Invoice \u202Efdp.exe\u202C paid", "Invoice fdp.exe paid"},
		{"unterminated override", "quote \u202Edrawkcab", "quote drawkcab"},
		{"isolates", "\u2067abc\u2069 and \u2068x\u2069", "abc and x"},
		{"embeddings", "\u202Aa\u202Bb\u202Cc", "abc"},
		{"zero-width space and joiner", "B\u200BB\u2060C\uFEFF", "BBC"},
		{"terminal escape", "red \x1b[31mtext\x1b[0m\x07 \u009b2J", "red [31mtext[0m 2J"},
		{"kept: tabs and newlines", "a\tb\nc", "a\tb\nc"},
		{"kept: emoji ZWJ sequence", "family 👨\u200D👩\u200D👧", "family 👨\u200D👩\u200D👧"},
		{"kept: Persian ZWNJ and marks", "می\u200Cخواهم \u200Fשלום\u200E", "می\u200Cخواهم \u200Fשלום\u200E"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Display(tt.in); got != tt.want {
				t.Errorf("Display(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzDisplay(f *testing.F) {
	for _, s := range []string{"", "abc", "\u202Eevil\u202C", "a\x00b\x1b[0m", "👨\u200D👩", "caf\xe9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Display(s)
		if Display(got) != got {
			t.Fatalf("Display is not idempotent on %q", s)
		}
		if !utf8.ValidString(s) {
			return // renderers make text valid first; Map turns bad bytes into U+FFFD
		}
		// got is s with some runes removed, and only hidden ones.
		rest := got
		for _, r := range s {
			if after, ok := strings.CutPrefix(rest, string(r)); ok {
				rest = after
			} else if !hidden(r) {
				t.Fatalf("Display(%q) = %q dropped visible %U", s, got, r)
			}
		}
		if rest != "" {
			t.Fatalf("Display(%q) = %q added %q", s, got, rest)
		}
		if strings.IndexFunc(got, hidden) >= 0 {
			t.Fatalf("Display(%q) = %q still holds a hidden character", s, got)
		}
	})
}
