package feeds

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// rssWith wraps item XML in an RSS channel on base.
func rssWith(base, items string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" ` +
		`xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>Class Feed</title><link>` + base + `/</link>` + items + `</channel></rss>`
}

// TestNonPermalinkGUID (class 14): a GUID declared isPermaLink="false", or
// one that is not a URL, is never fetched or cited as a URL; the item keeps
// its own text.
func TestNonPermalinkGUID(t *testing.T) {
	s := newSite(t)
	// The site answers unknown paths with its front page.
	s.handle("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html><body><article><p>"+strings.Repeat("Welcome to the front page of the Test Herald with all the latest headlines. ", 5)+"</p></article></body></html>")
	})
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL,
		`<item><title>Bridge closes for repairs</title><guid isPermaLink="false">abc-123</guid><description>The Tay bridge closed for repairs on Monday and will reopen in May, the council said.</description></item>`+
			`<item><title>Dam opens</title><guid>dam-2024-7</guid><description>The Kariba dam opened on Monday after six years of work on the river.</description></item>`+
			`<item><title>Ferry</title><guid isPermaLink="false">`+s.URL+`/news/ferry</guid><description>Ferry crews went on strike over pay on Thursday, stopping all crossings.</description></item>`))
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != 3 {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	for _, a := range arts {
		if a.URL != "" {
			t.Errorf("%q cites URL %q made from its GUID", a.Title, a.URL)
		}
		if strings.Contains(a.Text, "front page") {
			t.Errorf("%q stored the site's front page", a.Title)
		}
	}
	if arts[0].Text != "The Tay bridge closed for repairs on Monday and will reopen in May, the council said." {
		t.Errorf("text %q", arts[0].Text)
	}
	for _, p := range []string{"/abc-123", "/dam-2024-7", "/news/ferry"} {
		if n := s.count(p); n != 0 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
}

// TestConsentAndUnrelatedPages (class 15): a consent wall or a page that
// shares nothing with the item leaves the feed's own text in place.
func TestConsentAndUnrelatedPages(t *testing.T) {
	s := newSite(t)
	s.handle("/news/consent", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><div class="consent"><h2>We value your privacy</h2><p>We and our 842 partners use cookies and similar technologies to store and access information on your device, for personalised advertising and content measurement.</p><p>You can accept all, reject all or manage preferences at any time in the privacy centre.</p><button>Accept all</button><button>Reject all</button></div></body></html>`)
	})
	s.handle("/news/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><article><p>Our summer sale has started with great discounts on garden furniture, barbecues and outdoor lighting for every budget.</p><p>Order before midnight for free delivery anywhere in the country.</p></article></body></html>`)
	})
	desc := map[string]string{
		"consent":   "Wheat exports from Odesa doubled in July compared with a year earlier, the port authority said on Wednesday.",
		"elsewhere": "The harbour wall in Whitby will be rebuilt after storms tore a hole in its outer section, the council said.",
	}
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL,
		`<item><title>Odesa wheat exports double</title><link>`+s.URL+`/news/consent</link><description>`+desc["consent"]+`</description></item>`+
			`<item><title>Harbour wall to be rebuilt</title><link>`+s.URL+`/news/elsewhere</link><description>`+desc["elsewhere"]+`</description></item>`))
	var log bytes.Buffer
	arts, err := testFetcher(&log).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != 2 {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	for i, slug := range []string{"consent", "elsewhere"} {
		if arts[i].Text != desc[slug] {
			t.Errorf("%s: stored %q, want the feed's text", slug, arts[i].Text)
		}
	}
	mustContainAll(t, log.String(), "consent or paywall interstitial", "shares almost nothing")
}

// TestHostThatNeverAnswers (class 16): a host that accepts connections and
// never replies costs the feed at most its deadline, is given up after its
// first timeouts, and its items keep the feed's own text.
func TestHostThatNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	accepted := 0
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			accepted++
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	s := newSite(t)
	var items strings.Builder
	for i := range 20 {
		fmt.Fprintf(&items, `<item><title>Story %d</title><link>http://%s/news/%d</link><description>Story number %d of the day, told in the feed itself.</description></item>`, i, ln.Addr(), i, i)
	}
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL, items.String()))

	for _, tt := range []struct {
		name string
		opts []Option
	}{
		{"gives up on the host", []Option{WithTimeout(200 * time.Millisecond), WithFeedDeadline(time.Minute)}},
		{"feed deadline", []Option{WithTimeout(time.Minute), WithFeedDeadline(300 * time.Millisecond)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			accepted = 0
			mu.Unlock()
			var log bytes.Buffer
			arts, err := testFetcher(&log, tt.opts...).FetchURL(hangGuard(t), s.URL+"/rss.xml")
			if err != nil || len(arts) != 20 {
				t.Fatalf("got %d articles, %v", len(arts), err)
			}
			if arts[7].Text != "Story number 7 of the day, told in the feed itself." {
				t.Errorf("text %q", arts[7].Text)
			}
			mu.Lock()
			n := accepted
			mu.Unlock()
			// Two timeouts give the host up; at most pageWorkers were in
			// flight when it happened.
			if n > hostGiveUp+pageWorkers {
				t.Errorf("%d connections to a host that never answers, want at most %d", n, hostGiveUp+pageWorkers)
			}
		})
	}
}

