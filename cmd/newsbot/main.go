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
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	if cerr := m.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		var ue usageError
		var es exitStatus
		if errors.As(err, &es) {
			os.Exit(es.code)
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "newsbot:", err)
		}
		if errors.As(err, &ue) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
