package rewrite

import (
	"bytes"
	"strings"
)

// BOM is the UTF-8 byte order mark; a file that starts with it keeps it.
const BOM = "\xef\xbb\xbf"

// Style is how a file is laid out, so that inserted text looks like its
// neighbours.
type Style struct {
	Indent  string // one indentation level: "\t" or some spaces
	Newline string // "\n" or "\r\n"
	BOM     bool   // the file starts with a UTF-8 byte order mark
}

// DetectStyle returns the style of src. Indent is "\t" when more indented
// lines start with a tab than with a space; otherwise it is the most common
// increase of indentation between a line and the previous non-blank line
// (ties go to the smaller step), or four spaces when no line tells.
// Newline is "\r\n" when more lines end in "\r\n" than in a bare "\n".
func DetectStyle(src []byte) Style {
	st := Style{Indent: "    ", Newline: "\n", BOM: bytes.HasPrefix(src, []byte(BOM))}
	crlf, lf := 0, 0
	tabs, spaces := 0, 0
	steps := map[int]int{}
	prev := -1 // indentation width of the previous non-blank line, -1 if unknown
	for line := range bytes.Lines(src) {
		if bytes.HasSuffix(line, []byte("\r\n")) {
			crlf++
		} else if bytes.HasSuffix(line, []byte("\n")) {
			lf++
		}
		body := bytes.TrimRight(line, "\r\n")
		if len(bytes.TrimSpace(body)) == 0 {
			continue
		}
		switch body[0] {
		case '\t':
			tabs++
			prev = -1
			continue
		case ' ':
			spaces++
		}
		w := len(body) - len(bytes.TrimLeft(body, " "))
		if w < len(body) && body[w] == '\t' {
			// Spaces then a tab: no clean width to compare.
			prev = -1
			continue
		}
		if prev >= 0 && w > prev {
			steps[w-prev]++
		}
		prev = w
	}
	if crlf > lf {
		st.Newline = "\r\n"
	}
	if tabs > spaces {
		st.Indent = "\t"
		return st
	}
	best, bestN := 0, 0
	for step, n := range steps {
		if n > bestN || (n == bestN && step < best) {
			best, bestN = step, n
		}
	}
	if best > 0 {
		st.Indent = strings.Repeat(" ", best)
	}
	return st
}

// lineStart returns the offset of the first byte of the line holding off
// (off itself may be len(src)). A leading BOM is not part of the first
// line's text: past it, the first line starts at 3, so that text inserted
// at a line start stays after the BOM.
func lineStart(src []byte, off int) int {
	s := bytes.LastIndexByte(src[:off], '\n') + 1
	if s == 0 && off >= len(BOM) && bytes.HasPrefix(src, []byte(BOM)) {
		s = len(BOM)
	}
	return s
}

// IndentAt returns the leading spaces and tabs of the line holding off.
func IndentAt(src []byte, off int) string {
	s := lineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}
