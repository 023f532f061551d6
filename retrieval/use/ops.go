package use

import "math"

// Row-wise and element-wise steps of the forward pass. The matrix
// products are in gemm.go.

// meanRows sets dst[:w] to the mean of the first n rows of src (width w).
func meanRows(dst, src []float32, n, w int) {
	dst = dst[:w]
	clear(dst)
	for i := range n {
		for c, v := range src[i*w : (i+1)*w] {
			dst[c] += v
		}
	}
	inv := 1 / float32(n)
	for c := range dst {
		dst[c] *= inv
	}
}

// fillRows sets each of the rows rows of dst (width w) to bias.
func fillRows(dst []float32, rows, w int, bias []float32) {
	for i := range rows {
		copy(dst[i*w:(i+1)*w], bias)
	}
}

// addRows adds bias to each of the rows rows of dst (width w).
func addRows(dst []float32, rows, w int, bias []float32) {
	bias = bias[:w]
	for i := range rows {
		r := dst[i*w : (i+1)*w]
		for c, b := range bias {
			r[c] += b
		}
	}
}

// layerNorm writes (x-mean)/sqrt(var+eps)·scale+bias of each row of src
// to dst. Sums run in four lanes to keep the adds from waiting on each
// other.
func layerNorm(dst, src []float32, rows, w int, scale, bias []float32, eps float32) {
	scale, bias = scale[:w], bias[:w]
	for i := range rows {
		s := src[i*w : (i+1)*w]
		d := dst[i*w : (i+1)*w]
		mean := sum4(s) / float32(w)
		var q0, q1, q2, q3 float32
		c := 0
		for ; c+4 <= len(s); c += 4 {
			t0, t1, t2, t3 := s[c]-mean, s[c+1]-mean, s[c+2]-mean, s[c+3]-mean
			q0 += t0 * t0
			q1 += t1 * t1
			q2 += t2 * t2
			q3 += t3 * t3
		}
		for ; c < len(s); c++ {
			t := s[c] - mean
			q0 += t * t
		}
		r := float32(1 / math.Sqrt(float64((q0+q1+q2+q3)/float32(w)+eps)))
		for c, v := range s {
			d[c] = (v-mean)*r*scale[c] + bias[c]
		}
	}
}

// sum4 returns the sum of s, added in four lanes.
func sum4(s []float32) float32 {
	var a0, a1, a2, a3 float32
	c := 0
	for ; c+4 <= len(s); c += 4 {
		a0 += s[c]
		a1 += s[c+1]
		a2 += s[c+2]
		a3 += s[c+3]
	}
	for ; c < len(s); c++ {
		a0 += s[c]
	}
	return (a0 + a1) + (a2 + a3)
}

// softmax replaces row by its softmax.
func softmax(row []float32) {
	mx := row[0]
	for _, v := range row[1:] {
		mx = max(mx, v)
	}
	expSub(row, mx)
	inv := 1 / sum4(row)
	for i := range row {
		row[i] *= inv
	}
}

// expSubGo sets row[i] = e^max(row[i]-mx, -87), for row[i] <= mx: the
// portable fallback of the assembly expSub. Clamping at -87 instead of
// returning 0 keeps the loop free of branches and adds at most e^-87 per
// element.
func expSubGo(row []float32, mx float32) {
	for i, v := range row {
		row[i] = expCore(max(v-mx, -87))
	}
}

// Constants of expNeg.
const (
	log2e = 1.44269504088896341
	ln2hi = 0.693359375
	ln2lo = -2.12194440e-4
	expC0 = 1.9875691500e-4
	expC1 = 1.3981999507e-3
	expC2 = 8.3334519073e-3
	expC3 = 4.1665795894e-2
	expC4 = 1.6666665459e-1
	expC5 = 5.0000001201e-1
)

// expNeg returns e^x for x <= 0 in float32, within about 2 ulp: e^x =
// 2^k·e^r with k = round(x·log2 e), r = x - k·ln 2 (split in two parts for
// precision) and a degree-6 polynomial for e^r on |r| <= ln2/2 (the Cephes
// expf coefficients). It is several times faster than math.Exp.
func expNeg(x float32) float32 {
	if x < -87 {
		return 0
	}
	if x > 0 {
		return float32(math.Exp(float64(x)))
	}
	return expCore(x)
}

// expCore is expNeg without its range checks, for -87 <= x <= 0; expNeg
// and expSubGo share it.
func expCore(x float32) float32 {
	k := float32(int32(x*log2e - 0.5))
	r := x - k*ln2hi - k*ln2lo
	p := float32(expC0)
	p = p*r + expC1
	p = p*r + expC2
	p = p*r + expC3
	p = p*r + expC4
	p = p*r + expC5
	return (p*r*r + r + 1) * math.Float32frombits(uint32(int32(k)+127)<<23)
}
