package ops

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthTimeout bounds how long /healthz waits for the store: a health
// check that hangs is worse than one that says "unreachable".
const healthTimeout = 3 * time.Second

// Server serves /healthz and /metrics. Create it with New, start it with
// Run.
type Server struct {
	listen  string
	ln      net.Listener
	status  func(context.Context) Status
	metrics *Metrics
	log     *slog.Logger
	replica string
	token   string
}

// Option configures a Server.
type Option func(*Server)

// WithListener makes the server accept connections on ln instead of
// listening on the address given to New; Run closes it.
func WithListener(ln net.Listener) Option { return func(s *Server) { s.ln = ln } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithReplica names this replica in /healthz (e.g. host-pid).
func WithReplica(name string) Option { return func(s *Server) { s.replica = name } }

// WithToken sets the ops token: a /healthz request carrying it
// ("Authorization: Bearer TOKEN") gets the full status from any address.
// Without it (or with an empty token) only requests from a loopback
// address do; every other request gets the state alone ("ok" or
// "degraded"), which is all a load balancer needs.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// New returns a server for listen ("host:port") reporting status and m.
func New(listen string, status func(context.Context) Status, m *Metrics, opts ...Option) *Server {
	s := &Server{listen: listen, status: status, metrics: m, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Handler returns the HTTP handler: GET /healthz and GET /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.Registry(), promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}))
	return mux
}

// healthz answers 200 with the status when the store is reachable, 503
// (still with the status) when it is not. Only a trusted request (see
// trusted) gets the whole status; others get {"status": "ok"|"degraded"}.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	st := s.status(ctx)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !st.StoreReachable {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	var body any = st.view(s.replica)
	if !s.trusted(r) {
		// Leases name feeds, errors name hosts: only the state leaves
		// the machine without the token.
		body = struct {
			State string `json:"status"`
		}{st.view("").State}
	}
	if err := enc.Encode(body); err != nil {
		s.log.Debug("ops: writing /healthz failed", "err", err)
	}
}

// trusted reports whether r may see the full status: it comes from a
// loopback address or carries the ops token.
func (s *Server) trusted(r *http.Request) bool {
	if s.token != "" {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.token)) == 1 {
			return true
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// Run serves until ctx is done, then shuts down (requests in flight get
// 5 s). It returns an error if it cannot listen or serving fails.
func (s *Server) Run(ctx context.Context) error {
	ln := s.ln
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.listen); err != nil {
			return fmt.Errorf("ops server: %w", err)
		}
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	s.log.Info("ops: serving /healthz and /metrics", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("ops server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Warn("ops: shutdown", "err", err)
	}
	return nil
}
