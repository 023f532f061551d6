// Package lab measures newsbot: eval (retrieval and answer quality on QA
// sets, and fitting the answer model) and bench (ingest and query speed).
// Everything it needs from the program comes in a Lab, and every setting
// in options: it changes no package's globals.
package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"newsbot/bot"
	"newsbot/bot/answer"
	"newsbot/retrieval/index"
	"newsbot/retrieval/store"
)

// Lab is what eval and bench use of the program.
type Lab struct {
	Stdout, Stderr io.Writer
	Log            *slog.Logger
	// Embedder returns the configured embedder.
	Embedder func() (index.Embedder, error)
	// OpenDB opens the configured store of record over dir (bench).
	OpenDB func(ctx context.Context, dir string) (store.DB, error)
	// OpenLocal opens an embedded store in dir, never a shared one (eval
	// --cache: eval must not write its documents into a deployment's
	// store).
	OpenLocal func(ctx context.Context, dir string) (store.DB, error)
	// NewBot builds the bot over r as the program does (bench).
	NewBot func(r bot.Retriever) (*bot.Bot, error)
	// NewExtractor builds the bot's answer extractor over r as the program
	// does (eval: it scores the candidate pools under several models).
	NewExtractor func(r bot.Retriever) (*answer.Extractor, error)
	// Threshold is the config's refusal threshold, nil for the model's.
	Threshold *float64
	// Progress returns a progress display for a Put of what.
	Progress func(what string) func(index.Progress)

	denseWeight *float64 // eval's --dense-weight, for the stores it opens
}

// storeOptions are the options of the stores the lab opens.
func (l *Lab) storeOptions() []index.Option {
	opts := []index.Option{index.WithLogger(l.Log)}
	if l.denseWeight != nil {
		opts = append(opts, index.WithDenseWeight(*l.denseWeight))
	}
	return opts
}

// mustExist says plainly that a file named by a flag is missing, before a
// reader reports something less direct (its file type, say).
func mustExist(flagName, path string) error {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s %s: no such file", flagName, path)
		}
		return fmt.Errorf("%s: %w", flagName, err)
	}
	return nil
}
