package patterns

import (
	"bytes"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Text helpers of mutex-scope's edits: lines, indentation, and the string
// literals and comments that re-indenting must not touch.

// onlyComments reports whether s (the rest of a line) holds nothing but
// white space and comments, which may stay on the line a block ends.
func onlyComments(s string) bool {
	for {
		s = strings.TrimSpace(s)
		switch {
		case s == "" || strings.HasPrefix(s, "//"):
			return true
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return false // a block comment running on: not a one-line tail
			}
			s = s[i+4:]
		default:
			return false
		}
	}
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// lineEnd returns the offset of the line break (before a \r) ending the
// line holding off, or len(src).
func lineEnd(src []byte, off int) int {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	e := off + i
	if e > off && src[e-1] == '\r' {
		e--
	}
	return e
}

// multilineLiterals returns the byte ranges inside [from, to) where a line
// starts within a string literal: re-indenting those lines would change the
// string.
//
// The walk starts at the smallest node covering the range, found by a
// descent with a cursor: a walk from the root for every guard scoped made
// a run quadratic in the items of the file. Nothing outside that node
// meets the range; a literal on the way down holds the whole range.
func multilineLiterals(root *sitter.Node, from, to int) [][2]int {
	var out [][2]int
	if from < to {
		c := sitter.NewTreeCursor(root)
		defer c.Close()
		for {
			switch root.Type() {
			case "string_literal", "raw_string_literal", "block_comment":
				return [][2]int{{int(root.StartByte()), int(root.EndByte())}}
			}
			if c.GoToFirstChildForByte(uint32(from)) < 0 {
				break
			}
			n := c.CurrentNode()
			if int(n.StartByte()) > from || int(n.EndByte()) < to {
				break
			}
			root = n
		}
	}
	walk(root, func(n *sitter.Node) bool {
		if int(n.EndByte()) <= from || int(n.StartByte()) >= to {
			return false
		}
		switch n.Type() {
		case "string_literal", "raw_string_literal", "block_comment":
			out = append(out, [2]int{int(n.StartByte()), int(n.EndByte())})
			return false
		}
		return true
	})
	return out
}

// inLiteral reports whether off lies strictly inside one of the ranges.
func inLiteral(off int, lits [][2]int) bool {
	for _, r := range lits {
		if off > r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// indentRange returns the lines of src[from:to] each indented by one more
// unit, joined by nl. Blank lines become empty; lines that begin inside a
// string literal or block comment are left as they are.
func indentRange(src []byte, from, to int, unit, nl string, lits [][2]int) string {
	return reindentText(string(src[from:to]), unit, nl, lits, from, src)
}

// reindentText indents each line of s (found at offset base of src) but
// the first by unit, and the first line too when it starts a line of src.
func reindentText(s, unit, nl string, lits [][2]int, base int, src []byte) string {
	lines := strings.Split(s, "\n")
	off := base
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		startsLine := off == 0 || src[off-1] == '\n'
		switch {
		case inLiteral(off, lits):
		case strings.TrimSpace(l) == "":
			l = ""
		case startsLine:
			l = unit + l
		}
		off += len(lines[i]) + 1
		lines[i] = l
	}
	return strings.Join(lines, nl)
}

// compactText is n's text on one line, inner runs of white space made one
// space.
func compactText(src []byte, n *sitter.Node) string {
	return strings.Join(strings.Fields(text(src, n)), " ")
}
