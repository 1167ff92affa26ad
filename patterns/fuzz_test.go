package patterns

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sendfix/rewrite"
)

// The fuzz targets check the engine's contract on any input: it either
// leaves the file unchanged, or its output
//  1. parses with no more ERROR or MISSING nodes than the input,
//  2. is left unchanged by a second run,
//  3. equals the input with Result.Edits applied pass by pass, and with
//     Result.Fixes applied at once (checkFixes),
//
// it never panics, and 4. a file it reports anything in passes the
// prefilters (MayMatch, Index.MayMatch), every guard-returning fn the
// parser indexes is among GuardFnCandidates, and the token reading sees
// every async fn (by its key), async body, await, Send-required body and
// rc-arc trigger the parser sees, when it parses
// without syntax errors (in a broken file, say an unterminated string, the
// prefilter's lexer and the parser's error recovery may pair the quotes
// differently). A plain `go test` runs the seeds (the golden cases
// and testdata/fuzz/<target>/); `go test -run '^$' -fuzz FuzzEngine
// -fuzztime 30s ./patterns` explores further.

// fuzzConfigs are the configurations a fuzz input picks from with its
// mode byte, so that every rule and option is exercised.
var fuzzConfigs = []func() Config{
	DefaultConfig,
	func() Config { c := DefaultConfig(); c.AllAsync = true; return c },
	func() Config { c := DefaultConfig(); c.AllAsync = true; c.AllowPublic = true; return c },
	func() Config { return Config{Rules: map[string]bool{RuleMutexScope: true}, AllAsync: true} },
	func() Config { return Config{Rules: map[string]bool{RuleTokioMutex: true}, AllowPublic: true} },
	func() Config { return Config{Rules: map[string]bool{RuleRcArc: true}, AllowPublic: true} },
}

// goldenSources returns the golden inputs and expected outputs, the seeds
// of every fuzz target. It fails the test when there are none, so that a
// moved testdata folder cannot make the seeds silently empty.
func goldenSources(tb testing.TB) [][]byte {
	tb.Helper()
	var srcs [][]byte
	for _, pat := range []string{"*.input.rs", "*.golden.rs"} {
		files, err := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", pat))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			srcs = append(srcs, b)
		}
	}
	if len(srcs) == 0 {
		tb.Fatal("no golden cases under ../golden/testdata/*/ to seed the fuzz targets")
	}
	return srcs
}

// fuzzRun runs src through the engine as the command does for a single
// file: summarize, build the index, run.
func fuzzRun(cfg Config, src []byte) *Result {
	s := NewEngine(cfg, nil)
	idx := NewIndex(s.Summarize("src/lib.rs", src))
	s.Close()
	e := NewEngine(cfg, idx)
	defer e.Close()
	return e.Run("src/lib.rs", src)
}

// syntaxErrors parses src as the engine does (without its BOM) and counts
// its ERROR and MISSING nodes.
func syntaxErrors(tb testing.TB, src []byte) int {
	tb.Helper()
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	tree, err := e.parse(bytes.TrimPrefix(src, bom))
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	defer tree.Close()
	return countErrors(tree.RootNode())
}

// checkContract asserts the engine's contract on one input and returns the
// result.
func checkContract(t *testing.T, cfg Config, src []byte) *Result {
	t.Helper()
	r := fuzzRun(cfg, src)
	if !bytes.Equal(r.In, src) {
		t.Fatalf("Result.In is not the input")
	}
	if syntaxErrors(t, src) == 0 {
		// (4) The prefilters let the file through, with the index a run
		// of this one file builds; the token readings see what the parser
		// sees.
		s := NewEngine(cfg, nil)
		sum := s.Summarize("src/lib.rs", src)
		s.Close()
		idx := NewIndex(sum)
		if len(r.Findings) > 0 {
			checkPrefilter(t, "fuzz input", "src/lib.rs", src, cfg, idx, idx)
		}
		checkCandidates(t, "src/lib.rs", GuardFnCandidates(src), sum.GuardFns)
		e := NewEngine(cfg, NewIndex())
		defer e.Close()
		body := bytes.TrimPrefix(src, bom)
		if tree, err := e.parse(body); err == nil {
			checkReading(t, "src/lib.rs", "src/lib.rs", body, tree.RootNode(), idx)
			fc := &fileCtx{src: body, root: tree.RootNode()}
			fc.bodies = findBodies("", body, fc.root, NewIndex(), true)
			if mayTrigger(fc) && !rcMayTrigger(body) {
				t.Errorf("a body may trigger rc-arc, but rcMayTrigger is false")
			}
			tree.Close()
		}
	}
	for _, f := range r.Findings {
		if f.Pos.Offset < 0 || f.Pos.Offset > len(src) || f.Pos.Line < 1 || f.Pos.Col < 1 {
			t.Errorf("finding position out of the file: %+v", f)
		}
		if f.Fixed == (f.Reason != "") {
			t.Errorf("a finding is either fixed or has a reason: %+v", f)
		}
		if f.Fixed && !r.Changed() {
			t.Errorf("a finding claims a fix but the file is unchanged: %+v", f)
		}
	}
	if !r.Changed() {
		if len(r.Edits) != 0 {
			t.Errorf("unchanged file, but %d passes of edits reported", len(r.Edits))
		}
		return r
	}
	if r.Internal != nil {
		t.Fatalf("changed output with an internal error: %v", r.Internal)
	}
	// (3) The edits reproduce the output.
	got := src
	for i, pass := range r.Edits {
		var err error
		if got, err = rewrite.Apply(got, pass); err != nil {
			t.Fatalf("pass %d edits do not apply: %v", i+1, err)
		}
	}
	if !bytes.Equal(got, r.Out) {
		t.Fatalf("the reported edits do not reproduce the output\n--- edits give:\n%s\n--- output:\n%s", got, r.Out)
	}
	checkFixes(t, r) // and so do the Fixes, against the input
	// (1) No new syntax errors.
	if in, out := syntaxErrors(t, src), syntaxErrors(t, r.Out); out > in {
		t.Fatalf("output has %d syntax errors, input %d\n--- output:\n%s", out, in, r.Out)
	}
	// (2) A second run changes nothing.
	r2 := fuzzRun(cfg, r.Out)
	if r2.Changed() {
		t.Fatalf("a second run changes the output\n--- input:\n%s\n--- first output:\n%s\n--- second output:\n%s", src, r.Out, r2.Out)
	}
	return r
}

