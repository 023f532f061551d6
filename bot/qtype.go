package bot

import (
	"regexp"
	"strings"
)

// qtype is the kind of answer a question asks for.
type qtype int

const (
	qOther qtype = iota
	qNumber
	qMoney // a number that is a sum of money: "how much did it cost"
	qTime
	qPerson
	qPlace
	qReason
)

// questionType reads the answer type from the question words.
func questionType(q string) qtype {
	l := strings.ToLower(q)
	switch {
	case strings.Contains(l, "how many"), strings.Contains(l, "how much"), strings.Contains(l, "what percentage"),
		strings.Contains(l, "how long"), strings.Contains(l, "how old"), strings.Contains(l, "how far"),
		strings.Contains(l, "how big"), strings.Contains(l, "how large"), strings.Contains(l, "what number"):
		if strings.Contains(l, "how much") && hasStem(l, moneyStems) {
			return qMoney
		}
		return qNumber
	case strings.HasPrefix(l, "when"), strings.Contains(l, " when "), strings.Contains(l, "what year"),
		strings.Contains(l, "what date"), strings.Contains(l, "which year"), strings.Contains(l, "what day"),
		strings.Contains(l, "what time"), strings.Contains(l, "what month"), strings.Contains(l, "what century"):
		return qTime
	case strings.HasPrefix(l, "who"), strings.Contains(l, " who "), strings.Contains(l, " whom "), strings.Contains(l, "whose"):
		return qPerson
	case strings.HasPrefix(l, "where"), strings.Contains(l, " where "), strings.Contains(l, "what country"),
		strings.Contains(l, "which country"), strings.Contains(l, "what city"), strings.Contains(l, "which city"):
		return qPlace
	case strings.HasPrefix(l, "why"), strings.Contains(l, " why "), strings.Contains(l, "what caused"),
		strings.Contains(l, "what was behind"), strings.Contains(l, "what is behind"), strings.Contains(l, "what led"),
		strings.Contains(l, "reason"), strings.Contains(l, "what has fuelled"), strings.Contains(l, "what drove"):
		return qReason
	}
	return qOther
}

// moneyStems mark a "how much" question that asks for a sum of money: the
// verbs and nouns of paying, costing, earning and owing. Any number
// answers "how much did output rise", but only a sum of money answers
// "how much did Chelsea pay".
var moneyStems = stemSet(`cost pay paid charge earn spend spent price worth fee salary wage compensation
	tax fine bill budget invest investment sell sold buy bought bid offer fund funding raise raised owe debt
	loan profit revenue loss`)

var (
	// moneyRe finds a sum of money in lower-cased text: a currency sign
	// before a number ("$45bn", "£ 5m"), or a currency named after one
	// ("142bn euros", "30 pence").
	moneyRe  = regexp.MustCompile(`[£$€¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:bn|m|billion|million|thousand|trillion)?\s?(?:euros?|dollars?|pounds?|pence|cents?|yen|yuan|rupees?|francs?)\b`)
	numberRe = regexp.MustCompile(`\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b`)
	reasonRe = regexp.MustCompile(`\b(because|due to|as a result|after|following|thanks to|driven by|blamed|reasons?|caused|since|amid|fuell?ed|boosted|helped by|led to|result of|owing to|so that|in order to|said it was|concerns?|fears?)\b`)
	timeRe   = regexp.MustCompile(`\b(1[0-9]{3}|20[0-9]{2})s?\b|\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|decade|yesterday|today|tomorrow|tonight|weekend|spring|summer|autumn|winter|christmas|easter|ago|(?:next|last|this|later this|early next|end of the) (?:week|month|year|season|term|decade)|(?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:days|weeks|months|years) (?:ago|later|earlier|time))\b`)
)

// answers returns the byte spans in text, whose analysed words are terms,
// of the answers of the wanted type that the question itself does not
// contain: numbers, sums, times, cause words, or capitalised words inside
// the sentence for people and places.
// The patterns run on the lower-cased text, so their spans are offsets
// into it: the same as the text's unless lower-casing changed the length
// of a letter before them (a few non-ASCII ones, such as "İ"); they only
// measure how near an answer stands, so that is good enough.
func (t qtype) answers(text string, terms []Term, qwords map[string]bool) [][2]int {
	var out [][2]int
	l := strings.ToLower(text)
	find := func(re *regexp.Regexp, keep func(m string) bool) {
		for _, ix := range re.FindAllStringIndex(l, -1) {
			if keep(l[ix[0]:ix[1]]) {
				out = append(out, [2]int{ix[0], ix[1]})
			}
		}
	}
	switch t {
	case qNumber:
		find(numberRe, func(m string) bool { return !qwords[m] })
	case qMoney:
		find(moneyRe, func(m string) bool { return !qwords[strings.Trim(m, "£$€¥ ")] })
	case qTime:
		find(timeRe, func(m string) bool { return !qwords[stem(m)] && !qwords[m] })
	case qReason:
		find(reasonRe, func(string) bool { return true })
	case qPerson, qPlace:
		for _, tm := range terms {
			if capitalisedInside(text, tm) && !qwords[tm.Stem] {
				out = append(out, [2]int{tm.Start, tm.End})
			}
		}
	}
	return out
}
