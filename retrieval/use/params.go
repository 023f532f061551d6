package use

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
)

// Params are a network's parameters by name, each a row-major float32
// tensor. The names, for layers i = 0 and 1 (layer 0 is embedDim wide, the
// rest Dim):
//
//	embeddings [8002×256], timing [128×256] (the tabulated timing signal)
//	adjust [256×512], adjust_bias       layer 0's residual widening
//	li.ln_scale, li.ln_bias             attention pre-norm
//	li.qkv [in×3in], li.qkv_bias        fused Q|K|V, Q pre-scaled
//	li.out [in×512], li.out_bias
//	li.ffn_ln_scale, li.ffn_ln_bias
//	li.ffn1 [512×1536], li.ffn1_bias, li.ffn2 [1536×512], li.ffn2_bias
//	proj [512×512], proj_bias           the tanh layer
//	eps, l2_floor, max_tokens, heads, li.head_dim   one-element constants
//
// A pair model (pair.go) adds segment [2×256], head [512] and head_bias.
// The trainer reads and writes the same names, so what it fine-tunes is
// exactly what the Go forward pass runs.
type Params map[string]Tensor

// Tensor is one named parameter.
type Tensor struct {
	Shape []int
	Data  []float32
	// half, in a tensor from ViewParams, holds the values instead of Data:
	// little-endian IEEE half floats in the parameter file itself.
	half []byte
}

// BaseParams returns the shipped USE-lite network's parameters, decoded
// from the files embedded in the binary.
func BaseParams() (Params, error) {
	t, _, err := readWeights(false)
	if err != nil {
		return nil, err
	}
	return baseParams(t)
}

func (p Params) set(name string, data []float32, shape ...int) {
	p[name] = Tensor{Shape: shape, Data: data}
}

func (p Params) setScalar(name string, v float32) { p.set(name, []float32{v}, 1) }

// paramGetter looks tensors up by name, checking their sizes, and
// remembers the first failure, so that a loader can read them in sequence
// and check once. It reads both the TF.js manifest's tensors and Params.
type paramGetter struct {
	p   Params
	err error
}

func (g *paramGetter) get(name string, shape ...int) []float32 {
	t, ok := g.p[name]
	if !ok {
		g.fail("weights: missing %s", name)
		return make([]float32, prod(shape))
	}
	if t.len() != prod(shape) || prod(t.Shape) != prod(shape) {
		g.fail("weights: %s has shape %v, want %v", name, t.Shape, shape)
		return make([]float32, prod(shape))
	}
	if t.half != nil {
		out := make([]float32, len(t.half)/2)
		halvesToFloats(out, t.half)
		return out
	}
	return t.Data
}

// matrix returns the k×n matrix name packed for gemm by pk, or, when it is
// half floats that halfKernel multiplies by directly, packed as half
// floats: half the memory, and no slower, since the kernel widens each row
// as it loads it.
func (g *paramGetter) matrix(pk *packer, name string, k, n int) packed {
	if t, ok := g.p[name]; ok && t.half != nil && halfKernel != nil && n%tileCols == 0 &&
		t.len() == k*n && prod(t.Shape) == k*n {
		return packHalf(t.half, k, n)
	}
	return pk.pack(g.get(name, k, n), k, n)
}

// len returns how many values t holds.
func (t Tensor) len() int {
	if t.half != nil {
		return len(t.half) / 2
	}
	return len(t.Data)
}

func (g *paramGetter) scalar(name string) float32 { return g.get(name, 1)[0] }

func (g *paramGetter) fail(format string, args ...any) {
	if g.err == nil {
		g.err = fmt.Errorf(format, args...)
	}
}

// The parameter file: the magic bytes, a little-endian uint32 length, a
// JSON header of that length listing each tensor's name, shape and dtype
// ("f32" or "f16") in order, then the tensors' little-endian data back to
// back in that order.
const paramMagic = "NBPARAM1"

type paramHeader struct {
	Tensors []paramEntry `json:"tensors"`
}

type paramEntry struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
	Dtype string `json:"dtype"`
}

