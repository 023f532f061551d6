package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"newsbot/internal/redact"
)

// maxResponseBytes caps what is read of a reply; a few hundred tokens of
// answer need far less.
const maxResponseBytes = 1 << 20

// maxExcerptBytes caps the part of an error body put into an error.
const maxExcerptBytes = 200

// postJSON posts in as JSON to w.endpoint and decodes a 200 reply into out.
func (w *writer) postJSON(ctx context.Context, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode request: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "newsbot")
	if w.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+w.cfg.APIKey)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		// *url.Error repeats the whole URL; name only where it went.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("post to %s: %w", req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return fmt.Errorf("read response: %w", err)
	}
	if len(data) > maxResponseBytes {
		return fmt.Errorf("response is over %d bytes", maxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode, Excerpt: w.redact.Replace(excerpt(data))}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decode response: %w", err)
	}
	return nil
}

// StatusError is a non-200 reply from the LLM server.
type StatusError struct {
	Code int
	// Excerpt is the start of the server's error message, with any API key
	// blanked out.
	Excerpt string
}

func (e *StatusError) Error() string {
	if e.Excerpt == "" {
		return fmt.Sprintf("status %d", e.Code)
	}
	return fmt.Sprintf("status %d: %s", e.Code, e.Excerpt)
}

// excerpt returns the error message in a server's error body — Ollama's
// {"error": "…"}, OpenAI's {"error": {"message": "…"}} — or the body's
// start, on one line and cut to maxExcerptBytes.
func excerpt(body []byte) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	s := string(body)
	if json.Unmarshal(body, &e) == nil && len(e.Error) > 0 {
		var msg string
		var obj struct {
			Message string `json:"message"`
		}
		switch {
		case json.Unmarshal(e.Error, &msg) == nil && msg != "":
			s = msg
		case json.Unmarshal(e.Error, &obj) == nil && obj.Message != "":
			s = obj.Message
		}
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	s = strings.ToValidUTF8(s, "")
	if len(s) > maxExcerptBytes {
		cut := maxExcerptBytes
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// newRedactor blanks key out of text. Keys too short to be secrets are left
// alone, so that redaction cannot garble messages.
func newRedactor(key string) *strings.Replacer {
	if len(key) < 6 {
		return strings.NewReplacer()
	}
	return strings.NewReplacer(key, "[api key]")
}

// scrub makes sure err's text cannot carry the API key, whatever a server or
// library put into it.
func (w *writer) scrub(err error) error {
	return redact.Wrap(err, w.redact.Replace)
}
