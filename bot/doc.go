// Package bot is the domain of newsbot: articles, passages, quotes and
// answers, follows and their pushes, the errors users are shown, the
// interfaces the outside provides (a Retriever, a Reader, optionally a
// Writer for LLM-written summaries, a Memory, a Leaser, the follows'
// stores and senders), and the Ask service: it validates a question, has
// its Extractor find the verbatim quotes that answer it, and opens the
// answer with a Writer's summary once that is verified against the quotes.
//
// The answer model itself (question analysis, sentence features, the
// calibrated model and the reader's part) lives in bot/answer, which
// implements Extractor. Package bot imports nothing of newsbot but
// bot/text; adapters, retrieval and bot/answer depend on it, never the
// other way round.
package bot
