package index

import (
	"context"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"

	chromem "github.com/philippgille/chromem-go"
)

// BenchmarkScan100k compares chromem-go's exhaustive QueryEmbedding with a
// plain parallel dot-product loop over the same 100,000 vectors: the
// evidence behind the README's note on query time at that size.
func BenchmarkScan100k(b *testing.B) {
	const n, dim = 100000, 512
	r := rand.New(rand.NewPCG(1, 2))
	flat := make([]float32, n*dim)
	for i := range flat {
		flat[i] = float32(r.NormFloat64())
	}
	db := chromem.NewDB()
	col, _ := db.CreateCollection("x", nil, noEmbed)
	for i := range n {
		v := normalize(flat[i*dim : (i+1)*dim : (i+1)*dim])
		col.AddDocument(context.Background(), chromem.Document{ID: strconv.Itoa(i), Embedding: v})
	}
	q := normalize(append([]float32(nil), flat[:dim]...))
	b.Run("chromem", func(b *testing.B) {
		for b.Loop() {
			col.QueryEmbedding(context.Background(), q, 50, nil, nil)
		}
	})
	b.Run("flat", func(b *testing.B) {
		for b.Loop() {
			var wg sync.WaitGroup
			out := make([]float32, n)
			for w := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w * n / 2; i < (w+1)*n/2; i++ {
						v := flat[i*dim : (i+1)*dim]
						var s0, s1, s2, s3 float32
						for j := 0; j < dim; j += 4 {
							s0 += q[j] * v[j]
							s1 += q[j+1] * v[j+1]
							s2 += q[j+2] * v[j+2]
							s3 += q[j+3] * v[j+3]
						}
						out[i] = s0 + s1 + s2 + s3
					}
				}()
			}
			wg.Wait()
		}
	})
}
