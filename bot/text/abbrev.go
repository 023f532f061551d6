package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// periodEnds decides whether a period ends the sentence, given the
// sentence so far (up to the period), the word the period closes (without
// that period), the text from the next word on and that word's first
// letter, which is not lower case (lower case never starts a sentence).
//
// It weighs the next word with the abbreviation's usual place:
// "e.g." and "i.e." sit mid-sentence; "a.m." and "p.m." end one unless a
// day, month or zone follows ("9 p.m. Friday"); "Inc.", "Ltd." and "etc."
// often end one; titles such as "Dr." never do; a single capital is an
// initial only where a name can stand ("J. K. Rowling", "by J. Smith", not
// "size S. Customers").
func periodEnds(before, word, rest string, follow rune) bool {
	if word == "" {
		return true
	}
	lw := strings.ToLower(word)
	next := firstWord(rest)
	switch {
	case midSentence[lw]:
		return false
	case clock[lw]:
		return !afterClock[next]
	case enders[lw]:
		return !continuesAbbrev(next)
	case utf8.RuneCountInString(word) == 1 && unicode.IsUpper([]rune(word)[0]):
		if namesFollow(rest) {
			return false
		}
		return starters[next] || !nameCanStand(strings.TrimSuffix(before, word))
	case strings.Contains(word, ".") && !strings.Contains(strings.Trim(word, "."), "..") && lettersAndDots(word):
		// "U.S." ends a sentence only when what follows cannot continue it.
		return !unicode.IsDigit(follow) && !continuesAbbrev(next)
	case titles[lw]:
		return false
	case abbreviations[lw]:
		return starters[next]
	}
	return true
}

// IsAbbreviation reports whether word, written before a full stop (without
// it), may be an abbreviation: one of the abbreviations PeriodEnds knows
// ("Dr", "Inc", "e.g", "Sept"), a single letter (an initial) or letters
// with dots ("U.S", "p.m"). Unlike PeriodEnds it does not look at what
// follows; it is for checks that would rather miss a sentence end than
// invent one.
func IsAbbreviation(word string) bool {
	switch {
	case word == "":
		return false
	case utf8.RuneCountInString(word) == 1:
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsLetter(r)
	case strings.Contains(word, "."):
		return true
	}
	lw := strings.ToLower(word)
	return titles[lw] || midSentence[lw] || clock[lw] || enders[lw] || abbreviations[lw]
}

func lettersAndDots(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r != '.' && !unicode.IsLetter(r) }) < 0
}

// nameCanStand reports whether an initial may follow the text before it:
// at the start, after a capitalised word or another initial, or after a
// word that introduces a name ("by", "said").
func nameCanStand(before string) bool {
	last, ok := lastField(before)
	if !ok {
		return true
	}
	prev := strings.TrimRight(last, ",")
	r, _ := utf8.DecodeRuneInString(prev)
	return !unicode.IsLower(r) || nameIntro[prev]
}

// namesFollow reports whether rest starts like the rest of a name: another
// initial ("A. Hobson"), two capitalised words ("Theo Kearney") or a
// capitalised word and a reporting verb ("Allard said").
func namesFollow(rest string) bool {
	f := firstFields(rest, 2)
	if len(f) == 0 {
		return false
	}
	if r := []rune(f[0]); len(r) == 2 && unicode.IsUpper(r[0]) && r[1] == '.' {
		return true
	}
	if len(f) < 2 {
		return false
	}
	r1, _ := utf8.DecodeRuneInString(f[0])
	r2, _ := utf8.DecodeRuneInString(f[1])
	return unicode.IsUpper(r1) && (unicode.IsUpper(r2) || reporting[strings.Trim(f[1], ",.;:")])
}

// lastField returns the last of strings.Fields(s), and false if there is
// none, without splitting the rest of s: a sentence can be long, and this
// is asked at every full stop in it.
func lastField(s string) (string, bool) {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if s == "" {
		return "", false
	}
	i := strings.LastIndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, true
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return s[i+n:], true
}

// firstFields returns the first n of strings.Fields(s) (fewer if s holds
// fewer) without splitting the rest of s.
func firstFields(s string, n int) []string {
	var out []string
	for f := range strings.FieldsSeq(s) {
		if len(out) == n {
			break
		}
		out = append(out, f)
	}
	return out
}

// firstWord returns the leading letters of s in lower case.
func firstWord(s string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return isOpener(r) })
	if k := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); k >= 0 {
		s = s[:k]
	}
	return strings.ToLower(s)
}

// continuesAbbrev reports whether next, the lower-cased word after an
// abbreviation such as "U.S." or "Inc.", reads as the same sentence: a
// capitalised word that commonly follows one ("U.S. President", "Acme Inc.
// Chief Executive").
func continuesAbbrev(next string) bool { return titleWords[next] }

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

var (
	titleWords = wordSet(`president secretary senator sen rep army navy government administration congress
	state department embassy ambassador forces military court supreme treasury house senate official
	officials dollar economy envoy defense defence special national federal central intelligence vice
	general attorney chief ceo chairman chairwoman founder`)

	// midSentence abbreviations introduce what follows.
	midSentence = wordSet(`e.g i.e cf viz vs v approx incl esp`)

	clock      = wordSet(`a.m p.m`)
	afterClock = wordSet(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu
	thurs fri sat sun january february march april may june july august september october november
	december jan feb mar apr jun jul aug sep sept oct nov dec et est edt ct cst cdt mt mst mdt pt pst pdt
	gmt utc bst cet cest local eastern central pacific mountain`)

	// enders are abbreviations that often end a sentence.
	enders = wordSet(`inc ltd co corp plc llc bros etc`)

	titles = wordSet(`mr mrs ms dr prof sr jr gen col lt sgt capt cmdr adm maj gov sen rep pres rev hon
	supt insp det mt ft`)

	abbreviations = wordSet(`st no nos dept est fig jan feb mar apr jun jul aug sep sept oct nov dec
	mon tue tues wed thu thurs fri sat sun ave blvd rd al`)

	// starters are words that begin sentences and never continue a name.
	starters = wordSet(`the a an it he she they we i you this that these those there but and in on at
	for however his her its their our after before when while if as so yet then`)

	reporting = wordSet(`said says told added wrote writes argued explained announced warned`)

	nameIntro = wordSet(`by of and with from to for said says told according author writer
	spokesman spokeswoman judge minister`)
)
