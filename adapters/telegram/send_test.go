package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
)

func TestWithRetryGivesUp(t *testing.T) {
	a := &Adapter{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		calls   int
		wantErr string
	}{
		{"success", context.Background(), nil, 1, ""},
		{"other error", context.Background(), tgbot.ErrorForbidden, 1, "forbidden"},
		{"flood wait too long", context.Background(), &tgbot.TooManyRequestsError{Message: "too many", RetryAfter: 3600}, 1, "asked to wait 1h0m0s"},
		{"shutdown while waiting", cancelled, &tgbot.TooManyRequestsError{Message: "too many", RetryAfter: 1}, 1, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			_, err := withRetry(tt.ctx, a, "sendMessage", func(context.Context) (int, error) {
				calls++
				return 0, tt.err
			})
			if calls != tt.calls {
				t.Errorf("called %d times, want %d", calls, tt.calls)
			}
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	a := &Adapter{cfg: Config{Token: testToken, SecretToken: "webhook-secret-value"}}
	_, secret, _ := strings.Cut(testToken, ":")
	cause := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot" + testToken + "/getMe", Err: tgbot.ErrorUnauthorized}
	err := a.redact(fmt.Errorf("getMe: %w; secret alone %s; hook %s", cause, secret, "webhook-secret-value"))
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "webhook-secret-value") {
		t.Errorf("redact left a secret: %v", err)
	}
	if !strings.Contains(err.Error(), "/bot<token>/getMe") {
		t.Errorf("redact lost the context: %v", err)
	}
	if !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Error("redact hides the cause from errors.Is")
	}
	if a.redact(nil) != nil {
		t.Error("redact(nil) != nil")
	}
}
