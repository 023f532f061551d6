package feeds

import (
	"testing"
	"time"
)

func TestDelayAfter(t *testing.T) {
	tests := []struct {
		failures   int
		retryAfter time.Duration
		want       time.Duration
	}{
		{0, 0, 15 * time.Minute},
		{0, time.Hour, 15 * time.Minute}, // Retry-After only matters after a failure
		{1, 0, time.Minute},
		{2, 0, 2 * time.Minute},
		{5, 0, 16 * time.Minute},
		{9, 0, 256 * time.Minute},
		{10, 0, 6 * time.Hour},
		{1000, 0, 6 * time.Hour},
		{1, 10 * time.Minute, 10 * time.Minute},
		{1, 72 * time.Hour, 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := delayAfter(15*time.Minute, tt.failures, tt.retryAfter); got != tt.want {
			t.Errorf("delayAfter(15m, %d, %v) = %v, want %v", tt.failures, tt.retryAfter, got, tt.want)
		}
	}
}

func TestJitter(t *testing.T) {
	d := 15 * time.Minute
	for _, tt := range []struct {
		r    float64
		want time.Duration
	}{{0, 13*time.Minute + 30*time.Second}, {0.5, d}, {0.999999, d + 90*time.Second}} {
		got := jitter(d, tt.r)
		if diff := got - tt.want; diff < -time.Millisecond || diff > time.Millisecond {
			t.Errorf("jitter(15m, %v) = %v, want %v", tt.r, got, tt.want)
		}
	}
}

func TestFirstDelayHonoursSavedSchedule(t *testing.T) {
	now := time.Date(2024, 4, 20, 12, 0, 0, 0, time.UTC)
	p, err := NewPoller(Config{Feeds: []FeedConfig{{URL: "https://example.org/feed"}}}, NewFetcher(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p.now = func() time.Time { return now }
	p.rand = func() float64 { return 1 }
	fe := p.feeds[0]
	if d := p.firstDelay(fe); d != 30*time.Second {
		t.Errorf("never fetched: first delay %v, want the startup spread (30s at most)", d)
	}
	p.states[fe.key].NextFetch = now.Add(7 * time.Minute)
	if d := p.firstDelay(fe); d != 7*time.Minute {
		t.Errorf("saved schedule: first delay %v, want 7m", d)
	}
}
