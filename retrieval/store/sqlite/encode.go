package sqlite

import (
	"encoding/binary"
	"errors"
	"math"
	"unsafe"

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

// encodeVector is v as little-endian float32 bytes.
func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decodeVector copies little-endian float32 bytes into a new vector; on
// little-endian machines with one memmove.
func decodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, errCorrupt
	}
	v := make([]float32, len(b)/4)
	if len(v) == 0 {
		return v, nil
	}
	if nativeLittleEndian {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(b)), b)
		return v, nil
	}
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

var nativeLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()
