// Package cli is the terminal adapter: it renders answers as plain text or
// JSON, and runs the interactive chat (a line editor with history on a
// terminal, one question per line when input is piped).
package cli
