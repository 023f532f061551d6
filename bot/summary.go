package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"newsbot/bot/text"
)

// DefaultWriterTimeout is how long the Bot waits for its Writer before it
// answers with the quotes alone.
const DefaultWriterTimeout = 20 * time.Second

// Limits on a summary. A longer one is rejected, not trimmed: dropping a
// later sentence can drop the qualification ("…but the ministry denied it")
// that makes the earlier ones true.
const (
	MaxSummarySentences = 3
	MaxSummaryChars     = 600 // in characters (runes), after whitespace is collapsed
)

// summaryConfig holds the Bot's summary settings; the zero value means the
// defaults.
type summaryConfig struct {
	timeout time.Duration
}

// WithWriterTimeout bounds each Writer call; d <= 0 means
// DefaultWriterTimeout. When it runs out the answer is sent with its quotes
// only.
func WithWriterTimeout(d time.Duration) Option {
	return func(b *Bot) { b.sum.timeout = d }
}

// errSummaryDeclined marks a Writer's empty reply: the writer saw nothing in
// the sources that answers the question.
var errSummaryDeclined = errors.New("writer declined: the sources do not answer the question")

// summarize asks the Writer for a short answer over ans.Quotes and keeps it
// only if it verifies (see checkSummary). Quotes that speak to the model
// (injectionIn) are not sent at all. Whatever goes wrong — an error, a
// timeout, an empty reply, a reply that fails verification — is logged and
// ans is returned unchanged, so the user still gets the extractive answer.
func (b *Bot) summarize(ctx context.Context, q Question, ans Answer) Answer {
	if len(ans.Quotes) == 0 {
		return ans
	}
	if n := injectionIn(ans.Quotes); n > 0 {
		b.log.Info("quote addresses the model; answering with quotes only", "quote", n, "article", ans.Quotes[n-1].ArticleID)
		return ans
	}
	d := b.sum.timeout
	if d <= 0 {
		d = DefaultWriterTimeout
	}
	wctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	start := time.Now()
	raw, err := b.w.Write(wctx, summaryQuestion(ans.Question, q.Previous), ans.Quotes)
	took := time.Since(start).Round(time.Millisecond)
	switch {
	case ctx.Err() != nil:
		// The caller gave up; nobody will read the summary.
		b.log.Debug("summary abandoned", "err", ctx.Err(), "took", took)
		return ans
	case err != nil && wctx.Err() != nil:
		b.log.Warn("summary writer timed out; answering with quotes only", "timeout", d, "err", err)
		return ans
	case err != nil:
		b.log.Warn("summary writer failed; answering with quotes only", "err", err, "took", took)
		return ans
	}
	s, err := checkSummary(raw, ans.Quotes)
	switch {
	case errors.Is(err, errSummaryDeclined):
		b.log.Debug("summary declined", "took", took)
		return ans
	case err != nil:
		b.log.Info("summary rejected; answering with quotes only", "reason", err, "took", took)
		b.log.Debug("rejected summary", "text", raw)
		return ans
	}
	b.log.Debug("summary accepted", "chars", utf8.RuneCountInString(s), "took", took)
	ans.Summary = s
	return ans
}

// summaryQuestion is what the Writer is asked: the question, and for a
// follow-up the question it follows, since "and what did she say?" means
// nothing alone.
func summaryQuestion(text string, previous []string) string {
	if len(previous) == 0 {
		return text
	}
	return fmt.Sprintf("%s (follow-up to the earlier question: %s)", text, previous[len(previous)-1])
}

