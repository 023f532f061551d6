package use

import (
	"math"
	"sync"
)

// workspace is the scratch memory of one forward pass, reused through a
// sync.Pool so the hot path does not allocate. Row counts are rounded up to
// tileRows; the extra rows are kept finite (zero at the input) and ignored.
type workspace struct {
	x      []float32 // layer 0 input [rows × embedDim]
	y      []float32 // residual stream [rows × Dim]
	norm   []float32 // layer-normed input [rows × Dim]
	qkv    []float32 // [rows × 3·Dim]
	att    []float32 // attention output, heads side by side [rows × Dim]
	hidden []float32 // FFN hidden [rows × ffnDim]
	scores []float32 // one head's attention weights [rows × keys]
	kt     []float32 // one head's Kᵀ, packed
	v      []float32 // one head's V, packed
	hmean  []float32 // mean FFN hidden of the last layer [tileRows × ffnDim], row 0 used
	pooled []float32 // [tileRows × Dim], row 0 used
	proj   []float32 // [tileRows × Dim], row 0 used
	row    []float32 // one token's embedding, when read from the shards [embedDim]
}

// workspaces returns a pool of workspaces for up to maxTokens tokens.
func workspaces(maxTokens int) *sync.Pool {
	return &sync.Pool{New: func() any { return newWorkspace(maxTokens) }}
}

func newWorkspace(maxTokens int) *workspace {
	rows := roundUp(maxTokens, tileRows)
	keys := roundUp(maxTokens, tileCols)
	return &workspace{
		x:      make([]float32, rows*embedDim),
		y:      make([]float32, rows*Dim),
		norm:   make([]float32, rows*Dim),
		qkv:    make([]float32, rows*3*Dim),
		att:    make([]float32, rows*Dim),
		hidden: make([]float32, rows*ffnDim),
		scores: make([]float32, rows*keys),
		kt:     make([]float32, keys*Dim),
		v:      make([]float32, keys*Dim),
		hmean:  make([]float32, tileRows*ffnDim),
		pooled: make([]float32, tileRows*Dim),
		proj:   make([]float32, tileRows*Dim),
		row:    make([]float32, embedDim),
	}
}

// forward encodes ids (at most maxTokens, at least one) into out (len Dim).
// It follows the graph in model.json:
//
//	x  = e + (e + timing)                  e: token embeddings
//	y  = dense(x) + attention(LN(x))       layer 0 widens 256→512
//	y += FFN(LN(y))
//	y += attention(LN(y)); y += FFN(LN(y)) layer 1
//	out = l2normalize(tanh(mean(y)·W + b))
//
// encode computes everything up to the tanh.
// The graph adds the timing signal to a copy of the embeddings and then
// adds the embeddings again, so they count twice; that is kept.
//
// Only the mean of the last layer's output is used, and the last FFN ends
// in a linear map, so that map is applied once to the mean hidden vector
// instead of to every token: mean(h·W+b) = mean(h)·W+b.
func (m *Model) forward(ws *workspace, ids []int, out []float32) {
	proj := m.encode(ws, ids, nil, nil)
	var ss float64
	for c := range out {
		v := float32(math.Tanh(float64(proj[c])))
		out[c] = v
		ss += float64(v) * float64(v)
	}
	scale := float32(1 / math.Sqrt(max(ss, float64(m.l2Floor))))
	for c := range out {
		out[c] *= scale
	}
}

