package use

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// kernels lists the tile kernels this machine can run.
func kernels() map[string]func(int, []float32, int, []float32, []float32, int, bool) {
	ks := map[string]func(int, []float32, int, []float32, []float32, int, bool){"go": kernelGo}
	if kernel != nil {
		ks["default"] = kernel
	}
	return ks
}

// withKernel runs f with gemm using k. Tests that call it must not run in
// parallel.
func withKernel(k func(int, []float32, int, []float32, []float32, int, bool), f func()) {
	saved := kernel
	kernel = k
	defer func() { kernel = saved }()
	f()
}

func randMatrix(r *rand.Rand, n int) []float32 {
	m := make([]float32, n)
	for i := range m {
		m[i] = float32(r.NormFloat64())
	}
	return m
}

func TestGemmMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		m, k, n  int
		relu     bool
		transpos bool // B given as its transpose, as for Q·Kᵀ
	}{
		{6, 1, 16, false, false},
		{6, 7, 16, false, false},
		{12, 64, 48, false, false},
		{18, 256, 37, true, false},
		{6, 64, 5, false, true},
		{24, 128, 100, false, true},
		{12, 33, 70, true, true},
	}
	for name, k := range kernels() {
		for _, tt := range tests {
			a := randMatrix(r, tt.m*tt.k)
			bm := randMatrix(r, tt.k*tt.n) // k×n row-major
			var b packed
			if tt.transpos {
				bt := make([]float32, tt.n*tt.k) // n×k
				for i := range tt.k {
					for j := range tt.n {
						bt[j*tt.k+i] = bm[i*tt.n+j]
					}
				}
				b = packTransposedInto(make([]float32, tt.k*roundUp(tt.n, 16)), bt, tt.n, tt.k, tt.k)
			} else {
				b = pack(bm, tt.k, tt.n)
			}
			ldc := b.n
			c := randMatrix(r, tt.m*ldc)
			want := make([]float32, len(c))
			for i := range tt.m {
				for j := range tt.n {
					s := float64(c[i*ldc+j])
					for p := range tt.k {
						s += float64(a[i*tt.k+p]) * float64(bm[p*tt.n+j])
					}
					if tt.relu {
						s = max(s, 0)
					}
					want[i*ldc+j] = float32(s)
				}
			}
			withKernel(k, func() {
				if tt.relu {
					gemmReLU(c, ldc, a, tt.k, tt.m, b)
				} else {
					gemm(c, ldc, a, tt.k, tt.m, b)
				}
			})
			for i := range tt.m {
				for j := range tt.n {
					g, w := c[i*ldc+j], want[i*ldc+j]
					if math.Abs(float64(g-w)) > 1e-4*math.Sqrt(float64(tt.k))+1e-5 {
						t.Fatalf("%s kernel, %+v: C[%d][%d] = %v, want %v", name, tt, i, j, g, w)
					}
				}
				for j := tt.n; j < ldc; j++ {
					if tt.relu && c[i*ldc+j] < 0 {
						t.Fatalf("%s kernel, %+v: padding column C[%d][%d] = %v after ReLU", name, tt, i, j, c[i*ldc+j])
					}
				}
			}
		}
	}
}

// TestKernelsAgree embeds the reference texts with the portable kernel
// and with the default one (assembly on amd64 with AVX2/FMA).
func TestKernelsAgree(t *testing.T) {
	m := testModel(t)
	g := loadReference(t)
	// A few short texts only: the portable kernel is slow under -race.
	var texts []string
	for _, s := range g.Sentences {
		if len(s) < 60 && len(texts) < 4 {
			texts = append(texts, s)
		}
	}
	var byGo, byDefault [][]float32
	var err error
	withKernel(kernelGo, func() { byGo, err = m.Embed(t.Context(), texts) })
	if err != nil {
		t.Fatal(err)
	}
	if byDefault, err = m.Embed(t.Context(), texts); err != nil {
		t.Fatal(err)
	}
	for i := range texts {
		if c := cosine(byGo[i], byDefault[i]); !(c > 0.99999) {
			t.Errorf("text %d: portable and default kernels agree only to cosine %.7f", i, c)
		}
	}
}

