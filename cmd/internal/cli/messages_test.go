package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// decodeLines decodes --message-format json output: the compiler messages
// and the build-finished message that must end it.
func decodeLines(t *testing.T, out string) ([]msgCompiler, msgBuildFinished) {
	t.Helper()
	ls := lines(out)
	if len(ls) == 0 {
		t.Fatal("no output")
	}
	var msgs []msgCompiler
	for _, l := range ls[:len(ls)-1] {
		var m msgCompiler
		if err := json.Unmarshal([]byte(l), &m); err != nil || m.Reason != "compiler-message" || m.Message == nil {
			t.Fatalf("not a compiler message (%v): %s", err, l)
		}
		msgs = append(msgs, m)
	}
	var end msgBuildFinished
	if err := json.Unmarshal([]byte(ls[len(ls)-1]), &end); err != nil || end.Reason != "build-finished" {
		t.Fatalf("the last line is not build-finished: %s", ls[len(ls)-1])
	}
	return msgs, end
}

// TestMessageFormatInWorkspace: in a workspace member, messages carry what
// cargo's would (package id, manifest, target, paths relative to the
// workspace root, wherever the command runs), also for `cargo sendfix`.
func TestMessageFormatInWorkspace(t *testing.T) {
	input := readFile(t, article+".input.rs")
	root := filepath.Join(t.TempDir(), "ws")
	tree(t, root, map[string]string{
		"Cargo.toml": "[workspace]\nmembers = [\"crates/app\"]\n\n[workspace.package]\nversion = \"1.2.3\" # the workspace's\nedition = \"2021\"\n",
		"crates/app/Cargo.toml": "[package]\nname = \"app-core\"\nversion.workspace = true\nedition = { workspace = true }\n\n" +
			"[[bin]]\nname = \"serve\"\npath = \"src/serve_main.rs\"\n",
		"crates/app/src/lib.rs":        "pub mod worker;\n",
		"crates/app/src/worker.rs":     input,
		"crates/app/src/bin/tool.rs":   input,
		"crates/app/src/serve_main.rs": input,
		"crates/app/examples/demo.rs":  input,
	})
	app := filepath.Join(root, "crates", "app")
	want := map[string]msgTarget{
		"crates/app/src/worker.rs":     {Kind: []string{"lib"}, CrateTypes: []string{"lib"}, Name: "app_core", SrcPath: filepath.Join(app, "src", "lib.rs"), Edition: "2021", Doc: true, Doctest: true, Test: true},
		"crates/app/src/bin/tool.rs":   {Kind: []string{"bin"}, CrateTypes: []string{"bin"}, Name: "tool", SrcPath: filepath.Join(app, "src", "bin", "tool.rs"), Edition: "2021", Doc: true, Test: true},
		"crates/app/src/serve_main.rs": {Kind: []string{"bin"}, CrateTypes: []string{"bin"}, Name: "serve", SrcPath: filepath.Join(app, "src", "serve_main.rs"), Edition: "2021", Doc: true, Test: true},
		"crates/app/examples/demo.rs":  {Kind: []string{"example"}, CrateTypes: []string{"bin"}, Name: "demo", SrcPath: filepath.Join(app, "examples", "demo.rs"), Edition: "2021"},
	}
	check := func(name string, r result) {
		t.Helper()
		if r.code != 0 {
			t.Fatalf("%s: exit %d\n%s", name, r.code, r.stderr)
		}
		msgs, end := decodeLines(t, r.stdout)
		if len(msgs) != len(want) || !end.Success {
			t.Fatalf("%s: %d messages, success %v:\n%s", name, len(msgs), end.Success, r.stdout)
		}
		for _, m := range msgs {
			file := m.Message.Spans[0].FileName
			tg, ok := want[file]
			if !ok {
				t.Errorf("%s: message about %q", name, file)
				continue
			}
			got, _ := json.Marshal(m.Target)
			exp, _ := json.Marshal(tg)
			if string(got) != string(exp) {
				t.Errorf("%s: %s: target\n%s\nwant\n%s", name, file, got, exp)
			}
			if m.PackageID != "path+file://"+filepath.ToSlash(app)+"#app-core@1.2.3" || m.ManifestPath != filepath.Join(app, "Cargo.toml") {
				t.Errorf("%s: package %q manifest %q", name, m.PackageID, m.ManifestPath)
			}
			if !strings.Contains(*m.Message.Rendered, "--> "+file+":8:17\n") {
				t.Errorf("%s: rendered:\n%s", name, *m.Message.Rendered)
			}
		}
	}
	ctx := context.Background()
	check("from the root", runIn(t, ctx, root, nil, "", "--message-format", "json"))
	check("from the package's src", runIn(t, ctx, filepath.Join(app, "src"), nil, "", "--message-format=json", ".."))
	args, err := cargoArgs([]string{"--no-verify", "--message-format", "json"}, filepath.Join(app, "src", "bin"))
	if err != nil {
		t.Fatal(err)
	}
	check("cargo sendfix", runIn(t, ctx, filepath.Join(app, "src", "bin"), nil, "", args...))

	// An editor's unsaved buffer, named by --stdin-filename.
	r := runIn(t, ctx, app, nil, input, "--message-format", "json", "--stdin-filename", "src/worker.rs", "-")
	msgs, _ := decodeLines(t, r.stdout)
	if r.code != 0 || len(msgs) != 1 || msgs[0].Message.Spans[0].FileName != "crates/app/src/worker.rs" || msgs[0].Target.Name != "app_core" {
		t.Errorf("stdin: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestMessageFormatOutsidePackage: a file in no cargo package is named as
// the user gave it, in a single-file package of its own.
func TestMessageFormatOutsidePackage(t *testing.T) {
	base := t.TempDir()
	for d := base; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "Cargo.toml")); err == nil {
			t.Skipf("%s has a Cargo.toml above it", base)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	dir := filepath.Join(base, "proj dir")
	tree(t, dir, map[string]string{"demo-1.rs": readFile(t, article+".input.rs")})
	other := filepath.Join(base, "elsewhere")
	tree(t, other, map[string]string{"x": ""})
	abs := filepath.Join(dir, "demo-1.rs")
	for _, tc := range []struct {
		wd, arg, name string
	}{
		{dir, ".", "demo-1.rs"},
		{other, "../proj dir", "../proj dir/demo-1.rs"},
		{other, dir, filepath.ToSlash(abs)},
	} {
		r := runIn(t, context.Background(), tc.wd, nil, "", "--message-format", "json", "--check", tc.arg)
		msgs, end := decodeLines(t, r.stdout)
		if r.code != 1 || end.Success || len(msgs) != 1 {
			t.Fatalf("%s: exit %d, success %v, %d messages\n%s", tc.arg, r.code, end.Success, len(msgs), r.stderr)
		}
		m := msgs[0]
		if got := m.Message.Spans[0].FileName; got != tc.name {
			t.Errorf("%s: file_name %q, want %q", tc.arg, got, tc.name)
		}
		if m.ManifestPath != abs || m.Target.SrcPath != abs || m.Target.Name != "demo-1" ||
			m.PackageID != "path+file://"+strings.ReplaceAll(filepath.ToSlash(abs), " ", "%20")+"#demo-1@0.0.0" {
			t.Errorf("%s: package %q manifest %q target %+v", tc.arg, m.PackageID, m.ManifestPath, m.Target)
		}
	}
}

// TestFindingsNameFilesAsGiven: a path outside the working directory shows
// as given in the findings (absolute when given absolute), while the diff
// header stays relative, for git apply.
func TestFindingsNameFilesAsGiven(t *testing.T) {
	base := t.TempDir()
	dir, wd := filepath.Join(base, "proj"), filepath.Join(base, "wd")
	tree(t, dir, map[string]string{"src/main.rs": readFile(t, article+".input.rs")})
	tree(t, wd, map[string]string{"x": ""})
	ctx := context.Background()
	r := runIn(t, ctx, wd, nil, "", dir)
	abs := filepath.ToSlash(filepath.Join(dir, "src", "main.rs"))
	if !strings.Contains(r.stderr, "--> "+abs+":8:17\n") || !strings.HasPrefix(r.stdout, "--- a/../proj/src/main.rs\n") {
		t.Errorf("absolute PATH: stderr\n%s\nstdout\n%s", r.stderr, r.stdout)
	}
	r = runIn(t, ctx, wd, nil, "", "--format", "short", dir)
	if !strings.HasPrefix(r.stdout, abs+":8:17: mutex-scope: ") {
		t.Errorf("short: %s", r.stdout)
	}
	r = runIn(t, ctx, wd, nil, "", "../proj")
	if !strings.Contains(r.stderr, "--> ../proj/src/main.rs:8:17\n") {
		t.Errorf("relative PATH: %s", r.stderr)
	}
	r = runIn(t, ctx, dir, nil, "", dir)
	if !strings.Contains(r.stderr, "--> src/main.rs:8:17\n") {
		t.Errorf("absolute PATH inside the working directory: %s", r.stderr)
	}
}

func TestMessageFormatFlags(t *testing.T) {
	dir, eng := formatFixture(t)
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--message-format", "xml"}, `--message-format must be one of human, short, json, json-diagnostic-rendered-ansi, not "xml"`},
		{[]string{"--message-format", "json", "--format", "short"}, "--format short and --message-format json cannot be used together"},
		{[]string{"--message-format", "json", "-w"}, "use one or the other"},
		{[]string{"--message-format", "json", "--json"}, "--json and --format json cannot be used together"},
		{[]string{"--message-format", "json", "--cargo", "-w"}, "use one or the other"},
	} {
		r := runScripted(t, dir, eng, false, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, r.code, r.stderr)
		}
	}
	// --message-format short is --format short; json and --format json agree.
	a := runScripted(t, dir, eng, false, "--message-format", "short")
	b := runScripted(t, dir, eng, false, "--format", "short")
	if a != b || a.code != 0 {
		t.Errorf("--message-format short:\n%s\n--format short:\n%s", a.stdout, b.stdout)
	}
	a = runScripted(t, dir, eng, false, "--message-format", "json", "--format", "json")
	if a.code != 0 || !strings.Contains(a.stdout, `"reason":"build-finished","success":true`) {
		t.Errorf("--format json --message-format json: exit %d\n%s", a.code, a.stderr)
	}
	// The ansi variant colours only the rendered text.
	r := runScripted(t, dir, eng, false, "--message-format", "json-diagnostic-rendered-ansi")
	msgs, _ := decodeLines(t, r.stdout)
	if !strings.Contains(*msgs[0].Message.Rendered, "\x1b[1;33mwarning[mutex-scope]") || strings.Contains(msgs[0].Message.Message, "\x1b") {
		t.Errorf("ansi: %q", *msgs[0].Message.Rendered)
	}
}

