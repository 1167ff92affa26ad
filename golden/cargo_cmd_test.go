package golden

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The compiler-in-the-loop tests run `sendfix --cargo` on copies of the
// workspace in cargo/ (a lib, a bin, and two bins behind features) and
// judge the result with a real `cargo check`. Every copy shares one
// CARGO_TARGET_DIR under the user cache folder, so tokio is built once.

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
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return append(os.Environ(), append(gitEnv,
		"CARGO_TARGET_DIR="+filepath.Join(base, "sendfix-cargo-target"),
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

var passesRe = regexp.MustCompile(`sendfix: (\d+) pass(es)?, `)

// TestCargoWriteEndsClean: the whole workspace is fixed in as few passes
// as rustc allows (it reports one Send failure per function), the build
// ends clean, and a second run finds nothing.
func TestCargoWriteEndsClean(t *testing.T) {
	ws := cargoWorkspace(t)
	_, errs := cargoErrors(t, ws)
	if len(errs) == 0 {
		t.Fatal("the workspace compiles before sendfix: the test proves nothing")
	}
	for _, e := range errs {
		if !strings.Contains(e, sendError) && !strings.Contains(e, "cannot be sent between threads safely") {
			t.Fatalf("the workspace has an error other than a Send failure: %s", e)
		}
	}
	before := snapshot(t, ws)
	_, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "--write")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	m := passesRe.FindStringSubmatch(stderr)
	if m == nil || !strings.Contains(stderr, "cargo check clean") {
		t.Fatalf("no pass count or not clean:\n%s", stderr)
	}
	// in_background's async block shares main with the spawn of
	// store::record: rustc reports it only once that one is fixed.
	if m[1] != "2" {
		t.Errorf("%s passes, want 2:\n%s", m[1], stderr)
	}
	if _, errs := cargoErrors(t, ws); len(errs) > 0 {
		t.Fatalf("cargo check after sendfix --cargo --write:\n%s\nsendfix said:\n%s", strings.Join(errs, "\n"), stderr)
	}
	after := snapshot(t, ws)
	if got := strings.Join(changedFiles(before, after), " "); got != "app/src/main.rs store/src/lib.rs" {
		t.Errorf("changed files: %s", got)
	}
	for _, want := range []string{
		"    let total: u64 = {\n        let mut entries = store.entries();",                       // the lib's guard from a method, in a spawned pub async fn
		"    in_background(async move {\n        {\n            let mut n = c.lock().unwrap();",    // a Send-bound fn, no spawn in sight
		"    let b = tokio::spawn(async move {\n        {\n            let entries = s.entries();", // the second spawn of two_spawns
	} {
		if !strings.Contains(after["app/src/main.rs"]+after["store/src/lib.rs"], want) {
			t.Errorf("the fixed workspace lacks:\n%s", want)
		}
	}
	// Idempotent: nothing left to do.
	_, stderr, code = sendfixCargo(t, ws, nil, "--cargo", "--write")
	if code != 0 || !strings.Contains(stderr, "0 Send failures") {
		t.Errorf("second run: exit %d\n%s", code, stderr)
	}
	if got := changedFiles(after, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("second run changed %v", got)
	}
}

// TestCargoRefusedIsReported: a guard of another crate used after the
// await: no rule may fix it. The rest is fixed, the bin is left as it was,
// and the failure is listed with rustc's location and text.
func TestCargoRefusedIsReported(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	_, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "--write", "--", "--features", "app/refused")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	after := snapshot(t, ws)
	if after["app/src/bin/refused.rs"] != before["app/src/bin/refused.rs"] {
		t.Errorf("refused.rs was changed:\n%s", after["app/src/bin/refused.rs"])
	}
	want := "app/src/bin/refused.rs:14:13: error: future cannot be sent between threads safely"
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "used after the await") || !strings.Contains(stderr, "1 Send failure left") {
		t.Errorf("stderr lacks the refused site (%q) with its reason:\n%s", want, stderr)
	}
	_, errs := cargoErrors(t, ws, "--features", "app/refused")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], "app/src/bin/refused.rs:") {
		t.Errorf("cargo check, want only the refused bin's Send failure:\n%s", strings.Join(errs, "\n"))
	}
}

