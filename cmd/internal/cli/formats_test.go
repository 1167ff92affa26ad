package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/patterns"
)

var update = flag.Bool("update", false, "rewrite testdata/formats/*.golden from the output")

// scripted is an engine that returns, for each path, the output and
// findings it is given: the output formats are tested apart from what the
// rules find.
type scripted map[string]scriptedFile

type scriptedFile struct {
	out        string // "" means unchanged
	findings   []patterns.Finding
	suppressed int
}

func (s scripted) factory(patterns.Config, *patterns.Index) engine { return s }

func (s scripted) Summarize(path string, _ []byte) *patterns.Summary {
	return &patterns.Summary{Path: path}
}

func (s scripted) Run(path string, src []byte) *patterns.Result {
	res := &patterns.Result{Path: path, In: src, Out: src}
	if f, ok := s[path]; ok {
		if f.out != "" {
			res.Out = []byte(f.out)
		}
		res.Findings, res.Suppressed = f.findings, f.suppressed
	}
	return res
}

func (scripted) Close() {}

const fmtArticle = `use std::sync::{Arc, Mutex};

async fn some_async_function() {}

async fn problematic_task(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        let mut guard = data.lock().unwrap();
        *guard += 1;

        // This await keeps the guard alive across threads!
        some_async_function().await;
    });
}
`

const fmtArticleFixed = `use std::sync::{Arc, Mutex};

async fn some_async_function() {}

async fn problematic_task(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        {
            let mut guard = data.lock().unwrap();
            *guard += 1;
        }

        // This await keeps the guard alive across threads!
        some_async_function().await;
    });
}
`

const fmtTemporary = "async fn publish(n: usize) {}\n\nfn start(p: Arc<Mutex<Vec<u8>>>) {\n" +
	"    tokio::spawn(async move {\n        publish(p.lock().unwrap().len()).await;\n    });\n}\n"

const fmtTemporaryFixed = "async fn publish(n: usize) {}\n\nfn start(p: Arc<Mutex<Vec<u8>>>) {\n" +
	"    tokio::spawn(async move {\n        publish({ let guard = p.lock().unwrap(); guard.len() }).await;\n    });\n}\n"

// A tab-indented CRLF file with a BOM and an unfixed finding whose await
// is six lines further on.
const fmtTabs = "\ufeffasync fn send(v: &[u8]) {}\r\n\r\nasync fn flush(q: Arc<Mutex<Vec<u8>>>) {\r\n" +
	"\tlet mut queue = q.lock().unwrap();\r\n\tqueue.push(1);\r\n\r\n\r\n\r\n\r\n\tsend(&queue).await;\r\n}\r\n"

const fmtRc = "use std::rc::Rc;\n\npub struct Settings { pub name: Rc<str> }\n\nasync fn announce(settings: Settings) {}\n"

// The path has the characters GitHub and SARIF must escape.
const fmtOddPath = "src/odd,name:100%.rs"

