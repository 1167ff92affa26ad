package cli

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// listed runs sendfix -l and returns the files it lists (every file of
// these trees holds FIXME, so listed means walked).
func listed(t *testing.T, dir string, args ...string) []string {
	t.Helper()
	r := run(t, dir, append([]string{"-l", "-q"}, args...)...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
	}
	return lines(r.stdout)
}

func TestWalkHonoursGitignore(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		".git/HEAD":            "ref: refs/heads/main\n",
		".git/info/exclude":    "# comment\nby_info.rs\n",
		".git/x.rs":            "FIXME",
		".gitignore":           "ignored.rs\ngen/\n*.tmp.rs\n!keep.tmp.rs\n\n",
		"main.rs":              "FIXME",
		"ignored.rs":           "FIXME",
		"by_info.rs":           "FIXME",
		"a.tmp.rs":             "FIXME",
		"keep.tmp.rs":          "FIXME",
		"notes.txt":            "FIXME",
		"gen/g.rs":             "FIXME",
		"target/debug/t.rs":    "FIXME",
		"sub/.gitignore":       "local.rs\n/anchored.rs\n",
		"sub/local.rs":         "FIXME",
		"sub/anchored.rs":      "FIXME",
		"sub/s.rs":             "FIXME",
		"sub/deep/local.rs":    "FIXME",
		"sub/deep/anchored.rs": "FIXME",
		"other/local.rs":       "FIXME",
		"other/target/t.rs":    "FIXME",
		"other/ignored.rs":     "FIXME",
	})
	want := []string{"keep.tmp.rs", "main.rs", "other/local.rs", "sub/deep/anchored.rs", "sub/s.rs"}
	if got := listed(t, dir); !slices.Equal(got, want) {
		t.Errorf("walk of .:\n got %v\nwant %v", got, want)
	}
	// Walking below the top still honours the .gitignore files above.
	if got := listed(t, dir, "sub", "other"); !slices.Equal(got, []string{"other/local.rs", "sub/deep/anchored.rs", "sub/s.rs"}) {
		t.Errorf("walk of sub other: %v", got)
	}
	if got := listed(t, filepath.Join(dir, "sub"), "."); !slices.Equal(got, []string{"deep/anchored.rs", "s.rs"}) {
		t.Errorf("walk of . from sub: %v", got)
	}
	// --no-ignore walks everything but .git/ and target/.
	want = []string{"a.tmp.rs", "by_info.rs", "gen/g.rs", "ignored.rs", "keep.tmp.rs", "main.rs", "other/ignored.rs", "other/local.rs",
		"sub/anchored.rs", "sub/deep/anchored.rs", "sub/deep/local.rs", "sub/local.rs", "sub/s.rs"}
	if got := listed(t, dir, "--no-ignore"); !slices.Equal(got, want) {
		t.Errorf("--no-ignore:\n got %v\nwant %v", got, want)
	}
	// Named paths are processed even if ignored, whatever their name.
	if got := listed(t, dir, "ignored.rs", "gen", "target/debug/t.rs", "notes.txt"); !slices.Equal(got, []string{"gen/g.rs", "ignored.rs", "notes.txt", "target/debug/t.rs"}) {
		t.Errorf("named ignored paths: %v", got)
	}
}

func TestGitignoreOutsideARepository(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{".gitignore": "skip.rs\n", "skip.rs": "FIXME", "a.rs": "FIXME"})
	if got := listed(t, dir); !slices.Equal(got, []string{"a.rs"}) {
		t.Errorf("got %v", got)
	}
}

