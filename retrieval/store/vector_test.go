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

func TestAdoptVector(t *testing.T) {
	want := []float32{1, -0.5, float32(math.Inf(1)), 3.25}
	b := store.EncodeVector(want)
	// An unaligned copy of the same bytes must be decoded, not adopted.
	shifted := make([]byte, len(b)+1)
	copy(shifted[1:], b)
	for name, in := range map[string][]byte{"aligned": b, "unaligned": shifted[1:]} {
		got, err := store.AdoptVector(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: got %v, want %v", name, got, want)
			}
		}
	}
	if _, err := store.AdoptVector([]byte{1, 2, 3}); err == nil {
		t.Fatal("a 3-byte vector was accepted")
	}
	if v, err := store.AdoptVector(nil); err != nil || len(v) != 0 {
		t.Fatalf("empty vector: %v, %v", v, err)
	}
}
