package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sendfix/patterns"
)

// Reliability of the command with the real engine: odd file names, files
// that vanish or are read-only, paths that lead out of the tree, and
// termination during --write.

// heldFn is an async fn holding a std guard across an await; sendfix
// --all-async scopes the guard.
const heldFn = "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\n    let g = m.lock().unwrap();\n    g.len();\n    tick().await;\n}\n"

// heldFixed is heldFn as sendfix --all-async writes it.
const heldFixed = "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\n    {\n        let g = m.lock().unwrap();\n        g.len();\n    }\n    tick().await;\n}\n"

// realRun runs the command in-process in dir with the real engine.
func realRun(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, context.Background(), dir, nil, "", args...)
}

func TestOddFileNamesDiffAndWrite(t *testing.T) {
	names := []string{"with space.rs", "new\nline.rs", "tab\tname.rs", "caf\xe9.rs", "quo\"te.rs", "back\\slash.rs", "ünï.rs", "-dash.rs"}
	files := map[string]string{}
	for _, n := range names {
		files["src/"+n] = heldFn
	}
	wdir := t.TempDir()
	tree(t, wdir, files)
	if r := realRun(t, wdir, "--write", "--all-async", "-q"); r.code != 0 {
		t.Fatalf("--write exited %d: %s", r.code, r.stderr)
	}
	for _, n := range names {
		if got := readFile(t, filepath.Join(wdir, "src", n)); got != heldFixed {
			t.Errorf("%q: --write gave %q", n, got)
		}
	}
	ddir := t.TempDir()
	tree(t, ddir, files)
	r := realRun(t, ddir, "--all-async", "-q", "--color=never")
	if r.code != 0 || r.stdout == "" {
		t.Fatalf("dry run exited %d, printed %d bytes: %s", r.code, len(r.stdout), r.stderr)
	}
	// The diff names every file so that git applies it to the same bytes.
	cmd := exec.Command("git", "apply", "-")
	cmd.Dir = ddir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	cmd.Stdin = strings.NewReader(r.stdout)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s\ndiff:\n%s", err, out, r.stdout)
	}
	for _, n := range names {
		if got := readFile(t, filepath.Join(ddir, "src", n)); got != heldFixed {
			t.Errorf("%q: git apply gave %q", n, got)
		}
	}
}

func TestReadOnlyFileIsNotWritten(t *testing.T) {
	// A read-only file is refused, as rustfmt and cargo fix refuse it, even
	// as root: exit 2, a one-line error naming it, the bytes and mode kept,
	// and the other files still written.
	dir := t.TempDir()
	tree(t, dir, map[string]string{"ro.rs": heldFn, "rw.rs": heldFn})
	p := filepath.Join(dir, "ro.rs")
	if err := os.Chmod(p, 0o444); err != nil {
		t.Fatal(err)
	}
	r := realRun(t, dir, "--write", "--all-async")
	if r.code != 2 || !strings.Contains(r.stderr, "ro.rs") || !strings.Contains(r.stderr, "read-only file") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	// The summary counts only the fix that was written.
	if !strings.Contains(r.stderr, "1 file changed, 1 fix (mutex-scope: 1)") || !strings.Contains(r.stderr, "fix not written") {
		t.Errorf("summary claims unwritten fixes: %s", r.stderr)
	}
	st, err := os.Stat(p)
	if err != nil || st.Mode().Perm() != 0o444 || readFile(t, p) != heldFn {
		t.Errorf("read-only file changed: mode %v, contents %q", st.Mode(), readFile(t, p))
	}
	if readFile(t, filepath.Join(dir, "rw.rs")) != heldFixed {
		t.Errorf("the writable file was not fixed")
	}
}

