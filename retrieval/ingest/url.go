package ingest

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// trackingParams are query parameters that only identify a campaign or a
// click, never the article; utm_* is matched by prefix.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "igshid": true,
	"yclid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
}

// CanonicalURL returns the form of an http(s) URL that identifies an
// article, so the same article reached by different links is stored once:
// scheme and host lower-cased, the default port, user info and fragment
// dropped, an empty path made "/", and tracking parameters (utm_*, fbclid,
// gclid and similar) removed from the query; the remaining parameters keep
// their order and spelling. It fails for anything but an absolute http or
// https URL.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("bad URL: %w", err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return "", errors.New("bad URL: not absolute")
		}
		return "", fmt.Errorf("bad URL: scheme %q is not http or https", u.Scheme)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", errors.New("bad URL: no host")
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" || strings.Contains(host, ":") {
		host = net.JoinHostPort(host, port)
		host = strings.TrimSuffix(host, ":")
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = stripTracking(u.RawQuery)
	u.ForceQuery = false
	if u.Path == "" && u.Opaque == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

// stripTracking drops tracking parameters from a raw query, leaving the
// others untouched.
func stripTracking(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	kept := parts[:0]
	for _, p := range parts {
		if p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		key = strings.ToLower(key)
		if strings.HasPrefix(key, "utm_") || trackingParams[key] {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&")
}
