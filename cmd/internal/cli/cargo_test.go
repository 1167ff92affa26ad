package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// testdata/cargo-messages.json holds rustc 1.95's error messages (cargo
// check --message-format=json --all-targets, rendered text and
// explanations stripped, the workspace path replaced by /WS) for
// golden/cargo with both features on, plus a captured Rc and a
// std::thread::spawn closure from a second project.
func loadMessages(t *testing.T) []*rustcDiag {
	t.Helper()
	return loadFixture(t, "cargo-messages.json")
}

// loadFixture reads the compiler messages of a file of testdata.
func loadFixture(t *testing.T, name string) []*rustcDiag {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
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
	got := sendFailures(loadMessages(t), "/WS")
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
		if got[i].outside != "" {
			t.Errorf("failure %d: outside %s", i, got[i].outside)
		}
	}
}

func TestRelPath(t *testing.T) {
	for _, c := range []struct {
		file, rel string
		ok        bool
	}{
		{"app/src/main.rs", "app/src/main.rs", true},
		{"/WS/store/src/lib.rs", "store/src/lib.rs", true},
		{"/usr/share/cargo/registry/tokio-1.24.2/src/task/spawn.rs", "", false},
		{"../WSx/lib.rs", "", false},
		{"<macro expansion>", "", false},
	} {
		rel, ok := relPath("/WS", c.file)
		if rel != c.rel || ok != c.ok {
			t.Errorf("%s: %s %v", c.file, rel, ok)
		}
	}
}

func TestBuildErrorsExcludeSendFailures(t *testing.T) {
	errs := buildErrors(loadMessages(t), "/WS")
	// The only error that is not a future's Send failure is the
	// std::thread::spawn closure's E0277.
	if len(errs) != 1 || errs[0].String() != "E0277 at src/main.rs:18:24: `Rc<i32>` cannot be sent between threads safely" {
		t.Fatalf("build errors: %+v", errs)
	}
}

