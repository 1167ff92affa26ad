package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sendfix/patterns"
)

func TestHelpAndVersion(t *testing.T) {
	dir := t.TempDir()
	for _, arg := range []string{"-h", "--help"} {
		r := run(t, dir, arg)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: exit %d, stderr %q", arg, r.code, r.stderr)
		}
		for _, want := range []string{"Usage: sendfix", "--write", "--check", "--json", "--rules LIST",
			"--exclude GLOB", "--stdin-filename NAME", "Examples:", "git apply", "sendfix --check .", "sendfix --json .", "Exit status"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%s: help lacks %q", arg, want)
			}
		}
		if strings.Contains(r.stdout, "[=true|false]") {
			t.Errorf("help shows pflag's boolean noise:\n%s", r.stdout)
		}
	}
	r := run(t, dir, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "sendfix ") {
		t.Fatalf("--version: exit %d, %q", r.code, r.stdout)
	}
}

func TestBadUsageExits2(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n"})
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--bogus"}, "unknown flag: --bogus"},
		{[]string{"--rules", "mutex-scope,nope"}, `unknown rule "nope" in --rules`},
		{[]string{"--skip", "rc_arc"}, `unknown rule "rc_arc" in --skip`},
		{[]string{"--rules", "rc-arc", "--skip", "rc-arc"}, "no rule left"},
		{[]string{"--color", "sometimes"}, "--color must be auto, always or never"},
		{[]string{"-j", "-1"}, "--jobs must not be negative"},
		{[]string{"-j", "x"}, "invalid argument"},
		{[]string{"--list", "--json"}, "--list and --json cannot be used together"},
		{[]string{"--exclude", "[", "."}, `--exclude "["`},
		{[]string{"-", "a.rs"}, "cannot be combined"},
		{[]string{"-w", "-"}, "--write cannot be used"},
	} {
		r := run(t, dir, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, r.code, r.stdout, r.stderr, tc.msg)
		}
	}
	if got := readFile(t, filepath.Join(dir, "a.rs")); got != "FIXME\n" {
		t.Errorf("a bad command line changed a file: %q", got)
	}
}

func TestRuleSelectionReachesConfig(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "async fn f() {}\n"})
	for _, tc := range []struct {
		args        []string
		rules       []string
		async, publ bool
	}{
		{nil, patterns.AllRules, false, false},
		{[]string{"--rules", "rc-arc"}, []string{"rc-arc"}, false, false},
		{[]string{"--rules", "rc-arc", "--rules", "tokio-mutex"}, []string{"tokio-mutex", "rc-arc"}, false, false},
		{[]string{"--skip", "mutex-scope,rc-arc"}, []string{"tokio-mutex"}, false, false},
		{[]string{"--all-async", "--allow-public"}, patterns.AllRules, true, true},
	} {
		rec := &fakeRecord{}
		r := runIn(t, context.Background(), dir, rec, "", tc.args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, r.code, r.stderr)
		}
		if len(rec.cfgs) == 0 {
			t.Fatalf("%v: no engine made", tc.args)
		}
		for _, cfg := range rec.cfgs {
			var got []string
			for _, name := range patterns.AllRules {
				if cfg.Rules[name] {
					got = append(got, name)
				}
			}
			want := slices.Clone(tc.rules)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) || len(cfg.Rules) != len(want) || cfg.AllAsync != tc.async || cfg.AllowPublic != tc.publ {
				t.Errorf("%v: config %+v, want rules %v all-async %v allow-public %v", tc.args, cfg, want, tc.async, tc.publ)
			}
		}
	}
}

func TestDryRunPrintsDiffsAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"src/a.rs":  "fn a() {\n    FIXME\n}\n",
		"src/b.rs":  "fn b() {}\n",
		"README.md": "FIXME\n",
	})
	r := run(t, dir)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := "--- a/src/a.rs\n+++ b/src/a.rs\n@@ -1,3 +1,3 @@\n fn a() {\n-    FIXME\n+    FIXED\n }\n"
	if r.stdout != want {
		t.Errorf("diff:\n%s\nwant:\n%s", r.stdout, want)
	}
	if got := readFile(t, filepath.Join(dir, "src/a.rs")); !strings.Contains(got, "FIXME") {
		t.Errorf("dry run wrote the file: %q", got)
	}
	if want := "\nsendfix: 2 files scanned, 1 file would change, 1 fix (mutex-scope: 1)\n"; !strings.Contains(r.stderr, want) || !strings.HasPrefix(r.stderr, "warning[mutex-scope]: ") {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	// Paths are relative to the working directory, whatever PATH says.
	r = runIn(t, context.Background(), filepath.Join(dir, "src"), &fakeRecord{}, "", filepath.Join(dir, "src", "a.rs"))
	if !strings.HasPrefix(r.stdout, "--- a/a.rs\n+++ b/a.rs\n") {
		t.Errorf("absolute PATH: diff header %q", r.stdout)
	}
	r = runIn(t, context.Background(), filepath.Join(dir, "src"), &fakeRecord{}, "", "..")
	if !strings.HasPrefix(r.stdout, "--- a/a.rs\n") {
		t.Errorf("PATH ..: diff header %q", r.stdout)
	}
}

func TestWriteListCheck(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n", "b.rs": "ok\n", "c.rs": "x FIXME FIXME\n"})
	if err := os.Chmod(filepath.Join(dir, "c.rs"), 0o751); err != nil {
		t.Fatal(err)
	}

	r := run(t, dir, "--check")
	if r.code != 1 || !strings.Contains(r.stdout, "+++ b/a.rs") || !strings.Contains(r.stdout, "+++ b/c.rs") {
		t.Fatalf("--check before: exit %d, stdout %q", r.code, r.stdout)
	}
	r = run(t, dir, "-l")
	if r.code != 0 || r.stdout != "a.rs\nc.rs\n" {
		t.Fatalf("-l: exit %d, stdout %q", r.code, r.stdout)
	}
	r = run(t, dir, "--check", "--list")
	if r.code != 1 || r.stdout != "a.rs\nc.rs\n" {
		t.Fatalf("--check -l: exit %d, stdout %q", r.code, r.stdout)
	}
	r = run(t, dir, "-w")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("-w: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if want := "\nsendfix: 3 files scanned, 2 files changed, 3 fixes (mutex-scope: 3)\n"; !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "(applied)\n") != 3 {
		t.Errorf("-w summary %q, want %q", r.stderr, want)
	}
	if got := readFile(t, filepath.Join(dir, "c.rs")); got != "x FIXED FIXED\n" {
		t.Errorf("c.rs after -w: %q", got)
	}
	if st, _ := os.Stat(filepath.Join(dir, "c.rs")); st.Mode().Perm() != 0o751 {
		t.Errorf("c.rs mode %v after -w, want 0751", st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Errorf("files left after -w: %v", ents)
	}
	r = run(t, dir, "--check")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("--check after: exit %d, stdout %q", r.code, r.stdout)
	}
	r = run(t, dir, "-w", "-l")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("-w -l with nothing to do: exit %d, stdout %q", r.code, r.stdout)
	}
}

