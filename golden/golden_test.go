package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/patterns"
)

var update = flag.Bool("update", false, "rewrite .golden.rs and .findings from the library's output (never inputs)")

// The sendfix command, built once per test binary run by TestMain.
var (
	sendfixBin      string
	sendfixBuildErr error
)

func TestMain(m *testing.M) {
	flag.Parse()
	readCommandSources()
	tmp, err := os.MkdirTemp("", "sendfix-golden-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	sendfixBin = filepath.Join(tmp, "sendfix")
	if out, err := exec.Command("go", "build", "-o", sendfixBin, "sendfix/cmd/sendfix").CombinedOutput(); err != nil {
		sendfixBuildErr = fmt.Errorf("go build ./cmd/sendfix: %v\n%s", err, out)
	}
	code := m.Run()
	os.RemoveAll(tmp)
	os.Exit(code)
}

// TestGolden runs every case under testdata: subtests are
// <group>/<name>/{library,findings,idempotent,command,rustc}.
func TestGolden(t *testing.T) {
	cases, err := discoverCases("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no cases under testdata/*/")
	}
	judge, unstable := judges(cases)
	byGroup := map[string][]*goldenCase{}
	var groups []string
	for _, c := range cases {
		if byGroup[c.Group] == nil {
			groups = append(groups, c.Group)
		}
		byGroup[c.Group] = append(byGroup[c.Group], c)
	}
	for _, g := range groups {
		t.Run(g, func(t *testing.T) {
			for _, c := range byGroup[g] {
				t.Run(c.Name, func(t *testing.T) {
					if !*update {
						t.Parallel() // -update writes files the compile judge reads
					}
					j := judge
					if c.TokioUnstable {
						j = unstable
					}
					testCase(t, c, j)
				})
			}
		})
	}
}

// judges returns the compile judges of the cases: one project for the
// cases as they are, and one built with tokio's unstable API (`// golden:
// tokio-unstable`: `--cfg tokio_unstable` and tokio's tracing feature,
// which tokio's task::Builder needs) for the others. The second has a
// target folder of its own: its flags build tokio differently, once.
func judges(cases []*goldenCase) (plain, unstable *compileJudge) {
	plain, unstable = &compileJudge{}, &compileJudge{}
	for _, c := range cases {
		if c.TokioUnstable {
			unstable.cases = append(unstable.cases, c)
		} else {
			plain.cases = append(plain.cases, c)
		}
	}
	if dir, err := cargoDir(); err == nil {
		unstable.proj = cargoProject{Dir: dir + "-unstable", Name: "unstable", Unstable: true}
	}
	return plain, unstable
}

func testCase(t *testing.T, c *goldenCase, judge *compileJudge) {
	if c.Err != nil {
		t.Fatal(c.Err)
	}
	res := runLibrary(t, c, c.Input)
	if *update {
		updateCase(t, c, res)
	}
	if c.Golden == nil {
		t.Fatalf("%s is missing (go test ./golden -update writes it)", c.GoldenPath)
	}
	t.Run("output", func(t *testing.T) {
		if res.Internal != nil {
			t.Errorf("internal failure: %v", res.Internal)
		}
		for _, w := range res.Warnings {
			t.Logf("warning: %s", w)
		}
		if !bytes.Equal(res.Out, c.Golden) {
			t.Errorf("output differs from %s:\n%s", c.GoldenPath, describeDiff(t, c.Golden, res.Out))
		}
	})
	t.Run("findings", func(t *testing.T) {
		if !c.HasFindings {
			t.Skipf("no %s", filepath.Base(c.FindPath))
		}
		for _, p := range compareFindings(c.Findings, res.Findings) {
			t.Error(p)
		}
		if t.Failed() {
			t.Logf("got findings:\n%s", formatFindings(actualFindings(res.Findings)))
		}
	})
	t.Run("idempotent", func(t *testing.T) { checkIdempotent(t, c) })
	t.Run("command", func(t *testing.T) { checkCommand(t, c) })
	t.Run("rustc", func(t *testing.T) { checkRustc(t, c, judge) })
}

// runLibrary runs src through the patterns engine as the command would for
// a single file src/main.rs (a crate of its own; see runFiles).
func runLibrary(t *testing.T, c *goldenCase, src []byte) *patterns.Result {
	t.Helper()
	return runFiles(t, c.Args, c.Edition, map[string][]byte{caseFile: src})[caseFile]
}

