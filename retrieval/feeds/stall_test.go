package feeds

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStalledItemPagesKeepFeedText (issue #23, point 6): a 12-item feed
// whose item pages never answer, or answer headers and stall the body,
// stores every item with its own text once the pages time out, through
// FetchURL (ingest URL) and the Poller (serve, ingest --feeds).
func TestStalledItemPagesKeepFeedText(t *testing.T) {
	for _, stall := range []string{"no answer", "body stalls"} {
		t.Run(stall, func(t *testing.T) {
			s := newSite(t)
			var items strings.Builder
			for i := range 12 {
				fmt.Fprintf(&items, `<item><title>Story %d</title><link>%s/slow/%d</link><description>Story number %d of the day, told in the feed itself.</description></item>`, i, s.URL, i, i)
				s.handle(fmt.Sprintf("/slow/%d", i), func(w http.ResponseWriter, r *http.Request) {
					if stall == "body stalls" {
						w.Header().Set("Content-Type", "text/html")
						w.Write([]byte("<html><head><title>Story</title></head><body><p>The first words"))
						w.(http.Flusher).Flush()
					}
					<-r.Context().Done()
				})
			}
			s.setFeed("/rss.xml", "application/rss+xml", rssWith(s.URL, items.String()))
			hits := func() int {
				n := 0
				for i := range 12 {
					n += s.count(fmt.Sprintf("/slow/%d", i))
				}
				return n
			}
			for _, opts := range [][]Option{
				{WithTimeout(200 * time.Millisecond), WithFeedDeadline(time.Minute)},
				{WithTimeout(time.Minute), WithFeedDeadline(300 * time.Millisecond)},
			} {
				var log bytes.Buffer
				before := hits()
				arts, err := testFetcher(&log, opts...).FetchURL(hangGuard(t), s.URL+"/rss.xml")
				if err != nil || len(arts) != 12 {
					t.Fatalf("FetchURL: %d articles, %v\n%s", len(arts), err, log.String())
				}
				for i, a := range arts {
					if want := fmt.Sprintf("Story number %d of the day, told in the feed itself.", i); a.Text != want {
						t.Errorf("article %d text %q, want the feed's %q", i, a.Text, want)
					}
				}
				// The items queued behind the requests that time out are not
				// sent once the host is given up (or the deadline passed):
				// at most one more than hostGiveUp reach the host (one may
				// start after the first timeout, before the second).
				if n := hits() - before; n > hostGiveUp+DefaultPerHost-1 {
					t.Errorf("%d page requests to a stalling host, want at most %d", n, hostGiveUp+DefaultPerHost-1)
				}
				c := newCollector()
				p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: s.URL + "/rss.xml"}}}, testFetcher(&log, opts...), c.sink)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.PollOnce(hangGuard(t)); err != nil {
					t.Fatalf("PollOnce: %v", err)
				}
				if got := len(c.stored()); got != 12 {
					t.Fatalf("poll stored %d of 12 items\n%s", got, log.String())
				}
			}
		})
	}
}