func TestExpNeg(t *testing.T) {
	worst := 0.0
	for x := float32(-87); x <= 0; x += 0.00037 {
		got, want := float64(expNeg(x)), math.Exp(float64(x))
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 3e-7 {
		t.Errorf("expNeg relative error up to %.3g, want <= 3e-7", worst)
	}
	for _, x := range []float32{-88, -100, float32(math.Inf(-1))} {
		if got := expNeg(x); got != 0 {
			t.Errorf("expNeg(%v) = %v, want 0", x, got)
		}
	}
	t.Logf("worst relative error %.3g", worst)
}

// TestExpSub checks the vector exp (assembly where available) and its
// portable version on lengths that exercise the 8-lane body and the tail.
func TestExpSub(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 7, 8, 9, 16, 124, 128} {
		row := make([]float32, n)
		for i := range row {
			row[i] = float32(r.Float64()*120 - 100) // e^(x-mx) spans e^-120 .. 1
		}
		mx := row[0]
		for _, v := range row {
			mx = max(mx, v)
		}
		for name, f := range map[string]func([]float32, float32){"default": expSub, "go": expSubGo} {
			got := append([]float32(nil), row...)
			f(got, mx)
			for i, v := range row {
				want := math.Exp(float64(v - mx))
				if d := math.Abs(float64(got[i]) - want); d > 3e-7*want+1e-37 {
					t.Fatalf("%s, n=%d: e^(%v) = %v, want %v", name, n, v-mx, got[i], want)
				}
			}
		}
	}
}

// TestPackerInPlace checks that packing a matrix in its own memory gives
// the very panels pack makes, for widths that are and are not a whole
// number of panels (those are copied), and that a copy leaves the source
// alone.
func TestPackerInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	tests := []struct {
		k, n    int
		inPlace bool
	}{
		{1, 16, true},
		{7, 48, true},
		{64, 512, true},
		{5, 37, true}, // not whole panels: copied
		{64, 512, false},
	}
	pk := &packer{inPlace: true}
	for _, tt := range tests {
		w := randMatrix(r, tt.k*tt.n)
		orig := append([]float32(nil), w...)
		want := pack(orig, tt.k, tt.n)
		pk.inPlace = tt.inPlace
		got := pk.pack(w, tt.k, tt.n)
		if got.k != want.k || got.n != want.n || !slices.Equal(got.data, want.data) {
			t.Errorf("%d×%d in place %v: packed differently", tt.k, tt.n, tt.inPlace)
		}
		shared := &got.data[0] == &w[0]
		if wantShared := tt.inPlace && tt.n%16 == 0; shared != wantShared {
			t.Errorf("%d×%d in place %v: shares the source %v, want %v", tt.k, tt.n, tt.inPlace, shared, wantShared)
		}
		if !shared && !slices.Equal(w, orig) {
			t.Errorf("%d×%d: a copy changed its source", tt.k, tt.n)
		}
	}
}

// TestHalfGemmMatchesPacked checks that multiplying by half-float weights
// packed as half floats gives, bit for bit, what multiplying by the same
// weights widened and packed gives: halfKernel must be the default
// kernel's arithmetic exactly, or the reader's answers would change with
// it. The weights start at an odd byte, as a tensor in a parameter file
// may.
func TestHalfGemmMatchesPacked(t *testing.T) {
	if halfKernel == nil {
		t.Skip("no half-float kernel on this machine: half weights are widened at load")
	}
	r := rand.New(rand.NewPCG(5, 6))
	tests := []struct {
		m, k, n int
		relu    bool
	}{
		{6, 1, 16, false},
		{12, 33, 48, true},
		{18, 256, 512, false},
		{132, 512, 1536, true},
	}
	for _, tt := range tests {
		raw := make([]byte, 1+2*tt.k*tt.n)
		half := raw[1:]
		w := make([]float32, tt.k*tt.n)
		for i := range w {
			h := toHalf(float32(r.NormFloat64()) / 8)
			half[2*i], half[2*i+1] = byte(h), byte(h>>8)
			w[i] = fromHalf(h)
		}
		a := randMatrix(r, tt.m*tt.k)
		c0 := randMatrix(r, tt.m*tt.n)
		want := append([]float32(nil), c0...)
		gemmOpt(want, tt.n, a, tt.k, tt.m, pack(w, tt.k, tt.n), tt.relu)
		got := append([]float32(nil), c0...)
		gemmOpt(got, tt.n, a, tt.k, tt.m, packHalf(half, tt.k, tt.n), tt.relu)
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%d×%d×%d: element %d is %g, want %g", tt.m, tt.k, tt.n, i, got[i], want[i])
			}
		}
	}
}
