package answer

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Model is the answer model: a logistic regression over a candidate
// sentence's Features that estimates the probability that the sentence
// answers the question. The same probability ranks the sentences and, against
// the threshold, decides whether to answer at all.
type Model struct {
	// Features names the inputs, in order; they must equal FeatureNames.
	Features []string  `json:"features"`
	Weights  []float64 `json:"weights"`
	Bias     float64   `json:"bias"`
	// Threshold is the probability below which the bot refuses, unless
	// configured otherwise.
	Threshold float64 `json:"threshold"`
	// Fit records how the weights were made: the command and the data.
	Fit map[string]any `json:"fit,omitempty"`
}

//go:embed model/answer_weights.json
var weightsFile []byte

// defaultModel is the shipped model, parsed once.
var defaultModel = DefaultModel()

// DefaultThreshold is the shipped model's refusal threshold: the
// probability below which the bot refuses.
var DefaultThreshold = defaultModel.Threshold

// DefaultModel returns the model shipped in bot/answer/model/answer_weights.json,
// fitted with `newsbot eval --fit` (see README, "Answer quality").
func DefaultModel() *Model {
	m, err := ParseModel(weightsFile)
	if err != nil {
		panic("answer: embedded answer model: " + err.Error()) // a build defect, caught by the tests
	}
	return m
}

// ParseModel reads a weights file. It fails when the file names other
// features than this build computes.
func ParseModel(data []byte) (*Model, error) {
	return parseModel(data, nil)
}

// parseModel reads a weights file that may lack the features named in
// missing; those get weight 0. Any other difference from FeatureNames fails.
func parseModel(data []byte, missing []string) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("answer model: %w", err)
	}
	if len(m.Weights) != len(m.Features) {
		return nil, errors.New("answer model: as many weights as features needed")
	}
	weights := make([]float64, NumFeatures)
	has := map[string]bool{}
	for i, name := range m.Features {
		j := slices.Index(FeatureNames, name)
		if j < 0 || has[name] {
			return nil, errors.New("answer model: its features are not this build's; re-fit it with newsbot eval --fit")
		}
		has[name] = true
		weights[j] = m.Weights[i]
	}
	for _, name := range FeatureNames {
		if !has[name] && !slices.Contains(missing, name) {
			return nil, errors.New("answer model: its features are not this build's; re-fit it with newsbot eval --fit")
		}
	}
	m.Features, m.Weights = slices.Clone(FeatureNames), weights
	if m.Threshold < 0 || m.Threshold > 1 {
		return nil, fmt.Errorf("answer model: threshold %v out of range 0..1", m.Threshold)
	}
	return &m, nil
}

// Prob returns the model's probability, in [0, 1], for features f.
func (m *Model) Prob(f Features) float64 {
	z := m.Bias
	for i, w := range m.Weights {
		z += w * f[i]
	}
	return 1 / (1 + math.Exp(-z))
}

// Sample is one labelled candidate for fitting: its features, whether it
// answers its question, and the group (article) it belongs to for
// cross-validation.
type Sample struct {
	X     Features
	Y     bool
	Group string
}

// FitModel fits a logistic regression to the samples by Newton's method
// with a small L2 penalty (lambda, on the weights, not the bias), which
// keeps the fit stable when a feature separates the data. It returns the
// weights and bias; Threshold and Fit are left for the caller.
func FitModel(samples []Sample, lambda float64) (*Model, error) {
	if len(samples) == 0 {
		return nil, errors.New("fit: no samples")
	}
	const d = NumFeatures + 1 // the bias is the last coordinate
	var beta [d]float64
	x := func(s *Sample, i int) float64 {
		if i == NumFeatures {
			return 1
		}
		return s.X[i]
	}
	for iter := 0; iter < 50; iter++ {
		var grad [d]float64
		var hess [d][d]float64
		for k := range samples {
			s := &samples[k]
			z := beta[NumFeatures]
			for i := range NumFeatures {
				z += beta[i] * s.X[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y := 0.0
			if s.Y {
				y = 1
			}
			wv := p * (1 - p)
			for i := range d {
				xi := x(s, i)
				grad[i] += (p - y) * xi
				for j := 0; j <= i; j++ {
					hess[i][j] += wv * xi * x(s, j)
				}
			}
		}
		for i := range d {
			for j := 0; j < i; j++ {
				hess[j][i] = hess[i][j]
			}
			if i < NumFeatures {
				grad[i] += lambda * beta[i]
				hess[i][i] += lambda
			}
			hess[i][i] += 1e-9
		}
		step, err := solve(hess, grad)
		if err != nil {
			return nil, fmt.Errorf("fit: %w", err)
		}
		var change float64
		for i := range d {
			beta[i] -= step[i]
			change = max(change, math.Abs(step[i]))
		}
		if change < 1e-8 {
			break
		}
	}
	m := &Model{Features: slices.Clone(FeatureNames), Weights: slices.Clone(beta[:NumFeatures]), Bias: beta[NumFeatures]}
	return m, nil
}

// solve solves a·x = b by Gaussian elimination with partial pivoting.
func solve(a [NumFeatures + 1][NumFeatures + 1]float64, b [NumFeatures + 1]float64) ([NumFeatures + 1]float64, error) {
	const n = NumFeatures + 1
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-15 {
			return b, errors.New("singular system")
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < n; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	var x [n]float64
	for r := n - 1; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < n; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, nil
}
