package patterns

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Hostile inputs: each test states what the engine must do with a kind of
// file a user may well feed it. Every one also passes checkContract (no new
// syntax errors, idempotent, edits reproduce the output).

// allAsync is the configuration that treats every async body as
// Send-required, so that small inputs need no spawn around them.
func allAsync() Config {
	c := DefaultConfig()
	c.AllAsync = true
	return c
}

// held is an async fn holding a std guard across an await: the
// mutex-scope rule scopes it.
const held = `async fn held(m: &std::sync::Mutex<Vec<u8>>) {
    let g = m.lock().unwrap();
    g.len();
    tick().await;
}
`

const heldFixed = `async fn held(m: &std::sync::Mutex<Vec<u8>>) {
    {
        let g = m.lock().unwrap();
        g.len();
    }
    tick().await;
}
`

// wantFixed asserts that r changed and every finding is fixed.
func wantFixed(t *testing.T, r *Result, n int) {
	t.Helper()
	fixed := 0
	for _, f := range r.Findings {
		if f.Fixed {
			fixed++
		} else {
			t.Errorf("unfixed finding %s %d:%d: %s", f.Rule, f.Pos.Line, f.Pos.Col, f.Reason)
		}
	}
	if fixed != n || !r.Changed() {
		t.Errorf("want %d fixes and a change, got %d fixes, changed=%v", n, fixed, r.Changed())
	}
}

// wantUntouched asserts that r changed nothing and reported no finding.
func wantUntouched(t *testing.T, r *Result) {
	t.Helper()
	if r.Changed() || len(r.Findings) != 0 || r.Internal != nil {
		t.Errorf("want no change and no finding; changed=%v findings=%+v internal=%v\n%s", r.Changed(), r.Findings, r.Internal, r.Out)
	}
}

func TestHostileEmptyAndTiny(t *testing.T) {
	for _, src := range []string{"", "\n", "\r\n", "\xef\xbb\xbf", " ", "}", "{", "fn", "async", ".await", "\x00"} {
		r := checkContract(t, allAsync(), []byte(src))
		if r.Changed() || r.Internal != nil {
			t.Errorf("%q: changed=%v internal=%v", src, r.Changed(), r.Internal)
		}
	}
}

func TestHostileOneLineWithoutNewline(t *testing.T) {
	// The whole fn on one line: a scope cannot be wrapped around lines
	// here, so the finding is reported unfixed with its reason.
	one := "async fn f(m: &std::sync::Mutex<u8>) { let g = m.lock().unwrap(); g.len(); tick().await; }"
	r := checkContract(t, allAsync(), []byte(one))
	if r.Changed() || len(r.Findings) != 1 || r.Findings[0].Fixed || r.Findings[0].Reason == "" {
		t.Errorf("want one unfixed finding with a reason, got changed=%v %+v", r.Changed(), r.Findings)
	}
	// A fixable file without its final newline stays without it.
	r = checkContract(t, allAsync(), []byte(strings.TrimSuffix(held, "\n")))
	wantFixed(t, r, 1)
	if string(r.Out) != strings.TrimSuffix(heldFixed, "\n") {
		t.Errorf("got %q", r.Out)
	}
}

func TestHostileNonUTF8AndNUL(t *testing.T) {
	// The command refuses such files; the engine must still be safe on
	// them: the bytes outside the fix come through untouched.
	for _, junk := range []string{"\xff\xfe", "\x00", "\xc3", "\x00\xff\x00"} {
		src := "// " + junk + "\n" + held + "const J: &[u8] = b\"" + junk + "\";\n"
		r := checkContract(t, allAsync(), []byte(src))
		wantFixed(t, r, 1)
		want := "// " + junk + "\n" + heldFixed + "const J: &[u8] = b\"" + junk + "\";\n"
		if string(r.Out) != want {
			t.Errorf("%q: got %q", junk, r.Out)
		}
	}
}

func TestHostileHugeFunction(t *testing.T) {
	// 100,000 statements between the guard and the await: all are
	// re-indented into the new scope. (Idempotence and the other
	// properties are the fuzz targets' business; one run is slow enough.)
	t.Parallel()
	const n = 100000
	var b strings.Builder
	b.WriteString("async fn f(m: &std::sync::Mutex<Vec<u8>>) {\n    let g = m.lock().unwrap();\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    g.get(%d);\n", i)
	}
	b.WriteString("    tick().await;\n}\n")
	r := fuzzRun(allAsync(), []byte(b.String()))
	wantFixed(t, r, 1)
	lines := strings.Split(string(r.Out), "\n")
	if len(lines) != n+7 || lines[1] != "    {" || lines[2] != "        let g = m.lock().unwrap();" ||
		lines[3] != "        g.get(0);" || lines[n+2] != fmt.Sprintf("        g.get(%d);", n-1) || lines[n+3] != "    }" {
		t.Errorf("unexpected shape: %d lines, %q ... %q", len(lines), lines[:4], lines[len(lines)-5:])
	}
}

