package rewrite

import (
	"strings"
	"testing"
)

func TestDetectStyle(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want Style
	}{
		{"empty", "", Style{"    ", "\n", false}},
		{"no indentation", "fn main() {}\n", Style{"    ", "\n", false}},
		{"four spaces", "fn f() {\n    if x {\n        y();\n    }\n}\n", Style{"    ", "\n", false}},
		{"two spaces", "fn f() {\n  if x {\n    y();\n  }\n}\n", Style{"  ", "\n", false}},
		{"tabs", "fn f() {\n\tif x {\n\t\ty();\n\t}\n}\n", Style{"\t", "\n", false}},
		{"tabs win over a few spaces", "fn f() {\n\ta();\n\tb();\n    c();\n}\n", Style{"\t", "\n", false}},
		{"crlf", "fn f() {\r\n    a();\r\n}\r\n", Style{"    ", "\r\n", false}},
		{"mostly crlf", "a\r\nb\r\nc\n", Style{"    ", "\r\n", false}},
		{"mostly lf", "a\nb\nc\r\n", Style{"    ", "\n", false}},
		{"unterminated last line does not count", "a\r\nb", Style{"    ", "\r\n", false}},
		{"bom", "\xef\xbb\xbffn f() {\n  a();\n}\n", Style{"  ", "\n", true}},
		{"doc comment continuation does not win", "/**\n * a\n * b\n */\nfn f() {\n    a();\n    if x {\n        b();\n    }\n}\n", Style{"    ", "\n", false}},
		{"blank and whitespace-only lines skipped", "fn f() {\n\n   \n  a();\n}\n", Style{"  ", "\n", false}},
		{"deeper jump counts its step", "fn f() {\n        a();\n    b();\n        c();\n}\n", Style{"    ", "\n", false}},
	}
	for _, c := range cases {
		if got := DetectStyle([]byte(c.src)); got != c.want {
			t.Errorf("%s: DetectStyle = %#v, want %#v", c.name, got, c.want)
		}
	}
}

func TestLineHelpers(t *testing.T) {
	src := []byte("ab\r\n\tcd\n  \nlast")
	// offsets: a0 b1 \r2 \n3 \t4 c5 d6 \n7 ' '8 ' '9 \n10 l11 .. t14, len 15
	cases := []struct {
		off, start, end int
		indent          string
	}{
		{0, 0, 2, ""},
		{1, 0, 2, ""},
		{2, 0, 2, ""},
		{3, 0, 2, ""}, // the "\n" of "\r\n" belongs to line 1, whose text ends at 2
		{4, 4, 7, "\t"},
		{6, 4, 7, "\t"},
		{7, 4, 7, "\t"},
		{8, 8, 10, "  "},
		{10, 8, 10, "  "},
		{11, 11, 15, ""},
		{15, 11, 15, ""},
	}
	for _, c := range cases {
		if got := LineStart(src, c.off); got != c.start {
			t.Errorf("LineStart(%d) = %d, want %d", c.off, got, c.start)
		}
		if got := LineEnd(src, c.off); got != c.end {
			t.Errorf("LineEnd(%d) = %d, want %d", c.off, got, c.end)
		}
		if got := IndentAt(src, c.off); got != c.indent {
			t.Errorf("IndentAt(%d) = %q, want %q", c.off, got, c.indent)
		}
	}
	b := []byte("\xef\xbb\xbf  x\ny")
	if LineStart(b, 5) != 3 || LineStart(b, 1) != 0 || IndentAt(b, 5) != "  " || LineStart(b, 7) != 7 {
		t.Errorf("line helpers after a BOM: LineStart %d, IndentAt %q", LineStart(b, 5), IndentAt(b, 5))
	}
	if LineStart(nil, 0) != 0 || LineEnd(nil, 0) != 0 || IndentAt(nil, 0) != "" {
		t.Error("line helpers on an empty source")
	}
}

func TestReindent(t *testing.T) {
	cases := []struct {
		text, add, nl, want string
	}{
		{"a\nb", "  ", "\n", "  a\n  b"},
		{"a\n\nb\n", "\t", "\n", "\ta\n\n\tb\n"},
		{"a\n   \nb", "    ", "\n", "    a\n\n    b"},
		{"a\r\nb\r\n", "  ", "\r\n", "  a\r\n  b\r\n"},
		{"a\nb", "  ", "\r\n", "  a\r\n  b"},
		{"", "  ", "\n", ""},
		{"  already", "  ", "\n", "    already"},
	}
	for _, c := range cases {
		if got := Reindent(c.text, c.add, c.nl); got != c.want {
			t.Errorf("Reindent(%q, %q, %q) = %q, want %q", c.text, c.add, c.nl, got, c.want)
		}
	}
}

