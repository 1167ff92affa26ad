package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The walk that builds the facts of one unit: bindings declared in
// source order, each use resolved against the bindings visible at it.

// factsBuilder walks one unit, declaring bindings and resolving uses in
// source order.
type factsBuilder struct {
	f  *facts
	fn *sitter.Node // the fn item whose body is being walked
	// moveCapture is set inside `move` closures and `async move` blocks:
	// bindings of the fn outside them are captured by value.
	moveCapture []*sitter.Node
	// stack are the ancestors of the node visited, with their fields.
	stack []child
}

// child is a child node with its field name.
type child struct {
	n     *sitter.Node
	field string
}

// children returns the children of n (named or not) with their field
// names, with a cursor.
func children(n *sitter.Node) []child {
	if n.ChildCount() == 0 {
		return nil
	}
	var out []child
	c := sitter.NewTreeCursor(n)
	defer c.Close()
	for ok := c.GoToFirstChild(); ok; ok = c.GoToNextSibling() {
		out = append(out, child{c.CurrentNode(), c.CurrentFieldName()})
	}
	return out
}

// declare adds a binding.
func (b *factsBuilder) declare(name string, id, decl, pat, init, typ *sitter.Node, from, to int, mut, ref, param bool) BindingID {
	f := b.f
	if _, dup := f.declAt[int(id.StartByte())]; dup {
		return f.declAt[int(id.StartByte())]
	}
	bid := BindingID(len(f.binds))
	f.binds = append(f.binds, Binding{Name: name, Ident: id, Decl: decl, Pattern: pat, Init: init, Type: typ,
		Visible: [2]int{from, to}, Mut: mut, Ref: ref, Param: param, Fn: b.fn})
	f.uses = append(f.uses, nil)
	f.byName[name] = append(f.byName[name], bid)
	f.declAt[int(id.StartByte())] = bid
	return bid
}

// declarePattern declares the bindings of pattern pat, visible in [from,
// to). One name bound in several alternatives of an or-pattern is one
// binding.
func (b *factsBuilder) declarePattern(pat, decl, init, typ *sitter.Node, from, to int, param bool) {
	if pat == nil {
		return
	}
	seen := map[string]BindingID{}
	for _, pb := range patternBindings(b.f.src, pat) {
		if id, ok := seen[pb.name]; ok {
			b.f.declAt[int(pb.id.StartByte())] = id
			continue
		}
		seen[pb.name] = b.declare(pb.name, pb.id, decl, pat, init, typ, from, to, pb.mut, pb.ref, param)
	}
}

// patBinding is one name a pattern binds.
type patBinding struct {
	name     string
	id       *sitter.Node
	mut, ref bool
}

// patternBindings returns the names pattern pat binds, in order. An
// identifier that starts with an upper-case letter is taken for a unit
// struct, variant or constant (`None`, `MAX`), not a binding.
func patternBindings(src []byte, pat *sitter.Node) []patBinding {
	var out []patBinding
	var visit func(n *sitter.Node, mut, ref bool)
	visit = func(n *sitter.Node, mut, ref bool) {
		switch n.Type() {
		case "identifier":
			name := text(src, n)
			if name != "" && !isTypeName(name) {
				out = append(out, patBinding{name, n, mut, ref})
			}
			return
		case "shorthand_field_identifier":
			out = append(out, patBinding{text(src, n), n, mut, ref})
			return
		case "mut_pattern":
			for _, c := range namedChildren(n) {
				visit(c, true, ref)
			}
			return
		case "ref_pattern":
			m := strings.HasPrefix(strings.Join(strings.Fields(text(src, n)), " "), "ref mut")
			for _, c := range namedChildren(n) {
				visit(c, mut || m, true)
			}
			return
		case "field_pattern":
			if p := n.ChildByFieldName("pattern"); p != nil {
				visit(p, mut, ref)
				return
			}
			if nm := n.ChildByFieldName("name"); nm != nil {
				t := strings.Fields(text(src, n))
				r := len(t) > 0 && t[0] == "ref"
				m := len(t) > 1 && (t[0] == "mut" || r && t[1] == "mut")
				visit(nm, mut || m, ref || r)
			}
			return
		case "tuple_struct_pattern", "struct_pattern":
			for _, c := range children(n) {
				if c.field != "type" && c.n.IsNamed() {
					visit(c.n, mut, ref)
				}
			}
			return
		case "match_pattern":
			for _, c := range children(n) {
				if c.field != "condition" && c.n.IsNamed() {
					visit(c.n, mut, ref)
				}
			}
			return
		case "captured_pattern":
			// name @ pattern
		case "scoped_identifier", "type_identifier", "scoped_type_identifier", "primitive_type", "macro_invocation",
			"range_pattern", "mutable_specifier", "remaining_field_pattern":
			return
		}
		for _, c := range namedChildren(n) {
			visit(c, mut, ref)
		}
	}
	visit(pat, false, false)
	return out
}

