package golden

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"
)

// The reliability tests run the built command over many inputs and check
// properties rather than expected bytes: real crates are rewritten without
// losing a byte or breaking a parse, printed diffs apply to exactly the
// --write result, and rustfmt-clean inputs stay rustfmt-clean.

// requireTools reports whether a missing tool must fail the test rather
// than skip it: CI sets SENDFIX_REQUIRE_RUSTC=1.
func requireTools() bool { return os.Getenv("SENDFIX_REQUIRE_RUSTC") == "1" }

// needTool skips (or, in CI, fails) when name is not on PATH.
func needTool(t *testing.T, name, install string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if requireTools() {
			t.Fatalf("%s is not installed (%s)", name, install)
		}
		t.Skipf("%s is not installed (%s)", name, install)
	}
}

// jsonReport is the part of sendfix --json the tests read.
type jsonReport struct {
	Files []struct {
		Path     string `json:"path"`
		Changed  bool   `json:"changed"`
		Written  bool   `json:"written"`
		Error    string `json:"error"`
		Findings []struct {
			Rule   string `json:"rule"`
			Fixed  bool   `json:"fixed"`
			Reason string `json:"reason"`
		} `json:"findings"`
	} `json:"files"`
	Errors []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"errors"`
	Summary struct {
		FilesScanned int `json:"files_scanned"`
		FilesChanged int `json:"files_changed"`
	} `json:"summary"`
}

// syntaxErrorCount parses src (without a leading BOM) and counts its ERROR
// and MISSING nodes.
func syntaxErrorCount(t *testing.T, p *sitter.Parser, src []byte) int {
	t.Helper()
	tree, err := p.ParseCtx(context.Background(), nil, bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	defer tree.Close()
	n := 0
	var visit func(c *sitter.TreeCursor)
	// A cursor walk, descending only into subtrees that hold an error.
	visit = func(c *sitter.TreeCursor) {
		for {
			node := c.CurrentNode()
			if node.IsError() || node.IsMissing() {
				n++
			}
			if node.HasError() && c.GoToFirstChild() {
				visit(c)
				c.GoToParent()
			}
			if !c.GoToNextSibling() {
				return
			}
		}
	}
	c := sitter.NewTreeCursor(tree.RootNode())
	defer c.Close()
	visit(c)
	return n
}

// registryRoot holds Debian's Rust crate sources (librust-*-dev).
const registryRoot = "/usr/share/cargo/registry"

// injected is appended to some crate files: an async fn holding a std
// guard across an await, which mutex-scope fixes under --all-async.
const injected = `
async fn sendfix_reliability_held(m: &std::sync::Mutex<Vec<u8>>) {
    let g = m.lock().unwrap();
    g.len();
    sendfix_reliability_tick().await;
}
`

// TestCrateScaleRoundTrip runs sendfix --write over a copy of every .rs
// file of the installed crate sources (thousands of real files) with every
// async body treated as Send-required, so that the rules fire as often as
// they can, one file in 16 with a guard held across an await appended. It
// checks that no file without a fixed finding changes, that
// every changed file parses with no more syntax errors than before, and
// that a second run (--check) finds nothing left to change.
func TestCrateScaleRoundTrip(t *testing.T) {
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	if _, err := os.Stat(filepath.Join(registryRoot)); err != nil {
		if requireTools() {
			t.Fatalf("%s is missing (apt-get install -y librust-tokio-dev)", registryRoot)
		}
		t.Skipf("%s is missing (apt-get install -y librust-tokio-dev)", registryRoot)
	}
	dir := t.TempDir()
	orig := map[string][]byte{} // relative path -> original bytes
	err := filepath.WalkDir(registryRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(p, ".rs") {
			return nil
		}
		rel, _ := filepath.Rel(registryRoot, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		// The crates hold few guards across awaits: one file in 16 gets
		// one appended, so that fixes land in real files of every style.
		if len(orig)%16 == 0 {
			data = append(append([]byte(nil), data...), injected...)
		}
		orig[filepath.ToSlash(rel)] = data
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(orig) < 500 {
		t.Fatalf("only %d .rs files under %s: is librust-tokio-dev installed?", len(orig), registryRoot)
	}

	flags := []string{"--all-async", "--no-ignore", "--quiet"}
	out, errOut, code := sendfix(t, dir, append([]string{"--write", "--json"}, flags...)...)
	if code != 0 && code != 2 {
		t.Fatalf("sendfix --write exited %d\nstderr:\n%s", code, errOut)
	}
	var rep jsonReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("--json output: %v\n%.2000s", err, out)
	}
	// Exit 2 is fine only for files the command rightly refuses to read
	// (the crates hold a few files that are not UTF-8 text); never for a
	// write or an internal failure.
	for _, e := range rep.Errors {
		if !strings.Contains(e.Error, "not UTF-8") && !strings.Contains(e.Error, "binary file") {
			t.Errorf("error on %s: %s", e.Path, e.Error)
		}
	}
	fixed := map[string]bool{}
	reported := map[string]bool{}
	for _, f := range rep.Files {
		if f.Error != "" {
			t.Errorf("%s: %s", f.Path, f.Error)
		}
		for _, fd := range f.Findings {
			if fd.Fixed {
				fixed[filepath.ToSlash(f.Path)] = true
			}
		}
		if f.Changed {
			reported[filepath.ToSlash(f.Path)] = true
		}
	}
	if rep.Summary.FilesScanned < len(orig)-len(rep.Errors) {
		t.Errorf("scanned %d files of %d", rep.Summary.FilesScanned, len(orig))
	}

	p := sitter.NewParser()
	defer p.Close()
	p.SetLanguage(rust.GetLanguage())
	var changed []string
	for rel, before := range orig {
		after, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		if bytes.Equal(before, after) {
			if reported[rel] {
				t.Errorf("%s: reported changed and written, but its bytes are the same", rel)
			}
			continue
		}
		changed = append(changed, rel)
		if !fixed[rel] {
			t.Errorf("%s changed without a fixed finding", rel)
		}
		if nb, na := syntaxErrorCount(t, p, before), syntaxErrorCount(t, p, after); na > nb {
			t.Errorf("%s: %d syntax errors after the fix, %d before", rel, na, nb)
		}
	}
	sort.Strings(changed)
	if len(changed) != len(reported) {
		t.Errorf("%d files changed on disk, %d reported changed", len(changed), len(reported))
	}
	if len(changed) == 0 {
		t.Fatal("no file changed: the round trip proved nothing")
	}
	t.Logf("%d files, %d changed", len(orig), len(changed))

	// Idempotence: nothing left to change.
	if out, errOut, code := sendfix(t, dir, append([]string{"--check"}, flags...)...); code != 0 && code != 2 || len(out) > 0 {
		t.Errorf("second run (--check) exited %d and printed:\n%.4000s\nstderr:\n%.2000s", code, out, errOut)
	}
}

// mutation rewrites a golden input into another input with the same
// anti-patterns in another dress.
type mutation struct {
	name string
	f    func([]byte) []byte
}

var mutations = []mutation{
	{"crlf", func(b []byte) []byte {
		return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	}},
	{"bom", func(b []byte) []byte {
		if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
			return b[3:]
		}
		return append([]byte("\xef\xbb\xbf"), b...)
	}},
	{"no-final-newline", func(b []byte) []byte { return bytes.TrimRight(b, "\r\n") }},
	{"extra-final-newlines", func(b []byte) []byte { return append(append([]byte(nil), b...), "\n\n"...) }},
	{"tabs", func(b []byte) []byte {
		lines := strings.SplitAfter(string(b), "\n")
		for i, l := range lines {
			n := len(l) - len(strings.TrimLeft(l, " "))
			lines[i] = strings.Repeat("\t", n/4) + strings.Repeat(" ", n%4) + l[n:]
		}
		return []byte(strings.Join(lines, ""))
	}},
	{"two-space", func(b []byte) []byte {
		lines := strings.SplitAfter(string(b), "\n")
		for i, l := range lines {
			n := len(l) - len(strings.TrimLeft(l, " "))
			lines[i] = strings.Repeat(" ", n/2) + l[n:]
		}
		return []byte(strings.Join(lines, ""))
	}},
	{"trailing-space", func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(";\n"), []byte("; \t\n"))
	}},
	{"shifted", func(b []byte) []byte {
		// Lines before and after move every hunk and add context lines
		// that look alike, which is where patch's fuzzy matching could
		// misplace a hunk.
		head := strings.Repeat("// }\n//     {\n", 40)
		return append(append([]byte(head), b...), "\n// }\n//     }\n"...)
	}},
	{"doubled", func(b []byte) []byte {
		// The file twice, in two modules: two fixes in one file, far
		// apart or close, and hunks that may merge.
		return []byte("mod first {\n" + string(b) + "\n}\nmod second {\n" + string(b) + "\n}\n")
	}},
}

// TestDiffRoundTripMutations checks, for every golden case in every
// mutation, that the diff sendfix prints applies with git apply and with
// patch -p1 to give exactly the bytes sendfix --write gives. The inputs are
// laid out as one tree per set of case flags, so that each command runs
// once over many files and the multi-file diff is checked as a whole.
func TestDiffRoundTripMutations(t *testing.T) {
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	needTool(t, "patch", "apt-get install -y patch")
	cases, trees, keys := mutationTrees(t)
	byName := map[string]*goldenCase{} // group/name -> case
	for _, c := range cases {
		byName[c.FullName()] = c
	}
	// caseOf returns the case of a tree's path, mutation/group/name.rs.
	caseOf := func(p string) *goldenCase {
		return byName[strings.TrimSuffix(p[strings.IndexByte(p, '/')+1:], ".rs")]
	}
	// written are the files sendfix changed, for the compiler to judge.
	var written []variantOutput
	changedTotal := 0
	for _, key := range keys {
		files := trees[key]
		t.Run(treeName(key), func(t *testing.T) {
			args := strings.Fields(key)
			want := writtenTree(t, files, args) // --write on one copy
			changed := 0
			for p := range files {
				if !bytes.Equal(want[p], files[p]) {
					changed++
					// A BOM after the start (the shifted and doubled
					// dresses of a case with one) is no Rust program.
					if !bytes.Contains(files[p][1:], []byte("\xef\xbb\xbf")) {
						written = append(written, variantOutput{path: p, out: want[p], c: caseOf(p)})
					}
				}
			}
			changedTotal += changed
			// The dry-run diff, applied two ways to fresh copies.
			ddir := writeTree(t, files)
			diff, errOut, code := sendfix(t, ddir, append([]string{"--quiet", "--color=never"}, args...)...)
			if code != 0 {
				t.Fatalf("sendfix (dry run) exited %d\nstderr:\n%s", code, errOut)
			}
			if got := readTree(t, ddir, files); !sameTree(t, "dry run", files, got) {
				t.Fatal("the dry run modified files")
			}
			if changed == 0 {
				if len(diff) > 0 {
					t.Errorf("nothing changes, but a diff was printed:\n%.2000s", diff)
				}
				return
			}
			for _, tool := range [][]string{
				{"git", "apply", "-"},
				{"patch", "-p1", "--quiet", "--no-backup-if-mismatch", "--force"},
			} {
				adir := writeTree(t, files)
				if tool[0] == "git" {
					run(t, adir, nil, "git", "init", "-q")
				}
				run(t, adir, diff, tool[0], tool[1:]...)
				sameTree(t, tool[0], want, readTree(t, adir, files))
				if t.Failed() {
					return
				}
			}
		})
	}
	if changedTotal < len(cases) {
		t.Errorf("only %d mutated files changed: the round trip proves little", changedTotal)
	}
	t.Logf("%d files changed across %d flag sets", changedTotal, len(keys))
	t.Run("rustc", func(t *testing.T) { judgeVariants(t, written) })
}

// variantOutput is a file sendfix wrote for a mutated golden input.
type variantOutput struct {
	path string
	out  []byte
	c    *goldenCase
}

// compileExceptions are the written variants known not to compile, and
// why. An exception that compiles fails the test, so the list stays true.
var compileExceptions = map[string]string{}

// judgeVariants checks the property "an output that sendfix writes
// compiles" on every file the round trip changed: every golden input is a
// program that compiles but for the Send error, so whatever sendfix writes
// for it, in any dress, must compile. The outputs are modules of one crate
// per edition (`#[path]` keeps each file's bytes: a BOM, CRLF, tabs), so
// one cargo check judges them all.
func judgeVariants(t *testing.T, written []variantOutput) {
	// The variants of `tokio-unstable` cases need tokio's unstable API,
	// which a third build of tokio would cost: their diffs are checked
	// above, and rustc judges the cases themselves (TestGolden).
	stable := written[:0:0]
	for _, w := range written {
		if !w.c.TokioUnstable {
			stable = append(stable, w)
		}
	}
	if n := len(written) - len(stable); n > 0 {
		t.Logf("%d variants of tokio-unstable cases not compiled here", n)
	}
	written = stable
	if len(written) == 0 {
		t.Fatal("no file was written: nothing to judge")
	}
	needTool(t, "cargo", installHint)
	if m, _ := filepath.Glob(filepath.Join(registry, "tokio-[0-9]*")); len(m) == 0 {
		if requireTools() {
			t.Fatalf("no tokio sources in %s; %s", registry, installHint)
		}
		t.Skipf("no tokio sources in %s; %s", registry, installHint)
	}
	base, err := cargoDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := base + "-variants"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	sort.Slice(written, func(i, j int) bool { return written[i].path < written[j].path })
	mods, err := writeVariantProject(dir, written)
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]*binVerdict{}
	for m := range mods {
		verdicts[m] = &binVerdict{}
	}
	out, stderr, err := runCargo(dir, "check", "--workspace", "--keep-going", "--message-format=json")
	parseCargoJSON(out, verdicts)
	failed, known := 0, 0
	for m, v := range verdicts {
		why, isKnown := compileExceptions[mods[m]]
		switch {
		case len(v.Errors) > 0 && isKnown:
			known++
			t.Logf("%s: does not compile, as known: %s", mods[m], why)
		case len(v.Errors) > 0:
			failed++
			t.Errorf("%s: sendfix's output does not compile (%s):\n%s", mods[m], v.verdict(), v.summary())
		case isKnown:
			t.Errorf("%s: listed in compileExceptions but its output compiles now: remove it from the list", mods[m])
		}
	}
	if err != nil && failed+known == 0 {
		t.Fatalf("cargo check failed without an error in a variant: %v\n%s", err, tail(stderr, 4000))
	}
	t.Logf("%d written variants compile, %d known not to", len(written)-failed-known, known)
}