// checkSummary verifies a Writer's reply against the quotes it was given and
// returns it cleaned up for display. It holds a reply to these rules:
//
//   - plain text, at most MaxSummarySentences sentences and MaxSummaryChars
//     characters, no links (a link cannot be checked against the quotes; the
//     quotes carry their own);
//   - every citation is [n] or [n, m] with 1 <= n <= len(quotes); anything
//     else in square brackets that holds a digit is a malformed citation;
//   - every sentence carries at least one citation; all its numbers and at
//     least half its other words come from the sources it cites
//     (sentenceSupported);
//   - every quotation — text in "…", “…”, „…“, «…», ‹…›, 「…」, 『…』, ‘…’ or
//     '…' — appears verbatim in a quote cited by the same sentence. Before
//     comparing, whitespace is collapsed, Unicode is NFC-normalised, all
//     quotation marks and apostrophes count as one, dashes as "-" and "…" as
//     "..."; a leading or trailing ellipsis and trailing .,;:!? inside the
//     marks are dropped, and the first letter may differ in case. An
//     ellipsis inside a quotation (an elision) is not allowed, since it can
//     invert what was said.
//
// An empty reply yields errSummaryDeclined.
func checkSummary(raw string, quotes []Quote) (string, error) {
	if !utf8.ValidString(raw) {
		return "", errors.New("not valid UTF-8")
	}
	if len(raw) > 8*MaxSummaryChars { // don't bother parsing a runaway reply
		return "", fmt.Errorf("%d bytes long; the limit is %d characters", len(raw), MaxSummaryChars)
	}
	s, err := cleanSummary(raw)
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", errSummaryDeclined
	}
	if n := utf8.RuneCountInString(s); n > MaxSummaryChars {
		return "", fmt.Errorf("%d characters long; the limit is %d", n, MaxSummaryChars)
	}
	if l := strings.ToLower(s); strings.Contains(l, "://") || strings.Contains(l, "www.") {
		return "", errors.New("contains a link")
	}
	qs, err := summaryQuotations(s)
	if err != nil {
		return "", err
	}
	cites, err := summaryCitations(s, qs, len(quotes))
	if err != nil {
		return "", err
	}
	if len(cites) == 0 {
		return "", errors.New("cites no source")
	}
	sents := summarySentences(s, qs, cites)
	if len(sents) > MaxSummarySentences {
		return "", fmt.Errorf("%d sentences long; the limit is %d", len(sents), MaxSummarySentences)
	}
	for i, sn := range sents {
		var cited []int
		for _, c := range cites {
			if c.start >= sn.start && c.start < sn.end {
				cited = append(cited, c.nums...)
			}
		}
		if len(cited) == 0 {
			return "", fmt.Errorf("sentence %d cites no source: %q", i+1, s[sn.start:sn.end])
		}
		for _, qt := range qs {
			if qt.start < sn.start || qt.start >= sn.end {
				continue
			}
			if !quotationFound(qt.text, quotes, cited) {
				return "", fmt.Errorf("quotation %q is not in the cited source(s) %v", qt.text, cited)
			}
		}
		if err := sentenceSupported(withoutCitations(s, sn, cites), quotes, cited); err != nil {
			return "", fmt.Errorf("sentence %d: %w", i+1, err)
		}
	}
	return s, nil
}

// summaryFreeWords need no support: words about the sources rather than
// the news, and the stems of contractions ("isn't" splits into "isn", "t").
var summaryFreeWords = map[string]bool{
	"according": true, "source": true, "sources": true, "article": true, "articles": true,
	"report": true, "reports": true, "reported": true, "reporting": true,
	"isn": true, "aren": true, "wasn": true, "weren": true, "doesn": true, "didn": true,
	"hasn": true, "haven": true, "hadn": true, "won": true, "wouldn": true, "couldn": true,
	"shouldn": true, "can": true, "cannot": true, "ll": true, "ve": true, "re": true,
}

// sentenceSupported is a cheap check that a sentence's words come from the
// sources it cites: every number in it must appear in one of them (or in its
// title or date), and at least half of its other words (as stems, stop words
// aside) must. It cannot tell a faithful paraphrase from a twisted one — the
// verbatim quotes under the summary are the real evidence — but it stops
// the plainest inventions ("The president died [1]." over an article about
// trade) and wrong figures.
func sentenceSupported(sentence string, quotes []Quote, cited []int) error {
	src := map[string]bool{}
	for _, k := range cited {
		q := quotes[k-1]
		for _, t := range text.Terms(q.Text + "\n" + q.Title + "\n" + q.Date()) {
			src[summaryTermKey(t.Stem)] = true
		}
	}
	words, found := 0, 0
	var missing []string
	for _, t := range text.Terms(sentence) {
		w := sentence[t.Start:t.End]
		if summaryFreeWords[strings.ToLower(w)] {
			continue
		}
		ok := src[summaryTermKey(t.Stem)]
		if strings.Trim(t.Stem, "0123456789.,") == "" {
			if !ok {
				return fmt.Errorf("the number %s is not in the cited source(s) %v", w, cited)
			}
			continue
		}
		words++
		if ok {
			found++
		} else {
			missing = append(missing, w)
		}
	}
	if 2*found < words {
		return fmt.Errorf("%d of its %d words are not in the cited source(s) %v: %s",
			len(missing), words, cited, strings.Join(missing, ", "))
	}
	return nil
}

