package use

import (
	"context"
	"fmt"
	"math"
)

// MaxQuestionTokens is how many tokens of the question a pair model reads;
// the sentence gets the rest of MaxTokens.
const MaxQuestionTokens = 40

// PairModel is the USE-lite network fine-tuned as a cross-encoder: it reads
// a question and a sentence as one token sequence (the question's tokens,
// then the sentence's, each marked by a learned segment vector) and maps
// the tanh layer's output through a linear head to one logit, the log-odds
// that the sentence answers the question. It shares the tokenizer and
// token embeddings of the embedder it was made from. Safe for concurrent
// use.
type PairModel struct {
	m        *Model
	segments []float32 // [2 × embedDim]
	head     []float32 // [Dim]
	headBias float32
}

// NewPairModel builds a pair model from fine-tuned parameters p (the names
// of Params, plus segment, head and head_bias). Parameters p lacks —
// normally the token embeddings and the timing table, which training keeps
// fixed — are base's. The model takes p's tensors over (its matrices are
// rearranged in place, so as not to hold a second copy of the weights):
// the caller must not use p afterwards.
func NewPairModel(base *Model, p Params) (*PairModel, error) {
	merged := Params{}
	for k, v := range p {
		merged[k] = v
	}
	if _, ok := merged["timing"]; !ok {
		merged.set("timing", base.timing, base.maxTokens, embedDim)
	}
	m := &Model{tok: base.tok}
	g := &paramGetter{p: merged}
	pm := &PairModel{
		m:        m,
		segments: g.get("segment", 2, embedDim),
		head:     g.get("head", Dim),
		headBias: g.scalar("head_bias"),
	}
	if err := assemble(m, merged, true); err != nil {
		return nil, fmt.Errorf("pair model: %w", err)
	}
	if m.emb.empty() {
		m.emb = base.emb
	}
	if g.err != nil {
		return nil, fmt.Errorf("pair model: %w", g.err)
	}
	// A workspace fits any network of this shape with as many tokens: the
	// reader scores with the embedder's, which sit idle meanwhile, rather
	// than megabytes of its own.
	m.scratch = base.scratch
	if base.scratch == nil || m.maxTokens != base.maxTokens {
		m.scratch = workspaces(m.maxTokens)
	}
	return pm, nil
}

// PairIDs returns the token ids the pair model reads for (question,
// sentence) and each token's segment (0 question, 1 sentence): the
// question cut to MaxQuestionTokens, then the sentence, all cut to the
// model's token limit. The trainer is given exactly these ids.
func (pm *PairModel) PairIDs(question, sentence string) ([]int, []uint8) {
	return pairIDs(pm.m.tok, pm.m.maxTokens, question, sentence)
}

// PairIDs is PairModel.PairIDs for the embedder's tokenizer and limit,
// which a pair model shares: the trainer's data is tokenized with it.
func (m *Model) PairIDs(question, sentence string) ([]int, []uint8) {
	return pairIDs(m.tok, m.maxTokens, question, sentence)
}

func pairIDs(tok *tokenizer, maxTokens int, question, sentence string) ([]int, []uint8) {
	return joinPair(questionIDs(tok, question), tok.encode(sentence), maxTokens)
}

// questionIDs tokenizes a question and cuts it to MaxQuestionTokens.
func questionIDs(tok *tokenizer, question string) []int {
	q := tok.encode(question)
	return q[:min(len(q), MaxQuestionTokens)]
}

// joinPair lays out the question's ids q, then the sentence's s, cut to
// maxTokens, with each token's segment. It never writes into q, which
// Logits shares between goroutines.
func joinPair(q, s []int, maxTokens int) ([]int, []uint8) {
	ids := make([]int, 0, min(len(q)+len(s), maxTokens))
	ids = append(ids, q[:min(len(q), maxTokens)]...)
	ids = append(ids, s[:min(len(s), maxTokens-len(ids))]...)
	seg := make([]uint8, len(ids))
	for i := len(q); i < len(ids); i++ {
		seg[i] = 1
	}
	return ids, seg
}

// LogitIDs scores one token sequence made by PairIDs.
func (pm *PairModel) LogitIDs(ids []int, seg []uint8) (float32, error) {
	if len(ids) == 0 || len(seg) != len(ids) {
		return 0, ErrEmptyText
	}
	if len(ids) > pm.m.maxTokens {
		return 0, fmt.Errorf("pair model: %d tokens, at most %d", len(ids), pm.m.maxTokens)
	}
	ws := pm.m.scratch.Get().(*workspace)
	proj := pm.m.encode(ws, ids, seg, pm.segments)
	var z float64
	for c, v := range proj {
		z += math.Tanh(float64(v)) * float64(pm.head[c])
	}
	pm.m.scratch.Put(ws)
	return float32(z) + pm.headBias, nil
}

// Logit returns the log-odds that sentence answers question.
func (pm *PairModel) Logit(question, sentence string) (float32, error) {
	if blank(question) || blank(sentence) {
		return 0, ErrEmptyText
	}
	return pm.LogitIDs(pm.PairIDs(question, sentence))
}

// Logits scores each sentence against question, in parallel on up to
// GOMAXPROCS cores, stopping early with the context's error when ctx is
// done (checked before each sentence).
func (pm *PairModel) Logits(ctx context.Context, question string, sentences []string) ([]float32, error) {
	if blank(question) {
		return nil, ErrEmptyText
	}
	q := questionIDs(pm.m.tok, question) // once, not once per sentence
	out := make([]float32, len(sentences))
	err := parallel(ctx, len(sentences), func(i int) error {
		if blank(sentences[i]) {
			return fmt.Errorf("score sentence %d: %w", i, ErrEmptyText)
		}
		v, err := pm.LogitIDs(joinPair(q, pm.m.tok.encode(sentences[i]), pm.m.maxTokens))
		if err != nil {
			return fmt.Errorf("score sentence %d: %w", i, err)
		}
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
