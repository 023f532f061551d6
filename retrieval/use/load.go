package use

import (
	"fmt"
	"math"
)

// Tensor name prefixes in the TF.js manifest.
const (
	pEncode = "module_apply_default/Encoder_en/KonaTransformer/Encode/"
	pStack  = pEncode + "TransformerStack/"
	pKernel = "module/Encoder_en/KonaTransformer/Encode/"
	pTop    = "module_apply_default/Encoder_en/KonaTransformer/"
)

// layer holds one transformer layer, weights packed for gemm.
type layer struct {
	dim, heads, headDim int
	// attention block: pre-norm, fused Q|K|V projection (the Q part
	// pre-multiplied by the attention scale), output projection.
	lnScale, lnBias []float32
	qkv             packed
	qkvBias         []float32
	out             packed
	outBias         []float32
	// feed-forward block: pre-norm, dim→ffn (ReLU), ffn→outDim.
	ffnLNScale, ffnLNBias []float32
	ffn1                  packed
	ffn1Bias              []float32
	ffn2                  packed
	ffn2Bias              []float32
}

// baseParams reads the shipped network out of the decoded TF.js tensors t
// under the names of params.go; it takes t over (some tensors are rescaled
// in place). Shapes, the layer norm epsilon, attention scales, head counts
// and the token cut are read from the graph's own constants rather than
// assumed. The attention scale is folded into the Q part of each layer's
// Q|K|V projection (weights and bias), and the timing signal is tabulated,
// so the parameters alone define the network.
func baseParams(t Params) (Params, error) {
	w := &paramGetter{p: t}
	p := Params{}
	p.setScalar("eps", w.scalar(pStack+"Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x"))
	maxTokens := w.scalar(pTop + "ClipToMaxLength/Less/y")
	p.setScalar("max_tokens", maxTokens)
	p.setScalar("l2_floor", w.scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y"))
	heads := w.scalar(pStack + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2")
	p.setScalar("heads", heads)

	if _, ok := t[embeddingsName]; ok { // not when Load reads them lazily
		p.set("embeddings", w.get(embeddingsName, vocabRows, embedDim), vocabRows, embedDim)
	}
	inv := w.get(pStack+"Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", 1, embedDim/2)
	p.set("adjust", w.get(pEncode+"Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat", embedDim, Dim), embedDim, Dim)
	p.set("adjust_bias", w.get(pEncode+"Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat", Dim), Dim)
	for i := range 2 {
		in := Dim
		if i == 0 {
			in = embedDim
		}
		layerParams(p, w, i, in)
	}
	p.set("proj", w.get("module/Encoder_en/hidden_layers/tanh_layer_0/weights", Dim, Dim), Dim, Dim)
	p.set("proj_bias", w.get("module/Encoder_en/hidden_layers/tanh_layer_0/bias", Dim), Dim)
	if w.err != nil {
		return nil, w.err
	}
	n := int(maxTokens)
	if n <= 0 || n > 1024 {
		return nil, fmt.Errorf("weights: implausible token limit %d", n)
	}
	// The timing signal: sin then cos of position × inverse timescale,
	// the product rounded to float32 as the graph does.
	timing := make([]float32, n*embedDim)
	for pos := range n {
		row := timing[pos*embedDim : (pos+1)*embedDim]
		for c, f := range inv {
			a := float64(float32(pos) * f)
			row[c] = float32(math.Sin(a))
			row[c+embedDim/2] = float32(math.Cos(a))
		}
	}
	p.set("timing", timing, n, embedDim)
	return p, nil
}

func layerParams(p Params, w *paramGetter, i, in int) {
	enc := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pEncode, i)
	stack := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pStack, i)
	kern := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pKernel, i)
	const cc = "/ConcatPartitions/concat"
	l := fmt.Sprintf("l%d.", i)
	p.setScalar(l+"head_dim", w.scalar(stack+"MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3"))
	scale := w.scalar(stack + "MultiheadAttention/mul/y")
	p.set(l+"ln_scale", w.get(enc+"layer_prepostprocess/layer_norm/layer_norm_scale"+cc, in), in)
	p.set(l+"ln_bias", w.get(enc+"layer_prepostprocess/layer_norm/layer_norm_bias"+cc, in), in)
	// The tensors were decoded for these parameters alone (see
	// readWeights), so they are scaled where they are.
	qkv := w.get(kern+"MultiheadAttention/qkv_transform_single/kernel/part_0", 1, 1, in, 3*in)
	qkvBias := w.get(enc+"MultiheadAttention/qkv_transform_single/bias"+cc, 3*in)
	// Scaling q before Q·Kᵀ equals scaling its weights and bias.
	for r := range in {
		for c := range in {
			qkv[r*3*in+c] *= scale
		}
	}
	for c := range in {
		qkvBias[c] *= scale
	}
	p.set(l+"qkv", qkv, in, 3*in)
	p.set(l+"qkv_bias", qkvBias, 3*in)
	p.set(l+"out", w.get(kern+"MultiheadAttention/output_transform_single/kernel/part_0", 1, 1, in, Dim), in, Dim)
	p.set(l+"out_bias", w.get(enc+"MultiheadAttention/output_transform_single/bias"+cc, Dim), Dim)
	p.set(l+"ffn_ln_scale", w.get(enc+"FFN/layer_prepostprocess/layer_norm/layer_norm_scale"+cc, Dim), Dim)
	p.set(l+"ffn_ln_bias", w.get(enc+"FFN/layer_prepostprocess/layer_norm/layer_norm_bias"+cc, Dim), Dim)
	p.set(l+"ffn1", w.get(stack+"FFN/conv1/Tensordot/Reshape_1", Dim, ffnDim), Dim, ffnDim)
	p.set(l+"ffn1_bias", w.get(enc+"FFN/conv1/bias"+cc, ffnDim), ffnDim)
	p.set(l+"ffn2", w.get(stack+"FFN/conv2/Tensordot/Reshape_1", ffnDim, Dim), ffnDim, Dim)
	p.set(l+"ffn2_bias", w.get(enc+"FFN/conv2/bias"+cc, Dim), Dim)
}

