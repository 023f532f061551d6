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
// tests' child processes run through it too. Run reports its own
// failures; only a failure to close is left to print here.
func runMain(ctx context.Context, m *Main, args []string) int {
	err := m.Run(ctx, args)
	if cerr := m.Close(); cerr != nil && err == nil {
		fmt.Fprintln(m.Stderr, "newsbot:", oneLine(cerr))
		return exitStore
	}
	if err == nil {
		return exitOK
	}
	var es exitStatus
	if errors.As(err, &es) {
		return es.code
	}
	fmt.Fprintln(m.Stderr, "newsbot:", oneLine(err))
	return exitFailure
}
