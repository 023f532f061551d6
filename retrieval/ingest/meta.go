package ingest

import (
	"fmt"
	"strings"
	"unicode"

	"newsbot/bot"
)

// meta is the metadata a file declares about its article, as written.
type meta struct {
	id, title, source, url, published, author string
}

// set stores a metadata field under any of its accepted key spellings and
// reports whether key is one.
func (m *meta) set(key, value string) bool {
	value = strings.TrimSpace(value)
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "id":
		m.id = value
	case "title":
		m.title = value
	case "source", "site", "site_name", "publisher":
		m.source = value
	case "url", "link":
		m.url = value
	case "published", "date", "pubdate", "published_at":
		m.published = value
	case "author", "byline":
		m.author = value
	default:
		return false
	}
	return true
}

// article builds the article with body text: ID from the declared id, else
// the canonical URL, else base; title from the declared title, else the
// first sentence. Fields that cannot be used are left empty and reported
// as warnings.
func (m meta) article(base, body string) (bot.Article, []LineError) {
	a := bot.Article{
		ID: m.id, Title: oneLine(m.title), Source: oneLine(m.source),
		Author: oneLine(m.author), Text: body,
	}
	var warns []LineError
	if m.url != "" {
		if u, err := CanonicalURL(m.url); err != nil {
			warns = append(warns, LineError{Err: fmt.Errorf("url %q ignored: %w", m.url, err)})
		} else {
			a.URL = u
			if a.ID == "" {
				a.ID = u
			}
		}
	}
	if a.ID == "" {
		a.ID = base
	}
	if m.published != "" {
		t, err := ParseDate(m.published)
		if err != nil {
			warns = append(warns, LineError{Err: fmt.Errorf("published %q ignored: %w", m.published, err)})
		}
		a.Published = t
	}
	if a.Title == "" {
		a.Title = fallbackTitle(body)
	}
	return a, warns
}

// oneLine collapses runs of whitespace and control characters into single
// spaces: metadata is shown on one line in citations.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}