// encode runs the network on ids and returns the tanh layer's input (Dim
// floats in ws.proj). When segments is not nil, token i's input also gets
// row seg[i] of segments (embedDim wide each) added: the pair model marks
// the question's tokens and the sentence's that way.
func (m *Model) encode(ws *workspace, ids []int, seg []uint8, segments []float32) []float32 {
	n := len(ids)
	rows := roundUp(n, tileRows)

	x := ws.x[:rows*embedDim]
	for i, id := range ids {
		e := m.emb.row(id, ws.row)
		t := m.timing[i*embedDim : (i+1)*embedDim]
		xi := x[i*embedDim : (i+1)*embedDim]
		for c := range xi {
			xi[c] = e[c] + (e[c] + t[c])
		}
		if segments != nil {
			s := segments[int(seg[i])*embedDim : (int(seg[i])+1)*embedDim]
			for c := range xi {
				xi[c] += s[c]
			}
		}
	}
	clear(x[n*embedDim:])

	// Layer 0: the residual is widened by its own dense layer.
	y := ws.y[:rows*Dim]
	l0 := &m.layers[0]
	fillRows(y, rows, Dim, m.adjustBias)
	gemm(y, Dim, x, embedDim, rows, m.adjust)
	m.attention(ws, l0, x, y, n, rows)
	m.feedForward(ws, l0, y, rows)

	l1 := &m.layers[1]
	m.attention(ws, l1, y, y, n, rows)
	hidden := m.ffnHidden(ws, l1, y, rows)

	// Mean over the real tokens of y + relu(...)·W2 + b2.
	pooled, hmean := ws.pooled, ws.hmean
	clear(hmean)
	clear(pooled)
	meanRows(hmean, hidden, n, ffnDim)
	meanRows(pooled, y, n, Dim)
	addRows(pooled, 1, Dim, l1.ffn2Bias)
	gemm(pooled, Dim, hmean, ffnDim, tileRows, l1.ffn2)

	// The tanh layer's input.
	proj := ws.proj
	fillRows(proj, tileRows, Dim, m.projBias)
	gemm(proj, Dim, pooled, Dim, tileRows, m.proj)
	return proj[:Dim]
}

// attention adds the output projection of multi-head self-attention over
// LN(in) (width l.dim) to acc (width Dim). in and acc may be the same.
func (m *Model) attention(ws *workspace, l *layer, in, acc []float32, n, rows int) {
	d := l.dim
	norm := ws.norm[:rows*d]
	layerNorm(norm, in, rows, d, l.lnScale, l.lnBias, m.eps)
	qkv := ws.qkv[:rows*3*d]
	fillRows(qkv, rows, 3*d, l.qkvBias)
	gemm(qkv, 3*d, norm, d, rows, l.qkv)

	att := ws.att[:rows*d]
	clear(att)
	keys := roundUp(n, tileCols)
	scores := ws.scores[:rows*keys]
	for h := range l.heads {
		q := qkv[h*l.headDim:]
		k := qkv[d+h*l.headDim:]
		v := qkv[2*d+h*l.headDim:]
		kt := packTransposedInto(ws.kt, k, n, l.headDim, 3*d)
		clear(scores)
		gemm(scores, keys, q, 3*d, rows, kt)
		for i := range rows {
			row := scores[i*keys : (i+1)*keys]
			if i < n {
				softmax(row[:n])
				clear(row[n:])
			} else {
				clear(row)
			}
		}
		vp := packInto(ws.v, v, n, l.headDim, 3*d)
		gemm(att[h*l.headDim:], d, scores, keys, rows, vp)
	}
	addRows(acc, rows, Dim, l.outBias)
	gemm(acc, Dim, att, d, rows, l.out)
}

// feedForward adds FFN(LN(y)) to y (width Dim).
func (m *Model) feedForward(ws *workspace, l *layer, y []float32, rows int) {
	hidden := m.ffnHidden(ws, l, y, rows)
	addRows(y, rows, Dim, l.ffn2Bias)
	gemm(y, Dim, hidden, ffnDim, rows, l.ffn2)
}

// ffnHidden returns the FFN's hidden layer relu(LN(y)·W1 + b1).
func (m *Model) ffnHidden(ws *workspace, l *layer, y []float32, rows int) []float32 {
	norm := ws.norm[:rows*Dim]
	layerNorm(norm, y, rows, Dim, l.ffnLNScale, l.ffnLNBias, m.eps)
	hidden := ws.hidden[:rows*ffnDim]
	fillRows(hidden, rows, ffnDim, l.ffn1Bias)
	gemmReLU(hidden, ffnDim, norm, Dim, rows, l.ffn1)
	return hidden
}