// WriteParams writes p to w in name order. With half, tensors of more than
// one element are stored as IEEE half floats (rounded to nearest even);
// constants stay float32.
func WriteParams(w io.Writer, p Params, half bool) error {
	var h paramHeader
	names := slices.Sorted(maps.Keys(p))
	for _, n := range names {
		dt := "f32"
		if half && len(p[n].Data) > 1 {
			dt = "f16"
		}
		h.Tensors = append(h.Tensors, paramEntry{Name: n, Shape: p[n].Shape, Dtype: dt})
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(paramMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(len(hj)))
	buf.Write(hj)
	for i, n := range names {
		for _, v := range p[n].Data {
			if h.Tensors[i].Dtype == "f16" {
				binary.Write(&buf, binary.LittleEndian, toHalf(v))
			} else {
				binary.Write(&buf, binary.LittleEndian, math.Float32bits(v))
			}
		}
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// ReadParams decodes a parameter file written by WriteParams or by the
// trainer.
func ReadParams(data []byte) (Params, error) {
	p, err := ViewParams(data)
	for name, t := range p {
		if t.half != nil {
			t.Data = make([]float32, len(t.half)/2)
			halvesToFloats(t.Data, t.half)
			t.half = nil
			p[name] = t
		}
	}
	return p, err
}

// ViewParams reads a parameter file for building a model from it
// (NewPairModel) without decoding its half-float tensors: they stay in
// data, which must not change until the model is built. Where this
// machine multiplies by half floats directly (halfKernel), the model keeps
// its matrices as half floats, never widening them to float32; the rest are
// widened as the model is built. The tensors it returns have no Data where
// the file holds half floats: use ReadParams for anything else.
func ViewParams(data []byte) (Params, error) {
	if len(data) < len(paramMagic)+4 || string(data[:len(paramMagic)]) != paramMagic {
		return nil, errors.New("params: not a parameter file")
	}
	data = data[len(paramMagic):]
	n := int(binary.LittleEndian.Uint32(data))
	data = data[4:]
	if n > len(data) {
		return nil, errors.New("params: header runs past the end")
	}
	var h paramHeader
	if err := json.Unmarshal(data[:n], &h); err != nil {
		return nil, fmt.Errorf("params: header: %w", err)
	}
	data = data[n:]
	p := Params{}
	for _, e := range h.Tensors {
		count := prod(e.Shape)
		size := 4
		if e.Dtype == "f16" {
			size = 2
		} else if e.Dtype != "f32" {
			return nil, fmt.Errorf("params: %s has dtype %q", e.Name, e.Dtype)
		}
		if count < 0 || count*size > len(data) {
			return nil, fmt.Errorf("params: %s runs past the end", e.Name)
		}
		if size == 2 {
			p[e.Name] = Tensor{Shape: e.Shape, half: data[: 2*count : 2*count]}
		} else {
			out := make([]float32, count)
			for i := range out {
				out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
			}
			p[e.Name] = Tensor{Shape: e.Shape, Data: out}
		}
		data = data[count*size:]
	}
	if len(data) != 0 {
		return nil, fmt.Errorf("params: %d bytes after the last tensor", len(data))
	}
	return p, nil
}

// halvesToFloats converts the little-endian half floats in src (2 bytes
// each) into dst, exactly as fromHalf does. Normal numbers, nearly all of a
// network's weights, take a short path of shifts: the reader's 4.9 million
// weights convert in a few milliseconds.
func halvesToFloats(dst []float32, src []byte) {
	src = src[:2*len(dst)]
	for i := range dst {
		h := uint16(src[2*i]) | uint16(src[2*i+1])<<8
		if e := h & 0x7c00; e != 0 && e != 0x7c00 {
			// Rebias the exponent from 15 to 127: (exp+112)<<23, frac<<13.
			dst[i] = math.Float32frombits(uint32(h&0x8000)<<16 | (uint32(h&0x7fff)<<13 + 112<<23))
			continue
		}
		dst[i] = fromHalf(h)
	}
}

// fromHalf converts an IEEE 754 half float to float32 exactly.
func fromHalf(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac·2^-24
		v := float32(frac) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// toHalf rounds a float32 to the nearest IEEE half float (ties to even),
// saturating to infinity past its range.
func toHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int((b >> 23) & 0xff)
	frac := b & 0x7fffff
	if exp == 0xff {
		if frac != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		if e < -10 {
			return sign
		}
		m := frac | 0x800000
		shift := uint32(14 - e)
		half := m >> shift
		rem := m & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | uint16(half)
	}
	half := uint32(e)<<10 | frac>>13
	rem := frac & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && half&1 == 1) {
		half++ // may carry into the exponent, which is still right
	}
	return sign | uint16(half)
}
