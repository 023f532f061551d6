package ingest

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// splitFrontMatter separates YAML (---) or TOML (+++) front matter from a
// normalised Markdown text and reads the article fields from it. Text that
// opens with a fence that never closes has no front matter: a lone "---"
// is also a Markdown thematic break.
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
		return m, text, nil
	}
	if fence == "+++" {
		if err := tomlFrontMatter(block, &m); err != nil {
			return m, "", fmt.Errorf("TOML front matter: %w", err)
		}
	} else {
		yamlFrontMatter(block, &m)
	}
	return m, strings.TrimLeft(body, "\n"), nil
}

// yamlFrontMatter reads top-level "key: value" lines, which is all article
// front matter needs; lists, nesting and other YAML are ignored rather than
// pulling in a YAML library.
func yamlFrontMatter(block string, m *meta) {
	for line := range strings.Lines(block) {
		line = strings.TrimRight(line, "\n")
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		m.set(key, yamlScalar(value))
	}
}

// yamlScalar unquotes a YAML scalar: "double" with escapes, 'single' with
// ” for a quote, or plain with a trailing " # comment" removed.
func yamlScalar(v string) string {
	v = strings.TrimSpace(v)
	switch {
	case len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"':
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
		return v[1 : len(v)-1]
	case len(v) >= 2 && v[0] == '\'' && v[len(v)-1] == '\'':
		return strings.ReplaceAll(v[1:len(v)-1], "''", "'")
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// tomlFrontMatter reads the article fields from a TOML block. Dates may be
// TOML datetimes or strings; an author may be a string or a list of them.
func tomlFrontMatter(block string, m *meta) error {
	var fields map[string]any
	if _, err := toml.Decode(block, &fields); err != nil {
		return err
	}
	// Sorted so that of two spellings of a field (date, published) the same
	// one wins every time.
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		switch v := fields[k].(type) {
		case string:
			m.set(k, v)
		case time.Time:
			m.set(k, tomlTime(v).Format(time.RFC3339))
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
	return nil
}

// tomlTime turns TOML's local date-times, which carry no zone, into UTC.
func tomlTime(t time.Time) time.Time {
	switch t.Location().String() {
	case "datetime-local", "date-local", "time-local":
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	}
	return t
}
