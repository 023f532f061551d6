package bot

import (
	"strings"
	"unicode"
)

// NotEnglishNote follows NoAnswer when a question is clearly not in
// English: the built-in embedding model reads English only, so the plain
// refusal would wrongly suggest the news does not cover the subject.
const NotEnglishNote = "Note that I read questions in English: the built-in model only understands English. " +
	"Please ask in English, or have the bot's owner configure an external embedder ([embedder] in the config) " +
	"that reads your language."

// foreignWords are frequent function words of languages written in the
// Latin script. Words that are also English (die, was, also, an, in, on,
// so, a, see, fast…) are left out, so that an English question never
// scores here.
var foreignWords = map[string]bool{}

func init() {
	for _, list := range []string{
		// French
		"le la les des du un une est sont et ou où qui que quoi quel quelle quels quelles pourquoi comment " +
			"quand combien dans sur avec pour par pas ne ce cette ces il elle ils elles nous vous je au aux " +
			"été était ont leur leurs sa son ses mais donc aussi très plus",
		// Spanish and Portuguese
		"el los las del una unos unas es está están fue qué quién quiénes cuál cuáles cuándo cuánto cuántos " +
			"dónde cómo por para con sin sobre entre y pero muy más ha han sus su lo le se al " +
			"o os da das do dos em um uma é são foi quem quando onde como não sim mais pelo pela",
		// German
		"der das den dem des ein eine einer einem einen ist sind war waren wer wie wo wann warum welche " +
			"welcher welches wieviel und oder nicht mit für auf über von zu zum zur bei nach aus sich " +
			"es er sie wir ihr ich du hat haben wird werden sagte",
		// Italian and Dutch
		"il lo gli della delle dello dei degli nel nella è sono chi cosa quale quali quando perché come " +
			"dove quanto quanti con per tra che di non ha hanno " +
			"het een zijn wat wie waar wanneer waarom hoe welke niet met voor naar heeft hebben",
	} {
		for _, w := range strings.Fields(list) {
			foreignWords[w] = true
		}
	}
}

// englishWords are frequent English function words; a question holding
// them is treated as English even if it also holds foreign names.
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("the a an is are was were be been of to in on at for with from by about " +
		"what who whom whose which when where why how did do does has have had will would can could should " +
		"and or not that this these those it its he she they we you i his her their there than then after " +
		"before into over said say says tell me any many much") {
		englishWords[w] = true
	}
}

// NotEnglish reports whether text is clearly not English: more of its
// words are in another script than Latin (Cyrillic, Greek, Arabic, Han…)
// than in Latin, or at least two are and no English function word is; or,
// in Latin script, it holds at least two function words of French,
// Spanish, Portuguese, German, Italian or Dutch and more of those than of
// English, or it opens with Spanish ¿ or ¡ and has no English function
// word. It is meant to explain a refusal, so in doubt it says false.
func NotEnglish(text string) bool {
	otherScript, latinScript, foreign, english := 0, 0, 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if !mostlyLatin(w) {
			otherScript++
			continue
		}
		latinScript++
		switch {
		case englishWords[w]:
			english++
		case foreignWords[w]:
			foreign++
		}
	}
	switch {
	case otherScript > latinScript, otherScript >= 2 && english == 0:
		return true
	case english == 0 && strings.ContainsAny(text, "¿¡"):
		// Spanish opening marks: no English question has them.
		return true
	}
	return foreign >= 2 && foreign > english
}

// mostlyLatin reports whether most letters of w are Latin.
func mostlyLatin(w string) bool {
	latin, other := 0, 0
	for _, r := range w {
		if unicode.Is(unicode.Latin, r) {
			latin++
		} else if unicode.IsLetter(r) {
			other++
		}
	}
	return latin >= other
}
