//go:build amd64 && !purego

package use

import "golang.org/x/sys/cpu"

// kernelAVX2 is the AVX2/FMA tile kernel in kernel_amd64.s. The caller
// (gemm) guarantees the operands span the whole tile.
//
//go:noescape
func kernelAVX2(k int, a *float32, lda int, b *float32, c *float32, ldc int, relu int)

func kernelAsm(k int, a []float32, lda int, b []float32, c []float32, ldc int, relu bool) {
	r := 0
	if relu {
		r = 1
	}
	kernelAVX2(k, &a[0], lda, &b[0], &c[0], ldc, r)
}

// kernelHalfAVX2 is the AVX2/FMA/F16C tile kernel for half-float
// weights, in kernel_amd64.s. The caller (gemm) guarantees the operands
// span the whole tile.
//
//go:noescape
func kernelHalfAVX2(k int, a *float32, lda int, b *byte, c *float32, ldc int, relu int)

func kernelHalfAsm(k int, a []float32, lda int, b []byte, c []float32, ldc int, relu bool) {
	r := 0
	if relu {
		r = 1
	}
	kernelHalfAVX2(k, &a[0], lda, &b[0], &c[0], ldc, r)
}

// expSubAVX2 is expSub for a positive multiple of 8 elements, in
// exp_amd64.s.
//
//go:noescape
func expSubAVX2(x *float32, n int, mx float32)

// expSub sets row[i] = e^(row[i]-mx) for row[i] <= mx (see expSubGo).
func expSub(row []float32, mx float32) {
	n8 := len(row) &^ 7
	if hasAVX2 && n8 > 0 {
		expSubAVX2(&row[0], n8, mx)
	} else {
		n8 = 0
	}
	expSubGo(row[n8:], mx)
}

// hasAVX2 reports whether this CPU runs the assembly kernel.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernel is the tile kernel gemm uses.
var kernel = kernelGo

// halfKernel, when not nil, is the tile kernel for weights kept as half
// floats (packed.half): kernel's arithmetic exactly, each row of B widened
// as it is loaded. Without it, half-float weights are widened at load.
var halfKernel func(k int, a []float32, lda int, b []byte, c []float32, ldc int, relu bool)

func init() {
	if hasAVX2 {
		kernel = kernelAsm
		if cpu.X86.HasF16C {
			halfKernel = kernelHalfAsm
		}
	}
}
