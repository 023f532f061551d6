// Package text is how newsbot reads text, in one place: sentence boundaries
// with byte offsets (Sentences, SentenceEnds), the one list of
// abbreviations that need not end one (PeriodEnds, IsAbbreviation), words
// and their stems (Words, Terms, Stems, Stem), and the length of text as
// the chat platforms count it (UTF16Len, Truncate).
//
// The quote the bot shows, the check of a writer's summary, the titles
// made for untitled articles and the adapters' message splitting all use
// it, so they agree on where a sentence ends. It is a leaf: it imports
// nothing of newsbot's, and anything may import it.
package text
