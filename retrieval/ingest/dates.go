package ingest

import (
	"errors"
	"strings"
	"time"
)

// dateLayouts are the date forms ParseDate accepts, most common first.
// Layouts without a zone are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"02 Jan 2006",
	"2006/01/02",
}

// errBadDate is wrapped by date warnings.
var errBadDate = errors.New("unrecognised date")

// ParseDate parses the date forms found in article metadata: RFC 3339,
// 2006-01-02, RFC 1123 (with numeric or named zone), RFC 850, ANSI C,
// "January 2, 2006", "2 Jan 2006" and a few more. Ambiguous numeric forms
// such as 01/02/2006 are refused rather than guessed. A result without a
// zone is taken as UTC; every result is returned in UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			if !StorableDate(t) {
				return time.Time{}, errBadDate
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, errBadDate
}

// StorableDate reports whether t, in UTC, falls in the years 0–9999 that
// RFC 3339 and JSON can hold. A zone can push "9999-12-31T23:59:59-23:59"
// into year 10000, which would then fail to encode wherever it is written.
func StorableDate(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}
