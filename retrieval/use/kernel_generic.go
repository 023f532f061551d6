//go:build !amd64 || purego

package use

// kernel is the tile kernel gemm uses.
var kernel = kernelGo

// halfKernel is nil: half-float weights are widened at load (see
// kernel_amd64.go).
var halfKernel func(k int, a []float32, lda int, b []byte, c []float32, ldc int, relu bool)

// expSub sets row[i] = e^(row[i]-mx) for row[i] <= mx (see expSubGo).
func expSub(row []float32, mx float32) { expSubGo(row, mx) }
