package answer

import (
	"regexp"
	"strings"
	"unicode"
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

// questionType reads the answer type from the question's wh-word: the
// first of what, which, who, whom, whose, when, where, why and how, with
// the words after it ("how many", "what year", "which country"). Only the
// first counts, so a clause inside the question does not change what it
// asks: "What did DiCaprio say when he picked up his award?" asks for
// words, not a time, and "Who was king when the Franks came?" for a person.
// Questions without a wh-word ("Did the plant close?") are qOther.
func questionType(q string) qtype {
	// "When imperialism changes a state's norms, what is it called?": a
	// clause before a comma, then the question proper.
	if i := strings.LastIndexByte(q, ','); i >= 0 && startsWh(q[i+1:]) {
		q = q[i+1:]
	}
	words := strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
	for i := range words {
		words[i] = strings.TrimSuffix(words[i], "'s") // "what's", "who's"
	}
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch w {
		case "how":
			switch next {
			case "much":
				if hasStem(strings.Join(words[i:], " "), moneyStems) {
					return qMoney
				}
				return qNumber
			case "many", "long", "old", "far", "big", "large", "often", "tall", "high":
				return qNumber
			case "come":
				return qReason
			}
			return qOther
		case "what", "which":
			switch next {
			case "year", "date", "day", "time", "month", "century", "decade", "season":
				return qTime
			case "country", "city", "town", "county", "region", "state", "continent", "place", "venue", "stadium":
				return qPlace
			case "percentage", "number", "proportion", "share", "amount":
				return qNumber
			case "caused", "causes", "led", "drove", "prompted", "triggered":
				return qReason
			}
			if whatReason.MatchString(strings.Join(words[i:], " ")) {
				return qReason
			}
			return qOther
		case "when":
			return qTime
		case "who", "whom", "whose":
			return qPerson
		case "where", "whereabouts":
			return qPlace
		case "why":
			return qReason
		}
	}
	return qOther
}

// startsWh reports whether s opens with a wh-word.
func startsWh(s string) bool {
	f := strings.Fields(strings.ToLower(s))
	return len(f) > 0 && whWords[strings.TrimSuffix(f[0], "'s")]
}

// whWords open a question that asks for information (startsWh).
var whWords = map[string]bool{"what": true, "which": true, "who": true, "whom": true, "whose": true,
	"when": true, "where": true, "whereabouts": true, "why": true, "how": true}

// whatReason marks a what-question that asks for a cause: "what was
// behind", "what has fuelled", "what reason".
var whatReason = regexp.MustCompile(`^(?:what|which) (?:(?:was|is|were|are) behind|(?:has|have|had) (?:fuelled|fueled|driven|caused|prompted)|.*\breasons?\b)`)

// moneyStems mark a "how much" question that asks for a sum of money: the
// verbs and nouns of paying, costing, earning and owing. Any number
// answers "how much did output rise", but only a sum of money answers
// "how much did Chelsea pay".
var moneyStems = stemSet(`cost pay paid charge earn spend spent price worth fee salary wage compensation
	tax fine bill budget invest investment sell sold buy bought bid offer fund funding raise raised owe debt
	loan profit revenue loss money cash aid grant donate donation`)

var (
	// moneyRe finds a sum of money in lower-cased text: a currency sign
	// before a number ("$45bn", "£ 5m"), or a currency named after one
	// ("142bn euros", "30 pence").
	moneyRe  = regexp.MustCompile(`[£$€¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:bn|m|billion|million|thousand|trillion)?\s?(?:euros?|dollars?|pounds?|pence|cents?|yen|yuan|rupees?|francs?)\b`)
	numberRe = regexp.MustCompile(`\d|\b(none|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen)\b`)
	reasonRe = regexp.MustCompile(`\b(because|due to|as a result|after|following|thanks to|driven by|blamed|reasons?|caused|since|amid|fuell?ed|boosted|helped by|led to|result of|owing to|so that|in order to|said it was|concerns?|fears?)\b`)
	timeRe   = regexp.MustCompile(`\b(1[0-9]{3}|20[0-9]{2})s?\b|\b(january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|decade|yesterday|today|tomorrow|tonight|weekend|spring|summer|autumn|winter|christmas|easter|ago|(?:next|last|this|later this|early next|end of the) (?:week|month|year|season|term|decade)|(?:\d+|two|three|four|five|six|seven|eight|nine|ten) (?:days|weeks|months|years) (?:ago|later|earlier|time)|\d{1,2}(?:st|nd|rd|th)[- ]century|\d[\d,]*\s?\(?(?:bc|bce|ad|ce|bp)|world war (?:i|ii|one|two|1|2)|when)\b`)
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
