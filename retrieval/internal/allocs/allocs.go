// Package allocs measures what a piece of code allocates, for the tests
// that bound the memory hostile input may cost.
package allocs

import "runtime"

// Bytes returns the bytes f allocates on the heap while it runs (those of
// other goroutines running meanwhile included): an upper bound on the
// memory it needs at once.
func Bytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
