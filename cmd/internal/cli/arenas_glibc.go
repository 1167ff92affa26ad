//go:build linux && cgo

package cli

/*
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
// Before the Go runtime starts its threads: one arena until the command
// knows its workers.
__attribute__((constructor)) static void sendfix_arenas_init(void) { mallopt(M_ARENA_MAX, 1); }
static void sendfix_arenas(int n) { mallopt(M_ARENA_MAX, n); }
#else
static void sendfix_arenas(int n) { (void)n; }
#endif
*/
import "C"

// limitArenas caps glibc's malloc arenas at one per worker. The parser
// (tree-sitter, in C) allocates from whichever OS thread runs the cgo
// call, and Go moves goroutines between threads, so without a cap glibc
// makes an arena for most threads the runtime starts, each keeping the
// memory freed into it: on deno's sources a fifth of the peak RSS.
// One arena per worker keeps the workers from waiting on each other's
// mallocs.
func limitArenas(jobs int) { C.sendfix_arenas(C.int(max(jobs, 1))) }