// summaryTermKey makes "2,225" and "2225" one number.
func summaryTermKey(stem string) string {
	if stem != "" && stem[0] >= '0' && stem[0] <= '9' {
		return strings.ReplaceAll(stem, ",", "")
	}
	return stem
}

// withoutCitations returns sentence sn of s with its citations cut out, so
// that their numbers are not taken for figures.
func withoutCitations(s string, sn summaryRange, cites []summaryRange) string {
	var b strings.Builder
	at := sn.start
	for _, c := range cites {
		if c.start >= sn.start && c.start < sn.end {
			b.WriteString(s[at:c.start])
			b.WriteByte(' ')
			at = c.end
		}
	}
	b.WriteString(s[at:sn.end])
	return b.String()
}

// cleanSummary collapses whitespace (a summary is one short paragraph) and
// drops Markdown emphasis markers, which adapters would otherwise show as
// literal asterisks. Control characters and bidi overrides are refused.
func cleanSummary(raw string) (string, error) {
	s := strings.NewReplacer("**", "", "__", "").Replace(raw)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' ||
			r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069':
			// Bidi overrides can make a chat show text in another order.
			return "", fmt.Errorf("contains control character %U", r)
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String(), nil
}

// summaryRange is a run of a summary: a quotation, a citation group or a
// sentence. For a quotation, [start, end) includes the marks and text is
// what lies between them.
type summaryRange struct {
	start, end int
	text       string
	nums       []int
}

// Quotation marks: each opening mark with the marks that may close it.
var (
	doubleQuoteClose = map[rune]string{
		'"': `"`, '“': "”", '„': "“”", '«': "»", '「': "」", '『': "』",
	}
	doubleQuoteStray = "”»」』"
	singleQuoteClose = map[rune]string{'\'': "'", '‘': "’", '‹': "›"}
)

// summaryQuotations finds the quotations in s, outermost only. Double marks
// must pair up. Single marks are also apostrophes, so one opens a quotation
// only at the start of a word and closes it only at the end of one, and a
// single mark that never closes is taken for an apostrophe ("the '90s").
func summaryQuotations(s string) ([]summaryRange, error) {
	var out []summaryRange
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		inner := i + size
		if closers, ok := doubleQuoteClose[r]; ok {
			j := strings.IndexAny(s[inner:], closers)
			if j < 0 {
				return nil, fmt.Errorf("unbalanced quotation mark %q", r)
			}
			_, csize := utf8.DecodeRuneInString(s[inner+j:])
			out = append(out, summaryRange{start: i, end: inner + j + csize, text: s[inner : inner+j]})
			i = inner + j + csize
			continue
		}
		if strings.ContainsRune(doubleQuoteStray, r) {
			return nil, fmt.Errorf("unbalanced quotation mark %q", r)
		}
		if closers, ok := singleQuoteClose[r]; ok && opensQuotation(s, i, size) {
			if j := closingSingleQuote(s, inner, closers); j >= 0 {
				_, csize := utf8.DecodeRuneInString(s[j:])
				out = append(out, summaryRange{start: i, end: j + csize, text: s[inner:j]})
				i = j + csize
				continue
			}
		}
		i += size
	}
	return out, nil
}