func TestFileDeletedOrReplacedBeforeWrite(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"gone.rs": "FIXME\n", "swapped.rs": "FIXME\n", "ok.rs": "FIXME\n"})
	rec := &fakeRecord{onRun: func(path string) {
		switch path {
		case "gone.rs":
			os.Remove(filepath.Join(dir, "gone.rs"))
		case "swapped.rs":
			// An editor's save: a new file renamed over the old one.
			tmp := filepath.Join(dir, "swapped.tmp")
			os.WriteFile(tmp, []byte("edited\n"), 0o644)
			os.Rename(tmp, filepath.Join(dir, "swapped.rs"))
		}
	}}
	r := runIn(t, context.Background(), dir, rec, "", "--write")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.rs")); !os.IsNotExist(err) {
		t.Errorf("a deleted file came back: %v", err)
	}
	if got := readFile(t, filepath.Join(dir, "swapped.rs")); got != "edited\n" {
		t.Errorf("the editor's save was overwritten: %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "ok.rs")); got != "FIXED\n" {
		t.Errorf("ok.rs: %q", got)
	}
	for _, want := range []string{"sendfix: gone.rs: not written: no such file or directory\n", "sendfix: swapped.rs: not written: changed on disk while sendfix ran\n"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	assertNoTemps(t, dir)
}

// assertNoTemps fails when a .sendfix-* temporary file is left under dir.
func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".sendfix-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// snapshot returns the bytes of every regular file under dir by path,
// without following symlinks.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out[p] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNeverWritesOutsideTheGivenPaths(t *testing.T) {
	// Links inside root lead up and out of it by every route; the files
	// outside hold fixable code. Only root's own files may change.
	base := t.TempDir()
	root := filepath.Join(base, "root")
	tree(t, base, map[string]string{
		"outside.rs":         heldFn,
		"sibling/victim.rs":  heldFn,
		"root/own.rs":        heldFn,
		"root/deep/inner.rs": heldFn,
	})
	for link, target := range map[string]string{
		"root/up":             "..",
		"root/deep/upup":      "../..",
		"root/sib":            "../sibling",
		"root/out.rs":         "../outside.rs",
		"root/deep/abs.rs":    filepath.Join(base, "sibling", "victim.rs"),
		"root/deep/absdir":    filepath.Join(base, "sibling"),
		"root/deep/dangling":  "../../nowhere",
		"root/deep/selfloop":  ".",
		"root/deep/loop.rs":   "loop.rs",
		"root/deep/relative":  "../../root/../sibling",
		"root/deep/inner2.rs": "inner.rs", // inside: written through
	} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, base)
	for _, args := range [][]string{
		{"--write", "--all-async", "-q", "root"},
		{"--write", "--all-async", "-q", "root/deep/../"},
		{"--write", "--all-async", "-q", "root/./deep/.."},
	} {
		realRun(t, base, args...)
	}
	after := snapshot(t, base)
	for p, b := range before {
		inside := strings.HasPrefix(p, root+string(filepath.Separator))
		switch {
		case !inside && after[p] != b:
			t.Errorf("%s outside the given path was changed", p)
		case inside && after[p] != heldFixed:
			t.Errorf("%s inside the given path was not fixed: %q", p, after[p])
		}
	}
	if len(after) != len(before) {
		t.Errorf("files appeared or vanished: %d before, %d after", len(before), len(after))
	}
	if st, err := os.Lstat(filepath.Join(root, "deep", "inner2.rs")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Error("a symlink inside the tree was replaced by a file")
	}
	assertNoTemps(t, base)
}

// TestSignalDuringWriteHelper is the sendfix process of
// TestSIGTERMDuringWriteManyFiles: it runs Main with the real engine when
// SENDFIX_RELIABILITY_HELPER names a directory, and does nothing otherwise.
func TestSignalDuringWriteHelper(t *testing.T) {
	dir := os.Getenv("SENDFIX_RELIABILITY_HELPER")
	if dir == "" {
		return
	}
	if err := os.Chdir(dir); err != nil {
		os.Exit(99)
	}
	os.Exit(Main([]string{"--write", "--all-async", "-j", "2", "-q", "."}, strings.NewReader(""), os.Stdout, os.Stderr))
}

