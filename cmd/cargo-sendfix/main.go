// Command cargo-sendfix is sendfix as a cargo subcommand: `cargo sendfix
// [flags] [PATH ...]` fixes the current package (the folder of the nearest
// Cargo.toml, or of --manifest-path) when no PATH is given. The other flags
// are sendfix's own; see cargo sendfix --help.
package main

import (
	"os"

	"sendfix/cmd/internal/cli"
)

func main() { os.Exit(cli.CargoMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