// wrap applies WrapLines around the lines holding the first occurrence of
// from through the first occurrence of to.
func wrap(t *testing.T, src, from, to string, verbatim []Span) string {
	t.Helper()
	start := strings.Index(src, from)
	end := strings.Index(src, to) + len(to)
	if start < 0 || end < len(to) {
		t.Fatalf("%q or %q not in source", from, to)
	}
	out, err := Apply([]byte(src), WrapLines([]byte(src), start, end, "{", "}", DetectStyle([]byte(src)), verbatim))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestWrapLines(t *testing.T) {
	cases := []struct {
		name, src, from, to, want string
	}{
		{"spaces",
			"async fn f() {\n    let g = m.lock().unwrap();\n    g.push(1);\n    x().await;\n}\n",
			"let g", "push(1);",
			"async fn f() {\n    {\n        let g = m.lock().unwrap();\n        g.push(1);\n    }\n    x().await;\n}\n"},
		{"tabs",
			"async fn f() {\n\tlet g = m.lock().unwrap();\n\tg.push(1);\n\tx().await;\n}\n",
			"let g", "push(1);",
			"async fn f() {\n\t{\n\t\tlet g = m.lock().unwrap();\n\t\tg.push(1);\n\t}\n\tx().await;\n}\n"},
		{"two-space file",
			"fn f() {\n  if a {\n    b();\n  }\n}\n",
			"b();", "b();",
			"fn f() {\n  if a {\n    {\n      b();\n    }\n  }\n}\n"},
		{"crlf",
			"fn f() {\r\n    a();\r\n    b();\r\n}\r\n",
			"a();", "b();",
			"fn f() {\r\n    {\r\n        a();\r\n        b();\r\n    }\r\n}\r\n"},
		{"blank line and comment inside",
			"fn f() {\n    a();\n\n    // note\n    b(); // trailing\n}\n",
			"a();", "b();",
			"fn f() {\n    {\n        a();\n\n        // note\n        b(); // trailing\n    }\n}\n"},
		{"whitespace-only line stays as it is",
			"fn f() {\n    a();\n    \n    b();\n}\n",
			"a();", "b();",
			"fn f() {\n    {\n        a();\n    \n        b();\n    }\n}\n"},
		{"last line without newline",
			"    a();\n    b();",
			"a();", "b();",
			"    {\n        a();\n        b();\n    }"},
		{"end at the start of the next line",
			"    a();\n    b();\n    c();\n",
			"a();", "b();\n",
			"    {\n        a();\n        b();\n    }\n    c();\n"},
		{"bom on the first line",
			"\xef\xbb\xbfa();\nb();\n",
			"a();", "a();",
			"\xef\xbb\xbf{\n    a();\n}\nb();\n"},
	}
	for _, c := range cases {
		if got := wrap(t, c.src, c.from, c.to, nil); got != c.want {
			t.Errorf("%s:\n%q\nwant\n%q", c.name, got, c.want)
		}
	}
}

func TestWrapLinesVerbatim(t *testing.T) {
	src := "fn f() {\n    let s = \"one\ntwo\n    three\";\n    g(s);\n}\n"
	lit := Span{strings.Index(src, `"one`), strings.Index(src, `three"`) + len(`three"`)}
	want := "fn f() {\n    {\n        let s = \"one\ntwo\n    three\";\n        g(s);\n    }\n}\n"
	if got := wrap(t, src, "let s", "g(s);", []Span{lit}); got != want {
		t.Errorf("verbatim:\n%q\nwant\n%q", got, want)
	}
}

func TestIndentLines(t *testing.T) {
	src := []byte("a\n\nb\r\n  c\n")
	got, err := Apply(src, IndentLines(src, 0, len(src), "--", nil))
	if err != nil || string(got) != "--a\n\n--b\r\n--  c\n" {
		t.Errorf("IndentLines = %q, %v", got, err)
	}
	// An empty range still names its line.
	if e := IndentLines(src, 3, 3, "--", nil); len(e) != 1 || e[0].Start != 3 {
		t.Errorf("IndentLines on an empty range = %v", e)
	}
}
