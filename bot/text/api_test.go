package text

import (
	"slices"
	"strings"
	"testing"
)

func TestPeriodEnds(t *testing.T) {
	tests := []struct {
		before, rest string
		want         bool
	}{
		{"It rained", "Then it stopped.", true},
		{"It rained", "", true},
		{"It was agreed by the U.S", "officials met.", false},    // lower case follows
		{"The deal favours the U.S", "The talks went on.", true}, // as Sentences splits it
		{"He met U.S", "President Trump.", false},
		{"She met Dr", "Jones.", false},
		{"By J", "Smith.", false},
		{"It starts at 9 p.m", "Friday.", false},
		{"It starts at 9 p.m", "The doors open.", true},
		{"He bought it from Acme Inc", "The company said.", true},
		{"She spoke (to Dr", "“Jones”.", false}, // past an opening quotation mark
	}
	for _, tt := range tests {
		if got := PeriodEnds(tt.before, tt.rest); got != tt.want {
			t.Errorf("PeriodEnds(%q, %q) = %v, want %v", tt.before, tt.rest, got, tt.want)
		}
		// The same decision as Sentences on the whole text.
		if tt.rest == "" {
			continue
		}
		whole := tt.before + ". " + tt.rest
		if split := len(Sentences(whole)) > 1; split != tt.want {
			t.Errorf("Sentences(%q) splits: %v, PeriodEnds: %v", whole, split, tt.want)
		}
	}
}

func TestIsAbbreviation(t *testing.T) {
	for _, w := range []string{"U.S", "e.g", "Dr", "mr", "Inc", "etc", "Sept", "J", "p.m", "vs", "approx"} {
		if !IsAbbreviation(w) {
			t.Errorf("IsAbbreviation(%q) = false", w)
		}
	}
	for _, w := range []string{"", "rained", "Smith", "1", "U2"} {
		if IsAbbreviation(w) {
			t.Errorf("IsAbbreviation(%q) = true", w)
		}
	}
}

func TestSentenceEnds(t *testing.T) {
	s := "U.S. officials met. They agreed!\n# Heading\nDone"
	var got []int
	for k := range SentenceEnds(s) {
		got = append(got, k)
	}
	slices.Sort(got)
	want := []int{strings.Index(s, " They"), strings.Index(s, "\n#"), len(s)}
	if !slices.Equal(got, want) {
		t.Errorf("SentenceEnds = %v, want %v", got, want)
	}
}

func TestWords(t *testing.T) {
	var got []string
	Words("Italy's 2,225 jobs: 1.5% up, don't.", func(w string, start, end int) {
		got = append(got, w)
	})
	want := []string{"Italy", "s", "2,225", "jobs", "1.5", "up", "don", "t"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if st := Stems("The invaders were invading"); !slices.Equal(st, []string{"invad", "invad"}) {
		t.Errorf("Stems = %q", st)
	}
	if !IsStopWord("the") || IsStopWord("invasion") {
		t.Error("IsStopWord")
	}
}

func TestWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "\xff": 1, "日本": 2} {
		if got := UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
	if got := Truncate("Hello wide world", 7); got != "Hello…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("short", 7); got != "short" {
		t.Errorf("Truncate = %q", got)
	}
}

func TestFieldHelpers(t *testing.T) {
	for _, s := range []string{"", "  ", "one", " one two\u00a0three\t", "a\u2003b\n", "x \xff y\xff", "J. K. Rowling,"} {
		f := strings.Fields(s)
		last, ok := lastField(s)
		if ok != (len(f) > 0) || ok && last != f[len(f)-1] {
			t.Errorf("lastField(%q) = %q, %v; Fields says %q", s, last, ok, f)
		}
		if got, want := firstFields(s, 2), f[:min(2, len(f))]; !slices.Equal(got, want) {
			t.Errorf("firstFields(%q, 2) = %q, want %q", s, got, want)
		}
	}
}

// BenchmarkSentencesInitials splits a run of initials, each of whose full
// stops asks what comes before and after it: the cost must stay linear in
// the text, not grow with the square of it (60 KB once took 11 s).
func BenchmarkSentencesInitials(b *testing.B) {
	s := strings.Repeat("J. ", 20000)
	for b.Loop() {
		Sentences(s)
	}
}
