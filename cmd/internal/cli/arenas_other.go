//go:build !linux || !cgo

package cli

// limitArenas caps glibc's malloc arenas (arenas_glibc.go); elsewhere
// there is nothing to cap.
func limitArenas(int) {}