func TestHostileDeepNesting(t *testing.T) {
	// 5,000 nested blocks with the guard in the innermost one.
	const depth = 5000
	var b strings.Builder
	b.WriteString("async fn f(m: &std::sync::Mutex<Vec<u8>>) {\n")
	b.WriteString(strings.Repeat("{\n", depth))
	b.WriteString("let g = m.lock().unwrap();\ng.len();\ntick().await;\n")
	b.WriteString(strings.Repeat("}\n", depth))
	b.WriteString("}\n")
	r := checkContract(t, allAsync(), []byte(b.String()))
	wantFixed(t, r, 1)
	if !strings.Contains(string(r.Out), "\n{\n    let g = m.lock().unwrap();\n    g.len();\n}\ntick().await;\n") {
		t.Errorf("innermost block not scoped as expected")
	}
	// The same nesting made of unclosed blocks: a syntax error, no edit.
	bad := strings.Repeat("{\n", depth) + held
	r = checkContract(t, allAsync(), []byte("async fn f() {\n"+bad))
	if r.Changed() {
		t.Error("a file that does not parse was changed around its error")
	}
}

func TestHostileLineEndings(t *testing.T) {
	// Mixed CRLF and LF: lines the fix does not touch keep their ending;
	// the lines it adds or re-indents take the file's dominant one (CRLF
	// here).
	lines := strings.SplitAfter(held, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i%2 == 0 {
			l = strings.TrimSuffix(l, "\n") + "\r\n"
		}
		b.WriteString(l)
	}
	b.WriteString("fn other() {}\r\nfn third() {}\r\n")
	in := b.String()
	r := checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	want := "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\r\n    {\r\n        let g = m.lock().unwrap();\r\n        g.len();\r\n    }\r\n    tick().await;\n}\r\nfn other() {}\r\nfn third() {}\r\n"
	if string(r.Out) != want {
		t.Errorf("got  %q\nwant %q", r.Out, want)
	}
	// BOM, CRLF and no final newline at once.
	in = "\xef\xbb\xbf" + strings.TrimSuffix(strings.ReplaceAll(held, "\n", "\r\n"), "\r\n")
	r = checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	if want := "\xef\xbb\xbf" + strings.TrimSuffix(strings.ReplaceAll(heldFixed, "\n", "\r\n"), "\r\n"); string(r.Out) != want {
		t.Errorf("got %q", r.Out)
	}
	if r.Findings[0].Pos.Line != 2 || r.Findings[0].Pos.Col != 9 {
		t.Errorf("position after a BOM: %+v", r.Findings[0].Pos)
	}
	// A lone CR is not a line break for the fix's purposes: the bytes
	// come through.
	in = strings.Replace(held, "g.len();", "g.get(\"\r\");", 1)
	r = checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	if !bytes.Contains(r.Out, []byte("        g.get(\"\r\");\n")) {
		t.Errorf("lone CR lost: %q", r.Out)
	}
}

func TestHostileTabsSpacesTrailingWhitespace(t *testing.T) {
	// A tab-indented fn in a file indented with spaces elsewhere, with
	// trailing whitespace inside the wrapped range: the new scope is
	// indented with the fn's own indentation plus the file's unit, and the
	// trailing whitespace is kept byte for byte.
	in := "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\n\tlet g = m.lock().unwrap();  \n\tg.len();\t\n\n\ttick().await;\n}\n"
	r := checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	want := "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\n\t{\n\t\tlet g = m.lock().unwrap();  \n\t\tg.len();\t\n\t}\n\n\ttick().await;\n}\n"
	if string(r.Out) != want {
		t.Errorf("got  %q\nwant %q", r.Out, want)
	}
	// Spaces and tabs mixed on one line.
	in = "async fn held(m: &std::sync::Mutex<Vec<u8>>) {\n  \tlet g = m.lock().unwrap();\n  \tg.len();\n  \ttick().await;\n}\n"
	r = checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	if !strings.Contains(string(r.Out), "\n  \t{\n") || !strings.Contains(string(r.Out), "\n  \t}\n") {
		t.Errorf("scope not at the statements' indentation: %q", r.Out)
	}
}