func formatFixture(t *testing.T) (string, scripted) {
	t.Helper()
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"src/main.rs": fmtArticle, "src/temp.rs": fmtTemporary, "src/tabs.rs": fmtTabs,
		"src/rc.rs": fmtRc, fmtOddPath: "// sendfix:ignore\nfn quiet() {}\n",
	})
	at := func(line, col, off int) patterns.Pos { return patterns.Pos{Line: line, Col: col, Offset: off} }
	ptr := func(p patterns.Pos) *patterns.Pos { return &p }
	eng := scripted{
		"src/main.rs": {out: fmtArticleFixed, findings: []patterns.Finding{{
			Rule: patterns.RuleMutexScope, Pos: at(7, 17, strings.Index(fmtArticle, "guard =")),
			Await: ptr(at(11, 31, strings.Index(fmtArticle, "await;"))), Name: "guard",
			Message: "`MutexGuard` `guard` is held across an await point of a future that must be Send (the async block is spawned at line 6)",
			Fixed:   true, Fix: "scoped the guard so it is dropped before the await"}}},
		"src/temp.rs": {out: fmtTemporaryFixed, findings: []patterns.Finding{{
			Rule: patterns.RuleMutexScope, Pos: at(5, 17, strings.Index(fmtTemporary, "p.lock")),
			Await: ptr(at(5, 42, strings.Index(fmtTemporary, "await"))), Name: "p.lock().unwrap()",
			Message: "temporary `MutexGuard` of `p.lock().unwrap()` in an argument of an awaited call is held across the await of a future that must be Send",
			Fixed:   true, Fix: "bound the guard with `let` inside a block in the argument, so it is dropped before the await"}}},
		"src/tabs.rs": {findings: []patterns.Finding{{
			Rule: patterns.RuleTokioMutex, Pos: at(4, 10, strings.Index(fmtTabs, "queue =")),
			Await: ptr(at(10, 15, strings.Index(fmtTabs, "await"))), Name: "queue",
			Message: "`MutexGuard` `queue` is held across an await point",
			Reason:  "guard `queue` is used after `send(..).await` at line 10; not switching `q` to tokio::sync::Mutex: `try_lock` at line 12 has no like-for-like tokio counterpart; convert it by hand"}}},
		"src/rc.rs": {findings: []patterns.Finding{{
			Rule: patterns.RuleRcArc, Pos: at(5, 19, strings.Index(fmtRc, "settings:")), Name: "settings",
			Message: "`settings` holds an Rc, which is not Send, and async fn `announce` must be Send: its future is spawned",
			Reason:  "the Rc type of `name` is public API (line 3); changing it may break code outside the given files (use --allow-public)"}}},
		fmtOddPath: {suppressed: 2, findings: []patterns.Finding{{
			Rule: patterns.RuleRcArc, Pos: at(2, 4, strings.Index("// sendfix:ignore\nfn quiet() {}\n", "quiet")), Name: "quiet",
			Message: "`quiet` holds an Rc, which is not Send, and 100% sure: a, b",
			Reason:  "line one\nline two"}}},
	}
	return dir, eng
}

// runScripted runs the command in dir with eng; terminal says whether
// stdout and stderr are terminals.
func runScripted(t *testing.T, dir string, eng scripted, terminal bool, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &App{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getwd:      func() (string, error) { return dir, nil },
		Getenv:     func(string) string { return "" },
		IsTerminal: func(io.Writer) bool { return terminal },
		Context:    context.Background(),
		newEngine:  eng.factory,
		// No progress line in these runs: they are short.
		progressDelay: 1 << 62,
	}
	return result{a.Run(args), out.String(), errb.String()}
}

// TestFormatGoldens runs the same findings through every format and
// compares both streams and the exit status with testdata/formats.
func TestFormatGoldens(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		args     []string
	}{
		{"human", false, []string{"--check"}},
		{"human-color", true, []string{"--check"}},
		{"human-write", false, []string{"-w"}},
		{"short", false, []string{"--check", "--format", "short"}},
		{"github", false, []string{"--check", "--format=github"}},
		{"sarif", false, []string{"--check", "--format", "sarif"}},
		{"json", false, []string{"--check", "--json"}},
		{"message-json", false, []string{"--check", "--message-format", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, eng := formatFixture(t)
			r := runScripted(t, dir, eng, tc.terminal, tc.args...)
			got := fmt.Sprintf("-- args: %s --\n-- exit: %d --\n-- stdout --\n%s-- stderr --\n%s", strings.Join(tc.args, " "), r.code, r.stdout, r.stderr)
			// Absolute paths (in package ids) name the temporary folder.
			got = strings.ReplaceAll(got, filepath.ToSlash(dir), "$DIR")
			path := filepath.Join("testdata", "formats", tc.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/internal/cli -run TestFormatGoldens -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (-update rewrites it):\n%s", path, got)
			}
		})
	}
}

