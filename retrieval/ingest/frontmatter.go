package ingest

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// yamlKeyLine matches a "key: value" line, which tells front matter from a
// Markdown thematic break when a "---" never closes.
var yamlKeyLine = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*:(\s|$)`)

// splitFrontMatter separates YAML (---) or TOML (+++) front matter from a
// normalised Markdown text and reads the article fields from it. Broken
// YAML or TOML, or a fence that opens front matter ("---" then "key:
// value" lines) and never closes, is an error naming the line, counted
// from the top of the file. A lone "---" before prose is a Markdown
// thematic break, not front matter.
func splitFrontMatter(text string) (meta, string, error) {
	var m meta
	first, rest, _ := strings.Cut(text, "\n")
	fence := strings.TrimSpace(first)
	if fence != "---" && fence != "+++" {
		return m, text, nil
	}
	var block, body string
	found := false
	for off := 0; off <= len(rest); {
		line, _, _ := strings.Cut(rest[off:], "\n")
		if strings.TrimSpace(line) == fence {
			block, body = rest[:off], rest[min(off+len(line)+1, len(rest)):]
			found = true
			break
		}
		off += len(line) + 1
	}
	if !found {
		next, _, _ := strings.Cut(strings.TrimLeft(rest, "\n"), "\n")
		if fence == "+++" || yamlKeyLine.MatchString(next) {
			return m, "", fmt.Errorf("line 1: front matter fence %q is never closed", fence)
		}
		return m, text, nil
	}
	// The block starts on line 2 of the file.
	const blockLine = 2
	var fields map[string]any
	if fence == "+++" {
		if _, err := toml.Decode(block, &fields); err != nil {
			var pe toml.ParseError
			if errors.As(err, &pe) {
				return m, "", fmt.Errorf("line %d: TOML front matter: %s", pe.Position.Line+blockLine-1, pe.Message)
			}
			return m, "", fmt.Errorf("TOML front matter: %w", err)
		}
	} else if err := yaml.Unmarshal([]byte(block), &fields); err != nil {
		return m, "", yamlError(err, blockLine)
	}
	setFields(&m, fields)
	return m, strings.TrimLeft(body, "\n"), nil
}

// yamlLine finds the "line N" yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError restates a YAML error with the line counted from the top of
// the file.
func yamlError(err error, blockLine int) error {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if sm := yamlLine.FindStringSubmatch(msg); sm != nil {
		n, _ := strconv.Atoi(sm[1])
		return fmt.Errorf("line %d: YAML front matter: %s", n+blockLine-1, msg[len(sm[0]):])
	}
	return fmt.Errorf("YAML front matter: %s", strings.TrimPrefix(msg, "yaml: "))
}

// setFields reads the article fields from decoded front matter. Dates may
// be datetimes or strings; an author may be a string or a list of them;
// other values (tags, nested tables) are ignored.
func setFields(m *meta, fields map[string]any) {
	// Sorted so that of two spellings of a field (date, published) the same
	// one wins every time.
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		switch v := fields[k].(type) {
		case string:
			m.set(k, v)
		case int, int64, uint64, float64:
			m.set(k, fmt.Sprint(v))
		case time.Time:
			m.set(k, localAsUTC(v).Format(time.RFC3339))
		case []any:
			var names []string
			for _, e := range v {
				if s, ok := e.(string); ok {
					names = append(names, s)
				}
			}
			m.set(k, strings.Join(names, ", "))
		}
	}
}

// localAsUTC turns TOML's local date-times, which carry no zone, into UTC.
func localAsUTC(t time.Time) time.Time {
	switch t.Location().String() {
	case "datetime-local", "date-local", "time-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	return t
}
