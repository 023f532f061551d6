package use

import "fmt"

// The matrix multiply works on a 6×16 tile of the output at a time: six
// rows of activations against one panel of 16 weight columns. Weights are
// packed once at load time so that each panel is contiguous (k rows of 16
// floats); activations stay row-major. Callers give row counts rounded up
// to a multiple of tileRows and keep the extra rows finite.
const (
	tileRows = 6
	tileCols = 16
)

// packed is a k×n matrix B, for products A·B, stored as n/16 panels of
// k rows × 16 columns each. Columns past the real n are zero.
type packed struct {
	k, n int
	data []float32
	// half, when not nil, holds the matrix instead of data: the same
	// panels of IEEE half floats (little-endian), which halfKernel widens
	// as it reads them; n is then a multiple of 16.
	half []byte
}

// roundUp returns x rounded up to a multiple of m.
func roundUp(x, m int) int { return (x + m - 1) / m * m }

// packInto fills dst (len k*roundUp(n,16)) with the k×n matrix src (row
// stride ld) in panel order and returns it as a packed matrix.
func packInto(dst, src []float32, k, n, ld int) packed {
	np := roundUp(n, tileCols)
	dst = dst[:k*np]
	for j := 0; j < np; j += tileCols {
		panel := dst[j*k : (j+tileCols)*k]
		w := min(tileCols, n-j)
		for p := 0; p < k; p++ {
			row := panel[p*tileCols : (p+1)*tileCols]
			copy(row, src[p*ld+j:p*ld+j+w])
			clear(row[w:])
		}
	}
	return packed{k: k, n: np, data: dst}
}

// packTransposedInto fills dst with the transpose of the n×k matrix src
// (row stride ld): the result is a packed k×n matrix, used for Q·Kᵀ.
func packTransposedInto(dst, src []float32, n, k, ld int) packed {
	np := roundUp(n, tileCols)
	dst = dst[:k*np]
	for j := 0; j < np; j += tileCols {
		panel := dst[j*k : (j+tileCols)*k]
		for c := 0; c < tileCols; c++ {
			if j+c >= n {
				for p := 0; p < k; p++ {
					panel[p*tileCols+c] = 0
				}
				continue
			}
			row := src[(j+c)*ld : (j+c)*ld+k]
			for p, v := range row {
				panel[p*tileCols+c] = v
			}
		}
	}
	return packed{k: k, n: np, data: dst}
}

// pack returns a freshly allocated packed copy of the k×n row-major
// matrix w.
func pack(w []float32, k, n int) packed {
	return packInto(make([]float32, k*roundUp(n, tileCols)), w, k, n, n)
}

// packer packs the matrices of one model as it is assembled. With inPlace
// the matrices belong to the model alone (decoded for it), so each whose
// width is a whole number of panels is rearranged in its own memory,
// through one scratch buffer, instead of copied: loading then holds each
// matrix once, not twice.
type packer struct {
	inPlace bool
	scratch []float32
}

// pack returns w (k×n, row-major) packed for gemm.
func (p *packer) pack(w []float32, k, n int) packed {
	if !p.inPlace || n%tileCols != 0 || len(w) != k*n {
		return pack(w, k, n)
	}
	if cap(p.scratch) < k*n {
		p.scratch = make([]float32, k*n)
	}
	b := packInto(p.scratch[:k*n], w, k, n, n)
	copy(w, b.data)
	return packed{k: k, n: n, data: w}
}

// packHalf returns the k×n row-major matrix of half floats w (2 bytes a
// value, n a multiple of 16) packed into panels as pack does, still as
// half floats.
func packHalf(w []byte, k, n int) packed {
	dst := make([]byte, 2*k*n)
	for j := 0; j < n; j += tileCols {
		for p := 0; p < k; p++ {
			at := 2 * (j*k + p*tileCols)
			copy(dst[at:at+2*tileCols], w[2*(p*n+j):])
		}
	}
	return packed{k: k, n: n, half: dst}
}

// gemm adds A·B to C, where A is m×b.k (row stride lda) and C is m×b.n
// (row stride ldc). m must be a multiple of tileRows. The bounds are
// checked here once, because the kernel does not check them.
func gemm(c []float32, ldc int, a []float32, lda int, m int, b packed) {
	gemmOpt(c, ldc, a, lda, m, b, false)
}

// gemmReLU is gemm followed by C = max(C, 0), fused into the kernel.
func gemmReLU(c []float32, ldc int, a []float32, lda int, m int, b packed) {
	gemmOpt(c, ldc, a, lda, m, b, true)
}

func gemmOpt(c []float32, ldc int, a []float32, lda int, m int, b packed, relu bool) {
	if m%tileRows != 0 || m == 0 {
		panic(fmt.Sprintf("use: gemm with %d rows", m))
	}
	if len(a) < (m-1)*lda+b.k || len(c) < (m-1)*ldc+b.n || b.k == 0 {
		panic("use: gemm operands too short")
	}
	k := b.k
	if b.half != nil {
		if len(b.half) < 2*k*b.n || b.n%tileCols != 0 {
			panic("use: gemm half-float operand too short")
		}
		for j := 0; j < b.n; j += tileCols {
			panel := b.half[2*j*k : 2*(j+tileCols)*k]
			for i := 0; i < m; i += tileRows {
				halfKernel(k, a[i*lda:], lda, panel, c[i*ldc+j:], ldc, relu)
			}
		}
		return
	}
	if len(b.data) < b.k*b.n {
		panic("use: gemm operands too short")
	}
	for j := 0; j < b.n; j += tileCols {
		panel := b.data[j*k : (j+tileCols)*k]
		for i := 0; i < m; i += tileRows {
			kernel(k, a[i*lda:], lda, panel, c[i*ldc+j:], ldc, relu)
		}
	}
}

// kernelGo is the portable tile kernel: C[6×16] += A[6×k]·panel, then
// C = max(C, 0) if relu.
func kernelGo(k int, a []float32, lda int, b []float32, c []float32, ldc int, relu bool) {
	b = b[:k*tileCols]
	for r := 0; r < tileRows; r++ {
		ar := a[r*lda : r*lda+k]
		cr := c[r*ldc : r*ldc+tileCols : r*ldc+tileCols]
		c0, c1, c2, c3 := cr[0], cr[1], cr[2], cr[3]
		c4, c5, c6, c7 := cr[4], cr[5], cr[6], cr[7]
		c8, c9, c10, c11 := cr[8], cr[9], cr[10], cr[11]
		c12, c13, c14, c15 := cr[12], cr[13], cr[14], cr[15]
		for p, x := range ar {
			bp := b[p*tileCols : p*tileCols+tileCols : p*tileCols+tileCols]
			c0 += x * bp[0]
			c1 += x * bp[1]
			c2 += x * bp[2]
			c3 += x * bp[3]
			c4 += x * bp[4]
			c5 += x * bp[5]
			c6 += x * bp[6]
			c7 += x * bp[7]
			c8 += x * bp[8]
			c9 += x * bp[9]
			c10 += x * bp[10]
			c11 += x * bp[11]
			c12 += x * bp[12]
			c13 += x * bp[13]
			c14 += x * bp[14]
			c15 += x * bp[15]
		}
		cr[0], cr[1], cr[2], cr[3] = c0, c1, c2, c3
		cr[4], cr[5], cr[6], cr[7] = c4, c5, c6, c7
		cr[8], cr[9], cr[10], cr[11] = c8, c9, c10, c11
		cr[12], cr[13], cr[14], cr[15] = c12, c13, c14, c15
		if relu {
			for i, v := range cr {
				cr[i] = max(v, 0)
			}
		}
	}
}