// TestCommentLinkItems (class 17): items whose only text is a "Comments"
// link and whose page cannot be had fail; none is stored as "Comments".
func TestCommentLinkItems(t *testing.T) {
	s := newSite(t)
	var items strings.Builder
	for i := range 5 {
		fmt.Fprintf(&items, `<item><title>Show HN: thing %d</title><link>%s/gone/%d</link><description><![CDATA[<a href="%s/c/%d">Comments</a>]]></description></item>`, i, s.URL, i, s.URL, i)
	}
	items.WriteString(`<item><title>Item alpha</title><link>` + s.URL + `/news/alpha</link><description><![CDATA[<a href="` + s.URL + `/c/a">Comments</a>]]></description></item>`)
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL, items.String()))
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 1 || arts[0].ID != s.URL+"/news/alpha" {
		t.Fatalf("got %d articles (%+v), want only the item whose page exists", len(arts), arts)
	}
	for _, a := range arts {
		if a.Text == "Comments" {
			t.Errorf("stored %q as Comments", a.ID)
		}
	}
	// Every item unreadable: the feed fails, naming the reason.
	s.setFeed("/only.xml", "application/rss+xml", rssWith(s.URL, strings.Replace(items.String(), "/news/alpha", "/gone/alpha", 1)))
	if _, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/only.xml"); err == nil || !strings.Contains(err.Error(), "only links") {
		t.Errorf("all-comment feed: %v", err)
	}
}

// TestMediaText (class 18): media:description, media:title (also inside
// media:group) and itunes:summary are an item's text.
func TestMediaText(t *testing.T) {
	s := newSite(t)
	s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL,
		`<item><guid isPermaLink="false">v1</guid><media:title>Flood defences tested</media:title><media:description>Engineers tested the new flood gates on the Thames for the first time on Sunday.</media:description></item>`+
			`<item><title>Episode 12</title><guid isPermaLink="false">v2</guid><media:group><media:description>This week the panel discusses the harbour budget and the ferry strike.</media:description></media:group></item>`+
			`<item><title>Episode 13</title><guid isPermaLink="false">v3</guid><itunes:summary>The mayor explains why the library will be built on the old depot site.</itunes:summary></item>`))
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/rss.xml")
	if err != nil || len(arts) != 3 {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	want := []struct{ title, text string }{
		{"Flood defences tested", "Engineers tested the new flood gates on the Thames for the first time on Sunday."},
		{"Episode 12", "This week the panel discusses the harbour budget and the ferry strike."},
		{"Episode 13", "The mayor explains why the library will be built on the old depot site."},
	}
	for i, w := range want {
		if arts[i].Title != w.title || arts[i].Text != w.text {
			t.Errorf("item %d: %q / %q, want %q / %q", i, arts[i].Title, arts[i].Text, w.title, w.text)
		}
	}
}

// TestAtomInsideXHTML (class 19): an application/xml document carrying an
// Atom feed is read as that feed, by FetchURL and by the poller's sniffing.
func TestAtomInsideXHTML(t *testing.T) {
	s := newSite(t)
	page := `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Feed</title></head><body>` +
		strings.TrimPrefix(atomFeed(s.URL, "alpha", "beta"), `<?xml version="1.0" encoding="utf-8"?>`) + `</body></html>`
	s.setFeed("/feed", "application/xml", page)
	arts, err := testFetcher(nil).FetchURL(hangGuard(t), s.URL+"/feed")
	if err != nil || len(arts) != 2 || arts[0].ID != s.URL+"/news/alpha" {
		t.Fatalf("got %d articles, %v", len(arts), err)
	}
	if k, doc := sniff("application/xml", []byte(page)); k != kindFeed || !bytes.HasPrefix(doc, []byte("<feed")) {
		t.Errorf("sniff: %v %.40q", k, doc)
	}
}
