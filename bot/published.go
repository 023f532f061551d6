package bot

import "time"

// PublishedSince reports whether an article published at published falls
// at or after since, the start of a period such as "today" in the reader's
// zone (since carries that zone).
//
// A published value of exactly midnight UTC is how ingest stores a date
// without a time: it means that calendar day wherever the reader is, so it
// is compared by date with since's calendar day in since's own zone.
// Otherwise the instants are compared.
func PublishedSince(published, since time.Time) bool {
	if since.IsZero() {
		return true
	}
	if isDateOnly(published) {
		y, m, d := since.Date()
		return !published.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	return !published.Before(since)
}

// isDateOnly reports whether t is midnight UTC, the stored form of a date
// without a time.
func isDateOnly(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	u := t.UTC()
	return u.Hour() == 0 && u.Minute() == 0 && u.Second() == 0 && u.Nanosecond() == 0
}