// writeVariantProject lays out a workspace with one package per edition
// whose modules are the written files, and returns the module names
// (each its file's base name) with the variant path. Files are written
// only when their content changed and stale ones removed, so cargo stays
// incremental.
func writeVariantProject(dir string, written []variantOutput) (map[string]string, error) {
	files := map[string][]byte{}
	mods := map[string]string{}
	deps := caseDeps()
	roots := map[string]*strings.Builder{}
	var members []string
	for _, ed := range []string{"2021", "2024"} {
		pkg := "v" + ed
		members = append(members, fmt.Sprintf("%q", pkg))
		files[filepath.Join(pkg, "Cargo.toml")] = []byte(fmt.Sprintf(
			"[package]\nname = \"variants-%s\"\nversion = \"0.0.0\"\nedition = \"%s\"\npublish = false\n\n[dependencies]\n%s", ed, ed, deps))
		b := &strings.Builder{}
		b.WriteString("// Generated by sendfix's reliability tests: each module is a file sendfix wrote.\n#![allow(warnings)]\n")
		roots[ed] = b
	}
	for i, w := range written {
		ed := w.c.Edition
		if roots[ed] == nil {
			return nil, fmt.Errorf("%s: edition %s", w.path, ed)
		}
		mod := fmt.Sprintf("w%04d", i)
		mods[mod] = w.path
		files[filepath.Join("v"+ed, "src", "w", mod+".rs")] = w.out
		fmt.Fprintf(roots[ed], "// %s\n#[path = \"w/%s.rs\"]\nmod %s;\n", w.path, mod, mod)
	}
	for ed, b := range roots {
		b.WriteString("fn main() {}\n")
		files[filepath.Join("v"+ed, "src", "main.rs")] = []byte(b.String())
	}
	files["Cargo.toml"] = []byte("# Generated by sendfix's reliability tests; rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [" + strings.Join(members, ", ") + "]\n")
	files[filepath.Join(".cargo", "config.toml")] = []byte("[source.crates-io]\nreplace-with = \"debian\"\n[source.debian]\ndirectory = \"" + registry + "\"\n[net]\noffline = true\n")
	for rel, data := range files {
		p := filepath.Join(dir, rel)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
	}
	for _, ed := range []string{"2021", "2024"} {
		old, _ := filepath.Glob(filepath.Join(dir, "v"+ed, "src", "w", "*.rs"))
		for _, p := range old {
			rel, _ := filepath.Rel(dir, p)
			if _, keep := files[rel]; !keep {
				if err := os.Remove(p); err != nil {
					return nil, err
				}
			}
		}
	}
	return mods, nil
}

