//go:build !amd64 || purego

package use

// kernel is the tile kernel gemm uses.
var kernel = kernelGo

// expSub sets row[i] = e^(row[i]-mx) for row[i] <= mx (see expSubGo).
func expSub(row []float32, mx float32) { expSubGo(row, mx) }