// updateCase rewrites the case's .golden.rs and .findings from the
// library's result; the input is never written. A .findings file is
// created only when there are findings to record.
func updateCase(t *testing.T, c *goldenCase, res *patterns.Result) {
	if res.Internal != nil {
		t.Fatalf("not updating: internal failure: %v", res.Internal)
	}
	if !bytes.Equal(res.Out, c.Golden) {
		writeOrFail(t, c.GoldenPath, res.Out)
		c.Golden = res.Out
	}
	got := formatFindings(actualFindings(res.Findings))
	if c.HasFindings || len(got) > 0 {
		old, _ := os.ReadFile(c.FindPath)
		if !bytes.Equal(old, got) {
			writeOrFail(t, c.FindPath, got)
		}
		c.HasFindings = true
		c.Findings, _ = parseFindings(got)
	}
}

func writeOrFail(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("updated %s", path)
}

// checkIdempotent runs the engine on the expected output: nothing may change.
func checkIdempotent(t *testing.T, c *goldenCase) {
	res := runLibrary(t, c, c.Golden)
	if res.Internal != nil {
		t.Errorf("internal failure on the golden output: %v", res.Internal)
	}
	if !bytes.Equal(res.Out, c.Golden) {
		t.Errorf("running on %s changes it:\n%s", c.GoldenPath, describeDiff(t, c.Golden, res.Out))
	}
	for _, f := range res.Findings {
		if f.Fixed {
			t.Errorf("a finding on the golden output claims a fix: %s %d:%d %s", f.Rule, f.Pos.Line, f.Pos.Col, f.Fix)
		}
	}
}

// checkRustc asserts the compiler's judgement of the case's files.
func checkRustc(t *testing.T, c *goldenCase, judge *compileJudge) {
	judgeSides(t, c.IsFix(), c.ExpectSendError, c.Run, judge.get(t, binName(c, "in")), func() *binVerdict { return judge.get(t, binName(c, "out")) })
}

// judgeSides asserts rustc's verdicts on a case's input and, for a fix
// case, its output (out is asked only then): a fix case's input fails
// with the Send error and its output compiles (and runs, with run); a
// no-change case compiles (and runs) unless it expects the Send error.
func judgeSides(t *testing.T, fix, expectSend, run bool, in *binVerdict, out func() *binVerdict) {
	t.Helper()
	t.Logf("rustc on the input: %s", in.verdict())
	switch {
	case fix:
		if !in.hasSendError() {
			t.Errorf("input should fail with %q; rustc said:\n%s", sendError, in.summary())
		}
		o := out()
		t.Logf("rustc on the output: %s", o.verdict())
		if len(o.Errors) > 0 || !o.Checked {
			t.Errorf("golden output should compile; rustc said:\n%s", o.summary())
		}
		if run {
			runOrFail(t, o)
		}
	case expectSend:
		if !in.hasSendError() {
			t.Errorf("no-change case with expect=send-error should fail with %q; rustc said:\n%s", sendError, in.summary())
		}
	default:
		if len(in.Errors) > 0 || !in.Checked {
			t.Errorf("no-change case should compile; rustc said:\n%s", in.summary())
		}
		if run {
			runOrFail(t, in)
		}
	}
}

func runOrFail(t *testing.T, v *binVerdict) {
	t.Helper()
	if v.Exe == "" {
		t.Errorf("golden: run, but cargo built no executable")
		return
	}
	if err := runProgram(v.Exe); err != nil {
		t.Errorf("running the output: %v", err)
	}
}

// describeDiff shows how got differs from want: a unified diff, and the
// first differing line quoted, so that line endings and BOMs are visible.
func describeDiff(t *testing.T, want, got []byte) string {
	var b strings.Builder
	wl := strings.SplitAfter(string(want), "\n")
	gl := strings.SplitAfter(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "first difference at line %d:\n  want %q\n  got  %q\n", i+1, w, g)
			break
		}
	}
	dir := t.TempDir()
	wp, gp := filepath.Join(dir, "want"), filepath.Join(dir, "got")
	if os.WriteFile(wp, want, 0o644) == nil && os.WriteFile(gp, got, 0o644) == nil {
		cmd := exec.Command("git", "diff", "--no-index", "--no-color", "--text", "want", "got")
		cmd.Dir = dir
		out, _ := cmd.Output()
		b.Write(out)
	}
	return b.String()
}