// writeTree writes files under a new temporary folder.
func writeTree(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readTree reads back the files named in files from dir.
func readTree(t *testing.T, dir string, files map[string][]byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for p := range files {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		out[p] = data
	}
	return out
}

// sameTree reports whether got has want's bytes for every file, reporting
// each difference.
func sameTree(t *testing.T, what string, want, got map[string][]byte) bool {
	t.Helper()
	same := true
	var paths []string
	for p := range want {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if !bytes.Equal(want[p], got[p]) {
			same = false
			t.Errorf("%s: %s differs from the --write result:\n%s", what, p, describeDiff(t, want[p], got[p]))
		}
	}
	return same
}

// TestRustfmtStability checks that sendfix's output of a rustfmt-clean
// golden input is rustfmt-clean too: a fix must not leave formatting that
// rustfmt would change.
func TestRustfmtStability(t *testing.T) {
	needTool(t, "rustfmt", "rustup component add rustfmt, or apt-get install -y rustfmt")
	cases, err := discoverCases("testdata")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	dir := t.TempDir()
	clean := func(name string, src []byte, edition string) (bool, string) {
		p := filepath.Join(dir, name+".rs")
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("rustfmt", "--check", "--edition", edition, p).CombinedOutput()
		if err != nil {
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("rustfmt: %v", err)
			}
		}
		return err == nil, string(out)
	}
	inputsClean, fixes := 0, 0
	// rustfmtExceptions are the cases whose outputs rustfmt would still
	// change, and why. An exception that becomes clean fails the test, so
	// the list stays true.
	rustfmtExceptions := map[string]string{
		"mutex-scope/awaited-call-argument":  "after a multi-line argument rustfmt moves `.await` to its own line (chain layout); sendfix edits the argument only",
		"mutex-scope/map-err-try-scrutinees": "the same as awaited-call-argument, for `report({ let guard3 = ..; guard3.len() }).await`",
	}
	for _, c := range cases {
		if c.Err != nil || c.Golden == nil {
			continue
		}
		name := c.Group + "__" + c.Name
		if ok, _ := clean(name+"__in", c.Input, c.Edition); !ok {
			continue
		}
		inputsClean++
		if !c.IsFix() {
			continue
		}
		fixes++
		ok, out := clean(name+"__out", c.Golden, c.Edition)
		why, known := rustfmtExceptions[c.FullName()]
		switch {
		case !ok && known:
			t.Logf("%s: output not rustfmt-clean, as known: %s", c.FullName(), why)
		case !ok:
			t.Errorf("%s: the input is rustfmt-clean, the output is not:\n%s", c.FullName(), out)
		case known:
			t.Errorf("%s: listed as an exception but its output is rustfmt-clean now: remove it from rustfmtExceptions", c.FullName())
		}
	}
	if fixes == 0 {
		t.Fatalf("no rustfmt-clean fix case (%d clean inputs): the check proved nothing", inputsClean)
	}
	t.Logf("%d rustfmt-clean inputs, %d of them fix cases", inputsClean, fixes)
}
