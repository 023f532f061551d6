//go:build !unix

package retrieval

// lockDir is a no-op where flock is unavailable: the generation check in
// writeLocked still catches most concurrent writers.
func lockDir(string) (func(), error) { return func() {}, nil }
