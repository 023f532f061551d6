// Package use is newsbot's built-in embedder: Universal Sentence Encoder
// Lite (English) run in pure Go, with its weights (about 28 MB) embedded
// in the binary, so the bot needs no model server.
//
// A text is normalised (NFKC, spaces to ▁), split into SentencePiece
// tokens exactly as the model's own JavaScript runtime does, cut to its
// first MaxTokens tokens, and encoded by a two-layer transformer whose
// token vectors are averaged and passed through a tanh layer. The result
// is one L2-normalised vector of Dim floats per text; cosine similarity
// between them measures how close two texts are in meaning.
//
// The matrix products run on an AVX2/FMA assembly kernel where the CPU
// has it (amd64) and on a portable Go kernel elsewhere or with the
// purego build tag. Vectors agree with the original runtime to a cosine
// above 0.9999 (testdata/ holds its golden outputs).
//
// The model files and their licence (Apache-2.0) are in model/; see
// model/NOTICE for their origin.
package use