// TestFormatsReplaceTheDiff checks what the goldens show, so that a wrong
// golden cannot pass unnoticed.
func TestFormatsReplaceTheDiff(t *testing.T) {
	dir, eng := formatFixture(t)
	for _, f := range []string{"short", "github", "sarif"} {
		r := runScripted(t, dir, eng, false, "--check", "--format", f)
		if r.code != 1 || strings.Contains(r.stdout, "+++ b/") || strings.Contains(r.stderr, "warning[") {
			t.Errorf("%s: exit %d; the diff or the human report leaked:\n%s\n%s", f, r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stderr, "sendfix: 5 files scanned, 2 files would change, 2 fixes (mutex-scope: 2), 3 findings left unfixed") ||
			!strings.Contains(r.stderr, "2 findings suppressed") {
			t.Errorf("%s: summary:\n%s", f, r.stderr)
		}
	}
	r := runScripted(t, dir, eng, false, "--format", "short")
	want := "src/main.rs:7:17: mutex-scope: `MutexGuard` `guard` is held across an await point of a future that must be Send (the async block is spawned at line 6) (fix: scoped the guard so it is dropped before the await)\n"
	if r.code != 0 || !strings.Contains(r.stdout, want) || len(lines(r.stdout)) != 5 {
		t.Errorf("short: exit %d\n%s", r.code, r.stdout)
	}
	r = runScripted(t, dir, eng, false, "--format", "github")
	for _, want := range []string{
		"::warning file=src/main.rs,line=7,col=17,endColumn=22,title=sendfix mutex-scope::`MutexGuard` `guard` is held across an await point of a future that must be Send (the async block is spawned at line 6)%0Afix: scoped the guard so it is dropped before the await\n",
		"::warning file=src/odd%2Cname%3A100%25.rs,line=2,col=4,endColumn=9,title=sendfix rc-arc::`quiet` holds an Rc, which is not Send, and 100%25 sure: a, b%0Anot fixed: line one%0Aline two\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("github lacks %q:\n%s", want, r.stdout)
		}
	}
	// The human report: on stderr, the diff on stdout.
	r = runScripted(t, dir, eng, false)
	for _, want := range []string{
		"warning[mutex-scope]: `MutexGuard` `guard` is held across an await point of a future that must be Send (the async block is spawned at line 6)\n" +
			"  --> src/main.rs:7:17\n" +
			"   |\n" +
			"7  |         let mut guard = data.lock().unwrap();\n" +
			"   |                 ----- guard created here\n" +
			"...\n" +
			"11 |         some_async_function().await;\n" +
			"   |                               ^^^^^ await occurs here\n" +
			"   |\n" +
			"   = fix: scoped the guard so it is dropped before the await (in the diff)\n\n",
		// Two marks on one line: the left label hangs below.
		"5 |         publish(p.lock().unwrap().len()).await;\n" +
			"  |                 -----------------        ^^^^^ await occurs here\n" +
			"  |                 |\n" +
			"  |                 temporary guard created here\n",
		// Tabs show as four spaces, the BOM and CRLF do not show.
		"4  |     let mut queue = q.lock().unwrap();\n" +
			"   |             ----- guard created here\n...\n" +
			"10 |     send(&queue).await;\n" +
			"   |                  ^^^^^ await occurs here\n",
		"   = note: not fixed: guard `queue` is used after",
		"help: to apply the fixes, run `sendfix --write` with the same paths",
		"For more information about a rule, try `sendfix --explain RULE`.\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("human report lacks\n%s\nin:\n%s", want, r.stderr)
		}
	}
	if !strings.HasPrefix(r.stdout, "--- a/src/main.rs\n") || strings.Contains(r.stderr, "\x1b[") {
		t.Errorf("stdout should be the diff, stderr uncoloured:\n%s", r.stdout)
	}
	// --color=always colours both streams even in a pipe; NO_COLOR is
	// only for auto.
	r = runScripted(t, dir, eng, false, "--color=always")
	if !strings.Contains(r.stderr, "\x1b[1;33mwarning[mutex-scope]\x1b[0m") || !strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("--color=always: stderr not coloured:\n%q", r.stderr)
	}
}

