package llm

import (
	"context"
	"errors"
	"fmt"
)

type openaiRequest struct {
	Model       string    `json:"model"`
	Messages    []message `json:"messages"`
	MaxTokens   int       `json:"max_tokens"`
	Temperature float64   `json:"temperature"`
	Stream      bool      `json:"stream"`
}

type openaiResponse struct {
	Choices []struct {
		Message struct {
			Content *string `json:"content"`
			Refusal *string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// openaiChat calls an OpenAI-compatible /chat/completions without
// streaming.
func (w *writer) openaiChat(ctx context.Context, system, user string) (string, error) {
	req := openaiRequest{
		Model:     w.cfg.Model,
		Messages:  []message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		MaxTokens: w.cfg.MaxTokens,
	}
	var resp openaiResponse
	if err := w.postJSON(ctx, req, &resp); err != nil {
		return "", err
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("reply has no choices")
	}
	c := resp.Choices[0]
	switch {
	case c.Message.Refusal != nil && *c.Message.Refusal != "":
		return "", fmt.Errorf("model refused: %s", excerpt([]byte(*c.Message.Refusal)))
	case c.FinishReason == "length":
		return "", fmt.Errorf("reply cut off at max_tokens (%d)", w.cfg.MaxTokens)
	case c.Message.Content == nil:
		return "", fmt.Errorf("reply has no content (finish_reason %q)", c.FinishReason)
	}
	return *c.Message.Content, nil
}
