package bot

import "time"

// Question is what a user asked, with the conversation it belongs to.
type Question struct {
	// Text is the question as typed.
	Text string
	// Previous holds the earlier questions of the same conversation (a chat,
	// a thread, a reply chain), oldest first. Follow-ups such as "and what
	// did Zelensky say?" are retrieved with the last of them as context.
	Previous []string
	// Articles, when not empty, restricts the answer to the articles with
	// these ids (Query.Articles): how a follow is matched against a new
	// article.
	Articles []string
}

// Quote is a verbatim excerpt of a stored article with its citation.
// Text == article.Text[Start:End] always holds.
type Quote struct {
	Text      string    `json:"text"`
	ArticleID string    `json:"article_id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	Source    string    `json:"source"`
	Published time.Time `json:"-"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
	// Score ranks the quote among the answer's candidates; it has no fixed
	// scale.
	Score float64 `json:"score"`
	// Confidence estimates, in [0, 1], how likely the quote answers the
	// question.
	Confidence float64 `json:"confidence"`
}

// Date returns the quote's publication date as "2 January 2006", or "" when
// it is unknown.
func (q Quote) Date() string { return formatDate(q.Published) }

// NewQuote cuts the quote s out of a, with its citation.
func NewQuote(a *Article, s Span, score float64) Quote {
	return Quote{
		Text: a.Text[s.Start:s.End], ArticleID: a.ID, Title: a.Title, URL: a.URL,
		Source: a.Source, Published: a.Published, Start: s.Start, End: s.End, Score: score,
	}
}

// Citation names an article without quoting it: what a refusal offers as
// the closest coverage the bot has.
type Citation struct {
	ArticleID string
	Title     string
	URL       string
	Source    string
	// Published is the zero time when the date is unknown.
	Published time.Time
}

// Date returns the article's publication date as "2 January 2006", or ""
// when it is unknown.
func (c Citation) Date() string { return formatDate(c.Published) }

// formatDate is the one date format users see in citations.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// Answer is the bot's reply to a Question.
type Answer struct {
	// Question is the question's text as asked.
	Question string
	// Answered is false when the ingested news does not support an answer;
	// Quotes is then empty.
	Answered bool
	// Summary is an optional LLM-written answer whose claims cite Quotes as
	// [n] (1-based). It is empty for purely extractive answers.
	Summary string
	// Quotes are the verbatim excerpts, best first.
	Quotes []Quote
	// Note, on a refusal, is a sentence that follows NoAnswer to say why
	// (NotEnglishNote); Closest is then empty. See RefusalMessage.
	Note string
	// Evidence is how strongly the best sentence found supports an answer,
	// in [0, 1]; the bot refuses below its threshold. Kept on refusals too,
	// for calibration.
	Evidence float64
	// Confidence estimates, in [0, 1], how likely the best sentence found
	// answers the question. It is kept on refusals too, where it says how
	// close the bot came.
	Confidence float64
	// Closest lists, on a refusal only, the 1–3 distinct articles that came
	// nearest to the question, best first, so the user knows what the bot
	// does cover. They are never quoted: nothing in them answered. Empty
	// when nothing was retrieved at all.
	Closest []Citation
}

// RefusalMessage is a refusal's plain text without the closest articles:
// NoAnswer, then the Note if there is one.
func (a Answer) RefusalMessage() string {
	if a.Note != "" {
		return NoAnswer + " " + a.Note
	}
	return NoAnswer
}

// NoAnswer is what the bot says when the ingested news does not support an
// answer. A refusal with Closest articles continues with ClosestLead and
// their titles.
const NoAnswer = "I couldn't find that in the news I have."

// ClosestLead introduces the list of closest articles after NoAnswer, on
// every platform: "… Closest: *Title* (Source, 2 January 2006)".
const ClosestLead = "Closest: "
