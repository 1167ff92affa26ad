package golden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"sendfix/rewrite"
)

// The compiler-in-the-loop tests run `sendfix --cargo` and `cargo sendfix`
// on copies of the workspace in cargo/ (a package for each shape the loop
// decides, a lib, and two bins behind features) and judge the result with
// a real `cargo check` and a run of each program. Every copy shares one
// CARGO_TARGET_DIR (under $SENDFIX_CARGO_DIR when set, else the user
// cache folder), so tokio is built once.

// cargoWorkspace copies cargo/ to a temporary folder, skipping (or, with
// SENDFIX_REQUIRE_RUSTC=1, failing) when cargo or tokio's sources are
// missing.
func cargoWorkspace(t *testing.T) string {
	t.Helper()
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	skip := ""
	if _, err := exec.LookPath("cargo"); err != nil {
		skip = "cargo is not on PATH"
	} else if m, _ := filepath.Glob(filepath.Join(registry, "tokio-[0-9]*")); len(m) == 0 {
		skip = "no tokio sources in " + registry
	}
	if skip != "" {
		if os.Getenv("SENDFIX_REQUIRE_RUSTC") == "1" {
			t.Fatalf("SENDFIX_REQUIRE_RUSTC=1 but %s; %s", skip, installHint)
		}
		t.Skipf("%s; %s (with SENDFIX_REQUIRE_RUSTC=1 this fails instead)", skip, installHint)
	}
	dst := t.TempDir()
	err := filepath.Walk("cargo", func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("cargo", p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// cargoEnv is the environment of cargo and of sendfix --cargo in tests.
func cargoEnv(t *testing.T) []string {
	t.Helper()
	target := os.Getenv("SENDFIX_CARGO_DIR")
	if target != "" {
		target += "-target"
	} else {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		target = filepath.Join(base, "sendfix-cargo-target")
	}
	return append(os.Environ(), append(gitEnv,
		"CARGO_TARGET_DIR="+target,
		"CARGO_TERM_COLOR=never", "CARGO_TERM_PROGRESS_WHEN=never")...)
}

// sendfixCargo runs the built command in dir with the shared target folder.
func sendfixCargo(t *testing.T, dir string, stdin []byte, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	out, errb, code := runSendfix(t, dir, cargoEnv(t), stdin, args...)
	return string(out), string(errb), code
}

// cargoErrors runs cargo check in dir and returns its JSON output and the
// distinct error messages as "file:line: message".
func cargoErrors(t *testing.T, dir string, args ...string) (raw []byte, errs []string) {
	t.Helper()
	cmd := exec.Command("cargo", append([]string{"check", "--message-format=json", "--all-targets", "--keep-going"}, args...)...)
	cmd.Dir = dir
	cmd.Env = cargoEnv(t)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	runErr := cmd.Run()
	seen := map[string]bool{}
	for _, l := range bytes.Split(out.Bytes(), []byte("\n")) {
		var m struct {
			Reason  string `json:"reason"`
			Message *struct {
				Level   string `json:"level"`
				Message string `json:"message"`
				Spans   []struct {
					FileName  string `json:"file_name"`
					LineStart int    `json:"line_start"`
					IsPrimary bool   `json:"is_primary"`
				} `json:"spans"`
			} `json:"message"`
		}
		if json.Unmarshal(l, &m) != nil || m.Reason != "compiler-message" || m.Message == nil || m.Message.Level != "error" {
			continue
		}
		loc := ""
		for _, s := range m.Message.Spans {
			if s.IsPrimary {
				loc = s.FileName + ":" + itoa(s.LineStart)
				break
			}
		}
		e := loc + ": " + m.Message.Message
		if !seen[e] {
			seen[e] = true
			errs = append(errs, e)
		}
	}
	if runErr != nil && len(errs) == 0 {
		t.Fatalf("cargo check failed without a diagnostic: %v\n%s", runErr, tail(errb.String(), 3000))
	}
	return out.Bytes(), errs
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// snapshot reads every file of dir but target/.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && (info.Name() == "target" || info.Name() == ".git") {
			return filepath.SkipDir
		}
		if !info.IsDir() && info.Name() != "Cargo.lock" {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func changedFiles(before, after map[string]string) []string {
	var out []string
	for p, s := range after {
		if before[p] != s {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p+" (removed)")
		}
	}
	sort.Strings(out)
	return out
}

// cargoSendfixBin is the cargo-sendfix command, built once next to the
// sendfix command.
var cargoSendfixBin = sync.OnceValues(func() (string, error) {
	if sendfixBuildErr != nil {
		return "", sendfixBuildErr
	}
	bin := filepath.Join(filepath.Dir(sendfixBin), "cargo-sendfix")
	if out, err := exec.Command("go", "build", "-o", bin, "sendfix/cmd/cargo-sendfix").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/cargo-sendfix: %v\n%s", err, out)
	}
	return bin, nil
})

// cargoSendfix runs `cargo sendfix ARGS` (the cargo-sendfix command as cargo
// calls it) in dir.
func cargoSendfix(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bin, err := cargoSendfixBin()
	if err != nil {
		t.Fatal(err)
	}
	out, errb, code := runCommand(t, bin, dir, cargoEnv(t), nil, append([]string{"sendfix"}, args...)...)
	return string(out), string(errb), code
}

// cargoReport is the part of sendfix's --json document these tests read.
type cargoReport struct {
	Files []struct {
		Path     string `json:"path"`
		Changed  bool   `json:"changed"`
		Written  bool   `json:"written"`
		Findings []struct {
			Rule   string `json:"rule"`
			Line   int    `json:"line"`
			Fixed  bool   `json:"fixed"`
			Fix    string `json:"fix"`
			Reason string `json:"reason"`
			Site   *struct {
				Line   int    `json:"line"`
				Kind   string `json:"kind"`
				Type   string `json:"type"`
				Inner  string `json:"inner"`
				Struct string `json:"struct"`
			} `json:"site"`
			Tried []struct {
				Rung    string `json:"rung"`
				Verdict string `json:"verdict"`
				Kept    bool   `json:"kept"`
			} `json:"tried"`
		} `json:"findings"`
	} `json:"files"`
	Summary struct {
		Cargo *struct {
			Rounds  int     `json:"rounds"`
			Builds  int     `json:"builds"`
			Seconds float64 `json:"seconds"`
			Fixed   int     `json:"send_failures_fixed"`
			Left    int     `json:"send_failures_left"`
		} `json:"cargo"`
	} `json:"summary"`
}

func parseReport(t *testing.T, stdout string) *cargoReport {
	t.Helper()
	var r cargoReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("--json output: %v\n%s", err, stdout)
	}
	if r.Summary.Cargo == nil {
		t.Fatalf("--json output has no summary.cargo:\n%s", stdout)
	}
	return &r
}

// tried renders a finding's attempts as "rung: verdict (kept) -> ..."
// with verdicts cut at their first colon, and its rule.
func (r *cargoReport) tried(path string) map[string]string {
	out := map[string]string{}
	for _, f := range r.Files {
		if f.Path != path {
			continue
		}
		for _, fd := range f.Findings {
			var parts []string
			for _, a := range fd.Tried {
				v, _, _ := strings.Cut(a.Verdict, ":")
				v, _, _ = strings.Cut(v, " at ")
				parts = append(parts, a.Rung+": "+v)
				if a.Kept {
					parts[len(parts)-1] += " (kept)"
				}
			}
			out[fmt.Sprintf("%s:%d", fd.Rule, fd.Line)] = strings.Join(parts, " -> ")
		}
	}
	return out
}

// programs are the packages of cargo/ with a main, which must run to exit
// 0 once fixed.
var programs = []string{"app", "other-file", "grown-scope", "watch-ref", "box-future", "good-and-bad", "weak-field"}

// TestCargoLoop: `cargo sendfix` (the compiler decides, by default) on the
// whole workspace. Its dry run changes no file and prints the diff of
// what compiled; `--write` writes exactly that. Each package's Send
// failure is fixed by the candidate its shape calls for, the fixes that
// broke the build rolled back alone, in as many rounds as the deepest
// ladder; the build ends with no error, and every program runs to exit 0.
// (That a second run changes nothing is the fake-checker tests' and the
// build's.)
func TestCargoLoop(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	diff, stderr, code := cargoSendfix(t, ws)
	if code != 0 || !strings.Contains(diff, "+++ b/grown-scope/src/main.rs") {
		t.Fatalf("cargo sendfix: exit %d\n%s\n%s", code, diff, stderr)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Fatalf("the dry run changed %v", got)
	}
	// The editor's command: cargo's messages of the files on disk, the
	// verified fixes attached as suggestions.
	msgs, stderr, code := cargoSendfix(t, ws, "--message-format", "json")
	if code != 0 {
		t.Fatalf("cargo sendfix --message-format json: exit %d\n%s", code, stderr)
	}
	suggested := applySuggestions(t, ws, []byte(msgs))
	stdout, stderr, code := cargoSendfix(t, ws, "--write", "--json")
	if code != 0 {
		t.Fatalf("cargo sendfix --write --json: exit %d\n%s", code, stderr)
	}
	r := parseReport(t, stdout)
	// The dry run's diff gives what --write wrote.
	ws2 := cargoWorkspace(t)
	run(t, ws2, []byte(diff), "git", "apply", "-")
	after := snapshot(t, ws)
	for _, p := range changedFiles(after, snapshot(t, ws2)) {
		t.Errorf("%s differs between the dry run's diff and --write", p)
	}
	for _, p := range changedFiles(before, after) {
		if suggested[p] != after[p] {
			t.Errorf("%s: the suggestions of --message-format json give\n%s\n--write wrote\n%s", p, suggested[p], after[p])
		}
	}
	for p := range suggested {
		if suggested[p] != after[p] {
			t.Errorf("%s: suggested a change --write did not make", p)
		}
	}

	want := map[string]map[string]string{
		"app/src/main.rs":          {"mutex-scope:25": "scope: compiles (kept)", "mutex-scope:31": "scope: compiles (kept)", "mutex-scope:48": "scope: compiles (kept)"},
		"store/src/lib.rs":         {"mutex-scope:28": "scope: compiles (kept)"},
		"other-file/src/main.rs":   {"tokio-mutex:19": "tokio swap: compiles (kept)"},
		"grown-scope/src/main.rs":  {"mutex-scope:17": "grown scope: compiles (kept)"},
		"watch-ref/src/main.rs":    {"mutex-scope:15": "scope: compiles (kept)"},
		"box-future/src/main.rs":   {"mutex-scope:17": "scope: compiles (kept)"},
		"good-and-bad/src/main.rs": {"rc-arc:19": "rc-arc: compiles (kept)", "tokio-mutex:28": "scope: E0597 -> tokio swap: compiles (kept)"},
		"weak-field/src/main.rs":   {"rc-arc:17": "rc-arc: compiles (kept)"},
	}
	for path, w := range want {
		got := r.tried(path)
		for k, v := range w {
			if got[k] != v {
				t.Errorf("%s: %s tried %q, want %q (all: %q)", path, k, got[k], v, got)
			}
		}
		if len(got) != len(w) {
			t.Errorf("%s: findings %q, want %q", path, got, w)
		}
	}
	// The Rc's fix was kept in round 1 while the scope of the same file
	// was rolled back: nothing of it was tried again. weak-field's site
	// names the struct and the type within it, and rc-arc's containment
	// changes the struct's Weak field with what flows into it.
	for _, f := range r.Files {
		if f.Path == "weak-field/src/main.rs" {
			if !f.Changed || len(f.Findings) != 1 || f.Findings[0].Site == nil || f.Findings[0].Site.Struct != "Node" || f.Findings[0].Site.Inner != "std::rc::Weak<u32>" {
				t.Errorf("weak-field: %+v", f)
			}
		}
	}
	if c := r.Summary.Cargo; c.Rounds != 2 || c.Builds != 3 || c.Fixed != 11 || c.Left != 0 {
		t.Errorf("summary: %+v, want 2 rounds, 3 builds, 11 fixed, 0 left", *c)
	}
	if got := strings.Join(changedFiles(before, after), " "); got != "app/src/main.rs box-future/src/main.rs good-and-bad/src/main.rs grown-scope/src/main.rs other-file/src/main.rs other-file/src/state.rs store/src/lib.rs watch-ref/src/main.rs weak-field/src/main.rs" {
		t.Errorf("changed files: %s", got)
	}
	_, errs := cargoErrors(t, ws)
	if len(errs) != 0 {
		t.Errorf("cargo check after cargo sendfix --write, want no error:\n%s", strings.Join(errs, "\n"))
	}
	runPrograms(t, ws, programs)
}

// runPrograms builds the packages' programs and runs each to exit 0.
func runPrograms(t *testing.T, ws string, pkgs []string) {
	t.Helper()
	args := []string{"build", "--message-format=json"}
	for _, p := range pkgs {
		args = append(args, "-p", p)
	}
	cmd := exec.Command("cargo", args...)
	cmd.Dir = ws
	cmd.Env = cargoEnv(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cargo build: %v", err)
	}
	ran := 0
	for _, l := range bytes.Split(out, []byte("\n")) {
		var m cargoMessage
		if json.Unmarshal(l, &m) != nil || m.Reason != "compiler-artifact" || m.Executable == nil {
			continue
		}
		if err := runProgram(*m.Executable); err != nil {
			t.Errorf("%s: %v", m.Target.Name, err)
		}
		ran++
	}
	if ran != len(pkgs) {
		t.Errorf("ran %d programs, want %d", ran, len(pkgs))
	}
}

// TestCargoRefusedAndRolledBack: a guard of another crate used after the
// await (no rule may fix it) and a fix that compiles but reveals a borrow
// error the Send failure hid (rolled back: rustc's E0505 would be a new
// error). Both files stay as they were and are reported with what was
// tried; the rest is fixed and the build has no error it did not have.
func TestCargoRefusedAndRolledBack(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	stdout, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "app", "--write", "--json", "--", "--features", "refused,rollback")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	r := parseReport(t, stdout)
	after := snapshot(t, ws)
	for _, f := range []string{"app/src/bin/refused.rs", "app/src/bin/rollback.rs"} {
		if after[f] != before[f] {
			t.Errorf("%s was changed:\n%s", f, after[f])
		}
	}
	if got := r.tried("app/src/bin/refused.rs"); len(got) != 1 || got["mutex-scope:14"] != "" {
		t.Errorf("refused.rs: %q", got)
	}
	if got := r.tried("app/src/bin/rollback.rs"); got["mutex-scope:13"] != "scope: E0505" {
		t.Errorf("rollback.rs: %q", got)
	}
	for _, f := range r.Files {
		for _, fd := range f.Findings {
			if f.Path == "app/src/bin/refused.rs" && !strings.Contains(fd.Reason, "used after the await") ||
				f.Path == "app/src/bin/rollback.rs" && !strings.HasPrefix(fd.Reason, "no candidate compiled: scope: E0505 at app/src/bin/rollback.rs:") {
				t.Errorf("%s: reason %q", f.Path, fd.Reason)
			}
		}
	}
	_, errs := cargoErrors(t, ws, "-p", "app", "--features", "app/refused,app/rollback")
	var files []string
	for _, e := range errs {
		if !strings.Contains(e, "cannot be sent between threads safely") {
			t.Errorf("an error that is not a Send failure: %s", e)
		}
		f, _, _ := strings.Cut(e, ":")
		files = append(files, f)
	}
	sort.Strings(files)
	if got := strings.Join(files, " "); got != "app/src/bin/refused.rs app/src/bin/rollback.rs" {
		t.Errorf("cargo check after: %s", strings.Join(errs, "\n"))
	}
}

