// Package bot is the domain of newsbot: articles, passages, quotes and
// answers, the Bot service that turns a question into an answer made only of
// verbatim quotes, and the interfaces that service needs from the outside
// (a Retriever, and optionally a Writer for LLM-written summaries).
//
// Package bot imports no adapter and no storage code; adapters and the
// retrieval package depend on it, never the other way round.
package bot
