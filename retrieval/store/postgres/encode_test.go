package postgres

import (
	"math"
	"testing"

	"newsbot/bot"
)

func TestVectorEncoding(t *testing.T) {
	tests := []struct {
		name string
		v    []float32
		want []byte
	}{
		{"empty", nil, []byte{}},
		{"one", []float32{1}, []byte{0, 0, 0x80, 0x3f}},
		{"negative zero", []float32{float32(math.Copysign(0, -1))}, []byte{0, 0, 0, 0x80}},
		{"smallest", []float32{math.SmallestNonzeroFloat32}, []byte{1, 0, 0, 0}},
	}
	for _, tt := range tests {
		b := encodeVector(tt.v)
		if string(b) != string(tt.want) {
			t.Errorf("%s: encodeVector = % x, want % x", tt.name, b, tt.want)
		}
		back, err := decodeVector(b)
		if err != nil || len(back) != len(tt.v) {
			t.Fatalf("%s: decodeVector = %v, %v", tt.name, back, err)
		}
		for i := range back {
			if math.Float32bits(back[i]) != math.Float32bits(tt.v[i]) {
				t.Errorf("%s: value %d = %v, want %v", tt.name, i, back[i], tt.v[i])
			}
		}
	}
	if _, err := decodeVector([]byte{1, 2, 3}); err == nil {
		t.Error("decodeVector of 3 bytes: no error")
	}
}

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
