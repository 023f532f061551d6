package feeds

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteTable writes statuses as an aligned text table for "newsbot feeds":
// feed, last fetch (as an age relative to now), articles, status.
func WriteTable(w io.Writer, statuses []FeedStatus, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tLAST FETCH\tARTICLES\tSTATUS")
	for _, s := range statuses {
		name := redact(s.URL)
		if label := firstNonEmpty(s.Name, s.Title); label != "" {
			name = label + " <" + name + ">"
		}
		last := "never"
		if !s.LastFetch.IsZero() {
			last = age(now.Sub(s.LastFetch)) + " ago"
		}
		status := "ok"
		switch {
		case s.LastFetch.IsZero():
			status = "not fetched yet"
		case s.LastError != "" && s.Failures > 0:
			status = fmt.Sprintf("failing (%d in a row): %s", s.Failures, s.LastError)
		case s.LastError != "":
			status = "ok, but " + s.LastError
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", name, last, s.Articles, oneLine(status))
	}
	return tw.Flush()
}

// age formats a duration coarsely: "45s", "12m", "3h", "2d".
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}
