package ingest

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// dateLayouts are the date forms ParseDate accepts, most common first.
// Named zones are rewritten to numeric offsets before these are tried (see
// zoneOffsets), so no layout reads a zone name: Go would look a name up in
// the host's zone and give answers that change with TZ. Layouts without a
// zone are read as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02",
	time.RFC1123Z,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"Monday, 02-Jan-06 15:04:05 -0700",
	"Mon Jan _2 15:04:05 -0700 2006",
	time.ANSIC,
	"January 2, 2006 3:04 PM -0700",
	"January 2, 2006 15:04 -0700",
	"Jan 2, 2006 3:04 PM -0700",
	"January 2, 2006",
	"Jan 2, 2006",
	"Monday, January 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"02 Jan 2006",
	"2006/01/02",
}

// zoneOffsets are the zone abbreviations news metadata uses, as seconds
// east of UTC. Ambiguous ones (IST: India or Ireland) are left out, so
// they are refused instead of guessed.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600,
	"AST": -4 * 3600, "ADT": -3 * 3600, "NST": -(3*3600 + 1800), "NDT": -(2*3600 + 1800),
	"BST": 3600, "WEST": 3600, "CET": 3600, "CEST": 2 * 3600, "MET": 3600, "MEST": 2 * 3600,
	"EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
	"SGT": 8 * 3600, "HKT": 8 * 3600, "AWST": 8 * 3600, "JST": 9 * 3600, "KST": 9 * 3600,
	"ACST": 9*3600 + 1800, "ACDT": 10*3600 + 1800, "AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
}

// errBadDate is wrapped by date warnings.
var errBadDate = errors.New("unrecognised date")

// ParseDate is the one date parser of every ingest path (file headers,
// front matter, JSON Lines, feeds, pages). It reads RFC 3339, 2006-01-02,
// RFC 1123 and RFC 850, ANSI C and Unix date, "January 2, 2006" and
// "2 Jan 2006" with or without a time, and a few more. A zone may be
// numeric or one of the abbreviations in zoneOffsets (EST, EDT, CET, BST,
// ...), also in parentheses after an offset ("-0400 (EDT)"); the result
// never depends on the host's time zone. Ambiguous numeric forms such as
// 01/02/2006 and unknown zone names are refused rather than guessed.
//
// A value without a zone is taken as UTC. A date without a time is
// midnight UTC of that day, which bot.PublishedSince reads as the calendar
// day itself wherever the reader is. Every result is in UTC.
func ParseDate(s string) (time.Time, error) {
	s, err := numericZone(strings.Join(strings.Fields(s), " "))
	if err != nil {
		return time.Time{}, err
	}
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

// numericZone rewrites a zone abbreviation (last word, or before the year
// in Unix date form) as a numeric offset and drops a parenthesised name
// after a numeric offset.
func numericZone(s string) (string, error) {
	words := strings.Split(s, " ")
	if n := len(words); n >= 2 && isNumericZone(words[n-2]) && strings.HasPrefix(words[n-1], "(") && strings.HasSuffix(words[n-1], ")") {
		return strings.Join(words[:n-1], " "), nil
	}
	for i, w := range words {
		w = strings.Trim(w, "()")
		if i == 0 || !isZoneName(w) {
			continue
		}
		off, ok := zoneOffsets[w]
		if !ok {
			return "", fmt.Errorf("%w: unknown time zone %q", errBadDate, w)
		}
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		words[i] = fmt.Sprintf("%c%02d%02d", sign, off/3600, off%3600/60)
	}
	return strings.Join(words, " "), nil
}

// isZoneName reports whether w looks like a zone abbreviation: 1 to 5
// capital letters. AM and PM are not zones.
func isZoneName(w string) bool {
	if len(w) < 1 || len(w) > 5 || w == "AM" || w == "PM" {
		return false
	}
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func isNumericZone(w string) bool {
	return len(w) == 5 && (w[0] == '+' || w[0] == '-') && strings.Trim(w[1:], "0123456789") == ""
}
