// Package index is the in-memory search index of newsbot, a cache of the
// store of record (retrieval/store): it chunks articles into
// sentence-aligned passages, embeds them, keeps the vectors in an
// in-process chromem-go collection and the words in a BM25 inverted index,
// and answers a query by fusing dense and keyword scores. Its Index
// implements bot.Retriever (with bot.TermWeigher and bot.TermSpeller) and
// follows the store's change feed so that every process sees what the
// others commit.
//
// It is one of retrieval's siblings: ingest and feeds bring the news in,
// store keeps it, use embeds it, reader reads it; index only searches it.
package index
