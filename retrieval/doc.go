// Package retrieval implements bot.Retriever: it chunks articles into
// sentence-aligned passages, embeds them, keeps the vectors in an in-process
// chromem-go collection and the words in a BM25 inverted index, persists
// both under a data directory, and answers a query by fusing dense and
// keyword scores.
package retrieval