// TestMessageFormatFindings checks what a fixed and an unfixed finding
// become: spans, labels, the suggestion or the reason.
func TestMessageFormatFindings(t *testing.T) {
	dir, eng := formatFixture(t)
	r := runScripted(t, dir, eng, false, "--message-format", "json")
	msgs, end := decodeLines(t, r.stdout)
	if r.code != 0 || !end.Success || len(msgs) != 5 {
		t.Fatalf("exit %d, %d messages\n%s", r.code, len(msgs), r.stderr)
	}
	byFile := map[string]*msgDiagnostic{}
	for _, m := range msgs {
		byFile[m.Message.Spans[0].FileName] = m.Message
	}
	d := byFile["src/main.rs"]
	if d == nil || d.Code.Code != "sendfix::mutex-scope" || d.Level != "warning" || d.Code.Explanation == nil {
		t.Fatalf("main.rs: %+v", d)
	}
	bind, aw := d.Spans[0], d.Spans[1]
	if !bind.IsPrimary || *bind.Label != "guard created here" || fmtArticle[bind.ByteStart:bind.ByteEnd] != "guard" || bind.LineStart != 7 || bind.ColumnStart != 17 ||
		aw.IsPrimary || *aw.Label != "await occurs here" || fmtArticle[aw.ByteStart:aw.ByteEnd] != "await" || aw.LineStart != 11 || aw.ColumnStart != 31 {
		t.Errorf("spans: %+v", d.Spans)
	}
	if len(d.Children) != 1 || d.Children[0].Level != "help" || len(d.Children[0].Spans) == 0 {
		t.Fatalf("children: %+v", d.Children)
	}
	var edits []rewrite.Edit
	for _, s := range d.Children[0].Spans {
		if *s.SuggestionApplicability != machineApplicable || !s.IsPrimary {
			t.Errorf("suggestion span: %+v", s)
		}
		edits = append(edits, rewrite.Edit{Start: s.ByteStart, End: s.ByteEnd, New: *s.SuggestedReplacement})
	}
	if got, err := rewrite.Apply([]byte(fmtArticle), edits); err != nil || string(got) != fmtArticleFixed {
		t.Errorf("the suggestion gives (%v):\n%s", err, got)
	}
	// The CRLF, BOM and tab file: columns in characters after the BOM, text
	// without \r, tabs as they are; unfixed, so a note and no suggestion.
	d = byFile["src/tabs.rs"]
	if d == nil || len(d.Children) != 1 || d.Children[0].Level != "note" || len(d.Children[0].Spans) != 0 ||
		!strings.HasPrefix(d.Children[0].Message, "not fixed: guard `queue` is used after") {
		t.Fatalf("tabs.rs: %+v", d)
	}
	if s := d.Spans[0]; s.LineStart != 4 || s.ColumnStart != 10 || s.ColumnEnd != 15 || s.Text[0].Text != "\tlet mut queue = q.lock().unwrap();" ||
		fmtTabs[s.ByteStart:s.ByteEnd] != "queue" {
		t.Errorf("tabs.rs binding: %+v", s)
	}
}