func TestSIGTERMDuringWriteManyFiles(t *testing.T) {
	// Many files, each fixed by the real engine and written with an
	// fsync; a signal lands while writes are under way. Every file must
	// then be wholly old or wholly new, with no temporary file left.
	fixedOf := func(src string) string {
		e := patterns.NewEngine(func() patterns.Config { c := patterns.DefaultConfig(); c.AllAsync = true; return c }(), nil)
		defer e.Close()
		return string(e.Run("x.rs", []byte(src)).Out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			const n = 600
			files := map[string]string{}
			want := map[string]string{}
			for i := 0; i < n; i++ {
				src := fmt.Sprintf("// file %d\n%s%s", i, strings.Repeat("fn pad() {}\n", i%50), heldFn)
				name := fmt.Sprintf("d%02d/f%03d.rs", i%10, i)
				files[name] = src
				want[name] = fixedOf(src)
			}
			tree(t, dir, files)
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalDuringWriteHelper$")
			cmd.Env = append(os.Environ(), "SENDFIX_RELIABILITY_HELPER="+dir)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once the first file has been written.
			deadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(deadline) {
				if readFile(t, filepath.Join(dir, "d00/f000.rs")) != files["d00/f000.rs"] {
					break
				}
				time.Sleep(time.Millisecond)
			}
			cmd.Process.Signal(sig)
			err := cmd.Wait()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			old, fixed := 0, 0
			for name, src := range files {
				switch got := readFile(t, filepath.Join(dir, name)); got {
				case src:
					old++
				case want[name]:
					fixed++
				default:
					t.Errorf("%s is neither old nor new:\n%s", name, got)
				}
			}
			assertNoTemps(t, dir)
			t.Logf("exit %d: %d files new, %d old", code, fixed, old)
			if code != 130 && !(code == 0 && old == 0) {
				t.Errorf("exit %d after %s with %d files unwritten; output:\n%s", code, sig, old, out.String())
			}
			if code == 130 && old == 0 {
				t.Logf("every file was written before the signal took effect")
			}
		})
	}
}

