package rewrite

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// isolateWrites returns a new Writer for a test and restores the package's
// temporary-file maker after it.
func isolateWrites(t *testing.T) *Writer {
	t.Helper()
	create := createTemp
	t.Cleanup(func() { createTemp = create })
	return &Writer{}
}

// newFile writes content to dir/name with the given mode (umask aside).
func newFile(t *testing.T, dir, name, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkFile fails unless path holds want.
func checkFile(t *testing.T, path, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

// checkNoTemps fails if a temporary file of WriteAtomic is left in dir.
func checkNoTemps(t *testing.T, w *Writer, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".sendfix-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.temps) != 0 {
		t.Errorf("temporary files still registered: %v", w.temps)
	}
}

func TestWriteAtomicKeepsMode(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o644, 0o600, 0o755, 0o751, 0o644 | os.ModeSticky, 0o755 | os.ModeSetgid} {
		p := newFile(t, dir, "f.rs", "old\n", mode)
		if err := w.WriteAtomic(p, []byte("old\n"), []byte("new\r\n")); err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		checkFile(t, p, "new\r\n")
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode(); got != mode {
			t.Errorf("mode %v became %v", mode, got)
		}
		checkNoTemps(t, w, dir)
		os.Remove(p)
	}
}

func TestWriteAtomicRefusesReadOnly(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	for _, mode := range []os.FileMode{0o444, 0o400, 0o555} {
		p := newFile(t, dir, "f.rs", "old\n", mode)
		err := w.WriteAtomic(p, []byte("old\n"), []byte("new\n"))
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), p) {
			t.Errorf("mode %v: err = %v, want ErrReadOnly naming the file", mode, err)
		}
		checkFile(t, p, "old\n")
		checkNoTemps(t, w, dir)
		os.Remove(p)
	}
}

func TestWriteAtomicRelativePath(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	newFile(t, dir, "f.rs", "old", 0o644)
	t.Chdir(dir)
	if err := w.WriteAtomic("f.rs", []byte("old"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	checkFile(t, filepath.Join(dir, "f.rs"), "new")
	checkNoTemps(t, w, dir)
}

func TestWriteAtomicUnchangedDataTouchesNothing(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	p := newFile(t, dir, "f.rs", "same", 0o644)
	before, _ := os.Stat(p)
	createTemp = func(string, string) (tempFile, error) {
		t.Fatal("WriteAtomic created a temporary file for equal bytes")
		return nil, nil
	}
	if err := w.WriteAtomic(p, []byte("same"), []byte("same")); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(p)
	if !os.SameFile(before, after) {
		t.Error("the file was replaced")
	}
}

func TestWriteAtomicChangedOnDisk(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	p := newFile(t, dir, "f.rs", "edited by someone\n", 0o644)
	err := w.WriteAtomic(p, []byte("as read\n"), []byte("fixed\n"))
	if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), "changed on disk while sendfix ran") || !strings.Contains(err.Error(), p) {
		t.Fatalf("WriteAtomic = %v, want ErrChanged naming the file", err)
	}
	checkFile(t, p, "edited by someone\n")
	checkNoTemps(t, w, dir)
}

