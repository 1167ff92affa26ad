package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// CargoMain runs sendfix as the cargo subcommand `cargo sendfix`. cargo
// runs `cargo-sendfix sendfix ARGS...`; the leading "sendfix" is dropped
// (so the binary also works when called directly). Without a PATH the
// current package is fixed: the folder of the nearest Cargo.toml above
// the current directory, or of the one --manifest-path names, as cargo
// chooses its package. As cargo fix does, it verifies by default: the
// compiler loop (--cargo) decides which fixes to keep; --no-verify makes
// it fix what the syntax proves, as plain sendfix. Every other flag is
// sendfix's own.
func CargoMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "sendfix" {
		args = args[1:]
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "error: cannot get the working directory: %v\n", err)
		return exitError
	}
	args, err = cargoArgs(args, wd)
	if err != nil {
		fmt.Fprintf(stderr, "error: %v\n", err)
		return exitError
	}
	return runMain(args, stdin, stdout, stderr, "cargo sendfix")
}

// cargoArgs rewrites the arguments of `cargo sendfix` into sendfix's:
// --manifest-path is taken out and, when no PATH is given, the package's
// folder (relative to wd, so that paths print as cargo prints them) is
// added; --cargo comes first unless --no-verify, --cargo or --diagnostics
// is given or the PATHs are not one package (several, or "-"). Help,
// version, --explain and completion need no package.
func cargoArgs(args []string, wd string) ([]string, error) {
	manifest := ""
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if v, ok := strings.CutPrefix(a, "--manifest-path="); ok {
			manifest = v
			continue
		}
		if a == "--manifest-path" {
			if i+1 >= len(args) {
				return nil, errors.New("--manifest-path needs a value: the path to Cargo.toml")
			}
			manifest = args[i+1]
			i++
			continue
		}
		rest = append(rest, a)
	}
	if len(rest) > 0 && rest[0] == "completion" {
		return rest, nil
	}
	o, v := &options{}, &flagVars{}
	fs := newFlagSet(o, v)
	if err := fs.Parse(rest); err != nil || v.help || v.showVersion || fs.Changed("explain") {
		return rest, nil // sendfix answers, or reports the bad flag
	}
	given := fs.NArg()
	if d := fs.ArgsLenAtDash(); d >= 0 {
		given = d
	}
	verify := func(args []string) []string {
		if o.cargo.noVerify || o.cargo.enabled() || given > 1 || given == 1 && fs.Arg(0) == "-" {
			return args
		}
		return append([]string{"--cargo"}, args...)
	}
	if given > 0 {
		if manifest != "" {
			return nil, errors.New("--manifest-path and PATH arguments cannot be used together")
		}
		return verify(rest), nil
	}
	var dir string
	if manifest != "" {
		if filepath.Base(manifest) != "Cargo.toml" {
			return nil, fmt.Errorf("the manifest-path must be a path to a Cargo.toml file, not %q", manifest)
		}
		if !filepath.IsAbs(manifest) {
			manifest = filepath.Join(wd, manifest)
		}
		if st, err := os.Stat(manifest); err != nil || !st.Mode().IsRegular() {
			return nil, fmt.Errorf("manifest path `%s` does not exist", manifest)
		}
		dir = filepath.Dir(manifest)
	} else {
		for d := wd; ; d = filepath.Dir(d) {
			if st, err := os.Stat(filepath.Join(d, "Cargo.toml")); err == nil && st.Mode().IsRegular() {
				dir = d
				break
			}
			if filepath.Dir(d) == d {
				return nil, fmt.Errorf("could not find `Cargo.toml` in `%s` or any parent directory", wd)
			}
		}
	}
	if rel, err := filepath.Rel(wd, dir); err == nil {
		dir = rel
	}
	// The package folder goes before any `--`, whose arguments are cargo's.
	if d := fs.ArgsLenAtDash(); d >= 0 {
		at := len(rest) - (fs.NArg() - d) - 1 // the index of "--"
		out := append(append(append([]string(nil), rest[:at]...), dir), rest[at:]...)
		return verify(out), nil
	}
	return verify(append(rest, dir)), nil
}
