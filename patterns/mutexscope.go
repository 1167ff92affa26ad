package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// runMutexScope finds lock guards alive across an await of a Send-required
// future and, when the guard is not used after the await, ends its life
// before the await with a scope block. Guards used after the await are
// left in fileCtx.held for tokio-mutex.
func runMutexScope(fc *fileCtx) []proposal {
	var out []proposal
	for _, g := range findGuards(fc) {
		f := Finding{
			Rule:    RuleMutexScope,
			Pos:     Pos{Offset: int(g.decl.ChildByFieldName("pattern").StartByte())},
			Await:   &Pos{Offset: awaitKeyword(fc.src, g.await)},
			Name:    g.name,
			Message: fmt.Sprintf("`%s` `%s` is held across an await point", g.kind, g.name),
		}
		awaitLine := lineOf(fc.src, f.Await.Offset)
		if g.usedLate {
			fc.held = append(fc.held, g)
			f.Reason = fmt.Sprintf("guard `%s` is used after the await at line %d; scoping it would change what the code does", g.name, awaitLine)
			out = append(out, proposal{f: f})
			continue
		}
		edits, why := scopeGuard(fc, g)
		if why != "" {
			f.Reason = fmt.Sprintf("%s (guard `%s`, await at line %d)", why, g.name, awaitLine)
			out = append(out, proposal{f: f})
			continue
		}
		f.Fix = "scoped the guard so it is dropped before the await"
		out = append(out, proposal{f: f, edits: edits})
	}
	return out
}

// awaitKeyword returns the offset of the `await` keyword of an await
// expression (rustc points there).
func awaitKeyword(src []byte, aw *sitter.Node) int {
	end := int(aw.EndByte())
	if end >= 5 && string(src[end-5:end]) == "await" {
		return end - 5
	}
	return int(aw.StartByte())
}

// scopeGuard returns the edits that wrap the guard's statements, from its
// let through its last use, in a block; or why it cannot.
func scopeGuard(fc *fileCtx, g *guard) ([]rewrite.Edit, string) {
	first, last := g.stmts[g.at], g.stmts[g.lastUse]
	// Bindings made while the guard is held and used after the range
	// must come out of the block as its value.
	var escNames []string
	var escMut []bool
	var escDecl []*sitter.Node
	for j := g.at + 1; j <= g.lastUse; j++ {
		s := g.stmts[j]
		if s.Type() != "let_declaration" {
			continue
		}
		names, muts := patternNames(fc.src, s.ChildByFieldName("pattern"))
		for k, n := range names {
			for _, later := range g.stmts[g.lastUse+1:] {
				if usesName(fc.src, later, n) {
					escNames = append(escNames, n)
					escMut = append(escMut, muts[k] || letIsMut(s))
					escDecl = append(escDecl, s)
					break
				}
			}
		}
	}
	if len(escNames) > 0 && last.Type() == "let_declaration" && last.ChildByFieldName("alternative") != nil {
		return nil, "the last statement in the guard's range is a let-else"
	}

	start := int(first.StartByte())
	ls := lineStart(fc.src, start)
	if strings.TrimSpace(string(fc.src[ls:start])) != "" {
		return nil, "the guard's let does not start its line"
	}
	end := int(last.EndByte())
	le := lineEnd(fc.src, end)
	if rest := strings.TrimSpace(string(fc.src[end:le])); rest != "" && !strings.HasPrefix(rest, "//") {
		return nil, "another statement follows the guard's last use on the same line"
	}
	indent := string(fc.src[ls:start])
	nl := fc.style.Newline
	unit := fc.style.Indent
	keep := multilineLiterals(fc.root, ls, le)

	var b strings.Builder
	switch {
	case len(escNames) == 0:
		b.WriteString(indent + "{" + nl)
		b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep))
		b.WriteString(nl + indent + "}")
	default:
		pat := escNames[0]
		if len(escNames) > 1 {
			parts := make([]string, len(escNames))
			for i, n := range escNames {
				parts[i] = n
				if escMut[i] {
					parts[i] = "mut " + n
				}
			}
			pat = "(" + strings.Join(parts, ", ") + ")"
		} else if escMut[0] {
			pat = "mut " + pat
		}
		tailDecl := len(escNames) == 1 && escDecl[0] == last && last.ChildByFieldName("pattern").Type() == "identifier"
		if tailDecl {
			if ty := last.ChildByFieldName("type"); ty != nil {
				pat += ": " + text(fc.src, ty)
			}
		}
		b.WriteString(indent + "let " + pat + " = {" + nl)
		inner := indent + unit
		if tailDecl {
			// The last let's value becomes the block's value.
			prevEnd := ls
			if g.lastUse > g.at {
				prevEnd = lineEnd(fc.src, int(g.stmts[g.lastUse-1].EndByte()))
				b.WriteString(indentRange(fc.src, ls, prevEnd, unit, nl, keep) + nl)
			}
			val := last.ChildByFieldName("value")
			b.WriteString(inner + reindentText(text(fc.src, val), unit, nl, multilineLiterals(fc.root, int(val.StartByte()), int(val.EndByte())), int(val.StartByte()), fc.src))
			if rest := strings.TrimSpace(string(fc.src[end:le])); rest != "" {
				b.WriteString(" " + rest)
			}
		} else {
			b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep) + nl)
			tail := escNames[0]
			if len(escNames) > 1 {
				tail = "(" + strings.Join(escNames, ", ") + ")"
			}
			b.WriteString(inner + tail)
		}
		b.WriteString(nl + indent + "};")
	}
	return []rewrite.Edit{{Start: ls, End: le, New: b.String()}}, ""
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	return strings.LastIndexByte(string(src[:off]), '\n') + 1
}

// lineEnd returns the offset of the line break (before a \r) ending the
// line holding off, or len(src).
func lineEnd(src []byte, off int) int {
	i := strings.IndexByte(string(src[off:]), '\n')
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
func multilineLiterals(root *sitter.Node, from, to int) [][2]int {
	var out [][2]int
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