// assemble builds m's network from p, packing the matrices for gemm; the
// token embeddings are left to the caller when p has none. With
// owned, p's tensors are m's alone: the matrices are packed in their own
// memory, so p must not be used afterwards.
func assemble(m *Model, p Params, owned bool) error {
	g := &paramGetter{p: p}
	pk := &packer{inPlace: owned}
	m.eps = g.scalar("eps")
	m.l2Floor = g.scalar("l2_floor")
	m.maxTokens = int(g.scalar("max_tokens"))
	heads := int(g.scalar("heads"))
	if _, ok := p["embeddings"]; ok { // else the caller's (see Load, NewPairModel)
		m.emb = embeddingTable{rows: g.get("embeddings", vocabRows, embedDim)}
	}
	m.timing = g.get("timing", m.maxTokens, embedDim)
	m.adjust = g.matrix(pk, "adjust", embedDim, Dim)
	m.adjustBias = g.get("adjust_bias", Dim)
	for i := range m.layers {
		in := Dim
		if i == 0 {
			in = embedDim
		}
		m.layers[i] = assembleLayer(g, pk, i, in, heads)
	}
	m.proj = g.matrix(pk, "proj", Dim, Dim)
	m.projBias = g.get("proj_bias", Dim)
	return g.err
}

func assembleLayer(g *paramGetter, pk *packer, i, in, heads int) layer {
	p := fmt.Sprintf("l%d.", i)
	l := layer{dim: in, heads: heads, headDim: int(g.scalar(p + "head_dim"))}
	if l.headDim*heads != in {
		g.fail("weights: layer %d has %d heads of %d for width %d", i, heads, l.headDim, in)
		return l
	}
	l.lnScale = g.get(p+"ln_scale", in)
	l.lnBias = g.get(p+"ln_bias", in)
	l.qkv = g.matrix(pk, p+"qkv", in, 3*in)
	l.qkvBias = g.get(p+"qkv_bias", 3*in)
	l.out = g.matrix(pk, p+"out", in, Dim)
	l.outBias = g.get(p+"out_bias", Dim)
	l.ffnLNScale = g.get(p+"ffn_ln_scale", Dim)
	l.ffnLNBias = g.get(p+"ffn_ln_bias", Dim)
	l.ffn1 = g.matrix(pk, p+"ffn1", Dim, ffnDim)
	l.ffn1Bias = g.get(p+"ffn1_bias", ffnDim)
	l.ffn2 = g.matrix(pk, p+"ffn2", ffnDim, Dim)
	l.ffn2Bias = g.get(p+"ffn2_bias", Dim)
	return l
}
