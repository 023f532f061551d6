package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/dustin/go-humanize"

	"newsbot/bot"
)

// jsonArticle is one line of a JSON Lines file. Other fields (category,
// article_id, ...) are ignored.
type jsonArticle struct {
	ID        flexString `json:"id"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	URL       string     `json:"url"`
	Published flexString `json:"published"`
	Source    string     `json:"source"`
	Author    string     `json:"author"`
}

// flexString accepts a JSON string or number: ids and dates are sometimes
// written as numbers.
type flexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if _, err := strconv.ParseFloat(string(b), 64); err != nil {
		return errors.New("want a string or a number")
	}
	*f = flexString(b)
	return nil
}

// parseJSONL reads one article per line. Bad lines are skipped and
// reported; blank lines are ignored. Only a read error, a file over limit
// or a file without a single line is fatal.
func parseJSONL(base string, r io.Reader, limit int64) ([]bot.Article, []LineError, error) {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	br := bufio.NewReaderSize(lr, 64<<10)
	var (
		arts     []bot.Article
		problems []LineError
		lines    int
	)
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, MaxFileBytes)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, nil, fmt.Errorf("read: %w", err)
		}
		if lr.N <= 0 {
			return nil, nil, tooLarge(-1, limit)
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, bomUTF8)
		}
		switch {
		case tooLong:
			lines++
			problems = append(problems, LineError{Line: n, Skipped: true,
				Err: fmt.Errorf("%w: line longer than %s", ErrTooLarge, humanize.IBytes(MaxFileBytes))})
		case len(bytes.TrimSpace(line)) > 0:
			lines++
			a, warns, lerr := jsonLine(base, n, line)
			if lerr != nil {
				problems = append(problems, LineError{Line: n, Err: lerr, Skipped: true})
				break
			}
			for _, w := range warns {
				w.Line = n
				problems = append(problems, w)
			}
			arts = append(arts, a)
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if lines == 0 {
		return nil, nil, ErrEmpty
	}
	return arts, problems, nil
}

// readLine reads one line without its newline. A line longer than max is
// consumed but not returned, and reported as too long.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

func jsonLine(base string, n int, line []byte) (bot.Article, []LineError, error) {
	if !utf8.Valid(line) {
		return bot.Article{}, nil, ErrNotUTF8
	}
	if bytes.TrimSpace(line)[0] != '{' {
		return bot.Article{}, nil, errors.New("invalid JSON: not an object")
	}
	var j jsonArticle
	if err := json.Unmarshal(line, &j); err != nil {
		return bot.Article{}, nil, fmt.Errorf("invalid JSON: %w", err)
	}
	text, err := normalizeString(j.Text)
	if err != nil {
		if errors.Is(err, ErrEmpty) {
			return bot.Article{}, nil, errors.New(`no "text"`)
		}
		return bot.Article{}, nil, fmt.Errorf("text: %w", err)
	}
	m := meta{id: string(j.ID), title: j.Title, source: j.Source, url: j.URL,
		published: string(j.Published), author: j.Author}
	a, warns := m.article(base+":"+strconv.Itoa(n), text)
	return a, warns, nil
}