// TestWriteAtomicChangedWhileWriting saves the file from "an editor" while
// the temporary file is being written: the check before the rename must
// notice.
func TestWriteAtomicChangedWhileWriting(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	p := newFile(t, dir, "f.rs", "as read\n", 0o644)
	createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err := os.WriteFile(p, []byte("editor's save\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return f, err
	}
	if err := w.WriteAtomic(p, []byte("as read\n"), []byte("fixed\n")); !errors.Is(err, ErrChanged) {
		t.Fatalf("WriteAtomic = %v, want ErrChanged", err)
	}
	checkFile(t, p, "editor's save\n")
	checkNoTemps(t, w, dir)
}

// faultyFile is a temporary file that fails at one step, as a full disk or
// a failing device would.
type faultyFile struct {
	*os.File
	failAt string
}

var errNoSpace = syscall.ENOSPC

func (f *faultyFile) Write(p []byte) (int, error) {
	if f.failAt == "write" {
		// A full disk takes part of the data before failing.
		n, _ := f.File.Write(p[:len(p)/2])
		return n, errNoSpace
	}
	return f.File.Write(p)
}

func (f *faultyFile) Chmod(m os.FileMode) error {
	if f.failAt == "chmod" {
		return syscall.EPERM
	}
	return f.File.Chmod(m)
}

func (f *faultyFile) Sync() error {
	if f.failAt == "sync" {
		return syscall.EIO
	}
	return f.File.Sync()
}

func (f *faultyFile) Close() error {
	err := f.File.Close()
	if f.failAt == "close" {
		return errNoSpace // delayed allocation failing at close
	}
	return err
}

func TestWriteAtomicFailuresLeaveOriginal(t *testing.T) {
	for _, step := range []string{"create", "write", "chmod", "sync", "close"} {
		t.Run(step, func(t *testing.T) {
			w := isolateWrites(t)
			dir := t.TempDir()
			p := newFile(t, dir, "f.rs", "original\r\n", 0o640)
			created := ""
			createTemp = func(dir, pattern string) (tempFile, error) {
				if step == "create" {
					return nil, errNoSpace
				}
				f, err := os.CreateTemp(dir, pattern)
				if err != nil {
					return nil, err
				}
				created = f.Name()
				return &faultyFile{f, step}, nil
			}
			err := w.WriteAtomic(p, []byte("original\r\n"), []byte(strings.Repeat("new contents\r\n", 1000)))
			if err == nil {
				t.Fatal("WriteAtomic succeeded")
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the file", err)
			}
			checkFile(t, p, "original\r\n")
			if fi, _ := os.Stat(p); fi.Mode() != 0o640 {
				t.Errorf("mode became %v", fi.Mode())
			}
			if step != "create" && created == "" {
				t.Fatal("no temporary file was created")
			}
			checkNoTemps(t, w, dir)
		})
	}
}

func TestWriteAtomicNotAFile(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	if err := w.WriteAtomic(filepath.Join(dir, "missing.rs"), []byte("a"), []byte("b")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.rs")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("WriteAtomic created a missing file")
	}
	if err := os.Mkdir(filepath.Join(dir, "d.rs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteAtomic(filepath.Join(dir, "d.rs"), []byte("a"), []byte("b")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("folder: %v", err)
	}
	checkNoTemps(t, w, dir)
}

// TestWriteAtomicReadOnlyDir writes into a folder the process may not
// write to. The superuser ignores permission bits, so as root the test runs
// itself again as the unprivileged user nobody.
func TestWriteAtomicReadOnlyDir(t *testing.T) {
	if p := os.Getenv("SENDFIX_TEST_RO_FILE"); p != "" {
		// The child: only the write itself.
		err := new(Writer).WriteAtomic(p, []byte("original\n"), []byte("new\n"))
		if !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("WriteAtomic in a read-only folder = %v, want a permission error", err)
		}
		return
	}
	w := isolateWrites(t)
	// A root every user can enter, unlike t.TempDir's.
	root, err := os.MkdirTemp("", "sendfix-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Chmod(filepath.Join(root, "ro"), 0o755)
		os.RemoveAll(root)
	})
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "ro")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := newFile(t, dir, "f.rs", "original\n", 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}

	if os.Geteuid() != 0 {
		err := w.WriteAtomic(p, []byte("original\n"), []byte("new\n"))
		if !errors.Is(err, fs.ErrPermission) {
			t.Fatalf("WriteAtomic in a read-only folder = %v, want a permission error", err)
		}
	} else {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(root, "rewrite.test")
		if err := copyFile(exe, bin); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "-test.run=^TestWriteAtomicReadOnlyDir$", "-test.count=1", "-test.v")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "SENDFIX_TEST_RO_FILE="+p)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestWriteAtomicReadOnlyDir") {
			t.Fatalf("as user nobody: %v\n%s", err, out)
		}
	}
	checkFile(t, p, "original\n")
	checkNoTemps(t, w, dir)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// blockingFile is a temporary file whose Write waits for release, so that a
// test can act while a write is under way.
type blockingFile struct {
	*os.File
	started chan<- string
	release <-chan struct{}
}

func (f *blockingFile) Write(p []byte) (int, error) {
	f.started <- f.Name()
	<-f.release
	return f.File.Write(p)
}

// blockWrites makes every WriteAtomic stop in the middle of writing its
// temporary file until release is closed; started receives the file's name.
func blockWrites() (started <-chan string, release chan<- struct{}) {
	s := make(chan string, 1)
	r := make(chan struct{})
	createTemp = func(dir, pattern string) (tempFile, error) {
		f, err := os.CreateTemp(dir, pattern)
		if err != nil {
			return nil, err
		}
		return &blockingFile{f, s, r}, nil
	}
	return s, r
}

func TestInterrupted(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	a := newFile(t, dir, "a.rs", "a\n", 0o644)
	b := newFile(t, dir, "b.rs", "b\n", 0o644)
	started, release := blockWrites()

	errA := make(chan error, 1)
	go func() { errA <- w.WriteAtomic(a, []byte("a\n"), []byte("A\n")) }()
	<-started

	w.Interrupt()
	if err := w.WriteAtomic(b, []byte("b\n"), []byte("B\n")); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("write after Interrupted = %v, want ErrInterrupted", err)
	}
	checkFile(t, b, "b\n")

	waited := make(chan struct{})
	go func() { w.Wait(); close(waited) }()
	select {
	case <-waited:
		t.Fatal("Wait returned while a write was under way")
	case err := <-errA:
		t.Fatalf("the write under way returned before it could write: %v", err)
	default:
	}
	close(release)
	<-waited
	// The write under way went on to its end before Wait returned.
	checkFile(t, a, "A\n")
	if err := <-errA; err != nil {
		t.Fatal(err)
	}
	if got := w.CleanupTemps(); len(got) != 0 {
		t.Errorf("CleanupTemps removed %v after every write finished", got)
	}
	checkNoTemps(t, w, dir)
}

func TestCleanupTemps(t *testing.T) {
	w := isolateWrites(t)
	dir := t.TempDir()
	a := newFile(t, dir, "a.rs", "a\n", 0o644)
	started, release := blockWrites()
	errA := make(chan error, 1)
	go func() { errA <- w.WriteAtomic(a, []byte("a\n"), []byte("A\n")) }()
	tmp := <-started

	w.Interrupt()
	removed := w.CleanupTemps()
	if len(removed) != 1 || removed[0] != tmp {
		t.Fatalf("CleanupTemps = %v, want [%s]", removed, tmp)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("temporary file still there: %v", err)
	}
	// The write under way can no longer install its file.
	close(release)
	if err := <-errA; err == nil {
		t.Fatal("the write whose temporary file was removed succeeded")
	}
	checkFile(t, a, "a\n")
	checkNoTemps(t, w, dir)
}
