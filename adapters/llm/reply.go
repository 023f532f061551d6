package llm

import (
	"errors"
	"regexp"
	"strings"
)

// replyUnescaper undoes the escaping of userMessage in a reply: a model that
// copies "AT&amp;T" from a source means "AT&T", and only the unescaped form
// is found in the quote.
var replyUnescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&")

// declinePattern matches replies that, without the marker, say the sources
// do not answer.
var declinePattern = regexp.MustCompile(`(?i)\b(cannot|can't|can ?not|unable to) (tell|answer|determine|say)\b|\bdo(es)? not (say|mention|answer|contain)\b|\bno information\b`)

// cleanReply drops a reasoning model's <think> block and a trailing list of
// sources, and undoes escaping. A
// reply that declines to answer — the marker, or a decline without any
// citation — becomes "" with declined set.
func cleanReply(raw string) (text string, declined bool, err error) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "<think>") {
		end := strings.Index(s, "</think>")
		if end < 0 {
			return "", false, errors.New("reply holds only reasoning (raise max_tokens?)")
		}
		s = strings.TrimSpace(s[end+len("</think>"):])
	}
	if loc := referenceList.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = strings.TrimSpace(s[:loc[0]])
	}
	s = replyUnescaper.Replace(s)
	if strings.Contains(s, cannotTell) || declinePattern.MatchString(s) && !hasCitation(s) {
		return "", true, nil
	}
	return s, false, nil
}

var citationPattern = regexp.MustCompile(`\[\s*\d+`)

// referenceList matches the start of a "Sources:" list some models append
// against the rules; the Bot shows the sources itself.
var referenceList = regexp.MustCompile(`(?im)^[ \t]*(\*\*)?(sources|references)(\*\*)?[ \t]*:`)

func hasCitation(s string) bool { return citationPattern.MatchString(s) }
