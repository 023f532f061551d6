package answer

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func TestFitModelLearnsTheSignal(t *testing.T) {
	// y depends on feature fCov only; fLength is noise.
	rng := rand.New(rand.NewPCG(1, 2))
	var ss []Sample
	for range 4000 {
		var f Features
		f[fCov], f[fLength] = rng.Float64(), rng.Float64()
		p := 1 / (1 + math.Exp(-(8*f[fCov] - 4)))
		ss = append(ss, Sample{X: f, Y: rng.Float64() < p})
	}
	m, err := FitModel(ss, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if w := m.Weights[fCov]; w < 6 || w > 10 {
		t.Errorf("weight of the signal = %.2f, want about 8", w)
	}
	if w := m.Weights[fLength]; w < -1 || w > 1 {
		t.Errorf("weight of the noise = %.2f, want about 0", w)
	}
	if m.Bias < -5 || m.Bias > -3 {
		t.Errorf("bias = %.2f, want about -4", m.Bias)
	}
	if _, err := FitModel(nil, 1); err == nil {
		t.Error("fitting no samples should fail")
	}
}

func TestParseModel(t *testing.T) {
	if DefaultModel().Threshold != DefaultThreshold || DefaultThreshold <= 0 || DefaultThreshold >= 1 {
		t.Errorf("shipped threshold %v", DefaultThreshold)
	}
	good := Model{Features: FeatureNames, Weights: make([]float64, NumFeatures), Threshold: 0.5}
	bad := map[string]Model{
		"other features": {Features: FeatureNames[1:], Weights: make([]float64, NumFeatures-1)},
		"threshold":      {Features: FeatureNames, Weights: make([]float64, NumFeatures), Threshold: 2},
	}
	data, _ := json.Marshal(good)
	if _, err := ParseModel(data); err != nil {
		t.Errorf("good model: %v", err)
	}
	for name, m := range bad {
		data, _ := json.Marshal(m)
		if _, err := ParseModel(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := ParseModel([]byte("{")); err == nil {
		t.Error("broken JSON accepted")
	}
}
