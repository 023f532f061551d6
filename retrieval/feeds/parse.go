package feeds

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// customNonPermalink marks, in an item's Custom map, an RSS GUID declared
// isPermaLink="false": an identifier, never a URL to fetch or cite.
const customNonPermalink = "newsbot:guid-not-permalink"

// parseFeed parses an RSS, Atom or JSON Feed document.
func parseFeed(body []byte) (*gofeed.Feed, error) {
	p := gofeed.NewParser()
	p.RSSTranslator = rssTranslator{}
	feed, err := p.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %s", oneLine(err.Error()))
	}
	return feed, nil
}

// rssTranslator is gofeed's RSS translation plus what it drops that items
// need: whether each GUID is a permalink.
type rssTranslator struct{}

func (rssTranslator) Translate(feed any) (*gofeed.Feed, error) {
	f, err := (&gofeed.DefaultRSSTranslator{}).Translate(feed)
	if err != nil {
		return nil, err
	}
	src, ok := feed.(*rss.Feed)
	if !ok || len(src.Items) != len(f.Items) {
		return f, nil
	}
	for i, it := range src.Items {
		if it != nil && it.GUID != nil && strings.EqualFold(strings.TrimSpace(it.GUID.IsPermalink), "false") {
			if f.Items[i].Custom == nil {
				f.Items[i].Custom = map[string]string{}
			}
			f.Items[i].Custom[customNonPermalink] = "true"
		}
	}
	return f, nil
}

// mediaText returns an item's Media RSS element (media:description,
// media:title), directly on the item or inside a media:group or
// media:content: what video and podcast feeds carry instead of a
// description.
func mediaText(fi *gofeed.Item, name string) string {
	media := fi.Extensions["media"]
	if media == nil {
		return ""
	}
	var find func(es []ext.Extension) string
	find = func(es []ext.Extension) string {
		for _, e := range es {
			if s := strings.TrimSpace(e.Value); s != "" {
				return s
			}
		}
		return ""
	}
	if s := find(media[name]); s != "" {
		return s
	}
	for _, parent := range []string{"group", "content"} {
		for _, p := range media[parent] {
			if s := find(p.Children[name]); s != "" {
				return s
			}
			for _, c := range p.Children["content"] {
				if s := find(c.Children[name]); s != "" {
					return s
				}
			}
		}
	}
	return ""
}

// atomStart finds an Atom <feed> element, unprefixed or atom:-prefixed,
// that declares the Atom namespace.
var atomStart = regexp.MustCompile(`<(atom:)?feed\b[^>]*xmlns(?::atom)?\s*=\s*["']http://www\.w3\.org/2005/Atom["']`)

// embeddedAtom returns the Atom feed carried inside another XML document
// (an XHTML page served as application/xml), or nil.
func embeddedAtom(body []byte) []byte {
	loc := atomStart.FindSubmatchIndex(body)
	if loc == nil {
		return nil
	}
	end := []byte("</feed>")
	if loc[2] >= 0 {
		end = []byte("</atom:feed>")
	}
	j := bytes.LastIndex(body, end)
	if j < loc[0] {
		return nil
	}
	return body[loc[0] : j+len(end)]
}
