package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/patterns"
)

// testdata/cargo-messages.json holds rustc 1.95's error messages (cargo
// check --message-format=json --all-targets, rendered text and
// explanations stripped, the workspace path replaced by /WS) for
// golden/cargo with both features on, plus a captured Rc and a
// std::thread::spawn closure from a second project.
func loadMessages(t *testing.T) []*rustcDiag {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "cargo-messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	diags, err := parseMessages(f)
	if err != nil {
		t.Fatal(err)
	}
	return diags
}

func TestSendFailuresFromRustc(t *testing.T) {
	got := sendFailures(loadMessages(t), "/WS", "/WS")
	type want struct {
		site patterns.Site
		text string
	}
	mg := "std::sync::MutexGuard<'_, "
	wants := []want{
		{patterns.Site{Path: "app/src/bin/refused.rs", Kind: patterns.SiteHeld, Line: 14, Col: 13, Type: mg + "Vec<u64>>", AwaitLine: 16, AwaitCol: 16}, "with `mut entries` maybe used later"},
		{patterns.Site{Path: "app/src/bin/rollback.rs", Kind: patterns.SiteHeld, Line: 13, Col: 13, Type: mg + "Vec<String>>", AwaitLine: 15, AwaitCol: 16}, "with `mut g`"},
		{patterns.Site{Path: "app/src/main.rs", Kind: patterns.SiteHeld, Line: 25, Col: 13, Type: mg + "u64>", AwaitLine: 27, AwaitCol: 16}, "has type `" + mg + "u64>` which is not `Send`"},
		{patterns.Site{Path: "app/src/main.rs", Kind: patterns.SiteHeld, Line: 31, Col: 13, Type: mg + "Vec<u64>>", AwaitLine: 33, AwaitCol: 16}, "await occurs here"},
		{patterns.Site{Path: "src/main.rs", Kind: patterns.SiteCaptured, Line: 12, Col: 24, Type: "Rc<i32>"}, "captured value is not `Send`"},
		{patterns.Site{Path: "store/src/lib.rs", Kind: patterns.SiteBody, Line: 27, Col: 52, Type: mg + "Vec<u64>>"}, "async` fn body"},
	}
	if len(got) != len(wants) {
		for _, g := range got {
			t.Logf("%+v %s", g.site, g.text)
		}
		t.Fatalf("got %d failures, want %d (duplicates from test targets must merge; the thread::spawn closure is not ours)", len(got), len(wants))
	}
	for i, w := range wants {
		if got[i].site != w.site {
			t.Errorf("failure %d: site %+v, want %+v", i, got[i].site, w.site)
		}
		if !strings.Contains(got[i].text, w.text) || !strings.HasPrefix(got[i].text, "future cannot be sent") && w.site.Kind != patterns.SiteBody {
			t.Errorf("failure %d: text %q, want it to contain %q", i, got[i].text, w.text)
		}
		if got[i].abs != filepath.Join("/WS", w.site.Path) {
			t.Errorf("failure %d: abs %s", i, got[i].abs)
		}
	}
}

func TestLocation(t *testing.T) {
	for _, c := range []struct {
		file, abs, display string
		ok                 bool
	}{
		{"app/src/main.rs", "/WS/app/src/main.rs", "../WS/app/src/main.rs", true},
		{"/WS/store/src/lib.rs", "/WS/store/src/lib.rs", "../WS/store/src/lib.rs", true},
		{"/usr/share/cargo/registry/tokio-1.24.2/src/task/spawn.rs", "", "", false},
		{"../WSx/lib.rs", "", "", false},
		{"<macro expansion>", "", "", false},
	} {
		abs, disp, ok := location("/WS", "/elsewhere", c.file)
		if abs != c.abs || disp != c.display || ok != c.ok {
			t.Errorf("%s: %s %s %v", c.file, abs, disp, ok)
		}
	}
}

func TestBuildErrorsExcludeSendFailures(t *testing.T) {
	errs := buildErrors(loadMessages(t), "/WS", "/WS")
	// The only error that is not a future's Send failure is the
	// std::thread::spawn closure's E0277.
	if len(errs) != 1 || !strings.Contains(errs[0].text, "error[E0277]: `Rc<i32>` cannot be sent") || errs[0].loc != "src/main.rs:18:24" {
		t.Fatalf("build errors: %+v", errs)
	}
}

func TestNewErrors(t *testing.T) {
	e := func(abs, loc, msg string) buildError {
		return buildError{abs: abs, loc: loc, key: abs + "\x00\x00" + msg, text: msg}
	}
	before := []buildError{e("/a.rs", "a.rs:3:1", "old"), e("/a.rs", "a.rs:3:1", "old"), e("/b.rs", "b.rs:1:1", "x")}
	after := []buildError{
		e("/a.rs", "a.rs:9:1", "old"),  // moved by an edit: not new
		e("/a.rs", "a.rs:12:5", "new"), // new in a touched file
		e("/a.rs", "a.rs:12:5", "new"), // the same, from the test target
		e("/c.rs", "c.rs:1:1", "new"),  // not a touched file
		e("/b.rs", "b.rs:1:1", "x"),
		e("/b.rs", "b.rs:7:1", "x"), // a second one: new
	}
	got := newErrors(before, after, map[string]bool{"/a.rs": true, "/b.rs": true})
	if len(got) != 2 || got[0].loc != "a.rs:12:5" || got[1].loc != "b.rs:7:1" {
		t.Fatalf("new errors: %+v", got)
	}
}