func TestPermissionDenied(t *testing.T) {
	// A directory that cannot be listed, a file that cannot be read and a
	// folder that cannot be written to, next to a file that can be fixed:
	// one error line for each, the fix written, exit status 2. The
	// superuser ignores permission bits, so the command runs as nobody.
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the command as user nobody (as another user, TestUnreadableAndBinaryFiles covers reading)")
	}
	root, err := os.MkdirTemp("", "sendfix-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			os.Chmod(p, 0o755)
			return nil
		})
		os.RemoveAll(root)
	})
	tree(t, root, map[string]string{"ok.rs": heldFn, "locked.rs": heldFn, "noread/a.rs": heldFn, "rodir/b.rs": heldFn})
	for p, mode := range map[string]os.FileMode{"": 0o777, "locked.rs": 0o000, "noread": 0o311, "rodir": 0o555} {
		if err := os.Chmod(filepath.Join(root, p), mode); err != nil {
			t.Fatal(err)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "cli.test")
	data, err := os.ReadFile(exe)
	if err == nil {
		err = os.WriteFile(bin, data, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestSignalDuringWriteHelper$")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "SENDFIX_RELIABILITY_HELPER="+root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err == nil {
		code = 0
	}
	if code != 2 {
		t.Errorf("exit %d, want 2; output:\n%s", code, out)
	}
	for _, want := range []string{"sendfix: locked.rs: permission denied", "sendfix: noread: permission denied", "sendfix: rodir/b.rs: not written: permission denied"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := readFile(t, filepath.Join(root, "ok.rs")); got != heldFixed {
		t.Errorf("ok.rs not fixed: %q", got)
	}
	os.Chmod(filepath.Join(root, "rodir"), 0o755)
	if got := readFile(t, filepath.Join(root, "rodir", "b.rs")); got != heldFn {
		t.Errorf("rodir/b.rs changed: %q", got)
	}
	assertNoTemps(t, root)
}

func TestHostileFilesCLI(t *testing.T) {
	// Files of every awkward shape in one run: each gets a correct result
	// or one error line naming it, and the others are still fixed.
	dir := t.TempDir()
	var big strings.Builder
	for i := 0; big.Len() < 50<<20; i++ {
		fmt.Fprintf(&big, "pub fn f%d(x: u32) -> u32 {\n    x.wrapping_add(%d)\n}\n", i, i)
	}
	tree(t, dir, map[string]string{
		"big.rs":       big.String(),
		"empty.rs":     "",
		"oneline.rs":   strings.TrimSuffix(heldFn, "\n"),
		"nul.rs":       heldFn + "\x00",
		"latin1.rs":    "// caf\xe9\n" + heldFn,
		"bom-crlf.rs":  "\xef\xbb\xbf" + strings.ReplaceAll(heldFn, "\n", "\r\n"),
		"unknown.rs":   "async fn c() { let f = async || 1; f().await; }\n" + heldFn,
		"fixable.rs":   heldFn,
		"dir.rs/x.txt": "not rust",
	})
	r := realRun(t, dir, "--write", "--all-async")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for name, want := range map[string]string{
		"big.rs":      big.String(),
		"empty.rs":    "",
		"oneline.rs":  strings.TrimSuffix(heldFixed, "\n"),
		"nul.rs":      heldFn + "\x00",
		"latin1.rs":   "// caf\xe9\n" + heldFn,
		"bom-crlf.rs": "\xef\xbb\xbf" + strings.ReplaceAll(heldFixed, "\n", "\r\n"),
		"unknown.rs":  "async fn c() { let f = async || 1; f().await; }\n" + heldFixed,
		"fixable.rs":  heldFixed,
	} {
		if got := readFile(t, filepath.Join(dir, name)); got != want {
			t.Errorf("%s: got %.200q", name, got)
		}
	}
	for _, want := range []string{
		"sendfix: nul.rs: binary file (NUL byte at offset 111)\n",
		"sendfix: latin1.rs: not UTF-8 text (invalid byte at offset 6)\n",
		"unknown.rs",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if !strings.Contains(r.stderr, "cannot parse line 1") {
		t.Errorf("no warning for the syntax the grammar does not know:\n%s", r.stderr)
	}
	assertNoTemps(t, dir)
}

func TestDiskFull(t *testing.T) {
	// A real full file system: a small tmpfs, filled up. The fix cannot
	// be written; the original stays whole and no temporary file is left.
	// (rewrite's tests cover a failing writer at every step in-process.)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	src := strings.Repeat("// padding line to make the file larger than one page\n", 200) + heldFn
	tree(t, dir, map[string]string{"a.rs": src})
	// Fill the rest of the file system.
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	r := realRun(t, dir, "--write", "--all-async", "a.rs")
	if r.code != 2 || !strings.Contains(r.stderr, "sendfix: a.rs: not written: no space left on device\n") {
		t.Errorf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "a.rs")); got != src {
		t.Errorf("a.rs changed (%d bytes, want %d)", len(got), len(src))
	}
	assertNoTemps(t, dir)
}

func TestMaxFileSize(t *testing.T) {
	// A file over --max-file-size is left as it is with a warning naming
	// it; the run succeeds and the other files are fixed.
	dir := t.TempDir()
	big := heldFn + "// " + strings.Repeat("x", 1<<20) + "\n"
	tree(t, dir, map[string]string{"big.rs": big, "small.rs": heldFn})
	r := realRun(t, dir, "--write", "--all-async", "--max-file-size", "1")
	if r.code != 0 || !strings.Contains(r.stderr, "big.rs: not analysed") || !strings.Contains(r.stderr, "--max-file-size") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if readFile(t, filepath.Join(dir, "big.rs")) != big || readFile(t, filepath.Join(dir, "small.rs")) != heldFixed {
		t.Errorf("big file changed or small file not fixed")
	}
	if r := realRun(t, dir, "--max-file-size", "-1"); r.code != 2 || !strings.Contains(r.stderr, "--max-file-size") {
		t.Errorf("negative limit: exit %d: %s", r.code, r.stderr)
	}
}
