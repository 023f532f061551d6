package bot

import "context"

// DefaultThreshold is the evidence score below which the bot refuses.
const DefaultThreshold = 0.0

// extract is the extractive answer path: retrieve, pick sentences, quote.
func (b *Bot) extract(ctx context.Context, q Question) (Answer, error) {
	ps, err := b.r.Search(ctx, Query{Text: q.Text, K: b.k})
	if err != nil {
		return Answer{}, Errorf("Sorry, I couldn't search the news just now.", "search: %w", err)
	}
	ans := Answer{Question: q.Text}
	for _, p := range ps {
		if len(ans.Quotes) == b.maxQuotes {
			break
		}
		s := p.Sentences[0]
		ans.Quotes = append(ans.Quotes, NewQuote(p.Article, s, p.Score))
	}
	ans.Answered = len(ans.Quotes) > 0
	return ans, nil
}

// NewQuote cuts the quote s out of a, with its citation.
func NewQuote(a *Article, s Span, score float64) Quote {
	return Quote{
		Text: a.Text[s.Start:s.End], ArticleID: a.ID, Title: a.Title, URL: a.URL,
		Source: a.Source, Published: a.Published, Start: s.Start, End: s.End, Score: score,
	}
}
