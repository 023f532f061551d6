package telegram

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// tgHTML is a message parsed the way Telegram's HTML parse mode reads it,
// restricted to the tags newsbot may use.
type tgHTML struct {
	Text   string   // the visible text, entities decoded
	Quotes []string // the text of each blockquote, in order
	Links  []tgLink
}

type tgLink struct{ Href, Text string }

var (
	entityRE = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)
	hrefRE   = regexp.MustCompile(`^a href="([^"<>]*)"$`)
	allowed  = map[string]bool{"b": true, "i": true, "a": true, "code": true, "pre": true, "blockquote": true}
)

// parseTelegramHTML checks s as Telegram would before accepting it: valid
// UTF-8; only the tags b, i, a href, code, pre and blockquote, balanced and
// not nested in themselves; no stray < or >; & only in the entities
// Telegram knows; at most 4096 UTF-16 units of visible text.
func parseTelegramHTML(s string) (tgHTML, error) {
	var out tgHTML
	if !utf8.ValidString(s) {
		return out, errors.New("invalid UTF-8")
	}
	var (
		text, quote, link strings.Builder
		stack             []string
		href              string
	)
	open := func(name string) bool {
		for _, t := range stack {
			if t == name {
				return true
			}
		}
		return false
	}
	emit := func(t string) {
		text.WriteString(t)
		if open("blockquote") {
			quote.WriteString(t)
		}
		if open("a") {
			link.WriteString(t)
		}
	}
	for i := 0; i < len(s); {
		switch c := s[i]; c {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return out, fmt.Errorf("unclosed tag at byte %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return out, fmt.Errorf("unbalanced </%s> (open: %v)", name, stack)
				}
				stack = stack[:len(stack)-1]
				switch name {
				case "blockquote":
					out.Quotes = append(out.Quotes, quote.String())
					quote.Reset()
				case "a":
					out.Links = append(out.Links, tgLink{Href: href, Text: link.String()})
					link.Reset()
				}
				continue
			}
			name := tag
			if strings.HasPrefix(tag, "a ") {
				m := hrefRE.FindStringSubmatch(tag)
				if m == nil {
					return out, fmt.Errorf("bad <a> tag %q", tag)
				}
				href = html.UnescapeString(m[1])
				u, err := url.Parse(href)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
					return out, fmt.Errorf("bad href %q", href)
				}
				name = "a"
			} else if tag == "a" {
				return out, errors.New("<a> without href")
			}
			if !allowed[name] {
				return out, fmt.Errorf("unsupported tag <%s>", tag)
			}
			if open(name) {
				return out, fmt.Errorf("<%s> nested in itself", name)
			}
			stack = append(stack, name)
		case '>':
			return out, fmt.Errorf("bare > at byte %d", i)
		case '&':
			m := entityRE.FindString(s[i:])
			if m == "" {
				return out, fmt.Errorf("bad entity at byte %d: %.10q", i, s[i:])
			}
			emit(html.UnescapeString(m))
			i += len(m)
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			emit(s[i : i+n])
			i += n
		}
	}
	if len(stack) > 0 {
		return out, fmt.Errorf("unclosed tags %v", stack)
	}
	out.Text = text.String()
	if n := utf16Len(strings.TrimSpace(out.Text)); n == 0 || n > maxMessageUTF16 {
		return out, fmt.Errorf("message text is %d UTF-16 units; Telegram wants 1-4096", n)
	}
	return out, nil
}
