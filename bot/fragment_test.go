package bot

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteLink(t *testing.T) {
	const page = "https://example.com/world/meloni-budget"
	tests := []struct {
		name, url, text, want string
	}{
		{"short quote whole", page, "Meloni defended her budget on Tuesday.",
			page + "#:~:text=Meloni%20defended%20her%20budget%20on%20Tuesday%2E"},
		{"long quote as a range", page,
			`"We will not raise taxes on families," Meloni told the Senate on a long and busy Tuesday.`,
			page + "#:~:text=%22We%20will%20not%20raise%20taxes,a%20long%20and%20busy%20Tuesday%2E"},
		{"dashes commas ampersands", page, "Prices rose 3-4%, R&D fell - said A-B.",
			page + "#:~:text=Prices%20rose%203%2D4%25%2C%20R%26D%20fell%20%2D%20said%20A%2DB%2E"},
		{"non-ASCII", "https://example.de/artikel", "Die Regierung äußerte sich „zurückhaltend“ — 😀.",
			"https://example.de/artikel#:~:text=Die%20Regierung%20%C3%A4u%C3%9Ferte%20sich%20%E2%80%9Ezur%C3%BCckhaltend%E2%80%9C%20%E2%80%94%20%F0%9F%98%80%2E"},
		{"white space collapsed", page, "  The  vote\tpassed   12 to 3  ",
			page + "#:~:text=The%20vote%20passed%2012%20to%203"},
		{"newlines make a range of the first and last lines", page, "He said:\n\nfirst line\n> last line",
			page + "#:~:text=He%20said:,%3E%20last%20line"},
		{"existing fragment kept", page + "#section-2", "The vote passed.",
			page + "#section-2:~:text=The%20vote%20passed%2E"},
		{"existing directive replaced", page + "#top:~:text=other", "The vote passed.",
			page + "#top:~:text=The%20vote%20passed%2E"},
		{"empty fragment", page + "#", "The vote passed.", page + "#:~:text=The%20vote%20passed%2E"},
		{"query kept", "https://example.org/kyiv?id=7&lang=en", "Talks were productive.",
			"https://example.org/kyiv?id=7&lang=en#:~:text=Talks%20were%20productive%2E"},
		{"http and upper-case scheme", "HTTP://example.org/a", "Yes.", "HTTP://example.org/a#:~:text=Yes%2E"},
		{"hidden characters dropped", page, "The\u200b vote\u202e passed",
			page + "#:~:text=The%20vote%20passed"},
		{"reserved characters encoded", page, "a#b (c) 'd' \"e\" *f* !g +h @everyone $5",
			page + "#:~:text=a%23b%20%28c%29%20%27d%27%20%22e%22%20%2Af%2A%20%21g%20%2Bh%20%40everyone%20%245"},
		{"no URL", "", "The vote passed.", ""},
		{"blank URL", "  ", "The vote passed.", ""},
		{"not http", "javascript:alert(1)", "The vote passed.", "javascript:alert(1)"},
		{"relative", "/world/a", "The vote passed.", "/world/a"},
		{"no words", page, " \n\u200b ", page},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Quote{Text: tt.text, URL: tt.url}).Link(); got != tt.want {
				t.Errorf("Link() =\n %s\nwant\n %s", got, tt.want)
			}
		})
	}
}

func TestQuoteLinkLongWords(t *testing.T) {
	// Ten words of 60 bytes: whole, the fragment would be long; as a range
	// each end is cut to what fits, one word at the least.
	word := strings.Repeat("ж", 30)
	text := strings.TrimSpace(strings.Repeat(word+" ", 10))
	link := Quote{Text: text, URL: "https://example.com/a"}.Link()
	terms := fragmentTerms(t, link)
	if len(terms) != 2 {
		t.Fatalf("terms %q, want a start and an end", terms)
	}
	for _, term := range terms {
		if n := len(strings.Fields(term)); n < 1 || n > 2 {
			t.Errorf("term %q has %d words", term, n)
		}
	}
	one := strings.Repeat("x", 500)
	if got := fragmentTerms(t, Quote{Text: one, URL: "https://example.com/a"}.Link()); !slices.Equal(got, []string{one}) {
		t.Errorf("a one-word quote gives %q", got)
	}
}

// fragmentTerms decodes the text directive of link: its start (or whole
// text) and its end, failing the test if it is not well formed.
func fragmentTerms(t *testing.T, link string) []string {
	t.Helper()
	_, frag, ok := strings.Cut(link, "#")
	if !ok {
		t.Fatalf("%q has no fragment", link)
	}
	i := strings.Index(frag, fragmentDelimiter+"text=")
	if i < 0 {
		t.Fatalf("%q has no text directive", link)
	}
	dir := frag[i+len(fragmentDelimiter+"text="):]
	if strings.ContainsAny(dir, "&- #\"<>`'()@") {
		t.Fatalf("directive %q holds a character it must encode", dir)
	}
	params := strings.Split(dir, ",")
	if len(params) > 2 {
		t.Fatalf("directive %q has %d parameters", dir, len(params))
	}
	var out []string
	for _, p := range params {
		d, err := url.PathUnescape(p)
		if err != nil || d == "" || !utf8.ValidString(d) {
			t.Fatalf("parameter %q decodes to %q, %v", p, d, err)
		}
		out = append(out, d)
	}
	if _, err := url.Parse(link); err != nil {
		t.Fatalf("link %q does not parse: %v", link, err)
	}
	return out
}

// FuzzQuoteLink checks that a quote's link parses back to its words: the
// whole quote, or a start that is a prefix of its words and an end that is
// a suffix, with nothing left unencoded that the spec reserves.
func FuzzQuoteLink(f *testing.F) {
	for _, s := range []string{
		"Meloni defended her budget on Tuesday.",
		"\"We will not raise taxes on families,\" Meloni told the Senate on a long and busy day.",
		"3-4%, R&D, a#b, 50% + 1",
		"He said:\n\nfirst line\n> last line",
		"Die Regierung äußerte sich „zurückhaltend“ — 😀",
		"\u202e\u200b",
		"a\x00b\xffc",
	} {
		f.Add(s)
	}
	const page = "https://example.com/a?b=1#top"
	f.Fuzz(func(t *testing.T, text string) {
		link := Quote{Text: text, URL: page}.Link()
		words := strings.Fields(Display(strings.ToValidUTF8(text, "\uFFFD")))
		if len(words) == 0 {
			if link != page {
				t.Fatalf("a quote without words got link %q", link)
			}
			return
		}
		if !strings.HasPrefix(link, page+fragmentDelimiter+"text=") {
			t.Fatalf("link %q does not extend %q", link, page)
		}
		terms := fragmentTerms(t, link)
		start := strings.Fields(terms[0])
		if len(terms) == 1 {
			if !slices.Equal(start, words) {
				t.Fatalf("whole-text fragment %q, want the quote's words %q", terms[0], words)
			}
			return
		}
		end := strings.Fields(terms[1])
		if len(start) == 0 || !slices.Equal(start, words[:min(len(start), len(words))]) {
			t.Fatalf("start %q is not a prefix of %q", start, words)
		}
		if len(end) == 0 || len(end) > len(words) || !slices.Equal(end, words[len(words)-len(end):]) {
			t.Fatalf("end %q is not a suffix of %q", end, words)
		}
		if len(start)+len(end) > len(words) {
			t.Fatalf("start %q and end %q overlap in %q", start, end, words)
		}
	})
}
