package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// maxUpdateBytes bounds a webhook request body; text updates are a few KB.
const maxUpdateBytes = 1 << 20

// pendingPerSlot bounds the updates accepted but waiting for a free slot,
// per concurrent answer; beyond that the webhook answers 503 and Telegram
// sends the update again later.
const pendingPerSlot = 4

// serveWebhook registers Config.WebhookURL with Telegram and serves the
// updates it posts until ctx is done. Every update acknowledged with 200
// has been counted in inflight, so Run's drain answers it before exiting;
// once ctx is done the server stops accepting, and Telegram keeps what was
// not acknowledged for the next run.
func (a *Adapter) serveWebhook(ctx context.Context) error {
	u, err := url.Parse(a.cfg.WebhookURL)
	if err != nil { // Validate has checked it
		return fmt.Errorf("telegram: webhook_url: %w", err)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	ln := a.listener
	if ln == nil {
		if ln, err = net.Listen("tcp", a.cfg.Listen); err != nil {
			return fmt.Errorf("telegram: webhook server: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           a.webhookHandler(path, a.updateHandler(pendingPerSlot*cap(a.sem))),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	_, err = withRetry(ctx, a, "setWebhook", func(ctx context.Context) (bool, error) {
		return a.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL:            a.cfg.WebhookURL,
			SecretToken:    a.cfg.SecretToken,
			AllowedUpdates: []string{"message"},
		})
	})
	switch {
	case err != nil && ctx.Err() != nil:
		err = nil // shut down while registering: not a failure
	case err != nil:
		err = fmt.Errorf("telegram: setWebhook: %w", a.redact(err))
	default:
		a.log.Info("telegram: webhook set", "listen", ln.Addr().String(), "path", path)
		select {
		case <-ctx.Done():
		case err = <-serveErr:
			err = fmt.Errorf("telegram: webhook server: %w", err)
		}
	}

	// Stop accepting; requests being read finish (each is quick, as none
	// waits for an answer), and what they accepted is in inflight.
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutCtx); e != nil && !errors.Is(e, http.ErrServerClosed) {
		a.log.Warn("telegram: webhook server shutdown", "err", e)
	}
	return err
}

// updateHandler decodes an update and starts answering it without making
// Telegram wait for the answer. At most maxPending accepted updates wait
// for a slot at once; more get 503, which Telegram retries.
func (a *Adapter) updateHandler(maxPending int) http.Handler {
	var pending atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var upd models.Update
		if err := json.NewDecoder(r.Body).Decode(&upd); err != nil {
			a.log.Warn("telegram: webhook request is not an update", "remote", r.RemoteAddr, "err", err)
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		if pending.Add(1) > int64(maxPending) {
			pending.Add(-1)
			a.log.Warn("telegram: too many updates waiting; Telegram will resend", "update_id", upd.ID)
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		a.inflight.Add(1)
		go func() {
			defer a.inflight.Done()
			select {
			case a.sem <- struct{}{}:
				pending.Add(-1)
			case <-a.workCtx.Done():
				pending.Add(-1)
				a.log.Warn("telegram: update dropped at shutdown timeout", "update_id", upd.ID)
				return
			}
			defer func() { <-a.sem }()
			a.handleOne(&upd)
		}()
	})
}

// webhookHandler accepts POSTs to path carrying the secret token and passes
// them to next. Telegram ignores the response body; the status tells a
// misconfigured sender what is wrong.
func (a *Adapter) webhookHandler(path string, next http.Handler) http.Handler {
	secret := []byte(a.cfg.SecretToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if subtle.ConstantTimeCompare(got, secret) != 1 {
			a.log.Warn("telegram: webhook request with a wrong secret token rejected", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxUpdateBytes)
		next.ServeHTTP(w, r)
	})
}