func TestNewErrors(t *testing.T) {
	e := func(path string, line int, msg string) buildError {
		return buildError{path: path, line: line, col: 1, message: msg}
	}
	before := []buildError{e("a.rs", 3, "old"), e("a.rs", 3, "old"), e("b.rs", 1, "x")}
	after := []buildError{
		e("a.rs", 9, "old"),  // moved by an edit: not new
		e("a.rs", 12, "new"), // new in a touched file
		e("a.rs", 12, "new"), // the same, from the test target
		e("c.rs", 1, "new"),  // not a touched file
		e("b.rs", 1, "x"),
		e("b.rs", 7, "x"), // a second one: new
	}
	got := newErrors(before, after, map[string]bool{"a.rs": true, "b.rs": true})
	if len(got) != 2 || got[0].path != "a.rs" || got[0].line != 12 || got[1].path != "b.rs" || got[1].line != 7 {
		t.Fatalf("new errors: %+v", got)
	}
	if got := newErrors(before, after, nil); len(got) != 3 {
		t.Fatalf("new errors in every file: %+v", got)
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
		if !o.cargo.enabled() || o.cargo.path != c.path || strings.Join(o.cargo.args, " ") != strings.Join(c.cargo, " ") || o.cargo.maxRounds != 10 {
			t.Errorf("%v: %+v", c.args, o.cargo)
		}
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--max-rounds", "2"}, "needs --cargo"},
		{[]string{"--cargo", "--max-rounds", "0"}, "at least 1"},
		{[]string{"--cargo", "--no-verify"}, "turns the compiler off"},
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
	for _, s := range []string{"--cargo", "build scripts", "--max-rounds", "--no-verify", "--allow-dirty", "--diagnostics"} {
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
	if !strings.Contains(stderr.String(), "--> app/src/bin/refused.rs:14:17") ||
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
	got := sendFailures(diags, "/WS/app")
	var outside, inside int
	for _, f := range got {
		if f.outside != "" {
			outside++
			if !strings.HasPrefix(f.outside, "/WS/") || strings.HasPrefix(f.outside, "/WS/app/") {
				t.Errorf("outside failure at %s", f.outside)
			}
		} else {
			inside++
		}
	}
	if outside != 2 || inside != 4 {
		for _, f := range got {
			t.Logf("%s %s", f.outside, f.site.Path)
		}
		t.Fatalf("outside %d, inside %d; want 2 (store/ and src/ are outside /WS/app) and 4", outside, inside)
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

// testdata/rustc-send.json holds rustc 1.95's error messages for the
// shapes of Send failure the loop reads (rendered text stripped, paths
// under /WS): any non-Send local (a watch::Ref, a RefMut, an Rc, a
// Box<dyn Trait>), a struct holding an rc::Weak reached through a method
// future, a value captured whole, five spawns of one fn, a Box<dyn Future
// + Send> cast, and an E0597.
func TestSendFailuresTable(t *testing.T) {
	diags := loadFixture(t, "rustc-send.json")
	held, captured, body := patterns.SiteHeld, patterns.SiteCaptured, patterns.SiteBody
	mg := "std::sync::MutexGuard<'_, "
	want := []patterns.Site{
		{Path: "src/bin/boxdyn.rs", Kind: held, Line: 8, Col: 13, Type: "Box<dyn Job>", AwaitLine: 10, AwaitCol: 16, Inner: "dyn Job"},
		{Path: "src/bin/boxfut.rs", Kind: held, Line: 8, Col: 13, Type: mg + "u32>", AwaitLine: 10, AwaitCol: 16},
		{Path: "src/bin/rcclone.rs", Kind: held, Line: 7, Col: 13, Type: "Rc<i32>", AwaitLine: 10, AwaitCol: 16},
		{Path: "src/bin/refcell.rs", Kind: held, Line: 7, Col: 13, Type: "RefMut<'_, Vec<i32>>", AwaitLine: 9, AwaitCol: 16, Inner: "NonNull<Vec<i32>>"},
		{Path: "src/bin/two.rs", Kind: held, Line: 7, Col: 35, Type: mg + "i32>", AwaitLine: 7, AwaitCol: 82},
		{Path: "src/bin/two.rs", Kind: held, Line: 9, Col: 35, Type: mg + "i32>", AwaitLine: 9, AwaitCol: 82},
		{Path: "src/bin/two.rs", Kind: held, Line: 11, Col: 43, Type: mg + "i32>", AwaitLine: 11, AwaitCol: 90},
		{Path: "src/bin/two.rs", Kind: held, Line: 16, Col: 35, Type: mg + "u32>", AwaitLine: 16, AwaitCol: 82},
		{Path: "src/bin/two.rs", Kind: held, Line: 18, Col: 35, Type: mg + "u32>", AwaitLine: 18, AwaitCol: 82},
		{Path: "src/bin/watchref.rs", Kind: held, Line: 7, Col: 13, Type: "tokio::sync::watch::Ref<'_, u32>", AwaitLine: 9, AwaitCol: 16, Inner: "std::sync::RwLockReadGuard<'_, u32>"},
		{Path: "src/bin/weak.rs", Kind: held, Line: 5, Col: 18, Type: "Node", AwaitLine: 5, AwaitCol: 33, Inner: "std::rc::Weak<u32>", Struct: "Node"},
		{Path: "src/bin/weak2.rs", Kind: held, Line: 6, Col: 18, Type: "&Node", AwaitLine: 6, AwaitCol: 34, Inner: "std::rc::Weak<u32>", Struct: "Node"},
		{Path: "src/bin/weak2.rs", Kind: captured, Line: 12, Col: 31, Type: "Node", Inner: "std::rc::Weak<u32>", Struct: "Node"},
		{Path: "src/bin/weak3.rs", Kind: body, Line: 8, Col: 18, Type: "std::rc::Weak<u32>"},
	}
	got := sendFailures(diags, "/WS")
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("%#v", g.site)
		}
		t.Fatalf("%d failures, want %d (rustc's duplicates, with another help, merge)", len(got), len(want))
	}
	for i, w := range want {
		if got[i].site != w {
			t.Errorf("failure %d:\n got %#v\nwant %#v", i, got[i].site, w)
		}
	}
	errs := buildErrors(diags, "/WS")
	if len(errs) != 1 || errs[0].String() != "E0597 at src/bin/e0597.rs:9:13: `g` does not live long enough" ||
		!slices.Contains(errs[0].names, "g") || !linesMeet([2]int{7, 7}, errs[0].lines) {
		t.Fatalf("build errors: %+v", errs)
	}
}

func TestProgramStruct(t *testing.T) {
	for ty, want := range map[string]string{"Node": "Node", "&Node": "Node", "&mut Node<T>": "Node", "Rc<i32>": "",
		"std::rc::Weak<u32>": "", "{async block@src/a.rs:1:2: 1:3}": "", "impl Future<Output = ()>": "", "dyn Job": ""} {
		if got := programStruct(ty); got != want {
			t.Errorf("%q: %q, want %q", ty, got, want)
		}
	}
}

// TestDiagnosticsMessageFormat: --diagnostics with --message-format json
// passes cargo's lines through, in order, with sendfix's fixes attached to
// the Send errors they answer, as suggestions against the files on disk;
// applying every suggestion gives what --write writes; cargo's
// build-finished ends the output.
func TestDiagnosticsMessageFormat(t *testing.T) {
	golden := filepath.Join("..", "..", "..", "golden", "cargo")
	data, err := os.ReadFile(filepath.Join("testdata", "cargo-messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in []string
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" && !strings.Contains(l, `"src_path":"/WS/src/`) {
			in = append(in, l)
		}
	}
	in = append(in, `{"reason":"build-finished","success":false}`)
	run := func(ws string, args ...string) (string, string, int) {
		var stdout, stderr bytes.Buffer
		msgs := strings.ReplaceAll(strings.Join(in, "\n")+"\n", "/WS/", ws+"/")
		a := &App{Stdin: strings.NewReader(msgs), Stdout: &stdout, Stderr: &stderr, Getwd: func() (string, error) { return ws, nil }}
		code := a.Run(append([]string{"--diagnostics", "-"}, args...))
		return stdout.String(), stderr.String(), code
	}
	ws := copyTree(t, golden)
	out, stderr, code := run(ws, "--message-format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got := lines(out)
	if got[len(got)-1] != in[len(in)-1] {
		t.Errorf("the last line is not cargo's build-finished: %s", got[len(got)-1])
	}
	// Cargo's lines, in order: each either as it came or with children
	// added (sendfix's lines, for findings no line carried, come before
	// build-finished).
	k := 0
	carried := 0
	edits := map[string][]rewrite.Edit{}
	for _, l := range got {
		want := strings.ReplaceAll(in[min(k, len(in)-1)], "/WS/", ws+"/")
		var m msgCompiler
		json.Unmarshal([]byte(l), &m)
		switch {
		case l == want:
			k++
		case m.Message != nil && m.Message.Code != nil && strings.HasPrefix(m.Message.Code.Code, "sendfix::"):
		case m.Message != nil && strings.Contains(m.Message.Message, "cannot be sent between threads safely"):
			k++
			carried++
		default:
			t.Fatalf("line out of order or changed:\n%s\nwant\n%s", l, want)
		}
		if m.Message == nil {
			continue
		}
		for _, c := range m.Message.Children {
			for _, s := range c.Spans {
				if s.SuggestedReplacement != nil {
					edits[s.FileName] = append(edits[s.FileName], rewrite.Edit{Start: s.ByteStart, End: s.ByteEnd, New: *s.SuggestedReplacement})
				}
			}
		}
	}
	if k != len(in) || carried == 0 {
		t.Errorf("%d of %d of cargo's lines, %d carrying a fix:\n%s", k, len(in), carried, out)
	}
	if same, err := sameTree(golden, ws); err != nil || !same {
		t.Errorf("a dry run changed files (%v)", err)
	}
	// The suggestions give what --write writes.
	wrote := copyTree(t, golden)
	if _, stderr, code := run(wrote, "--write", "--allow-dirty"); code != 0 {
		t.Fatalf("--write: exit %d\n%s", code, stderr)
	}
	if len(edits) == 0 {
		t.Fatal("no suggestion")
	}
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
		want, _ := os.ReadFile(filepath.Join(wrote, name))
		if string(fixed) != string(want) {
			t.Errorf("%s: the suggestions give\n%s\n--write wrote\n%s", name, fixed, want)
		}
	}
}