func TestQuietUnfixedNotesAndSummary(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "x\nUNFIXABLE\n", "b.rs": "UNFIXABLE\nFIXME\n"})
	r := run(t, dir)
	findings := []string{
		" --> a.rs:2:1\n", "= note: not fixed: guard is used after the await on line 3\n",
		" --> b.rs:1:1\n", "= note: not fixed: guard is used after the await on line 2\n",
		" --> b.rs:2:1\n", "= fix: scoped the guard (in the diff)\n",
	}
	summary := "sendfix: 2 files scanned, 1 file would change, 1 fix (mutex-scope: 1), 2 findings left unfixed (guard is used after the await on line N: 2)\n"
	for _, want := range append(findings, summary, "help: to apply the fixes") {
		if r.code != 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
		}
	}
	// -q is cargo's: the findings stay, the summary and hints go.
	r = run(t, dir, "-q")
	if r.code != 0 || !strings.Contains(r.stdout, "+FIXED") || strings.Contains(r.stderr, "sendfix: ") || strings.Contains(r.stderr, "help:") {
		t.Errorf("-q: exit %d, stderr %q, stdout %q", r.code, r.stderr, r.stdout)
	}
	for _, want := range findings {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("-q: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestWarningsAndInternalErrors(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME WARNME\n", "b.rs": "FIXME INTERNAL\n", "c.rs": "FIXME\n"})
	r := run(t, dir, "-w")
	if r.code != 2 {
		t.Errorf("exit %d, want 2", r.code)
	}
	for _, want := range []string{
		"sendfix: warning: a.rs: cannot parse line 2\n",
		"sendfix: b.rs: internal error, file left unchanged: output has a new syntax error\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if got := readFile(t, filepath.Join(dir, "b.rs")); got != "FIXME INTERNAL\n" {
		t.Errorf("b.rs written despite an internal error: %q", got)
	}
	if readFile(t, filepath.Join(dir, "a.rs")) != "FIXED WARNME\n" || readFile(t, filepath.Join(dir, "c.rs")) != "FIXED\n" {
		t.Errorf("the other files were not written")
	}
	// A warning alone is no error.
	r = run(t, dir, "a.rs")
	if r.code != 0 || !strings.Contains(r.stderr, "sendfix: warning: a.rs: cannot parse line 2") {
		t.Errorf("warning only: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestChangedOnDiskIsNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n", "b.rs": "FIXME\n"})
	rec := &fakeRecord{onRun: func(path string) {
		if path == "a.rs" {
			os.WriteFile(filepath.Join(dir, "a.rs"), []byte("edited meanwhile FIXME\n"), 0o644)
		}
	}}
	r := runIn(t, context.Background(), dir, rec, "", "-w")
	if r.code != 2 || !strings.Contains(r.stderr, "sendfix: a.rs: not written: changed on disk while sendfix ran\n") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "a.rs")); got != "edited meanwhile FIXME\n" {
		t.Errorf("a.rs: %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "b.rs")); got != "FIXED\n" {
		t.Errorf("b.rs: %q", got)
	}
}

func TestColor(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{"a.rs": "FIXME\n"})
	for _, tc := range []struct {
		args []string
		tty  bool
		want bool
	}{
		{[]string{"--color=always"}, false, true},
		{[]string{"--color", "never"}, true, false},
		{nil, false, false},
		{nil, true, true},
		{[]string{"--color=auto"}, true, true},
	} {
		var out, errb strings.Builder
		a := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getwd: func() (string, error) { return dir, nil }, Getenv: func(string) string { return "" },
			IsTerminal: func(io.Writer) bool { return tc.tty }, newEngine: (&fakeRecord{}).factory}
		if code := a.Run(tc.args); code != 0 {
			t.Fatalf("%v: exit %d", tc.args, code)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != tc.want {
			t.Errorf("%v tty=%v: colour %v, want %v:\n%q", tc.args, tc.tty, got, tc.want, out.String())
		}
	}
}

