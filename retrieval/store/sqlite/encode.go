package sqlite

import (
	"encoding/binary"
	"errors"

	"newsbot/bot"
)

// encodeSpans packs sentence spans as uvarint pairs (start relative to
// base, then length): a typical chunk's sentences take a dozen bytes.
func encodeSpans(base int, spans []bot.Span) []byte {
	b := make([]byte, 0, 4*len(spans))
	for _, s := range spans {
		b = binary.AppendUvarint(b, uint64(s.Start-base))
		b = binary.AppendUvarint(b, uint64(s.End-s.Start))
	}
	return b
}

var errCorrupt = errors.New("corrupt chunk row")

// decodeSpans reverses encodeSpans.
func decodeSpans(base int, b []byte) ([]bot.Span, error) {
	var out []bot.Span
	for len(b) > 0 {
		off, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errCorrupt
		}
		b = b[n:]
		ln, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errCorrupt
		}
		b = b[n:]
		start := base + int(off)
		out = append(out, bot.Span{Start: start, End: start + int(ln)})
	}
	return out, nil
}
