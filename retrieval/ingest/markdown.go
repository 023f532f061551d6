package ingest

import (
	"fmt"
	"regexp"
	"strings"

	"newsbot/bot"
)

// parseMarkdown reads a Markdown article with optional YAML or TOML front
// matter. Without a front-matter title, a leading "# Heading" is the title.
// The body is turned into plain text by stripMarkdown.
func parseMarkdown(base string, data []byte) (bot.Article, []LineError, error) {
	text, err := Normalize(data)
	if err != nil {
		return bot.Article{}, nil, err
	}
	m, body, err := splitFrontMatter(text)
	if err != nil {
		return bot.Article{}, nil, err
	}
	if m.title == "" {
		first, rest, _ := strings.Cut(body, "\n")
		if h := atxHeading.FindStringSubmatch(first); h != nil && len(h[1]) == 1 {
			m.title = inline(strings.TrimSpace(atxClosing.ReplaceAllString(h[2], "")))
			body = rest
		}
	}
	body = dropTitleHeading(stripMarkdown(body), m.title)
	if body == "" {
		return bot.Article{}, nil, fmt.Errorf("%w: no article text", ErrEmpty)
	}
	a, warns := m.article(base, body)
	return a, warns, nil
}

var (
	atxHeading      = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*))?$`)
	atxClosing      = regexp.MustCompile(`(?:^|[ \t]+)#+[ \t]*$`)
	fenceLine       = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	setextUnderline = regexp.MustCompile(`^ {0,3}(?:=+|-+)[ \t]*$`)
	thematicBreak   = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$`)
	refDefinition   = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*\S+`)
	blockQuote      = regexp.MustCompile(`^(?: {0,3}>[ \t]?)+`)
	bullet          = regexp.MustCompile(`^[ \t]*[-*+][ \t]+`)
	htmlComment     = regexp.MustCompile(`<!--.*?-->`)
)

// stripMarkdown turns Markdown into text that reads well when quoted. A
// heading becomes a paragraph of its own that keeps its "#" marker ("##
// Costs"; a setext heading gets one), which is how the sentence splitter
// knows it is a heading and never quotes it as an answer. It removes
// block-quote markers, bullet markers (the item text stays on its line),
// thematic breaks, setext underlines, link reference definitions, code
// fences (the code stays) and one-line HTML comments; inline, it turns
// [text](url) and [text][ref] into text, drops images, unwraps <autolinks>,
// removes emphasis (*, _, **, __, ~~) and code-span backticks, and resolves
// backslash escapes. Numbered list markers, tables and inline HTML are left
// as they are.
func stripMarkdown(body string) string {
	var out []string
	inFence := ""
	for line := range strings.Lines(body) {
		line = strings.TrimRight(line, "\n")
		if f := fenceLine.FindStringSubmatch(line); f != nil {
			switch {
			case inFence == "":
				inFence = f[1][:1]
				continue
			case strings.HasPrefix(f[1], inFence):
				inFence = ""
				continue
			}
		}
		if inFence != "" {
			out = append(out, line)
			continue
		}
		line = blockQuote.ReplaceAllString(line, "")
		switch {
		case setextUnderline.MatchString(line) && len(out) > 0 && out[len(out)-1] != "" && !isHeading(out[len(out)-1]):
			level := "# "
			if strings.Contains(line, "-") {
				level = "## "
			}
			out[len(out)-1] = level + out[len(out)-1]
			out = append(out, "")
			continue
		case thematicBreak.MatchString(line):
			out = append(out, "")
			continue
		case refDefinition.MatchString(line):
			continue
		}
		if h := atxHeading.FindStringSubmatch(line); h != nil {
			if t := strings.TrimSpace(inline(atxClosing.ReplaceAllString(h[2], ""))); t != "" {
				out = append(out, "", h[1]+" "+t, "")
			}
			continue
		}
		line = bullet.ReplaceAllString(line, "")
		out = append(out, inline(htmlComment.ReplaceAllString(line, "")))
	}
	return tidy(strings.Join(out, "\n"))
}

// isHeading reports whether a line of stripped Markdown is a heading.
func isHeading(line string) bool {
	h := atxHeading.FindStringSubmatch(line)
	return h != nil && h[2] != ""
}

// dropTitleHeading removes heading paragraphs that only repeat the title:
// the citation already shows it.
func dropTitleHeading(body, title string) string {
	if title == "" {
		return body
	}
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if h := atxHeading.FindStringSubmatch(p); h != nil && strings.EqualFold(oneLine(h[2]), oneLine(title)) {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, "\n\n")
}

// escaped maps Markdown's backslash-escapable punctuation to private-use
// runes while inline markup is removed, so an escaped "\*" is never taken
// for emphasis, and back again afterwards.
var (
	escapable = "\\`*_{}[]()#+-.!~<>|"
	hideEsc   *strings.Replacer
	showEsc   *strings.Replacer
)

func init() {
	var hide, show []string
	for i, c := range escapable {
		pua := string(rune(0xF0000 + i))
		hide = append(hide, `\`+string(c), pua)
		show = append(show, pua, string(c))
	}
	hideEsc = strings.NewReplacer(hide...)
	showEsc = strings.NewReplacer(show...)
}

var (
	codeSpan   = regexp.MustCompile("(`+)([^`]+?)(`+)")
	image      = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	inlineLink = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	refLink    = regexp.MustCompile(`\[([^\]]+)\]\[[^\]]*\]`)
	autoLink   = regexp.MustCompile(`<((?:https?|mailto):[^>\s]+)>`)
	strong     = regexp.MustCompile(`\*\*(\S(?:.*?\S)?)\*\*`)
	strongU    = regexp.MustCompile(`(^|[^\p{L}\p{N}_])__(\S(?:.*?\S)?)__($|[^\p{L}\p{N}_])`)
	strike     = regexp.MustCompile(`~~(\S(?:.*?\S)?)~~`)
	em         = regexp.MustCompile(`(^|[^\p{L}\p{N}*])\*(\S(?:[^*]*?\S)?)\*($|[^\p{L}\p{N}*])`)
	emU        = regexp.MustCompile(`(^|[^\p{L}\p{N}_])_(\S(?:[^_]*?\S)?)_($|[^\p{L}\p{N}_])`)
)

// inline removes inline Markdown from one line. Code spans are cut out
// first so nothing inside them is touched.
func inline(line string) string {
	line = hideEsc.Replace(line)
	var b strings.Builder
	for {
		loc := codeSpan.FindStringSubmatchIndex(line)
		if loc == nil || line[loc[2]:loc[3]] != line[loc[6]:loc[7]] {
			b.WriteString(inlineMarkup(line))
			break
		}
		b.WriteString(inlineMarkup(line[:loc[0]]))
		b.WriteString(strings.TrimSpace(line[loc[4]:loc[5]]))
		line = line[loc[1]:]
	}
	return showEsc.Replace(b.String())
}

func inlineMarkup(s string) string {
	s = image.ReplaceAllString(s, "")
	s = inlineLink.ReplaceAllString(s, "$1")
	s = refLink.ReplaceAllString(s, "$1")
	s = autoLink.ReplaceAllString(s, "$1")
	s = strong.ReplaceAllString(s, "$1")
	s = strike.ReplaceAllString(s, "$1")
	// Flanking rules need the character on each side, so neighbouring
	// matches overlap; a second pass catches the ones the first skipped.
	for range 2 {
		s = strongU.ReplaceAllString(s, "$1$2$3")
		s = em.ReplaceAllString(s, "$1$2$3")
		s = emU.ReplaceAllString(s, "$1$2$3")
	}
	return s
}
