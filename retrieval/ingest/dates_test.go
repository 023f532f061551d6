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
