package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"time"

	"newsbot/bot"
)

// JSONAnswer is the `ask --json` form of an answer.
type JSONAnswer struct {
	Question string `json:"question"`
	Answered bool   `json:"answered"`
	// Message is the answer exactly as the chat shows it (Render).
	Message string `json:"message"`
	// Confidence is bot.Answer.Confidence in [0, 1], to 4 decimals; on a
	// refusal it says how close the bot came.
	Confidence float64     `json:"confidence"`
	Quotes     []JSONQuote `json:"quotes"`
	// Closest names, on a refusal, the articles nearest to the question; it
	// is [] on answers and when nothing was retrieved.
	Closest []JSONCitation `json:"closest"`
}

// JSONQuote is one quote of a JSONAnswer. Text == article_text[Start:End]
// in bytes.
type JSONQuote struct {
	Text      string `json:"text"`
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	// Link is URL opening the article at the quote: with a text fragment
	// (bot.Quote.Link) when URL is http(s).
	Link      string `json:"link"`
	Source    string `json:"source"`
	Published string `json:"published"` // RFC 3339, "" when unknown
	Start     int    `json:"start"`
	End       int    `json:"end"`
	// Score ranks the quotes of one answer, to 4 decimals.
	Score float64 `json:"score"`
	// Confidence is bot.Quote.Confidence in [0, 1], to 4 decimals.
	Confidence float64 `json:"confidence"`
}

// JSONCitation is one of a refusal's closest articles: named, not quoted.
type JSONCitation struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Source    string `json:"source"`
	Published string `json:"published"` // RFC 3339, "" when unknown
}

// ToJSON converts an answer to its JSON form.
func ToJSON(a bot.Answer) JSONAnswer {
	out := JSONAnswer{
		Question: a.Question, Answered: a.Answered, Message: Render(a), Confidence: round4(a.Confidence),
		Quotes: []JSONQuote{}, Closest: []JSONCitation{},
	}
	for _, q := range a.Quotes {
		out.Quotes = append(out.Quotes, toJSONQuote(q))
	}
	for _, c := range a.Closest {
		out.Closest = append(out.Closest, JSONCitation{
			ArticleID: c.ArticleID, Title: c.Title, URL: c.URL, Source: c.Source, Published: rfc3339(c.Published),
		})
	}
	return out
}

// toJSONQuote converts a quote to its JSON form.
func toJSONQuote(q bot.Quote) JSONQuote {
	return JSONQuote{
		Text: q.Text, ArticleID: q.ArticleID, Title: q.Title, URL: q.URL, Link: q.Link(), Source: q.Source,
		Published: rfc3339(q.Published), Start: q.Start, End: q.End,
		Score: round4(q.Score), Confidence: round4(q.Confidence),
	}
}

// rfc3339 formats t for JSON, "" when it is unknown.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// round4 rounds x to 4 decimals, so that scores read 0.7 rather than
// 0.7000000000000001: dividing the rounded integer by 1e4 yields the
// float64 nearest to that decimal, which encoding/json prints in its
// shortest form. NaN and ±Inf, which JSON cannot carry, become 0.
func round4(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	if r := math.Round(x*1e4) / 1e4; !math.IsInf(r, 0) {
		return r
	}
	return x // so large that it has no decimals to round
}

// MarshalAnswer returns the JSON encoding of a, indented, with a newline.
// "<", ">" and "&" are left as they are rather than escaped as \u003c and
// the like: the output goes to a terminal or a program, never into HTML,
// and the message's "> " quote marks should read as they do in the chat.
func MarshalAnswer(a bot.Answer) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ToJSON(a)) // cannot fail: strings and finite numbers only; Encode adds the newline
	return b.Bytes()
}

// JSONError is the `ask --json` form of a failure: {"error": {"message",
// "code"}}. Code is one of the Code* constants.
type JSONError struct {
	Error JSONErrorBody `json:"error"`
}

// JSONErrorBody is what went wrong: a short human message and a stable
// code for programs.
type JSONErrorBody struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}

// Error codes of JSONError; README lists them with their exit statuses.
const (
	CodeUsage            = "usage"             // bad flags or no question
	CodeInvalidQuestion  = "invalid_question"  // empty, too long or not valid text
	CodeStoreUnavailable = "store_unavailable" // the store or the embedder could not be opened
	CodeConfig           = "config"            // the configuration cannot be used
	CodeInterrupted      = "interrupted"       // stopped by Ctrl-C or SIGTERM
	CodeInternal         = "internal"          // answering failed
)

// MarshalError returns the JSON encoding of a failure, indented, with a
// newline.
func MarshalError(message, code string) []byte {
	b, _ := json.MarshalIndent(JSONError{JSONErrorBody{Message: message, Code: code}}, "", "  ") // cannot fail: two strings
	return append(b, '\n')
}
