package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dustin/go-humanize"
)

// Defaults of a Fetcher.
const (
	DefaultUserAgent    = "newsbot/1.0 (news quote bot; feed reader)"
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBytes     = 10 << 20
	DefaultPerHost      = 2
	DefaultMaxRedirects = 5
	DefaultMaxItems     = 100
	// DefaultFeedDeadline bounds all the item-page fetches of one feed.
	DefaultFeedDeadline = 60 * time.Second
)

// Fetcher fetches feeds and pages politely. It is safe for concurrent use.
type Fetcher struct {
	ua           string
	timeout      time.Duration
	maxBytes     int64
	perHost      int
	maxRedirects int
	maxItems     int
	feedDeadline time.Duration
	policy       addrPolicy
	log          *slog.Logger

	client *http.Client

	mu    sync.Mutex
	hosts map[string]chan struct{} // per-host semaphores
}

// Option configures a Fetcher.
type Option func(*Fetcher)

// WithUserAgent sets the User-Agent header (default DefaultUserAgent).
func WithUserAgent(ua string) Option { return func(f *Fetcher) { f.ua = ua } }

// WithTimeout bounds each request, body included (default 30s).
func WithTimeout(d time.Duration) Option { return func(f *Fetcher) { f.timeout = d } }

// WithMaxBytes caps a response body, after decompression (default 10 MiB).
func WithMaxBytes(n int64) Option { return func(f *Fetcher) { f.maxBytes = n } }

// WithPerHostLimit caps concurrent requests to one host (default 2).
func WithPerHostLimit(n int) Option { return func(f *Fetcher) { f.perHost = n } }

// WithMaxRedirects caps the redirects followed per request (default 5).
func WithMaxRedirects(n int) Option { return func(f *Fetcher) { f.maxRedirects = n } }

// WithMaxItems caps the items taken from one feed document, newest first
// as the feed lists them (default 100).
func WithMaxItems(n int) Option { return func(f *Fetcher) { f.maxItems = n } }

// WithFeedDeadline bounds the time all item pages of one feed may take
// together (default 60s); items not fetched by then keep the feed's own
// text.
func WithFeedDeadline(d time.Duration) Option { return func(f *Fetcher) { f.feedDeadline = d } }

// WithAllowPrivate permits connecting to loopback and private-network
// addresses (LAN feeds; tests on 127.0.0.1). Off by default.
func WithAllowPrivate(ok bool) Option { return func(f *Fetcher) { f.policy.allowPrivate = ok } }

// WithAllowLinkLocal permits connecting to link-local addresses, which
// include cloud metadata services. Off by default, and separate from
// WithAllowPrivate so that allowing a LAN never exposes credentials.
func WithAllowLinkLocal(ok bool) Option { return func(f *Fetcher) { f.policy.allowLinkLocal = ok } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(f *Fetcher) { f.log = l } }

// NewFetcher returns a Fetcher. It never uses a proxy from the environment:
// the address policy must see the real destination.
func NewFetcher(opts ...Option) *Fetcher {
	f := &Fetcher{
		ua: DefaultUserAgent, timeout: DefaultTimeout, maxBytes: DefaultMaxBytes,
		perHost: DefaultPerHost, maxRedirects: DefaultMaxRedirects, maxItems: DefaultMaxItems,
		feedDeadline: DefaultFeedDeadline,
		log:          slog.Default(), hosts: map[string]chan struct{}{},
	}
	for _, o := range opts {
		o(f)
	}
	f.perHost = max(f.perHost, 1)
	dialer := &net.Dialer{Timeout: min(f.timeout, 10*time.Second), KeepAlive: 30 * time.Second, Control: f.policy.control}
	f.client = &http.Client{
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   min(f.timeout, 10*time.Second),
			ResponseHeaderTimeout: f.timeout,
			MaxIdleConnsPerHost:   f.perHost,
			IdleConnTimeout:       90 * time.Second,
		},
		CheckRedirect: f.checkRedirect,
	}
	return f
}

// Validators are the conditional-GET values remembered from the last
// response.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Response is a fetched document.
type Response struct {
	// URL is where the document was finally found, after redirects.
	URL *url.URL
	// NotModified reports a 304 answer to a conditional GET; Body is empty.
	NotModified bool
	ContentType string
	Body        []byte
	Validators  Validators
}