// use records a use of the binding name resolves to at id.
func (b *factsBuilder) use(name string, n *sitter.Node, off int, kind UseKind, move MoveKind) {
	f := b.f
	bid := f.lookup(name, off, b.fn)
	if bid == NoBinding {
		return
	}
	u := Use{Node: n, Off: off, Kind: kind}
	if kind == UseExpr {
		u.Place, u.Ctx, u.Ctx2, u.CtxField = b.placeContext()
	}
	if move == NotMoved && kind == UseExpr && len(b.moveCapture) > 0 {
		// A mention inside a `move` closure of a binding declared outside
		// it moves the value into the closure.
		inner := b.moveCapture[len(b.moveCapture)-1]
		if v := f.binds[bid].Visible[0]; v < int(inner.StartByte()) {
			move = MoveCapture
		}
	}
	if kind != UseFormatArg {
		f.useAt[off] = bid
	}
	u.Move = move
	f.uses[bid] = append(f.uses[bid], u)
}

// placeContext climbs the ancestor stack from the identifier on top of
// it through the place expression it roots (field and index operands,
// parentheses, derefs; not a method's receiver) and returns that place,
// the node around it with the place's field, and the node around that.
func (b *factsBuilder) placeContext() (place, ctx, ctx2 *sitter.Node, field string) {
	st := b.stack
	i := len(st) - 1
	for i > 0 {
		par, cur := st[i-1], st[i]
		t := par.n.Type()
		ok := false
		switch t {
		case "field_expression":
			ok = cur.field == "value" && !(i > 1 && st[i-2].n.Type() == "call_expression" && par.field == "function")
		case "index_expression":
			ok = cur.n.StartByte() == par.n.StartByte()
		case "parenthesized_expression":
			ok = true
		case "unary_expression":
			ok = firstByte(b.f.src, par.n) == '*'
		}
		if !ok {
			break
		}
		i--
	}
	place = st[i].n
	field = st[i].field
	if i > 0 {
		ctx = st[i-1].n
	}
	if i > 1 {
		ctx2 = st[i-2].n
	}
	return
}

