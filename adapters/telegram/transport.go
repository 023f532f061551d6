package telegram

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
)

// maxErrorBodyBytes bounds how much of a failed response is read before the
// connection is given back; proxies' error pages are small.
const maxErrorBodyBytes = 64 << 10

// serverError is an HTTP 5xx answer from the Bot API or a proxy in front of
// it. The library cannot tell it apart from a malformed reply (a proxy's
// 502 page is HTML, not JSON), so statusTransport turns it into an error
// that withRetry can recognise.
type serverError struct {
	status int
}

func (e *serverError) Error() string {
	return fmt.Sprintf("Bot API answered HTTP %d %s", e.status, http.StatusText(e.status))
}

// statusTransport fails requests answered with a 5xx status. The body is
// dropped unread into the error: a proxy's page may echo the request path,
// and with it the token.
type statusTransport struct {
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t statusTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp.StatusCode < 500 {
		return resp, err
	}
	// Drain a little so that the connection can be reused.
	_, _ = io.CopyN(io.Discard, resp.Body, maxErrorBodyBytes)
	resp.Body.Close()
	return nil, &serverError{status: resp.StatusCode}
}

// withStatusErrors returns a copy of c whose transport reports 5xx answers
// as errors.
func withStatusErrors(c *http.Client) *http.Client {
	cp := *c
	cp.Transport = statusTransport{base: c.Transport}
	return &cp
}

// transient reports whether err is worth another try of the same request:
// a 5xx answer, a connection reset or refused, a connection closed before
// the answer (or before the request was written), or a timeout of the
// attempt (not of the caller's context, which withRetry checks itself).
func transient(err error) bool {
	var se *serverError
	if errors.As(err, &se) {
		return true
	}
	// net.ErrClosed: the client closed the connection under the request
	// (its other end had just gone: an outage, a proxy dropping
	// connections), so the request was not sent whole. The soak test lost
	// answers to it, on the try after an EOF.
	if errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