// TestSrcLines checks the line index against rustc's counting: a BOM is
// not on line 1, CRLF ends a line, a final newline starts an empty line.
func TestSrcLines(t *testing.T) {
	src := []byte("\ufeffa\r\néb\n\nxyz")
	l := newSrcLines(src)
	for _, tc := range []struct{ off, line, col int }{
		{3, 1, 1}, {4, 1, 2}, {6, 2, 1}, {8, 2, 2}, {10, 3, 1}, {11, 4, 1}, {14, 4, 4},
	} {
		if l.line(tc.off) != tc.line || l.col(tc.off) != tc.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", tc.off, l.line(tc.off), l.col(tc.off), tc.line, tc.col)
		}
	}
	s := l.span("f", 4, 11)
	want := []msgSpanLine{{"a", 2, 2}, {"éb", 1, 3}, {"", 1, 1}, {"xyz", 1, 1}}
	if len(s.Text) != len(want) {
		t.Fatalf("text %+v", s.Text)
	}
	for i := range want {
		if s.Text[i] != want[i] {
			t.Errorf("line %d: %+v, want %+v", i, s.Text[i], want[i])
		}
	}
}

// TestSnippetSafe mirrors rustfix 0.6's parse_snippet: a replacement that
// starts inside its line's indentation (every line of it indented) makes it
// panic; one starting at the code or after an unindented line does not.
func TestSnippetSafe(t *testing.T) {
	for _, tc := range []struct {
		lines []msgSpanLine
		safe  bool
	}{
		{[]msgSpanLine{{"    let x = 1;", 1, 1}}, false}, // insertion at column 1
		{[]msgSpanLine{{"    let x = 1;", 3, 5}}, false}, // inside the indentation
		{[]msgSpanLine{{"    let x = 1;", 5, 8}}, true},  // at the code
		{[]msgSpanLine{{"let x = 1;", 1, 1}}, true},      // no indentation
		{[]msgSpanLine{{"", 1, 1}}, true},                // an empty line
		{[]msgSpanLine{{"    a", 1, 6}, {"    b", 1, 6}}, false},
		{[]msgSpanLine{{"fn f() {", 9, 9}, {"    a", 1, 6}}, true}, // from the end of the line before
		{[]msgSpanLine{{"    a {", 8, 8}, {"    b", 1, 6}, {" ", 1, 2}}, false},
		{[]msgSpanLine{{"    a {", 8, 8}, {"\u3000b", 1, 3}, {" c", 1, 3}}, false}, // a byte slice inside U+3000
		{[]msgSpanLine{{"    a {", 8, 8}, {"\u3000b", 1, 3}, {"c", 1, 2}}, true},   // an unindented line: indent 0
		{nil, false},
	} {
		if got := snippetSafe(tc.lines); got != tc.safe {
			t.Errorf("%+v: safe %v, want %v", tc.lines, got, tc.safe)
		}
	}
}

