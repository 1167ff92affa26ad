package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestCargoArgs(t *testing.T) {
	root := t.TempDir()
	tree(t, root, map[string]string{
		"pkg/Cargo.toml": "[package]\nname = \"pkg\"\n", "pkg/src/main.rs": "",
		"other/Cargo.toml": "[package]\nname = \"other\"\n", "loose/a.rs": "",
	})
	pkg, src := filepath.Join(root, "pkg"), filepath.Join(root, "pkg", "src")
	for _, tc := range []struct {
		wd   string
		args []string
		want []string
		err  string
	}{
		{pkg, []string{"--check"}, []string{"--cargo", "--check", "."}, ""},
		{pkg, []string{"--no-verify", "--check"}, []string{"--no-verify", "--check", "."}, ""},
		{pkg, []string{"a.rs", "b.rs"}, []string{"a.rs", "b.rs"}, ""},
		{pkg, []string{"--diagnostics", "m.json"}, []string{"--diagnostics", "m.json", "."}, ""},
		{src, []string{"-w"}, []string{"--cargo", "-w", ".."}, ""},
		{src, []string{"--json", "lib.rs"}, []string{"--cargo", "--json", "lib.rs"}, ""},
		{root, []string{"--manifest-path", "other/Cargo.toml", "-q"}, []string{"--cargo", "-q", "other"}, ""},
		{root, []string{"--manifest-path=pkg/Cargo.toml"}, []string{"--cargo", "pkg"}, ""},
		{pkg, []string{"--rules", "rc-arc", "--cargo", "--", "--features", "x"}, []string{"--rules", "rc-arc", "--cargo", ".", "--", "--features", "x"}, ""},
		{pkg, []string{"--help"}, []string{"--help"}, ""},
		{pkg, []string{"--explain", "rc-arc"}, []string{"--explain", "rc-arc"}, ""},
		{pkg, []string{"completion", "bash"}, []string{"completion", "bash"}, ""},
		{filepath.Join(root, "loose"), []string{"--check"}, nil, "could not find `Cargo.toml` in `" + filepath.Join(root, "loose") + "` or any parent directory"},
		{root, []string{"--manifest-path", "nope/Cargo.toml"}, nil, "does not exist"},
		{root, []string{"--manifest-path", "pkg"}, nil, "must be a path to a Cargo.toml file"},
		{root, []string{"--manifest-path"}, nil, "--manifest-path needs a value"},
		{root, []string{"--manifest-path", "pkg/Cargo.toml", "src"}, nil, "cannot be used together"},
	} {
		got, err := cargoArgs(tc.args, tc.wd)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v in %s: error %v, want %q", tc.args, tc.wd, err, tc.err)
		case tc.err == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("%v in %s: %q, %v; want %q", tc.args, tc.wd, got, err, tc.want)
		}
	}
}

// TestCargoSendfix builds both commands, puts them first on PATH and runs
// `cargo sendfix` through real cargo in a package without dependencies
// (cargo's subcommand dispatch needs no registry).
func TestCargoSendfix(t *testing.T) {
	cargo, err := exec.LookPath("cargo")
	if err != nil {
		if os.Getenv("SENDFIX_REQUIRE_RUSTC") == "1" {
			t.Fatal("cargo is not on PATH (SENDFIX_REQUIRE_RUSTC=1)")
		}
		t.Skip("cargo is not on PATH: install Rust (apt-get install -y cargo) to run the cargo subcommand test")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin, "sendfix/cmd/sendfix", "sendfix/cmd/cargo-sendfix")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, b := range []string{"sendfix", "cargo-sendfix"} {
		if _, err := os.Stat(filepath.Join(bin, b)); err != nil {
			t.Fatalf("go build ./cmd/... gave no %s: %v", b, err)
		}
	}
	input := readFile(t, article+".input.rs")
	golden := readFile(t, article+".golden.rs")
	root := t.TempDir()
	tree(t, root, map[string]string{
		"demo/Cargo.toml":  "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
		"demo/src/main.rs": input,
	})
	demo := filepath.Join(root, "demo")
	cargoRun := func(dir string, args ...string) (string, string, int) {
		t.Helper()
		cmd := exec.Command(cargo, append([]string{"sendfix"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "CARGO_NET_OFFLINE=true", "NO_COLOR=1")
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("cargo sendfix: %v", err)
		}
		return out.String(), errb.String(), code
	}

	stdout, stderr, code := cargoRun(demo, "--no-verify", "--check")
	if code != 1 || !strings.HasPrefix(stdout, "--- a/src/main.rs\n+++ b/src/main.rs\n@@ ") {
		t.Fatalf("cargo sendfix --check: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{"warning[mutex-scope]: ", "  --> src/main.rs:8:17\n", "^^^^^ await occurs here",
		"sendfix: 1 file scanned, 1 file would change", "run `cargo sendfix --write`", "try `cargo sendfix --explain RULE`"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("cargo sendfix --check: stderr lacks %q:\n%s", want, stderr)
		}
	}
	// From a subdirectory the package is found upward; --manifest-path
	// selects it from outside; a PATH overrides the package.
	if _, stderr, code := cargoRun(filepath.Join(demo, "src"), "--no-verify", "--check", "--format", "short"); code != 1 || !strings.Contains(stderr, "1 file scanned") {
		t.Errorf("from src/: exit %d\n%s", code, stderr)
	}
	stdout, _, code = cargoRun(root, "--manifest-path", "demo/Cargo.toml", "--no-verify", "--format", "short")
	if code != 0 || !strings.HasPrefix(stdout, "demo/src/main.rs:8:17: mutex-scope: ") {
		t.Errorf("--manifest-path: exit %d, stdout %q", code, stdout)
	}
	if _, stderr, code := cargoRun(root, "--check"); code != 2 || !strings.Contains(stderr, "could not find `Cargo.toml`") {
		t.Errorf("outside a package: exit %d, stderr %q", code, stderr)
	}
	if stdout, _, code := cargoRun(demo, "--explain", "rc-arc"); code != 0 || !strings.Contains(stdout, "Rc") {
		t.Errorf("cargo sendfix --explain: exit %d", code)
	}

	// --write, then the package is clean.
	if _, stderr, code := cargoRun(demo, "--no-verify", "--write"); code != 0 || !strings.Contains(stderr, "(applied)") {
		t.Fatalf("cargo sendfix --write: exit %d\n%s", code, stderr)
	}
	if got := readFile(t, filepath.Join(demo, "src", "main.rs")); got != golden {
		t.Errorf("--write gave:\n%s", got)
	}
	if stdout, stderr, code := cargoRun(demo, "--no-verify", "--check"); code != 0 || stdout != "" {
		t.Errorf("--check after --write: exit %d\n%s%s", code, stdout, stderr)
	}
}
