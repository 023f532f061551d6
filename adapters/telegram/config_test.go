package telegram

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

const testToken = "123456:AAH-test_SECRET_token_value"

func TestConfigValidate(t *testing.T) {
	ok := Config{Token: testToken}
	hook := Config{Token: testToken, WebhookURL: "https://bot.example.com/tg/hook", SecretToken: "s3cret_value-1"}
	tests := []struct {
		name    string
		cfg     Config
		wantErr string // "" for valid
	}{
		{"minimal", ok, ""},
		{"webhook", hook, ""},
		{"self-hosted API over http", Config{Token: testToken, APIURL: "http://127.0.0.1:8081"}, ""},
		{"no token", Config{}, "NEWSBOT_TELEGRAM_TOKEN"},
		{"blank token", Config{Token: "  "}, "no bot token"},
		{"token without colon", Config{Token: "123456AAH"}, "malformed"},
		{"token with path", Config{Token: "123456:abc/../x"}, "malformed"},
		{"token id not numeric", Config{Token: "abc:def"}, "malformed"},
		{"bad api url", Config{Token: testToken, APIURL: "ftp://x"}, "api_url"},
		{"api url without host", Config{Token: testToken, APIURL: "https://"}, "api_url"},
		{"bad webhook url", Config{Token: testToken, WebhookURL: "bot.example.com/hook", SecretToken: "abc"}, "webhook_url"},
		{"webhook without secret", Config{Token: testToken, WebhookURL: "https://x.example/h"}, "secret_token"},
		{"webhook secret bad chars", Config{Token: testToken, WebhookURL: "https://x.example/h", SecretToken: "a b"}, "secret_token"},
		{"webhook secret too long", Config{Token: testToken, WebhookURL: "https://x.example/h", SecretToken: strings.Repeat("a", 257)}, "secret_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Validate() = nil, want error mentioning %q", tt.wantErr)
			case err != nil && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("Validate() = %v, want it to mention %q", err, tt.wantErr)
			}
			if err != nil && tt.cfg.Token != "" && len(strings.TrimSpace(tt.cfg.Token)) > 3 && strings.Contains(err.Error(), tt.cfg.Token) {
				t.Errorf("error reveals the token: %v", err)
			}
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{Token: testToken, APIURL: "http://127.0.0.1:8081/", WebhookURL: "https://x.example/h"}.withDefaults()
	if c.APIURL != "http://127.0.0.1:8081" || c.Listen != DefaultListen || c.RatePerMinute != DefaultRatePerMinute {
		t.Errorf("withDefaults = %+v", c)
	}
	if c := (Config{Token: testToken}).withDefaults(); c.APIURL != DefaultAPIURL || c.Listen != "" {
		t.Errorf("withDefaults without webhook = %+v", c)
	}
	if c := (Config{Token: testToken, RatePerMinute: -1}).withDefaults(); c.RatePerMinute != -1 {
		t.Errorf("negative rate should stay (disabled), got %d", c.RatePerMinute)
	}
}

func TestConfigPrintingRedactsSecrets(t *testing.T) {
	c := Config{Token: testToken, SecretToken: "hook_secret_value", AllowedChats: []int64{-100123}}
	var logBuf bytes.Buffer
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("config", "telegram", c)
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), logBuf.String()} {
		if strings.Contains(out, "SECRET_token") || strings.Contains(out, "hook_secret_value") {
			t.Errorf("printed config reveals a secret: %s", out)
		}
		if !strings.Contains(out, "-100123") {
			t.Errorf("printed config lost its other fields: %s", out)
		}
	}
}