// jsonDoc mirrors the schema documented in json.go, strictly.
type jsonDoc struct {
	Version int    `json:"version"`
	Mode    string `json:"mode"`
	Check   bool   `json:"check"`
	Files   []struct {
		Path     string `json:"path"`
		Changed  bool   `json:"changed"`
		Written  bool   `json:"written"`
		Findings []struct {
			Rule    string `json:"rule"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
			Name    string `json:"name"`
			Await   *struct{ Line, Column int }
			Message string `json:"message"`
			Fixed   *bool  `json:"fixed"`
			Fix     string `json:"fix"`
			Reason  string `json:"reason"`
		} `json:"findings"`
		Warnings []string `json:"warnings"`
		Error    string   `json:"error"`
	} `json:"files"`
	Errors []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	} `json:"errors"`
	Summary struct {
		FilesScanned int            `json:"files_scanned"`
		FilesChanged int            `json:"files_changed"`
		FilesWritten int            `json:"files_written"`
		Errors       int            `json:"errors"`
		Fixed        map[string]int `json:"fixed"`
		Unfixed      map[string]int `json:"unfixed"`
		Suppressed   *int           `json:"suppressed"`
		Interrupted  bool           `json:"interrupted"`
	} `json:"summary"`
}

func decodeJSON(t *testing.T, s string) jsonDoc {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var d jsonDoc
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not a JSON document of the schema: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", s)
	}
	return d
}

func TestJSON(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"a.rs":     "x\n  FIXME\n",
		"b.rs":     "UNFIXABLE WARNME\n",
		"clean.rs": "fn main() {}\n",
		"bad.rs":   "\xff\xfe\n",
	})
	r := run(t, dir, "--json")
	if r.code != 2 {
		t.Errorf("exit %d, want 2 for bad.rs", r.code)
	}
	if !strings.Contains(r.stderr, "sendfix: bad.rs: not UTF-8 text") || strings.Contains(r.stderr, "warning") {
		t.Errorf("stderr under --json: %q", r.stderr)
	}
	d := decodeJSON(t, r.stdout)
	if d.Version != 1 || d.Mode != "dry-run" || d.Check {
		t.Errorf("header: %+v", d)
	}
	var paths []string
	for _, f := range d.Files {
		paths = append(paths, f.Path)
	}
	if !slices.Equal(paths, []string{"a.rs", "b.rs", "bad.rs"}) {
		t.Fatalf("files %v, want a.rs b.rs bad.rs (clean.rs has nothing to say)", paths)
	}
	a, b, bad := d.Files[0], d.Files[1], d.Files[2]
	if !a.Changed || a.Written || len(a.Findings) != 1 {
		t.Fatalf("a.rs: %+v", a)
	}
	fa := a.Findings[0]
	if fa.Rule != "mutex-scope" || fa.Line != 2 || fa.Column != 3 || fa.Fixed == nil || !*fa.Fixed || fa.Fix == "" || fa.Reason != "" || fa.Name != "guard" || fa.Await != nil {
		t.Errorf("a.rs finding: %+v", fa)
	}
	if b.Changed || len(b.Findings) != 1 || !slices.Equal(b.Warnings, []string{"cannot parse line 2"}) {
		t.Fatalf("b.rs: %+v", b)
	}
	fb := b.Findings[0]
	if fb.Fixed == nil || *fb.Fixed || fb.Reason != "guard is used after the await on line 2" || fb.Fix != "" || fb.Await == nil || fb.Await.Line != 2 {
		t.Errorf("b.rs finding: %+v", fb)
	}
	if bad.Error == "" || bad.Findings == nil {
		t.Errorf("bad.rs: %+v", bad)
	}
	if len(d.Errors) != 1 || d.Errors[0].Path != "bad.rs" {
		t.Errorf("errors: %+v", d.Errors)
	}
	s := d.Summary
	if s.FilesScanned != 3 || s.FilesChanged != 1 || s.FilesWritten != 0 || s.Errors != 1 ||
		s.Fixed["mutex-scope"] != 1 || s.Unfixed["guard is used after the await on line N"] != 1 || s.Interrupted {
		t.Errorf("summary: %+v", s)
	}

	// --write and --check are reported; an empty run is still a document.
	os.Remove(filepath.Join(dir, "bad.rs"))
	r = run(t, dir, "--json", "-w", "--check")
	d = decodeJSON(t, r.stdout)
	if r.code != 1 || d.Mode != "write" || !d.Check || !d.Files[0].Written || d.Summary.FilesWritten != 1 {
		t.Errorf("--json -w --check: exit %d, %+v", r.code, d)
	}
	r = run(t, dir, "--json", "clean.rs")
	d = decodeJSON(t, r.stdout)
	if r.code != 0 || len(d.Files) != 0 || d.Files == nil || d.Errors == nil || d.Summary.FilesScanned != 1 {
		t.Errorf("clean run: exit %d, %s", r.code, r.stdout)
	}
}

func TestSummaryGroupsByNumbersNotNames(t *testing.T) {
	got := digits.ReplaceAllString("guard `l2` is used after `fetch2(..).await` at line 41 (3 lock calls)", "N")
	if want := "guard `l2` is used after `fetch2(..).await` at line N (N lock calls)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHelpNamesTheCommandAsTyped(t *testing.T) {
	var out, errb strings.Builder
	if code := runMain([]string{"--help"}, strings.NewReader(""), &out, &errb, "cargo sendfix"); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "Usage: cargo sendfix [flags]") {
		t.Errorf("help starts %q", out.String()[:40])
	}
}
