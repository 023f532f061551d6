package bot

import "regexp"

// addressesModel matches text that speaks to a language model rather than
// reports news: orders to ignore or override instructions, or talk of
// prompts and assistants. An article saying it is either hostile or about
// AI; either way a summary of it could pass an order off as a finding.
var addressesModel = regexp.MustCompile(`(?i)\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|rules|prompts?|guidelines)\b` +
	`|\b(system|developer) prompt\b|\byou are (now )?(an? )?(ai|assistant|language model|chatbot)\b`)

// injectionIn returns the number (from 1) of the first quote whose text
// addresses a language model, or 0. summarize then asks for no summary:
// the verifier checks that a draft's words come from the quotes, and an
// injected order's words do, so only not asking is safe.
func injectionIn(quotes []Quote) int {
	for i, q := range quotes {
		if addressesModel.MatchString(q.Text) {
			return i + 1
		}
	}
	return 0
}