func TestHostileUnicode(t *testing.T) {
	// Unicode identifiers and strings: columns count characters.
	in := "async fn größe(mütex: &std::sync::Mutex<Vec<u8>>) {\n    let é = \"→ 🎉\"; let gärd = mütex.lock().unwrap();\n    gärd.len();\n    tick(\"ü\").await;\n}\n" +
		"async fn zwei(mütex: &std::sync::Mutex<Vec<u8>>) {\n    let gärd = mütex.lock().unwrap();\n    println!(\"{} 🎉\", gärd.len());\n    tick(\"ü\").await;\n}\n"
	r := checkContract(t, allAsync(), []byte(in))
	var fixed, unfixed *Finding
	for i := range r.Findings {
		if r.Findings[i].Fixed {
			fixed = &r.Findings[i]
		} else {
			unfixed = &r.Findings[i]
		}
	}
	if unfixed == nil || unfixed.Pos.Line != 2 || unfixed.Pos.Col != 24 {
		t.Errorf("the guard after another statement on its line: want unfixed at 2:24, got %+v", r.Findings)
	}
	if fixed == nil || fixed.Pos.Line != 7 || fixed.Pos.Col != 9 || fixed.Name != "gärd" {
		t.Errorf("want the second fn fixed at 7:9, got %+v", r.Findings)
	}
	if !strings.Contains(string(r.Out), "    {\n        let gärd = mütex.lock().unwrap();\n        println!(\"{} 🎉\", gärd.len());\n    }\n") {
		t.Errorf("got:\n%s", r.Out)
	}
}

func TestHostileTextThatLooksLikeCode(t *testing.T) {
	// Raw strings, strings, comments and doc comments holding the shapes
	// the rules look for are text: nothing to find.
	in := "async fn f(m: &std::sync::Mutex<u8>) {\n" +
		"    let s = r#\"let g = m.lock().unwrap();\n    g.len();\n    x.await;\"#;\n" +
		"    let t = \"let g = m.lock().unwrap(); x.await\";\n" +
		"    // let g = m.lock().unwrap();\n    // x.await;\n" +
		"    /* let g = m.lock().unwrap();\n       x.await; */\n" +
		"    /// let g = m.lock().unwrap(); x.await\n    let _ = (s, t);\n" +
		"    let r = Rc::new(1); // tokio::spawn(async move { r })\n}\n"
	wantUntouched(t, checkContract(t, allAsync(), []byte(in)))
}

func TestHostileMacros(t *testing.T) {
	// Macro bodies are token trees, not code the rules can reason about:
	// they are left alone, and the code around them is still fixed.
	in := "macro_rules! hold {\n    ($m:expr) => {\n        async {\n            let g = $m.lock().unwrap();\n            g.len();\n            tick().await;\n        }\n    };\n}\n" +
		"async fn sel(m: &std::sync::Mutex<Vec<u8>>) {\n    tokio::select! {\n        _ = a() => {\n            let g = m.lock().unwrap();\n            g.len();\n            tick().await;\n        }\n    }\n}\n" +
		held
	r := checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	if !strings.HasSuffix(string(r.Out), heldFixed) || !strings.HasPrefix(string(r.Out), in[:len(in)-len(held)]) {
		t.Errorf("got:\n%s", r.Out)
	}
}

func TestHostileAttributes(t *testing.T) {
	// #[cfg]-gated fns and attributes between statements: the attribute
	// stays with its statement inside the new scope.
	in := "#[cfg(feature = \"x\")]\n" + strings.Replace(held, "    g.len();\n", "    #[allow(unused)]\n    let n = g.len();\n    #[cfg(test)]\n    g.len();\n", 1)
	r := checkContract(t, allAsync(), []byte(in))
	wantFixed(t, r, 1)
	want := "#[cfg(feature = \"x\")]\nasync fn held(m: &std::sync::Mutex<Vec<u8>>) {\n    {\n        let g = m.lock().unwrap();\n        #[allow(unused)]\n        let n = g.len();\n        #[cfg(test)]\n        g.len();\n    }\n    tick().await;\n}\n"
	if string(r.Out) != want {
		t.Errorf("got:\n%s", r.Out)
	}
}

func TestHostileUnknownSyntax(t *testing.T) {
	// Syntax the grammar does not know makes ERROR nodes: a finding in the
	// same fn is reported "cannot parse line L" and not fixed, a warning
	// names the first such line, and the other fns are still fixed.
	for _, tc := range []struct{ name, stmt string }{
		{"async closure", "let c = async || 1;"},
		{"raw borrow", "let p = &raw const X;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			broken := "async fn broken(m: &std::sync::Mutex<Vec<u8>>) {\n    let g = m.lock().unwrap();\n    " + tc.stmt + "\n    g.len();\n    tick().await;\n}\n"
			in := broken + held
			r := checkContract(t, allAsync(), []byte(in))
			if string(r.Out) != broken+heldFixed {
				t.Errorf("got:\n%s", r.Out)
			}
			if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "cannot parse line 3") {
				t.Errorf("warnings: %q", r.Warnings)
			}
			var reasons []string
			for _, f := range r.Findings {
				if !f.Fixed {
					reasons = append(reasons, fmt.Sprintf("%d:%s", f.Pos.Line, f.Reason))
				}
			}
			if len(reasons) != 1 || reasons[0] != "2:cannot parse line 3" {
				t.Errorf("unfixed findings: %q (all: %+v)", reasons, r.Findings)
			}
		})
	}
}
