package cli

import (
	"encoding/json"
	"time"

	"newsbot/bot"
)

// JSONAnswer is the `ask --json` form of an answer.
type JSONAnswer struct {
	Question string      `json:"question"`
	Answered bool        `json:"answered"`
	Message  string      `json:"message"`
	Quotes   []JSONQuote `json:"quotes"`
}

// JSONQuote is one quote of a JSONAnswer. Text == article_text[Start:End]
// in bytes.
type JSONQuote struct {
	Text      string  `json:"text"`
	ArticleID string  `json:"article_id"`
	Title     string  `json:"title"`
	URL       string  `json:"url"`
	Source    string  `json:"source"`
	Published string  `json:"published"` // RFC 3339, "" when unknown
	Start     int     `json:"start"`
	End       int     `json:"end"`
	Score     float64 `json:"score"`
}

// ToJSON converts an answer to its JSON form.
func ToJSON(a bot.Answer) JSONAnswer {
	out := JSONAnswer{Question: a.Question, Answered: a.Answered, Message: Render(a), Quotes: []JSONQuote{}}
	for _, q := range a.Quotes {
		pub := ""
		if !q.Published.IsZero() {
			pub = q.Published.Format(time.RFC3339)
		}
		out.Quotes = append(out.Quotes, JSONQuote{
			Text: q.Text, ArticleID: q.ArticleID, Title: q.Title, URL: q.URL, Source: q.Source,
			Published: pub, Start: q.Start, End: q.End, Score: q.Score,
		})
	}
	return out
}

// MarshalAnswer returns the JSON encoding of a, indented, with a newline.
func MarshalAnswer(a bot.Answer) []byte {
	b, _ := json.MarshalIndent(ToJSON(a), "", "  ") // cannot fail: plain strings and numbers
	return append(b, '\n')
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
