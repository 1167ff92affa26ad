package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"sendfix/rewrite"
)

// TestMain doubles as the sendfix process of TestSIGINTDuringWrite, which
// runs the test binary with SENDFIX_SIGNAL_HELPER set to a directory.
func TestMain(m *testing.M) {
	if dir := os.Getenv("SENDFIX_SIGNAL_HELPER"); dir != "" {
		os.Exit(signalHelper(dir))
	}
	os.Exit(m.Run())
}

// signalHelper runs sendfix -w -j 1 in dir with the fake engine, sending
// itself SIGINT while b.rs is being fixed.
func signalHelper(dir string) int {
	w := new(rewrite.Writer)
	newWriter = func() *rewrite.Writer { return w }
	rec := &fakeRecord{onRun: func(path string) {
		if path == "b.rs" {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			// Let the signal be handled before b.rs's write is tried.
			for i := 0; i < 1000 && !interruptSeen(w); i++ {
				time.Sleep(time.Millisecond)
			}
		}
	}}
	defaultEngine = rec.factory
	if err := os.Chdir(dir); err != nil {
		return 99
	}
	return Main([]string{"-w", "-j", "1"}, strings.NewReader(""), os.Stdout, os.Stderr)
}

// interruptSeen reports whether w refuses writes yet, by trying one that
// would change nothing on a file that does not exist.
func interruptSeen(w *rewrite.Writer) bool {
	err := w.WriteAtomic(filepath.Join(os.TempDir(), "sendfix-no-such-file"), nil, nil)
	return errors.Is(err, rewrite.ErrInterrupted)
}

func TestSIGINTDuringWrite(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n", "b.rs": "FIXME\n", "c.rs": "FIXME\n"})
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "SENDFIX_SIGNAL_HELPER="+dir)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 130 || !strings.Contains(string(out), "interrupted") {
		t.Errorf("exit %d, want 130; output:\n%s", code, out)
	}
	got := []string{readFile(t, filepath.Join(dir, "a.rs")), readFile(t, filepath.Join(dir, "b.rs")), readFile(t, filepath.Join(dir, "c.rs"))}
	if !slices.Equal(got, []string{"FIXED\n", "FIXME\n", "FIXME\n"}) {
		t.Errorf("files after SIGINT: %q", got)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("files left behind: %v", ents)
	}
}
