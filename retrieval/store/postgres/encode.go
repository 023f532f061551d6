package postgres

import (
	"fmt"

	"newsbot/bot"
)

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
