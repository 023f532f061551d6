package feeds

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestGetConditional(t *testing.T) {
	s := newSite(t)
	var gotUA, gotINM, gotIMS string
	s.handle("/feed", func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotINM, gotIMS = r.UserAgent(), r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if gotINM == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Tue, 09 Apr 2024 08:00:00 GMT")
		fmt.Fprint(w, "<rss/>")
	})
	f := testFetcher(nil, WithUserAgent("newsbot-test/1"))
	r, err := f.Get(hangGuard(t), s.URL+"/feed", Validators{})
	if err != nil || r.NotModified || string(r.Body) != "<rss/>" {
		t.Fatalf("first fetch: %+v, %v", r, err)
	}
	if gotUA != "newsbot-test/1" || gotINM != "" {
		t.Errorf("first request UA %q, If-None-Match %q", gotUA, gotINM)
	}
	r2, err := f.Get(hangGuard(t), s.URL+"/feed", r.Validators)
	if err != nil || !r2.NotModified || len(r2.Body) != 0 {
		t.Fatalf("second fetch: %+v, %v; want 304", r2, err)
	}
	if gotINM != `"v1"` || gotIMS != "Tue, 09 Apr 2024 08:00:00 GMT" {
		t.Errorf("conditional headers: %q, %q", gotINM, gotIMS)
	}
}

