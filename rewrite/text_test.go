package rewrite

import (
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
		off, start int
		indent     string
	}{
		{0, 0, ""},
		{1, 0, ""},
		{2, 0, ""},
		{3, 0, ""}, // the "\n" of "\r\n" belongs to line 1
		{4, 4, "\t"},
		{6, 4, "\t"},
		{7, 4, "\t"},
		{8, 8, "  "},
		{10, 8, "  "},
		{11, 11, ""},
		{15, 11, ""},
	}
	for _, c := range cases {
		if got := lineStart(src, c.off); got != c.start {
			t.Errorf("lineStart(%d) = %d, want %d", c.off, got, c.start)
		}
		if got := IndentAt(src, c.off); got != c.indent {
			t.Errorf("IndentAt(%d) = %q, want %q", c.off, got, c.indent)
		}
	}
	b := []byte("\xef\xbb\xbf  x\ny")
	if lineStart(b, 5) != 3 || lineStart(b, 1) != 0 || IndentAt(b, 5) != "  " || lineStart(b, 7) != 7 {
		t.Errorf("line helpers after a BOM: LineStart %d, IndentAt %q", lineStart(b, 5), IndentAt(b, 5))
	}
	if lineStart(nil, 0) != 0 || IndentAt(nil, 0) != "" {
		t.Error("line helpers on an empty source")
	}
}