func TestWorkspaceRoot(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, s string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n")
	write("a/Cargo.toml", "[package]\nname = \"a\"\n")
	write("a/src/lib.rs", "")
	root, pkg, err := workspaceRoot(filepath.Join(dir, "a", "src"))
	if err != nil || root != dir || pkg != filepath.Join(dir, "a") {
		t.Errorf("from a/src: root %s pkg %s err %v", root, pkg, err)
	}
	write("solo/Cargo.toml", "[package]\nname = \"solo\"\n[workspace]\n")
	if root, _, err := workspaceRoot(filepath.Join(dir, "solo")); err != nil || root != filepath.Join(dir, "solo") {
		t.Errorf("solo: root %s err %v", root, err)
	}
	if _, _, err := workspaceRoot(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no Cargo.toml") {
		t.Errorf("no manifest: err %v", err)
	}
}

func TestCargoFlags(t *testing.T) {
	parse := func(args ...string) (*options, error) {
		a := &App{Stdout: io.Discard, Stderr: io.Discard}
		return a.parse(args)
	}
	for _, c := range []struct {
		args  []string
		path  string
		cargo []string
	}{
		{[]string{"--cargo"}, ".", nil},
		{[]string{"--cargo", "ws"}, "ws", nil},
		{[]string{"--cargo=ws", "-w"}, "ws", nil},
		{[]string{"--cargo", "ws", "--", "--features", "x", "-p", "app"}, "ws", []string{"--features", "x", "-p", "app"}},
		{[]string{"--cargo", "--", "--features", "x"}, ".", []string{"--features", "x"}},
		{[]string{"--diagnostics", "-"}, ".", nil},
	} {
		o, err := parse(c.args...)
		if err != nil {
			t.Errorf("%v: %v", c.args, err)
			continue
		}
		if !o.cargo.enabled() || o.cargo.path != c.path || strings.Join(o.cargo.args, " ") != strings.Join(c.cargo, " ") || o.cargo.maxPasses != 4 {
			t.Errorf("%v: %+v", c.args, o.cargo)
		}
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--max-passes", "2"}, "needs --cargo"},
		{[]string{"--cargo", "--max-passes", "0"}, "at least 1"},
		{[]string{"--cargo", "--json"}, "cannot be used with --cargo"},
		{[]string{"--cargo", "a", "b"}, "one PATH"},
		{[]string{"--cargo=a", "b"}, "give one"},
		{[]string{"--diagnostics", "f", "--", "--features", "x"}, "does not run"},
	} {
		if _, err := parse(c.args...); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v: err %v, want %q", c.args, err, c.msg)
		}
	}
}