// visit walks n, whose parent is up (nil at the unit) and whose field in
// it is field.
func (b *factsBuilder) visit(n, up *sitter.Node, field string) {
	src := b.f.src
	b.stack = append(b.stack, child{n, field})
	defer func() { b.stack = b.stack[:len(b.stack)-1] }()
	switch n.Type() {
	case "function_item":
		outer := b.fn
		b.fn = n
		b.f.fns = append(b.f.fns, n)
		body := n.ChildByFieldName("body")
		if ps := n.ChildByFieldName("parameters"); ps != nil && body != nil {
			from, to := int(body.StartByte()), int(body.EndByte())
			for _, p := range namedChildren(ps) {
				switch p.Type() {
				case "parameter":
					b.declarePattern(p.ChildByFieldName("pattern"), p, nil, p.ChildByFieldName("type"), from, to, true)
				case "self_parameter":
					for _, c := range namedChildren(p) {
						if c.Type() == "self" {
							b.declare("self", c, p, nil, nil, nil, from, to, strings.Contains(text(src, p), "mut self"), false, true)
						}
					}
				}
			}
		}
		if body != nil {
			b.visit(body, n, "body")
		}
		b.fn = outer
		return
	case "closure_expression":
		body := n.ChildByFieldName("body")
		if ps := n.ChildByFieldName("parameters"); ps != nil && body != nil {
			from, to := int(body.StartByte()), int(n.EndByte())
			for _, p := range namedChildren(ps) {
				if p.Type() == "parameter" {
					b.declarePattern(p.ChildByFieldName("pattern"), n, nil, p.ChildByFieldName("type"), from, to, true)
				} else {
					b.declarePattern(p, n, nil, nil, from, to, true)
				}
			}
		}
		if body != nil {
			b.captureScope(n, func() { b.visit(body, n, "body") })
		}
		return
	case "async_block":
		b.captureScope(n, func() { b.visitChildren(n) })
		return
	case "let_declaration":
		val := n.ChildByFieldName("value")
		if val != nil {
			b.visit(val, n, "value")
		}
		if alt := n.ChildByFieldName("alternative"); alt != nil {
			b.visit(alt, n, "alternative")
		}
		to := len(src)
		if up != nil {
			to = int(up.EndByte())
		}
		pat := n.ChildByFieldName("pattern")
		b.declarePattern(pat, n, val, n.ChildByFieldName("type"), int(n.EndByte()), to, false)
		if pat != nil && pat.Type() == "identifier" && letIsMut(n) {
			if id, ok := b.f.declAt[int(pat.StartByte())]; ok {
				b.f.binds[id].Mut = true // `let mut x`: the specifier is the let's
			}
		}
		return
	case "if_expression", "while_expression":
		body := n.ChildByFieldName("consequence")
		if n.Type() == "while_expression" {
			body = n.ChildByFieldName("body")
		}
		end := int(n.EndByte())
		if body != nil {
			end = int(body.EndByte())
		}
		if c := n.ChildByFieldName("condition"); c != nil {
			b.visitCondition(c, end)
		}
		for _, c := range children(n) {
			if c.field != "condition" && c.n.IsNamed() {
				b.visit(c.n, n, c.field)
			}
		}
		return
	case "match_expression":
		scrut := n.ChildByFieldName("value")
		if scrut != nil {
			b.visit(scrut, n, "value")
		}
		if body := n.ChildByFieldName("body"); body != nil {
			for _, arm := range namedChildren(body) {
				if arm.Type() != "match_arm" {
					continue
				}
				pat := arm.ChildByFieldName("pattern")
				if pat != nil {
					var p *sitter.Node
					for _, c := range children(pat) {
						if c.field != "condition" && c.n.IsNamed() {
							p = c.n
							break
						}
					}
					if p != nil {
						b.declarePattern(p, arm, scrut, nil, int(p.EndByte()), int(arm.EndByte()), false)
					}
					if cond := pat.ChildByFieldName("condition"); cond != nil {
						b.visit(cond, pat, "condition")
					}
				}
				if v := arm.ChildByFieldName("value"); v != nil {
					b.visit(v, arm, "value")
				}
			}
		}
		return
	case "for_expression":
		val := n.ChildByFieldName("value")
		if val != nil {
			b.visit(val, n, "value")
		}
		body := n.ChildByFieldName("body")
		if body != nil {
			b.declarePattern(n.ChildByFieldName("pattern"), n, val, nil, int(body.StartByte()), int(body.EndByte()), false)
			b.visit(body, n, "body")
		}
		return
	case "macro_invocation":
		if m := n.ChildByFieldName("macro"); m != nil && text(src, m) == "macro_rules" {
			return
		}
		for _, c := range namedChildren(n) {
			if c.Type() == "token_tree" {
				b.visitTokens(c, n)
			}
		}
		return
	case "identifier", "self":
		if isExprIdent(n, up, field) {
			b.use(text(src, n), n, int(n.StartByte()), UseExpr, b.moveKind(n, up, field))
		}
		return
	case "shorthand_field_initializer":
		for _, c := range namedChildren(n) {
			if c.Type() == "identifier" {
				b.stack = append(b.stack, child{c, ""})
				b.use(text(src, c), c, int(c.StartByte()), UseExpr, MoveAggregate)
				b.stack = b.stack[:len(b.stack)-1]
			}
		}
		return
	case "attribute_item", "inner_attribute_item", "line_comment", "block_comment", "label", "lifetime",
		"struct_item", "enum_item", "union_item", "type_item", "use_declaration", "trait_item", "impl_item",
		"mod_item", "extern_crate_declaration", "macro_definition", "const_item", "static_item",
		"type_arguments", "scoped_identifier", "scoped_type_identifier", "generic_type", "type_identifier":
		if n.Type() == "const_item" || n.Type() == "static_item" {
			if up == nil {
				// A unit of its own: its value may hold closures.
				if v := n.ChildByFieldName("value"); v != nil {
					b.visit(v, n, "value")
				}
			}
		}
		return
	}
	if field == "type" || field == "return_type" || strings.HasSuffix(n.Type(), "_type") {
		return
	}
	b.visitChildren(n)
}

// visitChildren visits the named children of n.
func (b *factsBuilder) visitChildren(n *sitter.Node) {
	for _, c := range children(n) {
		if c.n.IsNamed() {
			b.visit(c.n, n, c.field)
		}
	}
}

// captureScope runs f with n (a closure or async block) as the innermost
// capture scope when it is written `move`.
func (b *factsBuilder) captureScope(n *sitter.Node, f func()) {
	move := false
	for _, c := range children(n) {
		if !c.n.IsNamed() && c.n.Type() == "move" {
			move = true
		}
	}
	if move {
		b.moveCapture = append(b.moveCapture, n)
		defer func() { b.moveCapture = b.moveCapture[:len(b.moveCapture)-1] }()
	}
	f()
}

