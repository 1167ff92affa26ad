package golden

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// caseFile is where a case's program sits in the scratch repository.
const caseFile = "src/main.rs"

// checkCommand runs the built sendfix on a scratch git repository holding
// the case input: the dry-run diff must apply (git apply, patch -p1) to give
// the golden bytes, --write must give them too, and --check must exit 1 for
// a fix case and 0 once fixed.
func checkCommand(t *testing.T, c *goldenCase) {
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	t.Run("git-apply", func(t *testing.T) {
		dir := scratchRepo(t, c, c.Input)
		diff := dryRun(t, c, dir)
		if diff == nil {
			return
		}
		run(t, dir, diff, "git", "apply", "-")
		compareFile(t, c, dir)
	})
	t.Run("patch", func(t *testing.T) {
		if _, err := exec.LookPath("patch"); err != nil {
			if os.Getenv("SENDFIX_REQUIRE_RUSTC") == "1" {
				t.Fatal("patch is not installed (apt-get install -y patch)")
			}
			t.Skip("patch is not installed (apt-get install -y patch)")
		}
		dir := scratchRepo(t, c, c.Input)
		diff := dryRun(t, c, dir)
		if diff == nil {
			return
		}
		run(t, dir, diff, "patch", "-p1", "--quiet", "--no-backup-if-mismatch")
		compareFile(t, c, dir)
	})
	t.Run("write", func(t *testing.T) {
		dir := scratchRepo(t, c, c.Input)
		out, errOut, code := sendfix(t, dir, append([]string{"--write"}, c.Args...)...)
		if code != 0 {
			t.Fatalf("sendfix --write exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		compareFile(t, c, dir)
	})
	t.Run("check", func(t *testing.T) {
		dir := scratchRepo(t, c, c.Input)
		want := 0
		if c.IsFix() {
			want = 1
		}
		if _, errOut, code := sendfix(t, dir, append([]string{"--check"}, c.Args...)...); code != want {
			t.Errorf("sendfix --check on the input exited %d, want %d\nstderr:\n%s", code, want, errOut)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, caseFile)); !bytes.Equal(got, c.Input) {
			t.Errorf("sendfix --check modified the file")
		}
		dir = scratchRepo(t, c, c.Golden)
		if out, errOut, code := sendfix(t, dir, append([]string{"--check"}, c.Args...)...); code != 0 {
			t.Errorf("sendfix --check on the golden output exited %d, want 0 (not idempotent)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
	})
}

// dryRun runs sendfix without flags and returns its diff, or nil when the
// case is a no-change case and the diff is rightly empty.
func dryRun(t *testing.T, c *goldenCase, dir string) []byte {
	t.Helper()
	out, errOut, code := sendfix(t, dir, c.Args...)
	if code != 0 {
		t.Fatalf("sendfix (dry run) exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !c.IsFix() {
		if len(out) > 0 {
			t.Errorf("no-change case, but sendfix printed:\n%s", out)
		}
		return nil
	}
	if len(out) == 0 {
		t.Fatalf("fix case, but sendfix printed no diff\nstderr:\n%s", errOut)
	}
	return out
}

// scratchRepo makes a git repository holding content as src/main.rs, in
// a package of the case's edition.
func scratchRepo(t *testing.T, c *goldenCase, content []byte) string {
	t.Helper()
	dir := t.TempDir()
	run(t, dir, nil, "git", "init", "-q")
	p := filepath.Join(dir, caseFile)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	// The manifest gives the command the case's edition, as the library
	// gets it from the directive.
	manifest := "[package]\nname = \"case\"\nversion = \"0.0.0\"\nedition = \"" + c.Edition + "\"\n"
	if err := os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func compareFile(t *testing.T, c *goldenCase, dir string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, caseFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, c.Golden) {
		t.Errorf("result differs from %s:\n%s", c.GoldenPath, describeDiff(t, c.Golden, got))
	}
}

// gitEnv keeps the user's git configuration (autocrlf, apply.whitespace)
// out of the scratch repositories.
var gitEnv = []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}

// run runs a helper command in dir, failing the test if it fails.
func run(t *testing.T, dir string, stdin []byte, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), gitEnv...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s\ninput:\n%s", name, args, err, out, stdin)
	}
}

// sendfix runs the built command in dir and returns its output and exit
// status; a failure to start is fatal.
func sendfix(t *testing.T, dir string, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return runSendfix(t, dir, append(os.Environ(), gitEnv...), nil, args...)
}

// runSendfix runs the built command in dir with env and stdin (nil: none)
// and returns its output and exit status; a failure to start is fatal.
func runSendfix(t *testing.T, dir string, env []string, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	return runCommand(t, sendfixBin, dir, env, stdin, args...)
}

// runCommand runs bin in dir with env and stdin (nil: none) and returns
// its output and exit status; a failure to start is fatal.
func runCommand(t *testing.T, bin, dir string, env []string, stdin []byte, args ...string) (stdout, stderr []byte, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("running %s: %v", filepath.Base(bin), err)
	}
	return out.Bytes(), errb.Bytes(), code
}
