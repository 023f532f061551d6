package index

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"newsbot/bot"
	"newsbot/bot/text"
)

// fuzzTexts seeds the splitter and chunker fuzzers with the shapes that
// have hurt sentence splitters before: abbreviations, numbers, ellipses,
// closing quotes, invalid UTF-8, bidi and zero-width characters.
var fuzzTexts = []string{
	"",
	"One. Two! Three?",
	"Dr. Smith met the U.S. envoy at 1.5 p.m. on Monday. Then he left.",
	"\"Quoted.\" (Bracketed.) «Guillemets.» ...and… then?!",
	"line one\nline two\r\nline three\n\n\n",
	"  \t leading and trailing white space \u00a0 ",
	"caf\xe9 \xff\xfe broken. UTF-8.",
	"Bidi \u202eevil\u202c text. Zero\u200bwidth\u200d join.",
	strings.Repeat("word ", 300) + ".",
	"J. K. Rowling wrote. A. B.",
	"\u2028separator\u2029 paragraph. \x00 NUL.",
	"U.S. President Trump. “Yes,” she said.\nNext…",
	"# 0000000",
	"## Detours\nRoads close. Buses run.\n### Later\n#NoHeading here.",
	"a. b. c.",
}

// checkSpans reports a span that is empty, out of range, not on a UTF-8
// boundary, padded with white space, out of order or overlapping, a span
// that reaches into a Markdown heading line (headings are never quoted),
// and non-space text outside the heading lines that no span covers.
func checkSpans(t *testing.T, text string, spans []bot.Span) {
	t.Helper()
	heading := headingBytes(text)
	boundary := runeStarts(text)
	covered := make([]bool, len(text))
	prev := 0
	for i, s := range spans {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("span %d %v is empty, out of order or out of range (previous end %d, len %d)", i, s, prev, len(text))
		}
		if !boundary[s.Start] || !boundary[s.End] {
			t.Fatalf("span %d %v is not on a UTF-8 boundary of %q", i, s, text)
		}
		piece := text[s.Start:s.End]
		if strings.TrimFunc(piece, unicode.IsSpace) != piece {
			t.Errorf("span %d %q is padded with white space", i, piece)
		}
		for j := s.Start; j < s.End; j++ {
			if heading[j] {
				t.Fatalf("span %d %q reaches into a heading line of %q", i, piece, text)
			}
			covered[j] = true
		}
		prev = s.End
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) && !covered[i] && !heading[i] {
			t.Fatalf("byte %d (%q) of %q lies in no span", i, r, text)
		}
		i += n
	}
}

// headingLine matches a Markdown ATX heading line: one to six "#", then a
// space or tab.
var headingLine = regexp.MustCompile(`^#{1,6}[ \t]`)

// headingBytes marks the bytes of text that lie on heading lines, from the
// "#" up to the line's newline.
func headingBytes(text string) []bool {
	in := make([]bool, len(text))
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if headingLine.MatchString(text[start:end]) {
			for j := start; j < end; j++ {
				in[j] = true
			}
		}
		start = end + 1
	}
	return in
}

// runeStarts marks the offsets of text at which a rune starts, and its
// end. An invalid byte counts as a rune of its own, as range and
// DecodeRune do.
func runeStarts(text string) []bool {
	starts := make([]bool, len(text)+1)
	for i := range text {
		starts[i] = true
	}
	starts[len(text)] = true
	return starts
}

func FuzzSentences(f *testing.F) {
	for _, s := range fuzzTexts {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSpans(t, s, text.Sentences(s))
	})
}

func FuzzChunkText(f *testing.F) {
	for i, s := range fuzzTexts {
		f.Add(s, i*7%90)
	}
	f.Fuzz(func(t *testing.T, text string, maxWords int) {
		if maxWords > 1000 || maxWords < -1000 {
			maxWords %= 1000
		}
		limit := maxWords
		if limit <= 0 {
			limit = MaxChunkWords
		}
		chunks := ChunkText(text, maxWords)
		var all []bot.Span
		prevEnd := 0
		for i, c := range chunks {
			if len(c.Sentences) == 0 {
				t.Fatalf("chunk %d has no sentences", i)
			}
			if c.Span.Start < prevEnd || c.Span.Start != c.Sentences[0].Start || c.Span.End != c.Sentences[len(c.Sentences)-1].End {
				t.Fatalf("chunk %d span %v does not match its sentences %v (previous end %d)", i, c.Span, c.Sentences, prevEnd)
			}
			if w := countWords(text[c.Span.Start:c.Span.End]); w > limit {
				t.Errorf("chunk %d holds %d words, more than %d", i, w, limit)
			}
			prevEnd = c.Span.End
			all = append(all, c.Sentences...)
		}
		checkSpans(t, text, all)
	})
}
