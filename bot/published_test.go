package bot

import (
	"testing"
	"time"
)

func TestPublishedSince(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no zoneinfo:", err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name             string
		published, since time.Time
		want             bool
	}{
		{"date-only today, reader west of UTC", day(2025, 4, 21), time.Date(2025, 4, 21, 0, 0, 0, 0, ny), true},
		{"date-only yesterday, reader west of UTC", day(2025, 4, 20), time.Date(2025, 4, 21, 0, 0, 0, 0, ny), false},
		{"date-only today, reader east of UTC", day(2025, 4, 21), time.Date(2025, 4, 21, 0, 0, 0, 0, tokyo), true},
		{"date-only yesterday, reader east of UTC", day(2025, 4, 20), time.Date(2025, 4, 21, 0, 0, 0, 0, tokyo), false},
		{"timed, before local midnight", time.Date(2025, 4, 21, 3, 0, 0, 0, time.UTC), time.Date(2025, 4, 21, 0, 0, 0, 0, ny), false},
		{"timed, after local midnight", time.Date(2025, 4, 21, 5, 0, 0, 0, time.UTC), time.Date(2025, 4, 21, 0, 0, 0, 0, ny), true},
		{"no filter", time.Time{}, time.Time{}, true},
		{"undated article, filter on", time.Time{}, time.Date(2025, 4, 21, 0, 0, 0, 0, ny), false},
	}
	for _, tt := range tests {
		if got := PublishedSince(tt.published, tt.since); got != tt.want {
			t.Errorf("%s: PublishedSince(%v, %v) = %v, want %v", tt.name, tt.published, tt.since, got, tt.want)
		}
	}
}