// TestWidenFixes: edits widen to whole lines that rustfix 0.6 takes, keep
// their result, and fixes whose widened edits meet become one.
func TestWidenFixes(t *testing.T) {
	src := "fn f() {\n    let a = x.lock().unwrap();\n    let b = y.lock().unwrap();\n}\n"
	l := newSrcLines([]byte(src))
	iA := strings.Index(src, "    let a")
	iB := strings.Index(src, ".unwrap();\n    let b")
	iC := strings.Index(src, "y.lock")
	fixes := []patterns.Fix{
		{Findings: []int{0}, Edits: []rewrite.Edit{{Start: iA, End: iA, New: "    {\n"}}},
		{Findings: []int{1}, Edits: []rewrite.Edit{{Start: iB, End: iB + len(".unwrap()"), New: ".await"}}},
		{Findings: []int{2}, Edits: []rewrite.Edit{{Start: iC, End: iC + 1, New: "z"}}},
	}
	var all []rewrite.Edit
	for _, fx := range fixes {
		all = append(all, fx.Edits...)
	}
	want, _ := rewrite.Apply([]byte(src), all)
	got := widenFixes(l, fixes)
	if len(got) != 2 || len(got[0].Findings) != 2 || got[1].Findings[0] != 2 {
		t.Fatalf("want fixes {0,1} and {2}, got %+v", got)
	}
	all = nil
	for _, fx := range got {
		for _, e := range fx.Edits {
			all = append(all, e)
			s := l.span("f", e.Start, e.End)
			if !snippetSafe(s.Text) {
				t.Errorf("unsafe span %+v", s)
			}
		}
	}
	if out, err := rewrite.Apply([]byte(src), all); err != nil || string(out) != string(want) {
		t.Errorf("widened edits give (%v)\n%s\nwant\n%s", err, out, want)
	}
	if e := got[1].Edits[0]; src[e.Start:e.End] != "let b = y.lock().unwrap();" {
		t.Errorf("the third fix covers %q, want its line's code", src[e.Start:e.End])
	}
}
