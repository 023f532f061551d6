// Package feeds fetches news from the web: RSS 2.0, Atom and JSON Feed
// documents and single article pages, turned into bot.Article values whose
// text is the page's main text (extracted by the ingest package).
//
// A Fetcher does polite, bounded HTTP: a real User-Agent, conditional GET,
// a per-host concurrency limit, timeouts, a response-size cap, a redirect
// cap, http and https only, and an address policy checked when connecting
// (so DNS rebinding cannot reach loopback, private or link-local/metadata
// addresses that are not explicitly allowed).
//
// A Poller polls configured feeds on their intervals (jittered, with
// exponential backoff after errors), hands new and updated articles to a
// sink, applies optional retention, and keeps per-feed state (validators,
// last fetch, last error, counts, seen items) as one JSON document in a
// StateKeeper (a file, FileState, or newsbot's store of record) that
// ReportFrom reads for "newsbot feeds".
//
// Article IDs are ingest.CanonicalURL of the item's link, so the same
// article reached through two feeds or through links with tracking
// parameters has one ID; the store is expected to replace an article whose
// ID it already has.
package feeds
