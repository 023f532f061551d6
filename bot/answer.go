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
	Score     float64   `json:"score"`
}

// Date returns the quote's publication date as "2 January 2006", or "" when
// it is unknown.
func (q Quote) Date() string {
	if q.Published.IsZero() {
		return ""
	}
	return q.Published.Format("2 January 2006")
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
	// Refusal, on a refusal, is what to tell the user instead of NoAnswer
	// (NoAnswerNotEnglish); empty otherwise. Use RefusalMessage.
	Refusal string
	// Evidence is how strongly the best sentence found supports an answer,
	// in [0, 1]; the bot refuses below its threshold. Kept on refusals too,
	// for calibration.
	Evidence float64
}

// RefusalMessage is what to tell the user when the answer is a refusal:
// Refusal if set, else NoAnswer.
func (a Answer) RefusalMessage() string {
	if a.Refusal != "" {
		return a.Refusal
	}
	return NoAnswer
}

// NoAnswer is what the bot says when the ingested news does not support an
// answer.
const NoAnswer = "I couldn't find anything about that in the news I have ingested."
