// Package loadstats tallies the answers of a load test: how many questions
// were answered, lost or answered twice, and how long answers took.
package loadstats

import (
	"fmt"
	"slices"
	"time"
)

// Tally counts answers by question key. The zero value is not usable; use
// New.
type Tally struct {
	asked     map[string]time.Time
	count     map[string]int
	latencies []time.Duration
}

// New returns an empty Tally.
func New() *Tally {
	return &Tally{asked: map[string]time.Time{}, count: map[string]int{}}
}

// Asked records that the question key was asked at t.
func (t *Tally) Asked(key string, at time.Time) { t.asked[key] = at }

// Answered records an answer to key delivered at t; only the first answer
// to a question counts towards the latencies.
func (t *Tally) Answered(key string, at time.Time) {
	t.count[key]++
	if t.count[key] == 1 {
		t.latencies = append(t.latencies, at.Sub(t.asked[key]))
	}
}

// Result sums up a Tally.
type Result struct {
	Questions, Answered, Lost, Duplicated int
	P50, P99, Max                         time.Duration
}

// Result returns the counts over the questions asked, and the latency
// percentiles (rounded to milliseconds) of those answered.
func (t *Tally) Result() Result {
	r := Result{Questions: len(t.asked)}
	for key := range t.asked {
		switch c := t.count[key]; {
		case c == 0:
			r.Lost++
		case c > 1:
			r.Duplicated += c - 1
		}
		if t.count[key] > 0 {
			r.Answered++
		}
	}
	lat := slices.Clone(t.latencies)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[int(p*float64(len(lat)-1))].Round(time.Millisecond)
	}
	r.P50, r.P99, r.Max = pct(0.50), pct(0.99), pct(1)
	return r
}

// String formats r on one line.
func (r Result) String() string {
	return fmt.Sprintf("questions=%d answered=%d lost=%d duplicated=%d p50=%v p99=%v max=%v",
		r.Questions, r.Answered, r.Lost, r.Duplicated, r.P50, r.P99, r.Max)
}