func TestCargoHelpWarnsOfBuildScripts(t *testing.T) {
	var out bytes.Buffer
	a := &App{Stdout: &out, Stderr: io.Discard}
	if code := a.Run([]string{"--help"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	h := out.String()
	for _, s := range []string{"--cargo", "build scripts", "--max-passes", "--broken-code", "--allow-dirty", "--diagnostics"} {
		if !strings.Contains(h, s) {
			t.Errorf("help lacks %q", s)
		}
	}
}

// TestDiagnosticsDryRun runs --diagnostics on the fixture against a copy
// of golden/cargo: the printed diff scopes the guards the messages name
// and nothing on disk changes. It needs no compiler.
func TestDiagnosticsDryRun(t *testing.T) {
	ws := copyTree(t, filepath.Join("..", "..", "..", "golden", "cargo"))
	data, err := os.ReadFile(filepath.Join("testdata", "cargo-messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	// Keep golden/cargo's messages, not the second project's.
	var msgs []byte
	for _, l := range bytes.SplitAfter(data, []byte("\n")) {
		if !bytes.Contains(l, []byte(`"src_path":"/WS/src/`)) {
			msgs = append(msgs, l...)
		}
	}
	a := &App{Stdin: bytes.NewReader(bytes.ReplaceAll(msgs, []byte("/WS/"), []byte(ws+"/"))), Stdout: &stdout, Stderr: &stderr,
		Getwd: func() (string, error) { return ws, nil }}
	code := a.Run([]string{"--diagnostics", "-"})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	d := stdout.String()
	for _, s := range []string{"+++ b/app/src/main.rs", "+++ b/store/src/lib.rs", "+++ b/app/src/bin/rollback.rs",
		"+        {\n+            let mut n = c.lock().unwrap();", "+            let entries = s.entries();", "+    let total: u64 = {"} {
		if !strings.Contains(d, s) {
			t.Errorf("diff lacks %q:\n%s", s, d)
		}
	}
	if strings.Contains(d, "refused.rs") {
		t.Errorf("the refused case changed:\n%s", d)
	}
	if !strings.Contains(stderr.String(), "app/src/bin/refused.rs:14:13: error: future cannot be sent between threads safely") ||
		!strings.Contains(stderr.String(), "used after the await") {
		t.Errorf("the refused site is not listed with rustc's location and text:\n%s", stderr.String())
	}
	if same, err := sameTree(filepath.Join("..", "..", "..", "golden", "cargo"), ws); err != nil || !same {
		t.Errorf("a dry run changed files (%v)", err)
	}
}

func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func sameTree(a, b string) (bool, error) {
	same := true
	err := filepath.Walk(a, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		same = same && bytes.Equal(x, y)
		return nil
	})
	return same, err
}

// A Send failure whose value is in a file outside the workspace root (a
// #[path] module, a path dependency elsewhere) is reported, never dropped,
// and never given to the rules.
func TestSendFailureOutsideRootIsKept(t *testing.T) {
	diags := loadMessages(t)
	var abs func(ds []rustcDiag)
	abs = func(ds []rustcDiag) {
		for i := range ds {
			for j := range ds[i].Spans {
				ds[i].Spans[j].FileName = filepath.Join("/WS", ds[i].Spans[j].FileName)
			}
			abs(ds[i].Children)
		}
	}
	for _, d := range diags {
		abs([]rustcDiag{*d})
	}
	got := sendFailures(diags, "/WS/app", "/WS/app")
	var outside, inside int
	for _, f := range got {
		if f.outside {
			outside++
			if !strings.HasPrefix(f.loc, "../") {
				t.Errorf("outside failure located at %s", f.loc)
			}
		} else {
			inside++
		}
	}
	if outside != 2 || inside != 4 {
		for _, f := range got {
			t.Logf("%v %s", f.outside, f.loc)
		}
		t.Fatalf("outside %d, inside %d; want 2 (store/ and src/ are outside /WS/app) and 4", outside, inside)
	}
}

// A captured Rc's finding sits at the Rc's binding, not at the capture
// rustc names: a fixed rc-arc finding of the file answers the site.
func TestSiteMatchesCapturedAndBody(t *testing.T) {
	rc := patterns.Finding{Rule: patterns.RuleRcArc, Pos: patterns.Pos{Line: 5}, Fixed: true}
	guard := patterns.Finding{Rule: "mutex-scope", Pos: patterns.Pos{Line: 9}, Fixed: true}
	if !siteMatches(patterns.Site{Kind: patterns.SiteCaptured, Line: 7}, rc) || siteMatches(patterns.Site{Kind: patterns.SiteCaptured, Line: 9}, guard) {
		t.Error("captured site")
	}
	if !siteMatches(patterns.Site{Kind: patterns.SiteHeld, Line: 9}, guard) || siteMatches(patterns.Site{Kind: patterns.SiteHeld, Line: 7}, guard) {
		t.Error("held site")
	}
	if !siteMatches(patterns.Site{Kind: patterns.SiteBody, Line: 2}, guard) || siteMatches(patterns.Site{Kind: patterns.SiteBody, Line: 2}, rc) {
		t.Error("body site")
	}
	fs := []fixed{{display: "m.rs", res: &patterns.Result{Findings: []patterns.Finding{rc}}}}
	if left := unfixedAfter([]sendFailure{{site: patterns.Site{Path: "m.rs", Kind: patterns.SiteCaptured, Line: 7}}}, fs); len(left) != 0 {
		t.Errorf("a fixed captured Rc is listed as not fixed: %+v", left)
	}
}

func TestStaleDiagnosticsSite(t *testing.T) {
	// --diagnostics may be older than the files: a site whose line no
	// longer holds the text rustc saw is stale and must not be fixed.
	seen := "        let g = m.lock().unwrap();"
	f := sendFailure{site: patterns.Site{Line: 2}, lineText: &seen}
	cur := "fn main() {\r\n" + seen + "\r\n}\r\n"
	if f.stale([]byte(cur)) {
		t.Errorf("unchanged CRLF file taken for stale")
	}
	if f.stale([]byte("\uFEFF" + strings.ReplaceAll(cur, "\r\n", "\n"))) {
		t.Errorf("unchanged file with a BOM taken for stale")
	}
	if !f.stale([]byte("// a line added above\n" + cur)) {
		t.Errorf("shifted line not taken for stale")
	}
	if !f.stale([]byte("fn main() {}\n")) {
		t.Errorf("a file shorter than the site's line not taken for stale")
	}
	if (sendFailure{site: patterns.Site{Line: 9}}).stale([]byte("x\n")) {
		t.Errorf("a site without recorded text must not be judged")
	}
}