// visitCondition visits the condition of an `if` or `while`: the bindings
// of a `let` in it are visible from the end of that `let` to end (the end
// of the body), so in the rest of a let chain too.
func (b *factsBuilder) visitCondition(c *sitter.Node, end int) {
	switch c.Type() {
	case "let_condition":
		val := c.ChildByFieldName("value")
		if val != nil {
			b.visit(val, c, "value")
		}
		b.declarePattern(c.ChildByFieldName("pattern"), c, val, nil, int(c.EndByte()), end, false)
	case "let_chain":
		for _, x := range namedChildren(c) {
			b.visitCondition(x, end)
		}
	default:
		b.visit(c, nil, "condition")
	}
}

// isExprIdent reports whether identifier n, the child field of up, is a
// value in an expression (not a path segment, macro name, field name,
// label or item name).
func isExprIdent(n, up *sitter.Node, field string) bool {
	if up == nil {
		return true
	}
	switch up.Type() {
	case "scoped_identifier", "scoped_type_identifier", "label", "function_item", "tuple_struct_pattern", "struct_pattern":
		return false
	case "macro_invocation":
		return field != "macro"
	}
	return field != "name" && field != "type" && field != "field"
}

// moveKind classifies a use of identifier n by where it stands.
func (b *factsBuilder) moveKind(n, up *sitter.Node, field string) MoveKind {
	src := b.f.src
	if up == nil {
		return NotMoved
	}
	switch up.Type() {
	case "arguments":
		var call *sitter.Node
		if len(b.stack) > 2 {
			call = b.stack[len(b.stack)-3].n
		}
		if call != nil && call.Type() == "call_expression" && up.NamedChildCount() == 1 && calleeName(src, call) == "drop" {
			if fn := call.ChildByFieldName("function"); fn != nil && fn.Type() != "field_expression" {
				return MoveDrop
			}
		}
		return MoveCall
	case "let_declaration":
		if field == "value" {
			return MoveLet
		}
	case "tuple_expression", "array_expression":
		return MoveAggregate
	case "field_initializer", "base_field_initializer":
		return MoveAggregate
	case "assignment_expression":
		if field == "right" {
			return MoveAssign
		}
	case "return_expression", "break_expression":
		return MoveOut
	case "block":
		// The tail value of a block: its last named child, not a statement.
		if last := lastNamed(up); last != nil && last.Equal(n) {
			return MoveOut
		}
	}
	return NotMoved
}

// lastNamed returns the last named child of n that is not a comment.
func lastNamed(n *sitter.Node) *sitter.Node {
	cs := namedChildren(n)
	for i := len(cs) - 1; i >= 0; i-- {
		switch cs[i].Type() {
		case "line_comment", "block_comment":
			continue
		}
		return cs[i]
	}
	return nil
}

// visitTokens records the uses in a macro's token tree: identifiers that
// are not a method or field name (after `.`), a path segment (around
// `::`), a named argument (`name = ..`), or the name of a nested macro
// (before `!`); and the inline format arguments of its string literals
// that name no named argument.
func (b *factsBuilder) visitTokens(tt, mac *sitter.Node) {
	src := b.f.src
	var toks []*sitter.Node
	var flat func(n *sitter.Node)
	flat = func(n *sitter.Node) {
		for _, c := range children(n) {
			if c.n.Type() == "token_tree" {
				toks = append(toks, c.n) // a marker: a nested group
				flat(c.n)
				continue
			}
			toks = append(toks, c.n)
		}
	}
	flat(tt)
	named := map[string]bool{}
	for i, t := range toks {
		if t.Type() == "identifier" && i+1 < len(toks) && text(src, toks[i+1]) == "=" && (i == 0 || text(src, toks[i-1]) == ",") {
			named[text(src, t)] = true
		}
	}
	for i, t := range toks {
		switch t.Type() {
		case "identifier", "self":
			prev, next := "", ""
			if i > 0 {
				prev = text(src, toks[i-1])
			}
			if i+1 < len(toks) {
				next = text(src, toks[i+1])
			}
			if prev == "." || prev == "::" || next == "::" || next == "!" || next == "=" && named[text(src, t)] {
				continue
			}
			b.use(text(src, t), t, int(t.StartByte()), UseMacroToken, NotMoved)
		case "string_literal", "raw_string_literal":
			s := text(src, t)
			clean := strings.ReplaceAll(strings.ReplaceAll(s, "{{", "\x00\x00"), "}}", "\x00\x00")
			for _, m := range formatArg.FindAllStringSubmatchIndex(clean, -1) {
				name := clean[m[2]:m[3]]
				if named[name] {
					continue
				}
				b.use(name, t, int(t.StartByte())+m[2], UseFormatArg, NotMoved)
			}
		}
	}
}