func TestFormatFlagErrors(t *testing.T) {
	dir, eng := formatFixture(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--format", "xml"}, `--format must be one of human, short, github, sarif, json, not "xml"`},
		{[]string{"--format", "sarif", "--json"}, "--json and --format sarif cannot be used together"},
		{[]string{"--format", "short", "-l"}, "--list and --format short cannot be used together"},
	} {
		r := runScripted(t, dir, eng, false, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
	}
}

// TestSARIFStructure checks the log against what the SARIF 2.1.0 schema
// requires of it and what code-scanning uploads read.
func TestSARIFStructure(t *testing.T) {
	dir, eng := formatFixture(t)
	r := runScripted(t, dir, eng, false, "--format", "sarif")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var log map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	str := func(m map[string]any, k string) string {
		t.Helper()
		s, ok := m[k].(string)
		if !ok || s == "" {
			t.Errorf("%q is not a non-empty string in %v", k, m)
		}
		return s
	}
	obj := func(m map[string]any, k string) map[string]any {
		t.Helper()
		o, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("%q is not an object in %v", k, m)
		}
		return o
	}
	arr := func(m map[string]any, k string) []any {
		t.Helper()
		a, ok := m[k].([]any)
		if !ok {
			t.Fatalf("%q is not an array in %v", k, m)
		}
		return a
	}
	num := func(m map[string]any, k string, min float64) float64 {
		t.Helper()
		n, ok := m[k].(float64)
		if !ok || n < min || n != float64(int(n)) {
			t.Errorf("%q is not an integer >= %v in %v", k, min, m)
		}
		return n
	}
	if v := str(log, "version"); v != "2.1.0" {
		t.Errorf("version %q", v)
	}
	if s := str(log, "$schema"); !strings.HasSuffix(s, "sarif-schema-2.1.0.json") {
		t.Errorf("$schema %q", s)
	}
	runs := arr(log, "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs", len(runs))
	}
	run := runs[0].(map[string]any)
	driver := obj(obj(run, "tool"), "driver")
	if str(driver, "name") != "sendfix" {
		t.Errorf("driver name %v", driver["name"])
	}
	if k := str(run, "columnKind"); k != "unicodeCodePoints" {
		t.Errorf("columnKind %q: sendfix counts columns in characters", k)
	}
	ruleIDs := map[string]int{}
	for i, x := range arr(driver, "rules") {
		rule := x.(map[string]any)
		ruleIDs[str(rule, "id")] = i
		str(obj(rule, "shortDescription"), "text")
		str(obj(rule, "help"), "text")
		if lvl := str(obj(rule, "defaultConfiguration"), "level"); lvl != "warning" {
			t.Errorf("rule level %q", lvl)
		}
	}
	for _, r := range patterns.AllRules {
		if _, ok := ruleIDs[r]; !ok {
			t.Errorf("rule %s missing from the driver", r)
		}
	}
	results := arr(run, "results")
	if len(results) != 5 {
		t.Fatalf("%d results, want 5", len(results))
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}
	uris := map[string]bool{}
	for _, x := range results {
		res := x.(map[string]any)
		id := str(res, "ruleId")
		if idx := num(res, "ruleIndex", 0); ruleIDs[id] != int(idx) {
			t.Errorf("ruleIndex %v does not point at %s", idx, id)
		}
		if !levels[str(res, "level")] {
			t.Errorf("level %v", res["level"])
		}
		str(obj(res, "message"), "text")
		locs := arr(res, "locations")
		if len(locs) != 1 {
			t.Errorf("%d locations", len(locs))
		}
		check := func(l map[string]any) {
			pl := obj(l, "physicalLocation")
			uris[str(obj(pl, "artifactLocation"), "uri")] = true
			region := obj(pl, "region")
			num(region, "startLine", 1)
			col := num(region, "startColumn", 1)
			if _, ok := region["endColumn"]; ok && num(region, "endColumn", 1) <= col {
				t.Errorf("endColumn not after startColumn: %v", region)
			}
		}
		check(locs[0].(map[string]any))
		if rel, ok := res["relatedLocations"]; ok {
			for _, l := range rel.([]any) {
				check(l.(map[string]any))
				num(l.(map[string]any), "id", 0)
			}
		}
	}
	for _, want := range []string{"src/main.rs", "src/odd,name:100%25.rs"} {
		if !uris[want] {
			t.Errorf("no result at uri %q (have %v)", want, uris)
		}
	}
	// No findings: still a valid log with an empty results array.
	r = runScripted(t, t.TempDir(), scripted{}, false, "--format", "sarif")
	if !strings.Contains(r.stdout, `"results": []`) || r.code != 0 {
		t.Errorf("empty run: exit %d\n%s", r.code, r.stdout)
	}
}

func TestJSONCountsSuppressed(t *testing.T) {
	dir, eng := formatFixture(t)
	r := runScripted(t, dir, eng, false, "--json")
	d := decodeJSON(t, r.stdout)
	if d.Summary.Suppressed == nil || *d.Summary.Suppressed != 2 || d.Version != 1 {
		t.Errorf("summary suppressed %v, version %d", d.Summary.Suppressed, d.Version)
	}
}