func TestExclude(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"src/a.rs": "FIXME", "src/a_test.rs": "FIXME", "src/gen/g.rs": "FIXME",
		"vendor/v.rs": "FIXME", "src/vendor.rs": "FIXME", "b.rs": "FIXME",
	})
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--exclude", "vendor"}, []string{"b.rs", "src/a.rs", "src/a_test.rs", "src/gen/g.rs", "src/vendor.rs"}},
		{[]string{"--exclude", "*_test.rs", "--exclude", "gen"}, []string{"b.rs", "src/a.rs", "src/vendor.rs", "vendor/v.rs"}},
		{[]string{"--exclude", "src/*.rs"}, []string{"b.rs", "src/gen/g.rs", "vendor/v.rs"}},
		// Relative to the PATH given: under "src", "gen/*" is src/gen's files.
		{[]string{"--exclude", "gen/*", "src"}, []string{"src/a.rs", "src/a_test.rs", "src/vendor.rs"}},
		// A file named on the command line is always processed.
		{[]string{"--exclude", "*.rs", "b.rs"}, []string{"b.rs"}},
	} {
		if got := listed(t, dir, tc.args...); !slices.Equal(got, tc.want) {
			t.Errorf("%v:\n got %v\nwant %v", tc.args, got, tc.want)
		}
	}
}

func TestFilesReachedTwiceRunOnce(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"sub/a.rs": "FIXME\n", "b.rs": "FIXME\n"})
	if err := os.Symlink("sub/a.rs", filepath.Join(dir, "link.rs")); err != nil {
		t.Fatal(err)
	}
	rec := &fakeRecord{}
	r := runIn(t, context.Background(), dir, rec, "", "-w", ".", "sub", "sub/a.rs", "./sub/../sub/a.rs", filepath.Join(dir, "sub"), "link.rs", "b.rs")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if n := rec.count(rec.ran, "sub/a.rs"); n != 1 || rec.count(rec.ran, "link.rs") != 0 || rec.count(rec.ran, "b.rs") != 1 {
		t.Errorf("runs: %v", rec.ran)
	}
	if !strings.Contains(r.stderr, "2 files scanned, 2 files changed") {
		t.Errorf("summary: %q", r.stderr)
	}
	if st, err := os.Lstat(filepath.Join(dir, "link.rs")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.rs is no longer a symlink")
	}
}

