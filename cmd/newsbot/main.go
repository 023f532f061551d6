// Command newsbot answers questions about the news it has ingested, only
// with verbatim quotes from the articles. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runMain(ctx, NewMain(), os.Args[1:])
	stop()
	os.Exit(code)
}

// runMain runs m with args, closes it and returns the exit status; the
// tests' child processes run through it too.
func runMain(ctx context.Context, m *Main, args []string) int {
	err := m.Run(ctx, args)
	if cerr := m.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err == nil {
		return 0
	}
	var es exitStatus
	if errors.As(err, &es) {
		return es.code
	}
	var ue usageError
	if !errors.Is(err, errReported) {
		fmt.Fprintln(m.Stderr, "newsbot:", err)
	}
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}
