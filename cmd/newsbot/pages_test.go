package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestPagesAndFeeds ingests pages and a feed from a loopback site
// through Main and checks what export shows was stored (issue #11 classes
// 1, 3, 5, 6, 7, 14 and 18 end to end).
func TestIngestPagesAndFeeds(t *testing.T) {
	script := "<script>" + strings.Repeat("window.track = window.track || []; ", 150) + "</script>"
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/cafe", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html") // no charset
		fmt.Fprint(w, `<html><head>`+script+`<meta charset="utf-8"><title>Café reopens</title>`+
			`<iframe src="/x"></iframe><link rel="canonical" href="`+srv.URL+`/cafe">`+
			`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-05-03T09:00:00+02:00","author":{"@type":"Person","name":"Lena Fox"}}</script></head>`+
			`<body><nav><a href="/">Home</a></nav><article><h1>Café reopens</h1><p>Rock’n’roll café — 5 €. The café on Bridge Street reopened on Saturday after a two-year restoration.</p>`+
			`<p>About 400 people queued along the street for the opening, its owner said.</p></article></body></html>`)
	})
	mux.HandleFunc("/menu", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav></body></html>`)
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Loopback Video</title><link>`+srv.URL+`</link>`+
			`<item><title>Flood gates tested</title><guid isPermaLink="false">clip-77</guid><media:description>Engineers tested the new flood gates on the Thames for the first time on Sunday.</media:description></item>`+
			`</channel></rss>`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { // a front page for every unknown path
		fmt.Fprint(w, `<html><body><article><p>Welcome to the front page with all the latest headlines and more of them every day.</p></article></body></html>`)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cfg := filepath.Join(t.TempDir(), "newsbot.toml")
	if err := os.WriteFile(cfg, []byte("[fetch]\nallow_private = true\ntimeout = \"5s\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, out, errb := testMain(t, nil)
	err := m.Run(context.Background(), []string{"--config", cfg, "ingest", srv.URL + "/cafe", srv.URL + "/feed.xml", srv.URL + "/menu"})
	if err == nil || !strings.Contains(errb.String(), "no article text") {
		t.Errorf("navigation-only page: err %v, stderr:\n%s", err, errb)
	}
	stored, raw := exported(t, m, out)
	if len(stored) != 2 {
		t.Fatalf("stored %d articles, want the café page and the feed item:\n%s", len(stored), raw)
	}
	cafe := stored[srv.URL+"/cafe"]
	if !strings.Contains(cafe.Text, "Rock’n’roll café — 5 €.") || strings.Contains(cafe.Text, "Home") {
		t.Errorf("class 1/4: café text %q", cafe.Text)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	host = host[:strings.IndexByte(host, ':')]
	if cafe.Published != "2025-05-03T07:00:00Z" || cafe.Author != "Lena Fox" || cafe.Source != host {
		t.Errorf("class 3/6: published %q author %q source %q", cafe.Published, cafe.Author, cafe.Source)
	}
	var clip exportLine
	for _, l := range stored {
		if strings.HasSuffix(l.ID, "#clip-77") {
			clip = l
		}
	}
	if clip.Text != "Engineers tested the new flood gates on the Thames for the first time on Sunday." || clip.URL != "" || clip.Title != "Flood gates tested" {
		t.Errorf("class 14/18: feed item stored as %+v", clip)
	}
}
