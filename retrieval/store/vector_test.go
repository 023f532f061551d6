package store_test

import (
	"math"
	"testing"

	"newsbot/retrieval/store"
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
		b := store.EncodeVector(tt.v)
		if string(b) != string(tt.want) {
			t.Errorf("%s: store.EncodeVector = % x, want % x", tt.name, b, tt.want)
		}
		back, err := store.DecodeVector(b)
		if err != nil || len(back) != len(tt.v) {
			t.Fatalf("%s: store.DecodeVector = %v, %v", tt.name, back, err)
		}
		for i := range back {
			if math.Float32bits(back[i]) != math.Float32bits(tt.v[i]) {
				t.Errorf("%s: value %d = %v, want %v", tt.name, i, back[i], tt.v[i])
			}
		}
	}
	if _, err := store.DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Error("store.DecodeVector of 3 bytes: no error")
	}
}
