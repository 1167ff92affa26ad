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

// LineStart returns the offset of the first byte of the line holding off
// (off itself may be len(src)). A leading BOM is not part of the first
// line's text: past it, the first line starts at 3, so that text inserted
// at a line start stays after the BOM.
func LineStart(src []byte, off int) int {
	s := bytes.LastIndexByte(src[:off], '\n') + 1
	if s == 0 && off >= len(BOM) && bytes.HasPrefix(src, []byte(BOM)) {
		s = len(BOM)
	}
	return s
}

// LineEnd returns the offset where the text of the line holding off ends:
// its "\n", or the "\r" of its "\r\n", or len(src) on a last line without a
// newline. When off is the "\n" of a "\r\n", the result is off-1.
func LineEnd(src []byte, off int) int {
	end := len(src)
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		end = off + i
		if end > 0 && src[end-1] == '\r' {
			end--
		}
	}
	return end
}

// IndentAt returns the leading spaces and tabs of the line holding off.
func IndentAt(src []byte, off int) string {
	s := LineStart(src, off)
	e := s
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return string(src[s:e])
}

// Reindent returns text with add prefixed to every line that is not blank,
// blank lines emptied, and the lines joined by nl (a "\r" ending a line of
// text is dropped, since nl supplies the line ending). A text ending with a
// newline still ends with one.
func Reindent(text string, add string, nl string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		if strings.TrimSpace(l) == "" {
			lines[i] = ""
		} else {
			lines[i] = add + l
		}
	}
	return strings.Join(lines, nl)
}

// Span is the half-open byte range [Start, End) of a source.
type Span struct {
	Start, End int
}

// IndentLines returns insertions of add at the start of every line that
// holds a byte of src[start:end] (the line of start when start == end).
// Blank lines get nothing, so no trailing whitespace appears. A line that
// starts strictly inside a verbatim span, such as a multi-line string
// literal whose content must not change, is left alone too. Each line keeps
// its own line ending.
func IndentLines(src []byte, start, end int, add string, verbatim []Span) []Edit {
	var edits []Edit
	last := max(end-1, start)
	for ls := LineStart(src, start); ls <= last && ls <= len(src); {
		le := LineEnd(src, ls)
		if len(bytes.TrimSpace(src[ls:le])) > 0 && !inside(ls, verbatim) {
			edits = append(edits, Edit{Start: ls, End: ls, New: add})
		}
		next := bytes.IndexByte(src[ls:], '\n')
		if next < 0 {
			break
		}
		ls += next + 1
	}
	return edits
}

// inside reports whether off lies strictly inside one of the spans.
func inside(off int, spans []Span) bool {
	for _, s := range spans {
		if s.Start < off && off < s.End {
			return true
		}
	}
	return false
}

// WrapLines returns the edits that wrap the whole lines holding
// src[start:end] in a block: a line with open before them and a line with
// close after them, both at the indentation of the first line, and the
// lines themselves one st.Indent deeper (see IndentLines for verbatim).
// For example, open "{" and close "}" turn
//
//	let g = m.lock().unwrap();
//	g.push(1);
//
// into
//
//	{
//	    let g = m.lock().unwrap();
//	    g.push(1);
//	}
//
// The caller makes sure no other code shares the first and last lines. The
// file's line ending is used for the new lines, and a last line without a
// newline stays without one.
func WrapLines(src []byte, start, end int, open, close string, st Style, verbatim []Span) []Edit {
	first := LineStart(src, start)
	last := max(end-1, start)
	indent := IndentAt(src, first)
	nl := st.Newline
	if nl == "" {
		nl = "\n"
	}
	edits := []Edit{{Start: first, End: first, New: indent + open + nl}}
	edits = append(edits, IndentLines(src, start, end, st.Indent, verbatim)...)
	stop := LineEnd(src, min(last, len(src)))
	return append(edits, Edit{Start: stop, End: stop, New: nl + indent + close})
}
