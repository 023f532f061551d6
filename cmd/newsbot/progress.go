package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"newsbot/adapters/cli"
	"newsbot/retrieval"
)

// progress draws an ingest progress bar on a terminal, or prints a line
// every 10% when stderr is a file or pipe.
type progress struct {
	w       io.Writer
	tty     bool
	start   time.Time
	last    time.Time
	lastPct int
	what    string
}

func newProgress(w io.Writer, what string) *progress {
	return &progress{w: w, tty: cli.IsTerminal(w), start: time.Now(), lastPct: -1, what: what}
}

// update reports pr.Done of pr.Total.
func (p *progress) update(pr retrieval.Progress) {
	done, total := pr.Done, pr.Total
	if total == 0 {
		return
	}
	pct := done * 100 / total
	el := time.Since(p.start)
	eta := ""
	if s := progressETA(el, pr); s != "" {
		eta = " ETA " + s
	}
	if p.tty {
		if time.Since(p.last) < 100*time.Millisecond && done != total {
			return
		}
		p.last = time.Now()
		const width = 30
		fill := width * done / total
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d %s %3d%%%s   ", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total, p.what, pct, eta)
		if done == total {
			fmt.Fprintln(p.w)
		}
		return
	}
	if total >= 20 && (pct/10 > p.lastPct/10 || done == total) {
		p.lastPct = pct
		fmt.Fprintf(p.w, "newsbot: %d/%d %s (%d%%) in %s%s\n", done, total, p.what, pct, humanDuration(el), eta)
	}
}

// progressETA estimates the time left after el from the rate of the articles
// that needed work: those skipped as already stored take no time, so
// counting them would promise a resumed ingest finishes at once. It is ""
// when nothing is left or no article has been worked on yet.
func progressETA(el time.Duration, pr retrieval.Progress) string {
	worked := pr.Done - pr.Skipped
	if worked <= 0 || pr.Done >= pr.Total {
		return ""
	}
	return humanDuration(time.Duration(float64(el) / float64(worked) * float64(pr.Total-pr.Done)))
}

// humanDuration is how the CLI shows a duration to people: whole
// seconds, as the sub-second digits of a long run are noise, and "under
// 1s" rather than a misleading "0s".
func humanDuration(d time.Duration) string {
	if d < time.Second {
		return "under 1s"
	}
	return d.Round(time.Second).String()
}