func TestGetFailures(t *testing.T) {
	s := newSite(t)
	s.handle("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // a server that never answers
	})
	s.handle("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss>")
		w.(http.Flusher).Flush()
		<-r.Context().Done() // headers sent, body never finishes
	})
	s.handle("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop?n="+r.URL.Query().Get("n")+"x", http.StatusFound)
	})
	s.handle("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	s.handle("/huge-streamed", func(w http.ResponseWriter, r *http.Request) {
		// A 50 MB feed without Content-Length: the client must stop reading.
		chunk := bytes.Repeat([]byte("<item>x</item>"), 1<<12)
		for sent := 0; sent < 50<<20; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	s.handle("/huge-declared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(50<<20))
		w.Write([]byte("<rss>")) // the client must refuse before reading
	})
	s.handle("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})

	tests := []struct {
		path string
		opts []Option
		want string
		is   error
	}{
		{"/hang", []Option{WithTimeout(200 * time.Millisecond)}, "timed out after 200ms", nil},
		{"/slow-body", []Option{WithTimeout(200 * time.Millisecond)}, "timed out after 200ms", nil},
		{"/loop", nil, "too many redirects (more than 5)", nil},
		{"/to-file", nil, `refused redirect to scheme "file"`, nil},
		{"/huge-streamed", nil, "response too large: over the 10 MiB limit", ErrTooLarge},
		{"/huge-declared", nil, "response too large: 50 MiB > 10 MiB limit", ErrTooLarge},
		{"/missing", nil, "HTTP 404 Not Found", nil},
		{"/busy", nil, "HTTP 503 Service Unavailable", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, err := testFetcher(nil, tt.opts...).Get(hangGuard(t), s.URL+tt.path, Validators{})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
	var he *HTTPError
	_, err := testFetcher(nil).Get(hangGuard(t), s.URL+"/busy", Validators{})
	if !errors.As(err, &he) || he.RetryAfter != 2*time.Minute {
		t.Errorf("Retry-After not parsed: %v", err)
	}
}

func TestGetGzip(t *testing.T) {
	s := newSite(t)
	var gotAE string
	s.handle("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		gotAE = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		zw := gzip.NewWriter(w)
		fmt.Fprint(zw, rssFeed(s.URL, "alpha"))
		zw.Close()
	})
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/feed.xml")
	if err != nil || len(arts) != 1 {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	if !strings.Contains(gotAE, "gzip") {
		t.Errorf("Accept-Encoding = %q, want gzip", gotAE)
	}
}

func TestGzipBombCapped(t *testing.T) {
	s := newSite(t)
	s.handle("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zero := make([]byte, 1<<20)
		for range 64 { // 64 MB of zeros, a few KB on the wire
			if _, err := zw.Write(zero); err != nil {
				return
			}
		}
		zw.Close()
	})
	_, err := testFetcher(nil, WithMaxBytes(1<<20)).Get(hangGuard(t), s.URL+"/bomb", Validators{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want the cap to apply to the decompressed size", err)
	}
}

func TestAddressPolicy(t *testing.T) {
	s := newSite(t)
	ctx := hangGuard(t)
	strict := NewFetcher(WithTimeout(5 * time.Second))
	port := s.Listener.Addr().(interface{ AddrPort() netip.AddrPort }).AddrPort().Port()

	tests := []struct {
		name, url, want string
	}{
		{"loopback literal", s.URL + "/news/a", "refused to connect to 127.0.0.1: loopback or private address (fetch.allow_private permits it)"},
		// A name is checked at dial time, after resolution: the defence
		// against DNS rebinding.
		{"loopback by name", fmt.Sprintf("http://localhost:%d/news/a", port), "refused to connect to "},
		{"metadata", "http://169.254.169.254/latest/meta-data/", "refused to connect to 169.254.169.254: link-local or cloud-metadata address (fetch.allow_link_local permits it)"},
		{"file scheme", "file:///etc/passwd", `refused: scheme "file" (only http and https)`},
		{"ftp scheme", "ftp://example.org/feed", `refused: scheme "ftp" (only http and https)`},
		{"relative", "/feed.xml", "bad URL: not absolute (want http:// or https://)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := strict.Get(ctx, tt.url, Validators{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
	if s.count("/news/a") != 0 {
		t.Errorf("a refused request reached the server")
	}
	// Allowing private networks does not open link-local/metadata.
	lan := NewFetcher(WithAllowPrivate(true), WithTimeout(time.Second))
	if _, err := lan.Get(ctx, "http://169.254.169.254/", Validators{}); err == nil || !strings.Contains(err.Error(), "link-local") {
		t.Errorf("allow_private opened metadata: %v", err)
	}
}

func TestPolicyCheck(t *testing.T) {
	tests := []struct {
		ip                    string
		strict, lan, linkOnly bool // allowed under {}, {allowPrivate}, {allowLinkLocal}
	}{
		{"93.184.216.34", true, true, true},
		{"2606:2800:220:1::1", true, true, true},
		{"127.0.0.1", false, true, false},
		{"::1", false, true, false},
		{"10.1.2.3", false, true, false},
		{"172.16.0.1", false, true, false},
		{"192.168.1.1", false, true, false},
		{"100.64.0.1", false, true, false},
		{"fd12::1", false, true, false},
		{"0.0.0.0", false, true, false},
		{"::ffff:127.0.0.1", false, true, false},
		{"169.254.169.254", false, false, true},
		{"fe80::1", false, false, true},
		{"fd00:ec2::254", false, false, true},
		{"100.100.100.200", false, false, true},
		{"224.0.0.1", false, false, false},
		{"255.255.255.255", false, false, false},
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.ip)
		for _, c := range []struct {
			p    addrPolicy
			want bool
		}{{addrPolicy{}, tt.strict}, {addrPolicy{allowPrivate: true}, tt.lan}, {addrPolicy{allowLinkLocal: true}, tt.linkOnly}} {
			if got := c.p.check(ip) == nil; got != c.want {
				t.Errorf("%+v.check(%s) allowed = %v, want %v", c.p, tt.ip, got, c.want)
			}
		}
	}
}

func TestErrorsHideSecrets(t *testing.T) {
	s := newSite(t)
	s.handle("/private", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	var log bytes.Buffer
	f := testFetcher(&log, WithTimeout(100*time.Millisecond))
	secretURL := strings.Replace(s.URL, "http://", "http://reader:s3cr3t-token@", 1) + "/private"

	_, err := f.Get(hangGuard(t), secretURL, Validators{})
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error leaks the password: %v", err)
	}
	// Through the poller: state, log and table.
	dir := t.TempDir()
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: secretURL}}, StatePath: dir + "/state.json"}, f, newCollector().sink,
		WithPollerLogger(f.log))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.PollOnce(hangGuard(t)); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("PollOnce error leaks or is missing: %v", err)
	}
	var table bytes.Buffer
	st, _ := Report([]FeedConfig{{URL: secretURL}}, dir+"/state.json")
	WriteTable(&table, st, time.Now())
	if strings.Contains(log.String(), "s3cr3t") || strings.Contains(table.String(), "s3cr3t") {
		t.Errorf("password leaked:\nlog: %s\ntable: %s", log.String(), table.String())
	}
	mustContainAll(t, table.String(), "timed out")
}
