package loadstats

import (
	"testing"
	"time"
)

func TestTally(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tally := New()
	for i, key := range []string{"a", "b", "c", "d"} {
		tally.Asked(key, t0.Add(time.Duration(i)*time.Second))
	}
	tally.Answered("a", t0.Add(100*time.Millisecond))
	tally.Answered("b", t0.Add(time.Second+300*time.Millisecond))
	tally.Answered("b", t0.Add(5*time.Second)) // a duplicate: not a latency
	tally.Answered("c", t0.Add(2*time.Second+200*time.Millisecond))
	got := tally.Result()
	want := Result{Questions: 4, Answered: 3, Lost: 1, Duplicated: 1,
		P50: 200 * time.Millisecond, P99: 200 * time.Millisecond, Max: 300 * time.Millisecond}
	if got != want {
		t.Errorf("Result() = %+v, want %+v", got, want)
	}
}