// TestCargoDiagnostics: the messages of a build made elsewhere give one
// unverified pass, from a file and from stdin, the printed diff applying
// to give what --write writes.
func TestCargoDiagnostics(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	raw, _ := cargoErrors(t, ws)
	msgs := filepath.Join(t.TempDir(), "messages.json")
	if err := os.WriteFile(msgs, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	viaFile, stderr, code := sendfixCargo(t, ws, nil, "--diagnostics", msgs)
	if code != 0 || !strings.Contains(viaFile, "+++ b/app/src/main.rs") || !strings.Contains(stderr, "not verified") {
		t.Fatalf("--diagnostics FILE: exit %d\n%s\n%s", code, viaFile, stderr)
	}
	viaStdin, stderr, code := sendfixCargo(t, ws, raw, "--diagnostics", "-")
	if code != 0 || viaStdin != viaFile {
		t.Errorf("--diagnostics -: exit %d\n%s\n--- diff:\n%s", code, stderr, viaStdin)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("a dry run changed %v", got)
	}
	ws2 := cargoWorkspace(t)
	run(t, ws2, []byte(viaFile), "git", "apply", "-")
	if _, stderr, code := sendfixCargo(t, ws, nil, "--diagnostics", msgs, "--write"); code != 0 {
		t.Fatalf("--diagnostics --write: exit %d\n%s", code, stderr)
	}
	for _, p := range changedFiles(snapshot(t, ws2), snapshot(t, ws)) {
		t.Errorf("%s differs between the applied diff and --diagnostics --write", p)
	}
}

// TestCargoRefusesDirtyFiles: like cargo fix, no write into a file with
// uncommitted changes unless --allow-dirty; nothing is written then.
func TestCargoRefusesDirtyFiles(t *testing.T) {
	ws := cargoWorkspace(t)
	run(t, ws, nil, "git", "init", "-q")
	run(t, ws, nil, "git", "add", ".")
	run(t, ws, nil, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "ws")
	lib := filepath.Join(ws, "store", "src", "lib.rs")
	data, _ := os.ReadFile(lib)
	if err := os.WriteFile(lib, append(data, []byte("// local edit\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, ws)
	// app's build reports the Send failure of store's spawned fn.
	_, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "app", "--write")
	if code != 2 || !strings.Contains(stderr, "store/src/lib.rs") || !strings.Contains(stderr, "uncommitted changes") || !strings.Contains(stderr, "--allow-dirty") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("written despite a dirty file: %v", got)
	}
	if _, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "app", "--write", "--allow-dirty"); code != 0 || !strings.Contains(stderr, "4 Send failures fixed, 0 Send failures left") {
		t.Errorf("--allow-dirty: exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(lib); !bytes.HasSuffix(got, []byte("// local edit\n")) {
		t.Errorf("the local edit was lost")
	}
}

// applySuggestions reads cargo's JSON messages (--message-format json
// under the compiler) strictly, checks that cargo's Send errors carry
// sendfix's fixes, and returns, by file relative to ws, the text the
// machine-applicable suggestions give.
func applySuggestions(t *testing.T, ws string, out []byte) map[string]string {
	t.Helper()
	edits := map[string][]rewrite.Edit{}
	carried, finished := 0, 0
	for _, l := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		var m struct {
			Reason  string           `json:"reason"`
			Message *rustcDiagnostic `json:"message"`
		}
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, l)
		}
		if m.Reason == "build-finished" {
			finished++
		}
		if m.Message == nil {
			continue
		}
		for _, c := range m.Message.Children {
			if strings.Contains(m.Message.Message, "cannot be sent between threads safely") && len(c.Spans) > 0 && c.Spans[0].SuggestedReplacement != nil {
				carried++
			}
			for _, s := range c.Spans {
				if s.SuggestedReplacement != nil && s.SuggestionApplicability != nil && *s.SuggestionApplicability == "MachineApplicable" {
					edits[s.FileName] = append(edits[s.FileName], rewrite.Edit{Start: s.ByteStart, End: s.ByteEnd, New: *s.SuggestedReplacement})
				}
			}
		}
	}
	if carried == 0 || finished != 1 {
		t.Fatalf("%d Send errors carrying a fix, %d build-finished:\n%s", carried, finished, out)
	}
	got := map[string]string{}
	for name, es := range edits {
		src, err := os.ReadFile(filepath.Join(ws, name))
		if err != nil {
			t.Fatal(err)
		}
		norm, err := rewrite.Normalize(es, len(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fixed, err := rewrite.Apply(src, norm)
		if err != nil {
			t.Fatal(err)
		}
		got[filepath.ToSlash(name)] = string(fixed)
	}
	return got
}
