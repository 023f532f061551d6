// Package ingest turns files into bot.Article values: plain text (.txt),
// Markdown (.md), HTML (.html, .htm) and JSON Lines (.jsonl).
//
// Every article's Text goes through Normalize, the one function that decides
// what the stored text looks like, because quotes are cut from it byte for
// byte: it must be valid UTF-8, free of binary control bytes, with LF line
// ends, no trailing spaces and at most one blank line between paragraphs.
//
// Errors name the file and the reason in one line ("notes.txt: empty").
// A file that yields some articles but has problems (a bad JSON line, a date
// that cannot be parsed) returns the articles together with a *LineErrors;
// callers count failures with errors.As and LineErrors.Skipped.
//
// The package stores nothing and does not chunk: that is the store's job.
package ingest
