package postgres

import (
	"testing"

	"newsbot/bot"
)

func TestSpanEncoding(t *testing.T) {
	spans := []bot.Span{{Start: 0, End: 5}, {Start: 6, End: 70000}}
	got, err := decodeSpans(encodeSpans(spans))
	if err != nil || len(got) != 2 || got[0] != spans[0] || got[1] != spans[1] {
		t.Errorf("round trip = %v, %v; want %v", got, err, spans)
	}
	if _, err := decodeSpans([]int32{1}); err == nil {
		t.Error("decodeSpans of an odd count: no error")
	}
	if got, err := decodeSpans(nil); err != nil || got != nil {
		t.Errorf("decodeSpans(nil) = %v, %v", got, err)
	}
}