// TestCargoRollback: the fix of rollback.rs compiles, and then rustc shows
// a borrow error the Send failure hid. Every touched file gets its
// original bytes back and the breaking fix is named.
func TestCargoRollback(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	_, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "--write", "--", "--features", "app/rollback")
	if code != 2 {
		t.Errorf("exit %d, want 2\n%s", code, stderr)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("files not restored: %v", got)
	}
	for _, want := range []string{
		"the fixes broke the build: app/src/bin/rollback.rs:22:", "E0505",
		"the mutex-scope fix of `g` at app/src/bin/rollback.rs:13:", "restored the original of 3 files",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// --broken-code keeps the fixes, as cargo fix does.
	_, stderr, code = sendfixCargo(t, ws, nil, "--cargo", "--write", "--broken-code", "--", "--features", "app/rollback")
	if code != 2 || !strings.Contains(stderr, "kept (--broken-code)") {
		t.Errorf("--broken-code: exit %d\n%s", code, stderr)
	}
	if got := changedFiles(before, snapshot(t, ws)); !strings.Contains(strings.Join(got, " "), "app/src/bin/rollback.rs") {
		t.Errorf("--broken-code: changed %v", got)
	}
}

// TestCargoDiagnosticsSameEdits: the messages of a build made elsewhere
// give the same first-pass diff as --cargo, from a file and from stdin,
// and dry runs change nothing.
func TestCargoDiagnosticsSameEdits(t *testing.T) {
	ws := cargoWorkspace(t)
	before := snapshot(t, ws)
	raw, _ := cargoErrors(t, ws)
	msgs := filepath.Join(t.TempDir(), "messages.json")
	if err := os.WriteFile(msgs, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	viaCargo, stderr, code := sendfixCargo(t, ws, nil, "--cargo")
	if code != 0 || viaCargo == "" {
		t.Fatalf("--cargo dry run: exit %d, diff %q\n%s", code, viaCargo, stderr)
	}
	viaFile, stderr, code := sendfixCargo(t, ws, nil, "--diagnostics", msgs)
	if code != 0 || viaFile != viaCargo {
		t.Errorf("--diagnostics FILE: exit %d\n%s\n--- diff:\n%s\n--- --cargo's:\n%s", code, stderr, viaFile, viaCargo)
	}
	viaStdin, stderr, code := sendfixCargo(t, ws, raw, "--diagnostics", "-")
	if code != 0 || viaStdin != viaCargo {
		t.Errorf("--diagnostics -: exit %d\n%s\n--- diff:\n%s", code, stderr, viaStdin)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("a dry run changed %v", got)
	}
	// The printed diff applies to give what one pass of --write writes.
	run(t, ws, []byte(viaCargo), "git", "apply", "-")
	applied := snapshot(t, ws)
	ws2 := cargoWorkspace(t)
	if _, stderr, code := sendfixCargo(t, ws2, nil, "--diagnostics", msgs, "--write"); code != 0 {
		t.Fatalf("--diagnostics --write: exit %d\n%s", code, stderr)
	}
	for _, p := range changedFiles(applied, snapshot(t, ws2)) {
		t.Errorf("%s differs between the applied diff and --diagnostics --write", p)
	}
}

// TestCargoRefusesDirtyFiles: like cargo fix, no write into a file with
// uncommitted changes unless --allow-dirty.
func TestCargoRefusesDirtyFiles(t *testing.T) {
	ws := cargoWorkspace(t)
	run(t, ws, nil, "git", "init", "-q")
	run(t, ws, nil, "git", "add", ".")
	run(t, ws, nil, "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "ws")
	lib := filepath.Join(ws, "store", "src", "lib.rs")
	data, _ := os.ReadFile(lib)
	dirty := append(data, []byte("// local edit\n")...)
	if err := os.WriteFile(lib, dirty, 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, ws)
	_, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "--write")
	if code != 2 || !strings.Contains(stderr, "uncommitted changes in store/src/lib.rs") || !strings.Contains(stderr, "--allow-dirty") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if got := changedFiles(before, snapshot(t, ws)); len(got) > 0 {
		t.Errorf("written despite a dirty file: %v", got)
	}
	if _, stderr, code := sendfixCargo(t, ws, nil, "--cargo", "--write", "--allow-dirty"); code != 0 || !strings.Contains(stderr, "cargo check clean") {
		t.Errorf("--allow-dirty: exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(lib); !bytes.HasSuffix(got, []byte("// local edit\n")) {
		t.Errorf("the local edit was lost")
	}
}