// opensQuotation reports whether the single mark at s[i:i+size] stands at
// the start of a word: after the start, a space or an opening bracket or
// dash, and before a non-space.
func opensQuotation(s string, i, size int) bool {
	if i+size >= len(s) {
		return false
	}
	if next, _ := utf8.DecodeRuneInString(s[i+size:]); unicode.IsSpace(next) {
		return false
	}
	if i == 0 {
		return true
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(prev) || strings.ContainsRune("([{-–—/", prev)
}

// closingSingleQuote returns the offset of the first mark in closers at or
// after from that ends a word (not followed by a letter or digit, as the
// apostrophe in "it's" is), or -1.
func closingSingleQuote(s string, from int, closers string) int {
	for j := from; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		if strings.ContainsRune(closers, r) && j > from {
			prev, _ := utf8.DecodeLastRuneInString(s[:j])
			next, _ := utf8.DecodeRuneInString(s[j+size:])
			if !unicode.IsSpace(prev) && (j+size == len(s) || !unicode.IsLetter(next) && !unicode.IsDigit(next)) {
				return j
			}
		}
		j += size
	}
	return -1
}

// summaryCitations finds the citation groups ([1], [1, 3], [2; 4]) outside
// quotations and checks each number against the n sources.
func summaryCitations(s string, qs []summaryRange, n int) ([]summaryRange, error) {
	var out []summaryRange
	for i := 0; i < len(s); i++ {
		if q, ok := rangeAt(qs, i); ok {
			i = q.end - 1
			continue
		}
		if s[i] != '[' {
			continue
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			return nil, errors.New("unclosed [")
		}
		body := s[i+1 : i+j]
		nums, ok := citationNumbers(body)
		if !ok {
			if strings.ContainsFunc(body, unicode.IsDigit) {
				return nil, fmt.Errorf("malformed citation [%s]", body)
			}
			i += j
			continue
		}
		for _, k := range nums {
			if k < 1 || k > n {
				return nil, fmt.Errorf("citation [%d] names no source; there are %d", k, n)
			}
		}
		out = append(out, summaryRange{start: i, end: i + j + 1, nums: nums})
		i += j
	}
	return out, nil
}

// citationNumbers parses "1", "1, 3" or "2;4".
func citationNumbers(body string) ([]int, bool) {
	var nums []int
	for f := range strings.FieldsFuncSeq(body, func(r rune) bool { return r == ',' || r == ';' }) {
		f = strings.TrimSpace(f)
		if f == "" || len(f) > 4 || strings.ContainsFunc(f, func(r rune) bool { return r < '0' || r > '9' }) {
			return nil, false
		}
		k := 0
		for _, c := range f {
			k = 10*k + int(c-'0')
		}
		nums = append(nums, k)
	}
	return nums, len(nums) > 0
}

// rangeAt returns the range among rs that starts at i.
func rangeAt(rs []summaryRange, i int) (summaryRange, bool) {
	for _, r := range rs {
		if r.start == i {
			return r, true
		}
	}
	return summaryRange{}, false
}

