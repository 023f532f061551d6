// Package embedtest provides a fast, deterministic embedder for tests:
// texts that share words get similar vectors, so retrieval and answers
// behave as with a real model, without loading one.
package embedtest

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"newsbot/bot/text"
)

// Dim is the length of Stems' vectors.
const Dim = 64

// Stems embeds a text as its bag of word stems hashed into Dim buckets,
// L2-normalised. The zero value is ready to use.
type Stems struct {
	// Label is the embedder's name (default "test-stems").
	Label string
	// Fail, when set, makes Embed fail for a batch holding a text it
	// accepts, as a model server refusing input does.
	Fail func(text string) bool
	// Delay is waited on every call, to stand in for a slow model.
	Delay time.Duration
	// Announce, when set, is told once, on the first call.
	Announce io.Writer

	calls atomic.Int64
	once  sync.Once
}

// Name implements index.Embedder.
func (s *Stems) Name() string {
	if s.Label == "" {
		return "test-stems"
	}
	return s.Label
}

// Calls returns how many times Embed was called.
func (s *Stems) Calls() int64 { return s.calls.Load() }

// Embed implements index.Embedder.
func (s *Stems) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	s.calls.Add(1)
	if s.Announce != nil {
		s.once.Do(func() { fmt.Fprintln(s.Announce, "fake embedder: first call") })
	}
	if s.Delay > 0 {
		select {
		case <-time.After(s.Delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if s.Fail != nil && s.Fail(t) {
			return nil, errors.New("model refused text")
		}
		v := make([]float32, Dim)
		for _, st := range text.Stems(t) {
			f := fnv.New32a()
			f.Write([]byte(st))
			v[f.Sum32()%Dim]++
		}
		v[0] += 0.01 // no zero vector for a text without words
		var n float64
		for _, x := range v {
			n += float64(x) * float64(x)
		}
		inv := float32(1 / math.Sqrt(n))
		for j := range v {
			v[j] *= inv
		}
		out[i] = v
	}
	return out, nil
}