func TestSymlinkLoopsEnd(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a/x.rs": "FIXME\n"})
	for _, l := range [][2]string{{"..", "a/up"}, {".", "a/self"}, {"b", "a/c"}, {"c", "a/b"}, {"loop2.rs", "a/loop1.rs"}, {"loop1.rs", "a/loop2.rs"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, dir, "-l")
	// The looping file links cannot be read: an error each, and the walk ends.
	if r.code != 2 || r.stdout != "a/x.rs\n" {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
	for _, name := range []string{"a/loop1.rs", "a/loop2.rs"} {
		if !strings.Contains(r.stderr, "sendfix: "+name+": ") {
			t.Errorf("no error for %s: %q", name, r.stderr)
		}
	}
}

func TestSymlinksOutOfTheTree(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	tree(t, base, map[string]string{
		"outside/x.rs":     "FIXME\n",
		"outside/dir/y.rs": "FIXME\n",
		"root/real/z.rs":   "FIXME\n",
		"root/ign/w.rs":    "FIXME\n",
		"root/.gitignore":  "ign/\n",
	})
	for _, l := range [][2]string{
		{"../outside/x.rs", "root/out.rs"}, // a file outside: read, never written
		{"../outside/dir", "root/outdir"},  // a directory outside: not followed
		{"real", "root/inlink"},            // a directory inside: walked as itself only
		{"ign/w.rs", "root/in.rs"},         // a file inside (ignored there): written through
	} {
		if err := os.Symlink(l[0], filepath.Join(base, l[1])); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, root, "-l")
	if r.code != 0 || r.stdout != "in.rs\nout.rs\nreal/z.rs\n" {
		t.Errorf("-l: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A symlinked directory given as PATH is walked.
	r = run(t, root, "-l", "inlink")
	if r.code != 0 || r.stdout != "inlink/z.rs\n" {
		t.Errorf("-l inlink: exit %d, stdout %q", r.code, r.stdout)
	}
	r = run(t, root, "-w")
	if r.code != 2 || !strings.Contains(r.stderr, "sendfix: out.rs: symlink target outside the given paths; not written\n") {
		t.Errorf("-w: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(base, "outside/x.rs")); got != "FIXME\n" {
		t.Errorf("wrote outside the tree: %q", got)
	}
	if got := readFile(t, filepath.Join(root, "ign/w.rs")); got != "FIXED\n" {
		t.Errorf("in.rs not written through: %q", got)
	}
	if got := readFile(t, filepath.Join(root, "real/z.rs")); got != "FIXED\n" {
		t.Errorf("real/z.rs: %q", got)
	}
	for _, l := range []string{"out.rs", "in.rs"} {
		if st, err := os.Lstat(filepath.Join(root, l)); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink", l)
		}
	}
	// Given both, the outside file is inside the paths given.
	r = run(t, root, "-w", ".", "../outside")
	if r.code != 0 || readFile(t, filepath.Join(base, "outside/x.rs")) != "FIXED\n" {
		t.Errorf("-w . ../outside: exit %d, stderr %q", r.code, r.stderr)
	}
	// A symlink named as a file does not make its target writable.
	tree(t, base, map[string]string{"outside/x.rs": "FIXME\n"})
	r = run(t, root, "-w", "out.rs")
	if r.code != 2 || readFile(t, filepath.Join(base, "outside/x.rs")) != "FIXME\n" {
		t.Errorf("-w out.rs: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestUnreadableAndBinaryFiles(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"good.rs":   "FIXME\n",
		"latin1.rs": "// caf\xe9 FIXME\n",
		"nul.rs":    "FIXME\x00\n",
		"zz.rs":     "FIXME\n",
	})
	if err := os.Symlink("missing.rs", filepath.Join(dir, "broken.rs")); err != nil {
		t.Fatal(err)
	}
	// A FIFO fails even for root, and must not block the run.
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.rs"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"broken.rs": "broken symbolic link",
		"fifo.rs":   "not a regular file",
		"latin1.rs": "not UTF-8 text (invalid byte at offset 6)",
		"nul.rs":    "binary file (NUL byte at offset 5)",
	}
	if os.Geteuid() != 0 {
		tree(t, dir, map[string]string{"noperm.rs": "FIXME\n", "noperm/x.rs": "FIXME\n"})
		os.Chmod(filepath.Join(dir, "noperm.rs"), 0)
		os.Chmod(filepath.Join(dir, "noperm"), 0)
		t.Cleanup(func() { os.Chmod(filepath.Join(dir, "noperm"), 0o755) })
		want["noperm.rs"] = "permission denied"
		want["noperm"] = "permission denied"
	} else {
		t.Log("running as root: permission bits cannot make a file unreadable; the broken link and the FIFO stand for it")
	}
	for _, mode := range []string{"", "-w"} {
		args := []string{mode}
		if mode == "" {
			args = nil
		}
		r := run(t, dir, args...)
		if r.code != 2 {
			t.Errorf("%q: exit %d, want 2", mode, r.code)
		}
		errLines := 0
		for _, l := range lines(r.stderr) {
			if strings.HasPrefix(l, "sendfix: ") && !strings.HasPrefix(l, "sendfix: 2 files") {
				errLines++
			}
		}
		if errLines != len(want) {
			t.Errorf("%q: %d error lines, want %d:\n%s", mode, errLines, len(want), r.stderr)
		}
		for name, reason := range want {
			if !strings.Contains(r.stderr, "sendfix: "+name+": "+reason+"\n") {
				t.Errorf("%q: no one-line error %q for %s:\n%s", mode, reason, name, r.stderr)
			}
		}
		if !strings.Contains(r.stderr, "2 files scanned") {
			t.Errorf("%q: the readable files were not all processed:\n%s", mode, r.stderr)
		}
		if mode == "" && (!strings.Contains(r.stdout, "+++ b/good.rs") || !strings.Contains(r.stdout, "+++ b/zz.rs")) {
			t.Errorf("dry run lacks the good files' diffs:\n%s", r.stdout)
		}
	}
	if readFile(t, filepath.Join(dir, "good.rs")) != "FIXED\n" || readFile(t, filepath.Join(dir, "zz.rs")) != "FIXED\n" {
		t.Errorf("the good files were not written")
	}
	if readFile(t, filepath.Join(dir, "latin1.rs")) != "// caf\xe9 FIXME\n" || readFile(t, filepath.Join(dir, "nul.rs")) != "FIXME\x00\n" {
		t.Errorf("a binary file was written")
	}
	// A missing PATH is an error too, and the others still run.
	r := run(t, dir, "-l", "nope.rs", "good.rs")
	if r.code != 2 || !strings.Contains(r.stderr, "sendfix: nope.rs: no such file or directory\n") {
		t.Errorf("missing PATH: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestStdinFilterMode(t *testing.T) {
	dir := t.TempDir()
	rec := &fakeRecord{}
	r := runIn(t, context.Background(), dir, rec, "a\nFIXME\nUNFIXABLE\n", "--stdin-filename", "src/lib.rs", "-")
	if r.code != 0 || r.stdout != "a\nFIXED\nUNFIXABLE\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"warning[mutex-scope]: std MutexGuard held across an .await\n --> src/lib.rs:2:1\n",
		"= fix: scoped the guard (applied)\n",
		" --> src/lib.rs:3:1\n",
		"= note: not fixed: guard is used after the await on line 4\n",
		"sendfix: 1 file scanned, 1 file would change, 1 fix (mutex-scope: 1)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !slices.Equal(rec.ran, []string{"src/lib.rs"}) {
		t.Errorf("engine ran on %v", rec.ran)
	}
	// Unchanged input comes out unchanged; empty input too.
	for _, in := range []string{"fn main() {}\n", ""} {
		r = runIn(t, context.Background(), dir, &fakeRecord{}, in, "-q", "-")
		if r.code != 0 || r.stdout != in || r.stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", in, r.code, r.stdout, r.stderr)
		}
	}
	r = runIn(t, context.Background(), dir, &fakeRecord{}, "FIXME\n", "--check", "-")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "--- a/<stdin>\n+++ b/<stdin>\n") {
		t.Errorf("--check -: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runIn(t, context.Background(), dir, &fakeRecord{}, "FIXME\n", "-l", "--stdin-filename=x.rs", "-")
	if r.code != 0 || r.stdout != "x.rs\n" {
		t.Errorf("-l -: exit %d, stdout %q", r.code, r.stdout)
	}
	r = runIn(t, context.Background(), dir, &fakeRecord{}, "FIXME\n", "--json", "-")
	if d := decodeJSON(t, r.stdout); r.code != 0 || d.Mode != "stdin" || len(d.Files) != 1 || d.Files[0].Path != "<stdin>" || !d.Files[0].Changed {
		t.Errorf("--json -: exit %d, %s", r.code, r.stdout)
	}
	r = runIn(t, context.Background(), dir, &fakeRecord{}, "FIXME \xff\n", "-")
	if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "sendfix: <stdin>: not UTF-8 text") {
		t.Errorf("bad stdin: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r = runIn(t, context.Background(), dir, &fakeRecord{}, "FIXME INTERNAL\n", "-")
	if r.code != 2 || r.stdout != "" {
		t.Errorf("internal error on stdin: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestOutputIsSortedWhateverTheCompletionOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	var want []string
	for _, name := range []string{"a", "b", "c/d", "c/e", "f", "g", "h", "i/j/k", "l", "m", "n", "o", "p", "q"} {
		files[name+".rs"] = "FIXME\n"
		want = append(want, "--- a/"+name+".rs")
	}
	tree(t, dir, files)
	// a.rs, the first file, finishes only after the last one has run, so
	// every other outcome is ready before the first can be printed.
	last := make(chan struct{})
	var once sync.Once
	rec := &fakeRecord{onRun: func(path string) {
		switch path {
		case "a.rs":
			<-last
		case "q.rs":
			once.Do(func() { close(last) })
		}
	}}
	r := runIn(t, context.Background(), dir, rec, "", "-j", "4")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got []string
	for _, l := range lines(r.stdout) {
		if strings.HasPrefix(l, "--- ") {
			got = append(got, l)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff order:\n got %v\nwant %v", got, want)
	}
	// The summary phase met no file containing "async", so made no engine.
	if rec.engines < 2 || rec.engines > 4 {
		t.Errorf("%d engines for -j 4, want one per run worker that got a file", rec.engines)
	}
}

// signalWriter collects output and closes seen once it holds want.
type signalWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	want string
	seen chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.seen != nil && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
		w.seen = nil
	}
	return len(p), nil
}

func TestOutputStreams(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n", "b.rs": "FIXME\n", "c.rs": "FIXME\n"})
	seen := make(chan struct{})
	out := &signalWriter{want: "+++ b/a.rs", seen: seen}
	var errb strings.Builder
	// c.rs is fixed only once a.rs's diff is out: a run that held the
	// output until every file was done would never get there.
	rec := &fakeRecord{onRun: func(path string) {
		if path == "c.rs" {
			select {
			case <-seen:
			case <-time.After(30 * time.Second):
				t.Error("a.rs's diff was not printed before the last file was fixed")
			}
		}
	}}
	a := &App{Stdin: strings.NewReader(""), Stdout: out, Stderr: &errb,
		Getwd: func() (string, error) { return dir, nil }, newEngine: rec.factory}
	if code := a.Run([]string{"-j", "1", "--color=never"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.buf.String(), "+++ b/c.rs") {
		t.Errorf("output %q", out.buf.String())
	}
}

func TestSummariesOnlyForAsyncFilesAndIndexReachesRun(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"spawner.rs": "async fn main() { spawn worker }\n",
		"worker.rs":  "SENDREQ worker\nSENDREQ other\n",
		"plain.rs":   "fn main() {}\n",
	})
	rec := &fakeRecord{}
	r := runIn(t, context.Background(), dir, rec, "", "-w", "-j", "2")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !slices.Equal(rec.summarized, []string{"spawner.rs"}) {
		t.Errorf("summarized %v, want only spawner.rs (the only file containing \"async\")", rec.summarized)
	}
	if got := readFile(t, filepath.Join(dir, "worker.rs")); got != "SENT worker\nSENDREQ other\n" {
		t.Errorf("worker.rs: %q (the index from spawner.rs did not reach Run)", got)
	}
	if n := len(rec.ran); n != 3 {
		t.Errorf("ran %v, want all 3 files", rec.ran)
	}
}

func TestInterruptStopsNewWrites(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n", "b.rs": "FIXME\n", "c.rs": "FIXME\n"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The interrupt arrives while b.rs is being fixed: a.rs is written,
	// b.rs's write does not start, c.rs is not even started.
	rec := &fakeRecord{onRun: func(path string) {
		if path == "b.rs" {
			cancel()
		}
	}}
	r := runIn(t, ctx, dir, rec, "", "-w", "-j", "1")
	if r.code != 130 {
		t.Errorf("exit %d, want 130", r.code)
	}
	if !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("stderr %q", r.stderr)
	}
	got := []string{readFile(t, filepath.Join(dir, "a.rs")), readFile(t, filepath.Join(dir, "b.rs")), readFile(t, filepath.Join(dir, "c.rs"))}
	if !slices.Equal(got, []string{"FIXED\n", "FIXME\n", "FIXME\n"}) {
		t.Errorf("files after the interrupt: %q", got)
	}
	if rec.count(rec.ran, "c.rs") != 0 {
		t.Errorf("c.rs was started after the interrupt")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("files left behind: %v", ents)
	}
}
