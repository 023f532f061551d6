package cli

import (
	"bytes"
	"io"
)

// altArrows rewrites the Alt-arrow keys that xterm-style terminals send
// (ESC [1;3D and ESC [1;3C, or ESC ESC [D and ESC ESC [C) into the Alt-B
// and Alt-F that liner understands, so they move by word as in a shell.
type altArrows struct {
	r    io.Reader
	buf  []byte // read but not yet returned
	held []byte // a possible start of a sequence, waiting for more input
}

var altRewrites = []struct{ from, to []byte }{
	{[]byte("\x1b[1;3D"), []byte("\x1bb")},
	{[]byte("\x1b[1;3C"), []byte("\x1bf")},
	{[]byte("\x1b\x1b[D"), []byte("\x1bb")},
	{[]byte("\x1b\x1b[C"), []byte("\x1bf")},
}

func (a *altArrows) Read(p []byte) (int, error) {
	for len(a.buf) == 0 {
		chunk := make([]byte, 256)
		n, err := a.r.Read(chunk)
		data := append(a.held, chunk[:n]...)
		a.held = nil
		if err == nil {
			// Keep back a tail that may be the start of a split sequence.
			if k := partialSuffix(data); k > 0 {
				a.held = append([]byte(nil), data[len(data)-k:]...)
				data = data[:len(data)-k]
			}
		}
		for _, rw := range altRewrites {
			data = bytes.ReplaceAll(data, rw.from, rw.to)
		}
		a.buf = data
		if err != nil {
			if len(a.buf) == 0 {
				return 0, err
			}
			break
		}
	}
	n := copy(p, a.buf)
	a.buf = a.buf[n:]
	return n, nil
}

// partialSuffix returns the length of the longest tail of data that is a
// proper prefix of a rewritten sequence. A lone ESC is not held: it is the
// Esc key (terminals write a whole sequence at once), and holding it would
// glue it to the next key.
func partialSuffix(data []byte) int {
	best := 1
	for _, rw := range altRewrites {
		for k := min(len(rw.from)-1, len(data)); k > best; k-- {
			if bytes.HasSuffix(data, rw.from[:k]) {
				best = k
				break
			}
		}
	}
	if best == 1 {
		return 0
	}
	return best
}