// HTTPError is a response with an error status.
type HTTPError struct {
	StatusCode int
	Status     string
	// RetryAfter is the server's Retry-After, if it sent a usable one.
	RetryAfter time.Duration
}

// Error reads like "HTTP 404 Not Found".
func (e *HTTPError) Error() string { return "HTTP " + e.Status }

// ErrTooLarge is wrapped by the error for a response over the size cap.
var ErrTooLarge = errors.New("response too large")

// ErrTimeout is wrapped by the error for a request that took longer than
// the timeout.
var ErrTimeout = errors.New("timed out")

// Get fetches rawURL, sending v as conditional-GET headers. Errors are one
// line and never contain the URL's password.
func (f *Fetcher) Get(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	return f.get(ctx, rawURL, v, nil)
}

// hostHooks let a caller see a host's timeouts as they happen.
type hostHooks struct {
	// ready is asked once the host's slot is taken (which may have meant
	// waiting for other requests to the host); its error is returned
	// instead of sending the request.
	ready func() error
	// timedOut is told of a timeout before the host's slot is given back,
	// so the next request waiting for it sees the timeout counted.
	timedOut func()
}

// get is Get with hooks (nil: none).
func (f *Fetcher) get(ctx context.Context, rawURL string, v Validators, hooks *hostHooks) (_ *Response, err error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, err
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil {
		if err := f.policy.check(ip); err != nil {
			return nil, err
		}
	}
	release, err := f.acquire(ctx, u.Hostname())
	if err != nil {
		return nil, err
	}
	defer release()
	if hooks != nil {
		defer func() {
			if errors.Is(err, ErrTimeout) {
				hooks.timedOut()
			}
		}()
		if err := hooks.ready(); err != nil {
			return nil, err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("bad request: %w", err)
	}
	req.Header.Set("User-Agent", f.ua)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.9, application/xhtml+xml;q=0.9, */*;q=0.5")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, f.describe(ctx, err)
	}
	defer resp.Body.Close()

	r := &Response{
		URL:         resp.Request.URL,
		ContentType: resp.Header.Get("Content-Type"),
		Validators:  Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")},
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		r.NotModified = true
		return r, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
	case resp.ContentLength > f.maxBytes:
		return nil, fmt.Errorf("%w: %s > %s limit", ErrTooLarge, humanize.IBytes(uint64(resp.ContentLength)), humanize.IBytes(uint64(f.maxBytes)))
	}
	r.Body, err = io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return nil, f.describe(ctx, err)
	}
	if int64(len(r.Body)) > f.maxBytes {
		return nil, fmt.Errorf("%w: over the %s limit", ErrTooLarge, humanize.IBytes(uint64(f.maxBytes)))
	}
	return r, nil
}

// checkURL accepts absolute http and https URLs only.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, errors.New("bad URL: not absolute (want http:// or https://)")
	default:
		return nil, fmt.Errorf("refused: scheme %q (only http and https)", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("bad URL: no host")
	}
	return u, nil
}

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.maxRedirects {
		return fmt.Errorf("too many redirects (more than %d)", f.maxRedirects)
	}
	switch req.URL.Scheme {
	case "http", "https":
		return nil
	}
	return fmt.Errorf("refused redirect to scheme %q", req.URL.Scheme)
}

// describe turns a client error into a one-line reason without the URL
// (which *url.Error would repeat, password and all).
func (f *Fetcher) describe(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || isTimeout(err) {
		return fmt.Errorf("%w after %v", ErrTimeout, f.timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" && oe.Err != nil {
		// The policy's refusal arrives wrapped in dial details.
		if msg := oe.Err.Error(); strings.HasPrefix(msg, "refused") {
			return errors.New(msg)
		}
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// acquire takes one of host's slots, waiting while all are taken.
func (f *Fetcher) acquire(ctx context.Context, host string) (release func(), err error) {
	host = strings.ToLower(host)
	f.mu.Lock()
	sem, ok := f.hosts[host]
	if !ok {
		sem = make(chan struct{}, f.perHost)
		f.hosts[host] = sem
	}
	f.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// retryAfter parses a Retry-After header: seconds or an HTTP date.
func retryAfter(h string) time.Duration {
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}
