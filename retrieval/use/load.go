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

// build assembles the Model from the decoded tensors. Shapes, the layer
// norm epsilon, attention scales, head counts and the token cut are read
// from the graph's own constants rather than assumed.
func build(m *Model, t map[string]tensor) error {
	w := &weightSet{m: t}
	m.eps = w.scalar(pStack + "Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x")
	m.maxTokens = int(w.scalar(pTop + "ClipToMaxLength/Less/y"))
	m.l2Floor = w.scalar("module_apply_default/Encoder_en/hidden_layers/l2_normalize/Maximum/y")
	heads := int(w.scalar(pStack + "Layer_1/TransformerLayer/MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/2"))

	m.embeddings = w.get("module/Embeddings_en", vocabRows, embedDim)
	inv := w.get(pStack+"Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1", 1, embedDim/2)
	m.adjust = pack(w.get(pEncode+"Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat", embedDim, Dim), embedDim, Dim)
	m.adjustBias = w.get(pEncode+"Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat", Dim)
	for i := range m.layers {
		in := Dim
		if i == 0 {
			in = embedDim
		}
		m.layers[i] = loadLayer(w, i, in, heads)
	}
	m.proj = pack(w.get("module/Encoder_en/hidden_layers/tanh_layer_0/weights", Dim, Dim), Dim, Dim)
	m.projBias = w.get("module/Encoder_en/hidden_layers/tanh_layer_0/bias", Dim)
	if w.err != nil {
		return w.err
	}
	if m.maxTokens <= 0 || m.maxTokens > 1024 {
		return fmt.Errorf("weights: implausible token limit %d", m.maxTokens)
	}
	// The timing signal: sin then cos of position × inverse timescale,
	// the product rounded to float32 as the graph does.
	m.timing = make([]float32, m.maxTokens*embedDim)
	for pos := range m.maxTokens {
		row := m.timing[pos*embedDim : (pos+1)*embedDim]
		for c, f := range inv {
			a := float64(float32(pos) * f)
			row[c] = float32(math.Sin(a))
			row[c+embedDim/2] = float32(math.Cos(a))
		}
	}
	return nil
}

func loadLayer(w *weightSet, i, in, heads int) layer {
	enc := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pEncode, i)
	stack := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pStack, i)
	kern := fmt.Sprintf("%sLayer_%d/TransformerLayer/", pKernel, i)
	const cc = "/ConcatPartitions/concat"
	l := layer{dim: in, heads: heads}
	l.headDim = int(w.scalar(stack + "MultiheadAttention/split_heads/split_last_dimension/Reshape/shape/3"))
	if l.headDim*heads != in {
		w.fail("weights: layer %d has %d heads of %d for width %d", i, heads, l.headDim, in)
		return l
	}
	scale := w.scalar(stack + "MultiheadAttention/mul/y")
	l.lnScale = w.get(enc+"layer_prepostprocess/layer_norm/layer_norm_scale"+cc, in)
	l.lnBias = w.get(enc+"layer_prepostprocess/layer_norm/layer_norm_bias"+cc, in)
	qkv := append([]float32(nil), w.get(kern+"MultiheadAttention/qkv_transform_single/kernel/part_0", 1, 1, in, 3*in)...)
	l.qkvBias = append([]float32(nil), w.get(enc+"MultiheadAttention/qkv_transform_single/bias"+cc, 3*in)...)
	// Scaling q before Q·Kᵀ equals scaling its weights and bias.
	for r := range in {
		for c := range in {
			qkv[r*3*in+c] *= scale
		}
	}
	for c := range in {
		l.qkvBias[c] *= scale
	}
	l.qkv = pack(qkv, in, 3*in)
	l.out = pack(w.get(kern+"MultiheadAttention/output_transform_single/kernel/part_0", 1, 1, in, Dim), in, Dim)
	l.outBias = w.get(enc+"MultiheadAttention/output_transform_single/bias"+cc, Dim)
	l.ffnLNScale = w.get(enc+"FFN/layer_prepostprocess/layer_norm/layer_norm_scale"+cc, Dim)
	l.ffnLNBias = w.get(enc+"FFN/layer_prepostprocess/layer_norm/layer_norm_bias"+cc, Dim)
	l.ffn1 = pack(w.get(stack+"FFN/conv1/Tensordot/Reshape_1", Dim, ffnDim), Dim, ffnDim)
	l.ffn1Bias = w.get(enc+"FFN/conv1/bias"+cc, ffnDim)
	l.ffn2 = pack(w.get(stack+"FFN/conv2/Tensordot/Reshape_1", ffnDim, Dim), ffnDim, Dim)
	l.ffn2Bias = w.get(enc+"FFN/conv2/bias"+cc, Dim)
	return l
}
