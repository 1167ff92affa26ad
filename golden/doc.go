// Package golden holds sendfix's golden cases and the tests that run them.
//
// A case is testdata/<group>/<name>.input.rs with its expected output
// <name>.golden.rs and, optionally, its expected findings <name>.findings
// (see README.md). `go test ./golden` runs every case through the patterns
// library and through the built sendfix command, checks idempotence and that
// the printed diff applies with git, and has rustc judge every input and
// output in one generated cargo project. `go test ./golden -update` rewrites
// the .golden.rs and .findings files from the library's output; inputs are
// never written.
package golden
