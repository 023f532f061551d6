package bot

import "context"

// summarize asks the Writer for a short answer over ans.Quotes and keeps it
// only if it verifies. Placeholder until the LLM work lands: returns ans.
func (b *Bot) summarize(ctx context.Context, q Question, ans Answer) Answer {
	return ans
}
