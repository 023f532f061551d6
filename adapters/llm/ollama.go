package llm

import (
	"context"
	"errors"
	"fmt"
)

// message is one chat message, in the form both APIs share.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type ollamaRequest struct {
	Model    string        `json:"model"`
	Messages []message     `json:"messages"`
	Stream   bool          `json:"stream"`
	Options  ollamaOptions `json:"options"`
}

type ollamaOptions struct {
	NumPredict  int     `json:"num_predict"`
	Temperature float64 `json:"temperature"`
}

type ollamaResponse struct {
	Message    message `json:"message"`
	Done       bool    `json:"done"`
	DoneReason string  `json:"done_reason"`
	Error      string  `json:"error"`
}

// ollamaChat calls Ollama's /api/chat without streaming.
func (w *writer) ollamaChat(ctx context.Context, system, user string) (string, error) {
	req := ollamaRequest{
		Model:    w.cfg.Model,
		Messages: []message{{Role: "system", Content: system}, {Role: "user", Content: user}},
		Options:  ollamaOptions{NumPredict: w.cfg.MaxTokens, Temperature: 0},
	}
	var resp ollamaResponse
	if err := w.postJSON(ctx, req, &resp); err != nil {
		return "", err
	}
	switch {
	case resp.Error != "":
		return "", fmt.Errorf("server error: %s", excerpt([]byte(resp.Error)))
	case resp.DoneReason == "length":
		return "", fmt.Errorf("reply cut off at max_tokens (%d)", w.cfg.MaxTokens)
	case !resp.Done:
		return "", errors.New("reply not done")
	}
	return resp.Message.Content, nil
}
