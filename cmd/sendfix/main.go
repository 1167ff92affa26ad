// Command sendfix repairs the common causes of Rust's "future cannot be sent
// between threads safely" error in tokio code. See sendfix --help.
package main

import (
	"os"

	"sendfix/cmd/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
