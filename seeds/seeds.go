// Package seeds holds the sample news a fresh install answers about. The
// files are embedded in the binary, so newsbot works from any directory.
package seeds

import "embed"

// FS holds the seed articles, in any format the ingest package reads.
//
//go:embed *.txt
var FS embed.FS
