package store

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"unsafe"
)

// EncodeVector packs v as little-endian float32, 4 bytes a value: the
// compact form every engine stores, the same bytes on every machine and
// exact (no decimal round trip).
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// DecodeVector unpacks what EncodeVector packed into a new slice; on
// little-endian machines with one copy. A length that is not a multiple
// of 4 is an error.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("vector of %d bytes is not a whole number of float32s", len(b))
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

// AdoptVector is DecodeVector for a buffer the caller gives up: on
// little-endian machines, when b is aligned for float32, the result shares
// b's memory instead of copying it, so b must not be used again. Loading
// a large store reads hundreds of megabytes of vectors; not copying them a
// second time saves that much garbage and the time to make it.
func AdoptVector(b []byte) ([]float32, error) {
	if len(b) == 0 || len(b)%4 != 0 || !nativeLittleEndian || uintptr(unsafe.Pointer(&b[0]))%unsafe.Alignof(float32(0)) != 0 {
		return DecodeVector(b) // which also reports a bad length
	}
	return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4), nil
}

// ReadVectors fills dst with the little-endian float32s EncodeVector
// writes, read from r (a raw vector file); on little-endian machines
// straight into dst's memory, so a large file needs no second buffer.
func ReadVectors(r io.Reader, dst []float32) error {
	if len(dst) == 0 {
		return nil
	}
	if nativeLittleEndian {
		_, err := io.ReadFull(r, unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 4*len(dst)))
		return err
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var b [4]byte
	for i := range dst {
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return err
		}
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[:]))
	}
	return nil
}

var nativeLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()
