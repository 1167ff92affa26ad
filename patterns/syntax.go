package patterns

import (
	"bytes"
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Shared syntax helpers over the tree-sitter Rust grammar. Every rule
// works through these, so a change of binding touches this file first.

// text returns the source bytes of n.
func text(src []byte, n *sitter.Node) string {
	if n == nil {
		return ""
	}
	return string(src[n.StartByte():n.EndByte()])
}

// walk calls f on n and its descendants in source order. When f returns
// false the children of that node are skipped.
//
// It moves a tree cursor: tree-sitter's Child(i) and NextSibling scan the
// parent's children from the start, so indexing every child would be
// quadratic in the width of a node (a table of thousands of elements, a
// file of thousands of items).
func walk(n *sitter.Node, f func(*sitter.Node) bool) {
	if n == nil {
		return
	}
	c := sitter.NewTreeCursor(n)
	defer c.Close()
	depth := 0
	for {
		if f(c.CurrentNode()) && c.GoToFirstChild() {
			depth++
			continue
		}
		for {
			if depth == 0 {
				return
			}
			if c.GoToNextSibling() {
				break
			}
			c.GoToParent()
			depth--
		}
	}
}

// ancestors are the nodes above the one a walkTyped callback gets, the
// nearest last, with their types.
type ancestors struct {
	nodes []*sitter.Node
	types []string
}

// parent returns the nearest ancestor and its type, or nil and "".
func (a *ancestors) parent() (*sitter.Node, string) {
	if len(a.nodes) == 0 {
		return nil, ""
	}
	return a.nodes[len(a.nodes)-1], a.types[len(a.types)-1]
}

// has reports whether an ancestor has the given type.
func (a *ancestors) has(typ string) bool {
	for _, t := range a.types {
		if t == typ {
			return true
		}
	}
	return false
}

// walkTyped is walk for the walks that look at every node of a file: f
// gets each node's type and its ancestors, which spares it the binding's
// Type and Parent calls (the latter searches down from the root on every
// call).
func walkTyped(n *sitter.Node, f func(n *sitter.Node, typ string, up *ancestors) bool) {
	if n == nil {
		return
	}
	c := sitter.NewTreeCursor(n)
	defer c.Close()
	up := &ancestors{}
	for {
		cur := c.CurrentNode()
		typ := cur.Type()
		if f(cur, typ, up) && c.GoToFirstChild() {
			up.nodes = append(up.nodes, cur)
			up.types = append(up.types, typ)
			continue
		}
		for {
			if len(up.nodes) == 0 {
				return
			}
			if c.GoToNextSibling() {
				break
			}
			c.GoToParent()
			up.nodes = up.nodes[:len(up.nodes)-1]
			up.types = up.types[:len(up.types)-1]
		}
	}
}

// namedChildren returns the named children of n, in order (with a cursor,
// for the reason walk gives).
func namedChildren(n *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	if n.NamedChildCount() == 0 {
		return nil
	}
	c := sitter.NewTreeCursor(n)
	defer c.Close()
	for ok := c.GoToFirstChild(); ok; ok = c.GoToNextSibling() {
		if ch := c.CurrentNode(); ch.IsNamed() {
			out = append(out, ch)
		}
	}
	return out
}

// statements returns the statements of a block in order, the tail
// expression included. Comments and attributes are not statements.
func statements(block *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	for _, c := range namedChildren(block) {
		switch c.Type() {
		case "line_comment", "block_comment", "attribute_item", "inner_attribute_item", "label":
			continue
		}
		out = append(out, c)
	}
	return out
}

// ancestor returns the nearest proper ancestor of n of one of the types.
func ancestor(n *sitter.Node, types ...string) *sitter.Node {
	for p := n.Parent(); p != nil; p = p.Parent() {
		for _, t := range types {
			if p.Type() == t {
				return p
			}
		}
	}
	return nil
}

// contains reports whether outer's byte range holds inner's.
func contains(outer, inner *sitter.Node) bool {
	return outer.StartByte() <= inner.StartByte() && inner.EndByte() <= outer.EndByte()
}

// isAsyncFn reports whether n is an `async fn` item.
func isAsyncFn(src []byte, n *sitter.Node) bool {
	if n.Type() != "function_item" {
		return false
	}
	for i := 0; i < int(n.ChildCount()); i++ {
		c := n.Child(i)
		if c.Type() == "function_modifiers" && strings.Contains(text(src, c), "async") {
			return true
		}
	}
	return false
}

// isFutureBoundary reports whether n starts a body that is its own future
// or its own sync context: an awaited nested async block is a separate
// state machine, and a closure or fn item cannot hold the outer guard
// across the outer awaits.
func isFutureBoundary(n *sitter.Node) bool {
	switch n.Type() {
	case "async_block", "closure_expression", "function_item":
		return true
	}
	return false
}

// awaitsIn returns the awaits of the future whose body is body: await
// expressions and macro invocations that await (awaitMacro). Awaits
// inside nested async blocks, closures and items belong to those and are
// not returned (the outer future awaits the nested block with an await
// of its own, which is returned).
func awaitsIn(src []byte, body *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	walk(body, func(n *sitter.Node) bool {
		if n != body && isFutureBoundary(n) {
			return false
		}
		switch n.Type() {
		case "await_expression":
			out = append(out, n)
		case "macro_invocation":
			if awaitMacro(src, n) {
				out = append(out, n)
				return false
			}
		}
		return true
	})
	return out
}

// hasAwait reports whether n holds an await of the current future.
func hasAwait(src []byte, n *sitter.Node) bool { return len(awaitsIn(src, n)) > 0 }

// awaitMacroNames are the macros of tokio and futures whose expansion
// awaits in the body that invokes them (join!, select!, ...).
var awaitMacroNames = map[string]bool{"join": true, "try_join": true, "select": true, "select_biased": true, "pending": true}

// awaitMacroCrates are the crates whose awaitMacroNames await.
var awaitMacroCrates = map[string]bool{"tokio": true, "futures": true, "futures_util": true}

// awaitMacro reports whether macro invocation n awaits in the body that
// holds it: a macro of awaitMacroNames named by a path from one of
// awaitMacroCrates (`tokio::join!(a, b)`) or imported from one by a `use`
// (awaitMacroImported), or a macro whose tokens hold `.await` and no
// `async` (the await is then in the invoking body, not in a nested async
// block or fn the macro's tokens write). The token walk's twin is
// fileSyntax.awaitMacroTok (with every `await` keyword).
func awaitMacro(src []byte, n *sitter.Node) bool {
	m := n.ChildByFieldName("macro")
	if m == nil {
		return false
	}
	switch m.Type() {
	case "identifier":
		name := text(src, m)
		if awaitMacroNames[name] && awaitMacroImported(src, name) {
			return true
		}
	case "scoped_identifier":
		segs := strings.Split(strings.Join(strings.Fields(text(src, m)), ""), "::")
		if segs[0] == "" && len(segs) > 1 {
			segs = segs[1:]
		}
		if awaitMacroNames[segs[len(segs)-1]] && awaitMacroCrates[segs[0]] {
			return true
		}
	}
	var dotAwait, async bool
	var prev string
	walkAll(n, func(c *sitter.Node) {
		switch c.Type() {
		case "await":
			dotAwait = dotAwait || prev == "."
		case "async":
			async = true
		}
		prev = c.Type()
	})
	return dotAwait && !async
}

// macroAwaitOffset returns the offset of the first `.await` keyword in
// macro invocation n, or of the macro's name (its last path segment).
func macroAwaitOffset(n *sitter.Node) int {
	off, prev := -1, ""
	walkAll(n, func(c *sitter.Node) {
		if off < 0 && c.Type() == "await" && prev == "." {
			off = int(c.StartByte())
		}
		prev = c.Type()
	})
	if off >= 0 {
		return off
	}
	m := n.ChildByFieldName("macro")
	if m != nil && m.Type() == "scoped_identifier" {
		if nm := m.ChildByFieldName("name"); nm != nil {
			return int(nm.StartByte())
		}
	}
	return int(n.StartByte())
}

// walkAll calls fn on every node under n, named or not, in source order.
func walkAll(n *sitter.Node, fn func(*sitter.Node)) {
	for i := 0; i < int(n.ChildCount()); i++ {
		c := n.Child(i)
		fn(c)
		walkAll(c, fn)
	}
}

// awaitMacroImported reports whether a `use` of tokio or futures in src
// names the macro name (`use tokio::{join, select};`), so that a bare
// `join!(..)` is that crate's: from a word `use`, whitespace, an optional
// `::`, one of awaitMacroCrates as a whole word, up to the next `;`, the
// word name.
func awaitMacroImported(src []byte, name string) bool {
	kwUse := []byte("use")
	for off := 0; ; {
		i := index(src[off:], kwUse)
		if i < 0 {
			return false
		}
		start := off + i
		off = start + 1
		if start > 0 && isASCIIIdentByte(src[start-1]) {
			continue
		}
		k := start + len(kwUse)
		for k < len(src) && isRegexpSpace(src[k]) {
			k++
		}
		if k == start+len(kwUse) {
			continue
		}
		if bytes.HasPrefix(src[k:], []byte("::")) {
			k += 2
		}
		e := k
		for e < len(src) && isASCIIIdentByte(src[e]) {
			e++
		}
		if !awaitMacroCrates[string(src[k:e])] {
			continue
		}
		end := e + bytes.IndexByte(src[e:], ';')
		if end < e {
			end = len(src)
		}
		if hasWord(src[e:end], []byte(name)) {
			return true
		}
	}
}

// isRegexpSpace reports whether c is what `\s` matches: space, tab,
// newline, form feed, carriage return.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// formatArg matches an inline format argument naming an identifier:
// `{g}`, `{g:?}`, `{g:>8}`. `{{` escapes are removed before matching.
var formatArg = regexp.MustCompile(`\{([\p{L}_][\p{L}\p{N}_]*)(:[^{}]*)?\}`)

// usesName reports whether n mentions the binding name: an identifier in
// an expression (not a field or a path segment after `::`), an identifier
// in a macro token tree, or an inline format argument in a string literal
// inside a macro. A nested closure or async block that mentions it counts.
func usesName(src []byte, n *sitter.Node, name string) bool {
	found := false
	walk(n, func(c *sitter.Node) bool {
		if found {
			return false
		}
		switch c.Type() {
		case "identifier":
			if text(src, c) == name && !isPathTail(c) && !isFieldName(c) {
				found = true
			}
		case "string_literal", "raw_string_literal":
			if ancestor(c, "token_tree") != nil {
				s := strings.ReplaceAll(strings.ReplaceAll(text(src, c), "{{", ""), "}}", "")
				for _, m := range formatArg.FindAllStringSubmatch(s, -1) {
					if m[1] == name {
						found = true
					}
				}
			}
			return false
		}
		return !found
	})
	return found
}

// isPathTail reports whether id is the name part of `a::b` (it names an
// item, not a local binding).
func isPathTail(id *sitter.Node) bool {
	p := id.Parent()
	if p == nil {
		return false
	}
	return isPathTailOf(id, p, p.Type())
}

// isPathTailOf is isPathTail given id's parent p and its type.
func isPathTailOf(id, p *sitter.Node, pt string) bool {
	if pt == "scoped_identifier" || pt == "scoped_type_identifier" {
		return p.ChildByFieldName("name") == id
	}
	return false
}

// isFieldName reports whether id is a field name in a struct expression
// shorthand-free position (`S { g: 1 }`) or a label.
func isFieldName(id *sitter.Node) bool {
	p := id.Parent()
	if p == nil {
		return false
	}
	return isFieldNameOf(id, p, p.Type())
}

// isFieldNameOf is isFieldName given id's parent p and its type.
func isFieldNameOf(id, p *sitter.Node, pt string) bool {
	switch pt {
	case "field_initializer":
		return p.ChildByFieldName("field") == id
	case "label":
		return true
	}
	return false
}

// patternNames returns the names a let pattern binds, in order, and
// whether each is `mut`.
func patternNames(src []byte, pat *sitter.Node) (names []string, muts []bool) {
	var visit func(n *sitter.Node, mut bool)
	visit = func(n *sitter.Node, mut bool) {
		switch n.Type() {
		case "identifier":
			names = append(names, text(src, n))
			muts = append(muts, mut)
			return
		case "mut_pattern":
			for _, c := range namedChildren(n) {
				if c.Type() != "mutable_specifier" {
					visit(c, true)
				}
			}
			return
		case "tuple_struct_pattern":
			// The type path (`Some`, `Ok`) is not a binding.
			for i, c := range namedChildren(n) {
				if i == 0 {
					continue
				}
				visit(c, mut)
			}
			return
		case "field_pattern":
			if p := n.ChildByFieldName("pattern"); p != nil {
				visit(p, mut)
				return
			}
			if nm := n.ChildByFieldName("name"); nm != nil {
				names = append(names, text(src, nm))
				muts = append(muts, mut || strings.HasPrefix(strings.TrimSpace(text(src, n)), "mut "))
			}
			return
		case "scoped_identifier", "type_identifier", "scoped_type_identifier", "primitive_type":
			return
		case "captured_pattern":
			// name @ pattern
		}
		for _, c := range namedChildren(n) {
			visit(c, mut)
		}
	}
	if pat != nil {
		visit(pat, false)
	}
	return
}

// letIsMut reports whether a let_declaration binds with `let mut x`.
func letIsMut(decl *sitter.Node) bool {
	for i := 0; i < int(decl.ChildCount()); i++ {
		if decl.Child(i).Type() == "mutable_specifier" {
			return true
		}
	}
	return false
}

// hasErrorIn reports whether n contains an ERROR or MISSING node.
func hasErrorIn(n *sitter.Node) bool {
	return n != nil && n.HasError()
}
