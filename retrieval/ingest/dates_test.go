package ingest

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-03-05T14:30:00Z", utc(2024, 3, 5, 14, 30), true},
		{"2024-03-05T16:30:00+02:00", utc(2024, 3, 5, 14, 30), true},
		{"2024-03-05", utc(2024, 3, 5, 0, 0), true},
		{" 2024-03-05 ", utc(2024, 3, 5, 0, 0), true},
		{"2024-03-05 14:30", utc(2024, 3, 5, 14, 30), true},
		{"2024-03-05T14:30:00", utc(2024, 3, 5, 14, 30), true},
		{"Tue, 05 Mar 2024 14:30:00 +0000", utc(2024, 3, 5, 14, 30), true},
		{"Tue, 5 Mar 2024 15:30:00 +0100", utc(2024, 3, 5, 14, 30), true},
		{"Tue, 05 Mar 2024 14:30:00 GMT", utc(2024, 3, 5, 14, 30), true},
		{"March 5, 2024", utc(2024, 3, 5, 0, 0), true},
		{"5 March 2024", utc(2024, 3, 5, 0, 0), true},
		{"5 Mar 2024", utc(2024, 3, 5, 0, 0), true},
		{"03/05/2024", time.Time{}, false}, // ambiguous: refused, not guessed
		{"yesterday", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestParseDateZones: named zones mean the same instant on every host and
// on every path; the host's TZ never changes a result.
func TestParseDateZones(t *testing.T) {
	want := time.Date(2025, 4, 22, 2, 30, 0, 0, time.UTC)
	ins := []string{
		"Mon, 21 Apr 2025 22:30:00 EDT",
		"Mon, 21 Apr 2025 22:30:00 -0400",
		"Mon, 21 Apr 2025 22:30:00 -0400 (EDT)",
		"Mon, 21 Apr 2025 21:30:00 CDT",
		"Mon, 21 Apr 2025 19:30:00 PDT",
		"Tue, 22 Apr 2025 03:30:00 BST",
		"Tue, 22 Apr 2025 04:30:00 CEST",
		"Tue, 22 Apr 2025 02:30:00 GMT",
		"2025-04-21 22:30:00 EDT",
		"April 21, 2025 10:30 PM EDT",
		"Mon Apr 21 22:30:00 EDT 2025",
	}
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Skip("no zoneinfo:", err)
		}
		old := time.Local
		time.Local = loc
		for _, in := range ins {
			got, err := ParseDate(in)
			if err != nil || !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("TZ=%s: ParseDate(%q) = %v, %v; want %v", zone, in, got, err, want)
			}
		}
		time.Local = old
	}
	for _, bad := range []string{"Mon, 21 Apr 2025 22:30:00 IST", "Mon, 21 Apr 2025 22:30:00 XYZ"} {
		if got, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %v; want an error (ambiguous or unknown zone)", bad, got)
		}
	}
}
