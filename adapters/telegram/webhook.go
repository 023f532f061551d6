package telegram

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// maxUpdateBytes bounds a webhook request body; text updates are a few KB.
const maxUpdateBytes = 1 << 20

// serveWebhook registers Config.WebhookURL with Telegram and serves the
// updates it posts until ctx is done.
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
		Handler:           a.webhookHandler(path, a.tg.WebhookHandler()),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	// Updates posted before the workers start wait in the library's queue.
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWorkers()
	workersDone := make(chan struct{})
	go func() { a.tg.StartWebhook(workers); close(workersDone) }()

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

	// Stop taking updates before stopping the workers that dispatch them.
	shutCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutCtx); e != nil && !errors.Is(e, http.ErrServerClosed) {
		a.log.Warn("telegram: webhook server shutdown", "err", e)
	}
	stopWorkers()
	<-workersDone
	return err
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