func FuzzEngine(f *testing.F) {
	for i, src := range goldenSources(f) {
		f.Add(src, uint8(i%len(fuzzConfigs)))
	}
	f.Fuzz(func(t *testing.T, src []byte, mode uint8) {
		checkContract(t, fuzzConfigs[int(mode)%len(fuzzConfigs)](), src)
	})
}

// spliceTokens are fragments whose insertion anywhere in a real file makes
// the shapes the rules look at, and the syntax around them, appear, vanish
// or break: byte-level mutation alone rarely builds them.
var spliceTokens = []string{
	".await", ".lock().unwrap()", "let g = m.lock().unwrap();\n", "drop(g);\n", "g.len();\n",
	"{", "}", "{\n", "}\n", "(", ")", ";", "\n", "\r\n", "\t", "    ",
	"async ", "async move ", "tokio::spawn(async move {\n", "});\n", "return;\n", "?",
	"Rc::new(1)", "Rc<RefCell<u8>>", "std::sync::Mutex", "use std::rc::Rc;\n",
	"//", "/*", "*/", "\"", "r#\"", "\"#", "'a", "#[cfg(test)]\n", "macro_rules! m { () => {} }\n",
	"async || 1", "&raw const x", "\xef\xbb\xbf", "\x00", "\xff", "é", "let ", "match x { _ => {} }",
	"loop {\n", "break;\n", "if c {\n", "} else {\n", "fn f() {\n", "impl S {\n", "mod m {\n",
}

func FuzzEngineSplice(f *testing.F) {
	for i, src := range goldenSources(f) {
		f.Add(src, uint32(i*7919), uint8(i), uint8(i%3), uint8(i%len(fuzzConfigs)))
	}
	f.Fuzz(func(t *testing.T, src []byte, at uint32, tok, times, mode uint8) {
		pos := 0
		if len(src) > 0 {
			pos = int(at % uint32(len(src)+1))
		}
		ins := bytes.Repeat([]byte(spliceTokens[int(tok)%len(spliceTokens)]), int(times%4)+1)
		in := append(append(append([]byte(nil), src[:pos]...), ins...), src[pos:]...)
		checkContract(t, fuzzConfigs[int(mode)%len(fuzzConfigs)](), in)
	})
}

// TestFuzzSeedsFixSomething guards the fuzz targets against a seed corpus
// that never reaches a fix, which would make properties (1) to (3) vacuous.
func TestFuzzSeedsFixSomething(t *testing.T) {
	changed := 0
	for _, src := range goldenSources(t) {
		if fuzzRun(fuzzConfigs[1](), src).Changed() {
			changed++
		}
	}
	if changed < 10 {
		t.Fatalf("only %d seeds are changed by the engine; the fuzz properties would be vacuous", changed)
	}
	t.Log(fmt.Sprintf("%d seeds changed", changed))
}

// TestRcArcSharedTypesReportOnce: when two Rc groups share the types one
// fix converts, the second group must not come back in the next pass (or
// on the output) as an unfixed finding with no reason.
func TestRcArcSharedTypesReportOnce(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "golden", "testdata", "rc-arc", "map-downgrade.input.rs"))
	if err != nil {
		t.Fatal(err)
	}
	r := checkContract(t, DefaultConfig(), src)
	if !r.Changed() || len(r.Findings) != 1 || !r.Findings[0].Fixed {
		t.Errorf("want one fixed finding, got %+v", r.Findings)
	}
	if r2 := fuzzRun(DefaultConfig(), r.Out); len(r2.Findings) != 0 {
		t.Errorf("the output still has findings: %+v", r2.Findings)
	}
}
