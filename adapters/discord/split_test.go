package discord

import (
	"strings"
	"testing"
	"unicode"
)

func TestSplitText(t *testing.T) {
	sentences := "One two three. Four five six! Seven eight nine? Ten eleven twelve."
	tests := []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits", "short text", 50, []string{"short text"}},
		{"sentences", sentences, 32, []string{"One two three. Four five six!", "Seven eight nine?", "Ten eleven twelve."}},
		{"words when a sentence cut wastes room", "A. bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee", 30,
			[]string{"A. bbbbbbbbbb cccccccccc", "dddddddddd eeeeeeeeee"}},
		{"newline is a boundary", "first line\nsecond line that is long", 20, []string{"first line", "second line that is", "long"}},
		{"hard cut inside a word", "abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		{"no rune is cut", "ééééé", 4, []string{"éééé", "é"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitText(tt.in, func(p string) bool { return discordLen(p) <= tt.limit })
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSplitKeepsEverything checks that pieces fit and that only whitespace
// at the cuts is lost, for quote rendering of a hostile long text.
func TestSplitKeepsEverything(t *testing.T) {
	_, q := longArticle(t, 60)
	for _, limit := range []int{120, 500, 1999} {
		fits := func(p string) bool { return discordLen(quoteLines(p)) <= limit }
		pieces := splitText(q.Text, fits)
		rest := q.Text
		for i, p := range pieces {
			if !fits(p) {
				t.Fatalf("limit %d: piece %d does not fit", limit, i)
			}
			rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
			if !strings.HasPrefix(rest, p) {
				t.Fatalf("limit %d: piece %d %q is not the next part of the text", limit, i, p)
			}
			rest = rest[len(p):]
		}
		if strings.TrimSpace(rest) != "" {
			t.Fatalf("limit %d: %d bytes left over", limit, len(rest))
		}
	}
}

func TestPack(t *testing.T) {
	got := pack([]string{"aaaa", "bbbb", "cccc", "dddddddddd"}, 10)
	want := []string{"aaaa\n\nbbbb", "cccc", "dddddddddd"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pack = %q, want %q", got, want)
	}
}