// summarySentences splits s into sentences. Quotations are opaque (a full
// stop inside one ends the sentence only where the quotation ends), a
// citation after a full stop belongs to the sentence before it ("It rained.
// [1]"), and a full stop ends a sentence only before a space and a
// non-lowercase character, and not after what text.IsAbbreviation takes
// for an abbreviation ("U.S.", "Mr.", "J.") unless a citation follows it. A split this misses can only merge two
// sentences, which makes the per-sentence checks looser; a wrong split makes
// a sentence without citation, which is rejected: safe either way.
func summarySentences(s string, qs, cites []summaryRange) []summaryRange {
	var out []summaryRange
	start := 0
	cut := func(end int) {
		if strings.TrimSpace(s[start:end]) != "" {
			out = append(out, summaryRange{start: start, end: end})
		}
		start = end
	}
	for i := 0; i < len(s); {
		if q, ok := rangeAt(qs, i); ok {
			i = q.end
			if strings.ContainsAny(lastRune(strings.TrimSpace(q.text)), ".!?…") {
				if end, ok := sentenceEnd(s, i, cites); ok {
					cut(end)
					i = end
				}
			}
			continue
		}
		if c, ok := rangeAt(cites, i); ok {
			i = c.end
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !strings.ContainsRune(".!?…", r) {
			i += size
			continue
		}
		j := i + size
		for j < len(s) && strings.IndexByte(".!?", s[j]) >= 0 {
			j++
		}
		end, ok := sentenceEnd(s, j, cites)
		if ok && r == '.' && j == i+1 && end == j && text.IsAbbreviation(lastWord(s[start:i])) {
			ok = false // no citation follows: "U.S. officials" is one sentence
		}
		if ok {
			cut(end)
			i = end
			continue
		}
		i = j
	}
	cut(len(s))
	return out
}

// sentenceEnd decides whether a sentence that may end just before s[j:]
// does, and where: after any closing brackets and citations that follow.
func sentenceEnd(s string, j int, cites []summaryRange) (int, bool) {
	for j < len(s) && (s[j] == ')' || s[j] == ']') {
		if _, ok := rangeAt(cites, j); ok {
			break
		}
		j++
	}
	end := j
	for k := end; ; {
		for k < len(s) && s[k] == ' ' {
			k++
		}
		c, ok := rangeAt(cites, k)
		if !ok {
			break
		}
		k = c.end
		end = k
	}
	if end == len(s) {
		return end, true
	}
	if s[end] != ' ' {
		return 0, false
	}
	next, _ := utf8.DecodeRuneInString(s[end+1:])
	return end, !unicode.IsLower(next)
}

// lastWord returns the word before, which precedes a full stop, ends with.
func lastWord(before string) string {
	return before[strings.LastIndexAny(before, " ([")+1:]
}

func lastRune(s string) string {
	_, size := utf8.DecodeLastRuneInString(s)
	return s[len(s)-size:]
}

// quotationFound reports whether quotation q appears, normalised, in one of
// the quotes numbered cited (1-based).
func quotationFound(q string, quotes []Quote, cited []int) bool {
	nq := normalizeQuotation(q)
	if nq == "" {
		return true // "…" or similar: nothing is claimed
	}
	alt := swapFirstCase(nq)
	for _, k := range cited {
		src := normalizeForQuote(quotes[k-1].Text)
		if strings.Contains(src, nq) || alt != nq && strings.Contains(src, alt) {
			return true
		}
	}
	return false
}

// normalizeQuotation normalises the text between quotation marks and drops
// what writers conventionally add there: ellipses at either end and
// punctuation at the end ("… grow," he said).
func normalizeQuotation(q string) string {
	s := normalizeForQuote(q)
	for {
		t := strings.TrimSpace(s)
		t = strings.TrimPrefix(t, "...")
		t = strings.TrimSuffix(t, "...")
		t = strings.TrimRight(t, ".,;:!?")
		if t == s {
			return s
		}
		s = t
	}
}

// summaryQuoteFold maps the characters that writers and typesetters swap
// freely onto one form each.
var summaryQuoteFold = strings.NewReplacer(
	"“", `"`, "”", `"`, "„", `"`, "‟", `"`, "«", `"`, "»", `"`, "「", `"`, "」", `"`,
	"『", `"`, "』", `"`, "″", `"`, "'", `"`, "‘", `"`, "’", `"`, "‚", `"`, "‛", `"`,
	"‹", `"`, "›", `"`, "′", `"`, "`", `"`, "´", `"`,
	"‐", "-", "‑", "-", "‒", "-", "–", "-", "—", "-", "―", "-", "−", "-",
	"…", "...",
	"\u00ad", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\ufeff", "",
)

// normalizeForQuote puts s in the form quotations are compared in: NFC,
// quotation marks and dashes folded, whitespace collapsed.
func normalizeForQuote(s string) string {
	s = summaryQuoteFold.Replace(norm.NFC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// swapFirstCase flips the case of s's first letter: a quotation may start
// with a capital where the source is mid-sentence, or the other way round.
func swapFirstCase(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case unicode.IsUpper(r):
		return string(unicode.ToLower(r)) + s[size:]
	case unicode.IsLower(r):
		return string(unicode.ToUpper(r)) + s[size:]
	}
	return s
}
