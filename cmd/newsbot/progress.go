package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"newsbot/adapters/cli"
	"newsbot/retrieval/index"
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
	eta     etaEstimate
	// width is the terminal's, in columns; a frame never reaches it, so
	// that it never wraps and \r always goes back to its start.
	width int
}

func newProgress(w io.Writer, what string) *progress {
	return &progress{w: w, tty: cli.IsTerminal(w), start: time.Now(), lastPct: -1, what: what, width: cli.TerminalStyle(w).Width}
}

// update reports pr.Done of pr.Total.
func (p *progress) update(pr index.Progress) {
	done, total := pr.Done, pr.Total
	if total == 0 {
		return
	}
	pct := done * 100 / total
	el := time.Since(p.start)
	p.eta.add(pr)
	eta := ""
	if s := p.eta.left(el, pr); s != "" {
		eta = " ETA " + s
	}
	if p.tty {
		if time.Since(p.last) < 100*time.Millisecond && done != total {
			return
		}
		p.last = time.Now()
		const width = 30
		fill := width * done / total
		if done == total {
			// The last frame says how long it took, not what was left.
			eta = " in " + humanDuration(el)
		}
		frame := fmt.Sprintf("[%s%s] %d/%d %s %3d%%%s", strings.Repeat("=", fill), strings.Repeat(" ", width-fill), done, total, p.what, pct, eta)
		if p.width > 0 && len(frame) >= p.width {
			// A narrow terminal: the figures without the bar, cut if need be.
			frame = fmt.Sprintf("%d/%d %s %d%%%s", done, total, p.what, pct, eta)
			frame = frame[:min(len(frame), p.width-1)]
		}
		// \x1b[K clears what a longer earlier frame left on the line.
		fmt.Fprintf(p.w, "\r%s\x1b[K", frame)
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

// etaWindow is how many of the latest articles tell which share of the
// articles left will need work.
const etaWindow = 50

// etaEstimate estimates the time left of a Put. Articles skipped as
// already stored or duplicate take no time, and they come in runs (a
// resumed ingest starts with the stored ones; a file of repeated lines
// is mostly duplicates): the time left is the time per article that
// needed work, times the articles left, times the share of the latest
// articles that needed work.
type etaEstimate struct {
	skipped     int    // pr.Skipped at the last update
	recent      []bool // per latest article: did it need work?
	recentWorks int
}

// add records the article of pr: Put reports after each one.
func (e *etaEstimate) add(pr index.Progress) {
	worked := 1
	if pr.Skipped > e.skipped {
		worked = 0
	}
	e.skipped = pr.Skipped
	e.recent = append(e.recent, worked == 1)
	e.recentWorks += worked
	if len(e.recent) > etaWindow {
		if e.recent[0] {
			e.recentWorks--
		}
		e.recent = e.recent[1:]
	}
}

// left is the estimate after el, "" when nothing is left or no article
// has needed work yet.
func (e *etaEstimate) left(el time.Duration, pr index.Progress) string {
	worked := pr.Done - pr.Skipped
	if worked <= 0 || pr.Done >= pr.Total || len(e.recent) == 0 {
		return ""
	}
	share := float64(e.recentWorks) / float64(len(e.recent))
	perWorked := float64(el) / float64(worked)
	return humanDuration(time.Duration(perWorked * share * float64(pr.Total-pr.Done)))
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
