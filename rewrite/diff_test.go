package rewrite

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// numbered returns lines "1\n" .. "n\n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

// replaceLine returns s with its line number k (1-based) replaced by repl
// (which carries its own newline, or none).
func replaceLine(s string, k int, repl string) string {
	lines := splitLines(s)
	lines[k-1] = repl
	return strings.Join(lines, "")
}

const nonl = "\\ No newline at end of file\n"

var unifiedCases = []struct {
	name     string
	old, new string
	want     string // without the two header lines
}{
	{"one change", numbered(10), replaceLine(numbered(10), 5, "five\n"),
		"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
	{"first line", numbered(10), replaceLine(numbered(10), 1, "one\n"),
		"@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n"},
	{"last line", numbered(10), replaceLine(numbered(10), 10, "ten\n"),
		"@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+ten\n"},
	{"gap of six merges", numbered(20), replaceLine(replaceLine(numbered(20), 5, "x\n"), 12, "y\n"),
		"@@ -2,14 +2,14 @@\n 2\n 3\n 4\n-5\n+x\n 6\n 7\n 8\n 9\n 10\n 11\n-12\n+y\n 13\n 14\n 15\n"},
	{"gap of seven splits", numbered(20), replaceLine(replaceLine(numbered(20), 5, "x\n"), 13, "y\n"),
		"@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+x\n 6\n 7\n 8\n@@ -10,7 +10,7 @@\n 10\n 11\n 12\n-13\n+y\n 14\n 15\n 16\n"},
	{"insertion", numbered(10), strings.Replace(numbered(10), "5\n", "5\nnew\n", 1),
		"@@ -3,6 +3,7 @@\n 3\n 4\n 5\n+new\n 6\n 7\n 8\n"},
	{"deletion", numbered(10), strings.Replace(numbered(10), "5\n", "", 1),
		"@@ -2,7 +2,6 @@\n 2\n 3\n 4\n-5\n 6\n 7\n 8\n"},
	{"insert at top", "a\nb\n", "new\na\nb\n",
		"@@ -1,2 +1,3 @@\n+new\n a\n b\n"},
	{"single line context", "a\n", "a\nb\n",
		"@@ -1 +1,2 @@\n a\n+b\n"},
	{"empty old", "", "a\nb\nc\n",
		"@@ -0,0 +1,3 @@\n+a\n+b\n+c\n"},
	{"empty new", "a\nb\nc\n", "",
		"@@ -1,3 +0,0 @@\n-a\n-b\n-c\n"},
	{"empty old one line", "", "a\n",
		"@@ -0,0 +1 @@\n+a\n"},
	{"empty new from unterminated", "a", "",
		"@@ -1 +0,0 @@\n-a\n" + nonl},
	{"old lacks final newline", "a\nb\nc", "a\nb\nc\n",
		"@@ -1,3 +1,3 @@\n a\n b\n-c\n" + nonl + "+c\n"},
	{"new lacks final newline", "a\nb\nc\n", "a\nb\nc",
		"@@ -1,3 +1,3 @@\n a\n b\n-c\n+c\n" + nonl},
	{"both lack final newline", "a\nb\nc", "a\nb\nC",
		"@@ -1,3 +1,3 @@\n a\n b\n-c\n" + nonl + "+C\n" + nonl},
	{"unterminated last line as context", "a\nb\nc\nd", "a\nB\nc\nd",
		"@@ -1,4 +1,4 @@\n a\n-b\n+B\n c\n d\n" + nonl},
	{"crlf", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n",
		"@@ -1,3 +1,3 @@\n a\r\n-b\r\n+B\r\n c\r\n"},
	{"crlf to lf is a change", "a\r\nb\r\n", "a\r\nb\n",
		"@@ -1,2 +1,2 @@\n a\r\n-b\r\n+b\n"},
	{"bom added", "fn main() {}\n", "\xef\xbb\xbffn main() {}\n",
		"@@ -1 +1 @@\n-fn main() {}\n+\xef\xbb\xbffn main() {}\n"},
	{"bom kept", "\xef\xbb\xbfa\nb\n", "\xef\xbb\xbfa\nc\n",
		"@@ -1,2 +1,2 @@\n \xef\xbb\xbfa\n-b\n+c\n"},
	{"tabs", "fn f() {\n\tlet a = 1;\n}\n", "fn f() {\n\t{\n\t\tlet a = 1;\n\t}\n}\n",
		"@@ -1,3 +1,5 @@\n fn f() {\n-\tlet a = 1;\n+\t{\n+\t\tlet a = 1;\n+\t}\n }\n"},
	{"whole file replaced", "a\nb\n", "c\nd\n",
		"@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n"},
}

func TestUnified(t *testing.T) {
	for _, c := range unifiedCases {
		t.Run(c.name, func(t *testing.T) {
			got := string(Unified("src/lib.rs", []byte(c.old), []byte(c.new)))
			want := "--- a/src/lib.rs\n+++ b/src/lib.rs\n" + c.want
			if got != want {
				t.Errorf("Unified:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestUnifiedEqual(t *testing.T) {
	for _, s := range []string{"", "a\n", "a", "a\r\nb"} {
		if d := Unified("x.rs", []byte(s), []byte(s)); d != nil {
			t.Errorf("Unified of equal %q = %q, want nil", s, d)
		}
	}
}

// TestUnifiedMatchesGNUDiff checks the hunks of every case against `diff -u`,
// the reference for the header conventions.
func TestUnifiedMatchesGNUDiff(t *testing.T) {
	if _, err := exec.LookPath("diff"); err != nil {
		t.Fatalf("GNU diff not found (apt-get install -y diffutils): %v", err)
	}
	dir := t.TempDir()
	for _, c := range unifiedCases {
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		write(t, a, c.old)
		write(t, b, c.new)
		out, err := exec.Command("diff", "-u", a, b).Output()
		if err == nil {
			t.Fatalf("%s: diff found no difference", c.name)
		}
		// Drop GNU diff's own header lines (names and timestamps).
		gnu := string(out)
		for range 2 {
			gnu = gnu[strings.IndexByte(gnu, '\n')+1:]
		}
		ours := string(Unified("f", []byte(c.old), []byte(c.new)))
		ours = strings.TrimPrefix(ours, "--- a/f\n+++ b/f\n")
		if ours != gnu {
			t.Errorf("%s: ours:\n%s\nGNU diff:\n%s", c.name, ours, gnu)
		}
	}
}

func TestUnifiedHeaderNames(t *testing.T) {
	cases := []struct{ path, minus, plus string }{
		{"a.rs", "--- a/a.rs\n", "+++ b/a.rs\n"},
		{"my dir/a b.rs", "--- a/my dir/a b.rs\t\n", "+++ b/my dir/a b.rs\t\n"},
		{`we"ird\.rs`, `--- "a/we\"ird\\.rs"` + "\n", `+++ "b/we\"ird\\.rs"` + "\n"},
		{"tab\there.rs", "--- \"a/tab\\there.rs\"\n", "+++ \"b/tab\\there.rs\"\n"},
		{"ünï.rs", "--- a/ünï.rs\n", "+++ b/ünï.rs\n"},
	}
	for _, c := range cases {
		d := string(Unified(c.path, []byte("x\n"), []byte("y\n")))
		if !strings.HasPrefix(d, c.minus+c.plus+"@@ -1 +1 @@\n") {
			t.Errorf("Unified(%q) header:\n%s", c.path, d)
		}
	}
}

func TestColorize(t *testing.T) {
	d := Unified("x.rs", []byte("-- a/x\nkeep\nb\r\n"), []byte("++ b/x\nkeep\nc\r\n"))
	got := string(Colorize(d))
	want := "\x1b[1m--- a/x.rs\x1b[m\n" +
		"\x1b[1m+++ b/x.rs\x1b[m\n" +
		"\x1b[36m@@ -1,3 +1,3 @@\x1b[m\n" +
		"\x1b[31m--- a/x\x1b[m\n" + // a removed line that looks like a header
		"\x1b[32m+++ b/x\x1b[m\n" +
		" keep\n" +
		"\x1b[31m-b\x1b[m\r\n" +
		"\x1b[32m+c\x1b[m\r\n"
	if got != want {
		t.Errorf("Colorize:\n%q\nwant:\n%q", got, want)
	}
	// Removing the escapes gives the diff back.
	plain := strings.NewReplacer("\x1b[m", "", "\x1b[1m", "", "\x1b[31m", "", "\x1b[32m", "", "\x1b[36m", "").Replace(got)
	if plain != string(d) {
		t.Errorf("Colorize changed the text:\n%q\nwant\n%q", plain, d)
	}
	nl := Unified("y.rs", []byte("a"), []byte("b"))
	two := append(append([]byte{}, d...), nl...)
	if got := string(Colorize(two)); !strings.HasSuffix(got, "\x1b[1m--- a/y.rs\x1b[m\n\x1b[1m+++ b/y.rs\x1b[m\n\x1b[36m@@ -1 +1 @@\x1b[m\n\x1b[31m-a\x1b[m\n"+nonl+"\x1b[32m+b\x1b[m\n"+nonl) {
		t.Errorf("Colorize of a second file:\n%q", got)
	}
}

func write(t testing.TB, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// change is one file's before and after.
type change struct{ old, new string }

// applyTools checks that the concatenated diffs of changes, applied with
// `git apply` and with `patch -p1` to a tree holding the old files, give
// the new files byte for byte.
func applyTools(t *testing.T, changes map[string]change) {
	t.Helper()
	for _, tool := range []string{"git", "patch"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found; install it (apt-get install -y git patch): %v", tool, err)
		}
	}
	paths := make([]string, 0, len(changes))
	for p := range changes {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var patch []byte
	for _, p := range paths {
		patch = append(patch, Unified(p, []byte(changes[p].old), []byte(changes[p].new))...)
	}
	tmp := t.TempDir()
	patchFile := filepath.Join(tmp, "fix.patch")
	write(t, patchFile, string(patch))

	tools := map[string][]string{
		"git":   {"git", "apply", patchFile},
		"patch": {"patch", "-p1", "--batch", "--fuzz=0", "--no-backup-if-mismatch", "--quiet", "-i", patchFile},
	}
	for _, name := range []string{"git", "patch"} {
		tree := filepath.Join(tmp, name)
		for _, p := range paths {
			write(t, filepath.Join(tree, p), changes[p].old)
		}
		if name == "git" {
			// A repository of its own, so that no repository around the
			// temporary folder decides which paths apply.
			run(t, tree, "git", "init", "-q")
		}
		argv := tools[name]
		run(t, tree, argv[0], argv[1:]...)
		for _, p := range paths {
			got, err := os.ReadFile(filepath.Join(tree, p))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != changes[p].new {
				t.Errorf("%s: %s gave %q, want %q\ndiff:\n%s", name, p, got, changes[p].new,
					Unified(p, []byte(changes[p].old), []byte(changes[p].new)))
			}
		}
	}
}

func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "LC_ALL=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

func TestUnifiedAppliesCases(t *testing.T) {
	changes := map[string]change{}
	for i, c := range unifiedCases {
		changes[fmt.Sprintf("case%02d/f.rs", i)] = change{c.old, c.new}
	}
	changes["dir with space/f g.rs"] = change{"a\n", "b\n"}
	applyTools(t, changes)
}

// vocabulary makes generated files repeat lines, which gives the line diff
// ambiguous alignments to choose from.
var vocabulary = []string{
	"fn main() {", "}", "", "    let x = 1;", "\tlet y = m.lock().unwrap();",
	"    foo().await;", "// comment", "    {", "    }", "\t\tdeep();", "  ", "\xef\xbb\xbfbom",
	"\r", "lone\rcarriage return", "ünïcode ✓",
}

// genFile returns a random file of n lines: newlines are "\n", "\r\n" or
// mixed, the last line may lack one, and it may start with a BOM.
func genFile(r *rand.Rand, n int) string {
	crlf := r.Intn(3) // 0: LF, 1: CRLF, 2: mixed
	var b strings.Builder
	if r.Intn(5) == 0 {
		b.WriteString(BOM)
	}
	for i := 0; i < n; i++ {
		b.WriteString(genLine(r, crlf))
	}
	s := b.String()
	if r.Intn(3) == 0 {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
	}
	return s
}

func genLine(r *rand.Rand, crlf int) string {
	l := vocabulary[r.Intn(len(vocabulary))]
	if r.Intn(4) == 0 {
		l += fmt.Sprint(" ", r.Intn(100))
	}
	if crlf == 1 || (crlf == 2 && r.Intn(2) == 0) {
		return l + "\r\n"
	}
	return l + "\n"
}

// mutate applies a few random line insertions, deletions and changes, and
// sometimes adds or drops the final newline.
func mutate(r *rand.Rand, s string) string {
	lines := splitLines(s)
	crlf := 0
	if strings.Contains(s, "\r\n") {
		crlf = 1 + r.Intn(2)
	}
	// The last line may lack a newline; give it one while editing, and
	// decide at the end.
	hadNL := len(lines) == 0 || strings.HasSuffix(s, "\n")
	if !hadNL {
		lines[len(lines)-1] += "\n"
	}
	for k := r.Intn(6); k >= 0; k-- {
		switch op := r.Intn(3); {
		case op == 0 || len(lines) == 0:
			i := r.Intn(len(lines) + 1)
			lines = append(lines[:i], append([]string{genLine(r, crlf)}, lines[i:]...)...)
		case op == 1:
			i := r.Intn(len(lines))
			lines = append(lines[:i], lines[i+1:]...)
		default:
			lines[r.Intn(len(lines))] = genLine(r, crlf)
		}
	}
	out := strings.Join(lines, "")
	keepNL := hadNL
	if r.Intn(6) == 0 {
		keepNL = !keepNL
	}
	if !keepNL {
		out = strings.TrimSuffix(strings.TrimSuffix(out, "\n"), "\r")
	}
	return out
}

// TestUnifiedAppliesRandom round-trips random edits of random files
// through git apply and patch.
func TestUnifiedAppliesRandom(t *testing.T) {
	r := rand.New(rand.NewSource(20240601))
	changes := map[string]change{}
	for i := 0; len(changes) < 300; i++ {
		old := genFile(r, r.Intn(40))
		new := mutate(r, old)
		if old == new {
			continue
		}
		changes[fmt.Sprintf("d%d/f%03d.rs", i%7, i)] = change{old, new}
	}
	applyTools(t, changes)
}

// TestUnifiedShape checks properties every diff must have, on many random
// pairs: hunk headers agree with the hunk bodies, hunks are in order and
// do not touch, and the old and new texts
// can be rebuilt from the diff.
func TestUnifiedShape(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 2000; n++ {
		old := genFile(r, r.Intn(60))
		new := mutate(r, old)
		if old == new {
			continue
		}
		d := Unified("f", []byte(old), []byte(new))
		if err := checkShape(d, old, new); err != nil {
			t.Fatalf("old %q\nnew %q\n%v\ndiff:\n%s", old, new, err, d)
		}
	}
}

// checkShape parses diff and rebuilds new from old with it.
func checkShape(diff []byte, old, new string) error {
	lines := splitLines(string(diff))
	if len(lines) < 3 || lines[0] != "--- a/f\n" || lines[1] != "+++ b/f\n" {
		return fmt.Errorf("bad header")
	}
	oldLines := splitLines(old)
	var out strings.Builder
	pos := 0 // next old line (0-based) not yet copied
	prevEnd := -1
	i := 2
	for i < len(lines) {
		var ol, on, nl, nn int
		h := lines[i]
		if _, err := fmt.Sscanf(h, "@@ -%d,%d +%d,%d @@\n", &ol, &on, &nl, &nn); err != nil {
			// Counts of 1 are left out.
			var err2 error
			ol, on, nl, nn, err2 = parseHeaderLoose(h)
			if err2 != nil {
				return fmt.Errorf("bad hunk header %q", h)
			}
		}
		first := ol - 1 // 0-based index of the first old line
		if on == 0 {
			first = ol
		}
		// Hunks whose context lines would touch share one hunk.
		if prevEnd >= 0 && first <= prevEnd {
			return fmt.Errorf("hunk at %q should have been merged (gap %d)", h, first-prevEnd)
		}
		if first < pos {
			return fmt.Errorf("hunk %q out of order", h)
		}
		out.WriteString(strings.Join(oldLines[pos:first], ""))
		pos = first
		i++
		hunkStart := i
		gotOld, gotNew := 0, 0
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			text := l[1:]
			if i+1 < len(lines) && lines[i+1] == nonl {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch l[0] {
			case ' ':
				if oldLines[pos] != text {
					return fmt.Errorf("context %q is not old line %d %q", text, pos+1, oldLines[pos])
				}
				out.WriteString(text)
				pos++
				gotOld++
				gotNew++
			case '-':
				if oldLines[pos] != text {
					return fmt.Errorf("removed %q is not old line %d %q", text, pos+1, oldLines[pos])
				}
				pos++
				gotOld++
			case '+':
				out.WriteString(text)
				gotNew++
			default:
				return fmt.Errorf("bad line %q", l)
			}
			i++
		}
		if run := longestContext(lines[hunkStart:i]); run > 2*contextLines {
			return fmt.Errorf("hunk %q holds %d kept lines in a row: two hunks", h, run)
		}
		if lead := leadingContext(lines[hunkStart:i]); lead != contextLines && first != 0 {
			return fmt.Errorf("hunk %q has %d leading context lines", h, lead)
		}
		if trail := leadingContext(reversed(lines[hunkStart:i])); trail != contextLines && pos != len(oldLines) {
			return fmt.Errorf("hunk %q has %d trailing context lines", h, trail)
		}
		if gotOld != on || gotNew != nn {
			return fmt.Errorf("hunk %q has %d old and %d new lines", h, gotOld, gotNew)
		}
		prevEnd = pos
	}
	out.WriteString(strings.Join(oldLines[pos:], ""))
	if out.String() != new {
		return fmt.Errorf("rebuilt %q, want %q", out.String(), new)
	}
	return nil
}

// leadingContext counts the context lines that start a hunk body.
func leadingContext(body []string) int {
	n := 0
	for _, l := range body {
		if l == nonl {
			continue
		}
		if l[0] != ' ' {
			break
		}
		n++
	}
	return n
}

// longestContext returns the longest run of context lines in a hunk body.
func longestContext(body []string) int {
	best, n := 0, 0
	for _, l := range body {
		switch {
		case l == nonl:
		case l[0] == ' ':
			n++
			best = max(best, n)
		default:
			n = 0
		}
	}
	return best
}

func reversed(s []string) []string {
	r := make([]string, len(s))
	for i, x := range s {
		r[len(s)-1-i] = x
	}
	return r
}

func parseHeaderLoose(h string) (ol, on, nl, nn int, err error) {
	f := strings.Fields(h)
	if len(f) != 4 {
		return 0, 0, 0, 0, fmt.Errorf("fields")
	}
	side := func(s string) (int, int, error) {
		var a, b int
		if strings.Contains(s, ",") {
			_, err := fmt.Sscanf(s[1:], "%d,%d", &a, &b)
			return a, b, err
		}
		_, err := fmt.Sscanf(s[1:], "%d", &a)
		return a, 1, err
	}
	if ol, on, err = side(f[1]); err != nil {
		return
	}
	nl, nn, err = side(f[2])
	return
}

func BenchmarkUnified(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	var sb strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&sb, "    let v%d = compute(%d).await;\n", i, r.Intn(1000))
	}
	old := sb.String()
	lines := splitLines(old)
	for i := 0; i < len(lines); i += 500 {
		lines[i] = "    {\n" + lines[i] + "    }\n"
	}
	new := strings.Join(lines, "")
	b.SetBytes(int64(len(old)))
	b.ReportAllocs()
	for b.Loop() {
		if d := Unified("big.rs", []byte(old), []byte(new)); len(d) == 0 {
			b.Fatal("no diff")
		}
	}
}
