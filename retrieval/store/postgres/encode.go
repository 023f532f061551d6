package postgres

import (
	"encoding/binary"
	"fmt"
	"math"

	"newsbot/bot"
)

// encodeVector packs v as little-endian float32, 4 bytes a value: the
// same bytes on every machine, and exact (no decimal round trip).
func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decodeVector unpacks what encodeVector packed.
func decodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("vector of %d bytes is not a whole number of float32s", len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// encodeSpans flattens spans to start, end, start, end… for an integer[]
// column.
func encodeSpans(spans []bot.Span) []int32 {
	out := make([]int32, 0, 2*len(spans))
	for _, s := range spans {
		out = append(out, int32(s.Start), int32(s.End))
	}
	return out
}

// decodeSpans undoes encodeSpans.
func decodeSpans(flat []int32) ([]bot.Span, error) {
	if len(flat)%2 != 0 {
		return nil, fmt.Errorf("%d sentence offsets, not pairs", len(flat))
	}
	if len(flat) == 0 {
		return nil, nil
	}
	out := make([]bot.Span, len(flat)/2)
	for i := range out {
		out[i] = bot.Span{Start: int(flat[2*i]), End: int(flat[2*i+1])}
	}
	return out, nil
}
