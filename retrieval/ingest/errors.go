package ingest

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/dustin/go-humanize"
)

// LineError is one problem found in a file whose other content was read.
type LineError struct {
	// Line is the 1-based line number, or 0 when the problem is not tied to
	// a line (a header or front-matter field).
	Line int
	// Err says what is wrong.
	Err error
	// Skipped reports that the article concerned was dropped. When false
	// the problem is a warning: the article was kept, for example with an
	// empty Published date because the given one could not be parsed.
	Skipped bool
}

// LineErrors is returned together with the articles a file did yield when
// parts of it were bad: lines of a JSON Lines file that were skipped, or
// fields that were ignored. It is never wrapped, so errors.As finds it
// directly; anything else returned by this package is a failure of the whole
// file.
type LineErrors struct {
	// Name is the file the problems are in.
	Name string
	// Errs lists the problems in the order found.
	Errs []LineError
}

// maxListed bounds how many problems Error spells out, to keep the log line
// readable for a file with thousands of bad lines.
const maxListed = 3

// Error names the file, counts the problems and spells out the first few,
// on one line.
func (e *LineErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", e.Name)
	skipped, warned := e.Skipped(), len(e.Errs)-e.Skipped()
	switch {
	case skipped > 0 && warned > 0:
		fmt.Fprintf(&b, "%d skipped, %d warnings: ", skipped, warned)
	case skipped > 0:
		fmt.Fprintf(&b, "%d skipped: ", skipped)
	default:
		fmt.Fprintf(&b, "%d warnings: ", warned)
	}
	for i, le := range e.Errs {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(e.Errs)-maxListed)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		if le.Line > 0 {
			fmt.Fprintf(&b, "line %d: ", le.Line)
		}
		b.WriteString(le.Err.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is access to the individual problems.
func (e *LineErrors) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, le := range e.Errs {
		errs[i] = le.Err
	}
	return errs
}

// Skipped returns how many articles were dropped.
func (e *LineErrors) Skipped() int {
	n := 0
	for _, le := range e.Errs {
		if le.Skipped {
			n++
		}
	}
	return n
}

// Partial reports whether err only describes problems inside a file whose
// remaining articles were returned, and if so returns them.
func Partial(err error) (*LineErrors, bool) {
	var le *LineErrors
	ok := errors.As(err, &le)
	return le, ok
}

// named prefixes err with the file name, once. A *LineErrors already names
// its file and stays unwrapped so callers can count what was skipped.
func named(name string, err error) error {
	if err == nil {
		return nil
	}
	if le, ok := err.(*LineErrors); ok {
		le.Name = name
		return le
	}
	return fmt.Errorf("%s: %w", name, err)
}

// fsError turns an *fs.PathError into "path: reason" without repeating the
// path and the operation, which are noise to a user.
func fsError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%s: unreadable: %w", path, err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

// tooLarge says how a size exceeds a limit, both in binary units (MiB).
// A size unknown (< 0) or too close to the limit to print differently is
// said to be over it, so the message never reads "5.0 MiB > 5.0 MiB".
func tooLarge(size, limit int64) error {
	s, l := humanize.IBytes(uint64(max(size, 0))), humanize.IBytes(uint64(limit))
	if size < 0 || s == l {
		return fmt.Errorf("%w: over the %s limit", ErrTooLarge, l)
	}
	return fmt.Errorf("%w: %s > %s limit", ErrTooLarge, s, l)
}
