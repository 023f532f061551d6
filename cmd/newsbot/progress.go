package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"newsbot/adapters/cli"
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

// update reports done of total.
func (p *progress) update(done, total int) {
	if total == 0 {
		return
	}
	pct := done * 100 / total
	el := time.Since(p.start)
	eta := ""
	if done > 0 && done < total {
		eta = " ETA " + (time.Duration(float64(el) / float64(done) * float64(total-done))).Round(time.Second).String()
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
		fmt.Fprintf(p.w, "newsbot: %d/%d %s (%d%%) in %s%s\n", done, total, p.what, pct, el.Round(time.Second), eta)
	}
}
