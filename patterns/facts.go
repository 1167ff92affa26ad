package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The facts layer: what the rules ask about the local bindings of a file's
// function bodies, answered once from the tree instead of by each rule's
// own name matching.
//
//   - Bindings: every name a `let`, parameter, closure parameter, `if let`
//     / `while let` / let-chain pattern, `match` arm or `for` pattern
//     introduces, with the byte range in which the name refers to it.
//     Resolution is scope- and shadow-aware: `let g = g.clone();` makes a
//     second binding, and the `g` in its value is the first.
//   - Uses: every mention of a binding in an expression, including
//     identifiers inside macro token trees (`vec![g]`, `assert!(g.ok)`) and
//     inline format arguments (`format!("{g}")`, `{g:?}`).
//   - Moves: the uses that move the value out of the binding (`drop(x)`,
//     `f(x)`, `let y = x;`, `(x, 1)`, a `move` capture, a return).
//   - Ownership (facts_own.go): for an expression, whether its value is
//     owned, Copy, borrows from bindings, or unknown.
//
// Facts are built lazily, one outermost fn item at a time, the first time
// a question is asked about a node inside it: a pass that asks nothing
// costs nothing, and a large file whose one async fn holds a guard costs
// only that fn. A facts value belongs to one parse of one file (one pass
// of the engine); get it with fileCtx.facts().

// BindingID names a binding within one facts value.
type BindingID int32

// NoBinding is what Resolve returns for a name that is no local binding:
// an item (fn, static, const), a path, or an unknown name.
const NoBinding BindingID = -1

// Binding is one local binding.
type Binding struct {
	Name string
	// Ident is the identifier (or shorthand field name, or `self`) that
	// introduces the binding; for an or-pattern, its first alternative's.
	Ident *sitter.Node
	// Decl is the construct that declares it: let_declaration, parameter,
	// self_parameter, closure_expression, let_condition, match_arm or
	// for_expression.
	Decl *sitter.Node
	// Pattern is the whole pattern Ident sits in (Ident itself for `let x`);
	// nil for `self`.
	Pattern *sitter.Node
	// Init is the expression the binding takes its value from: a let's
	// value, the scrutinee of `if let`/`while let`/`match`, the iterated
	// expression of `for`; nil for parameters.
	Init *sitter.Node
	// Type is the declared type (`let x: T`, `x: T` in a parameter), or nil.
	Type *sitter.Node
	// Visible is the byte range [start, end) in which the name refers to
	// this binding unless a later binding shadows it.
	Visible [2]int
	Mut     bool // `mut x`, `ref mut x`, `mut self`
	Ref     bool // bound by `ref` / `ref mut`
	// Param is true for fn and closure parameters (and `self`).
	Param bool
	// Fn is the fn item whose body holds the binding (closures belong to
	// the fn around them).
	Fn *sitter.Node
}

// UseKind says how a use is written.
type UseKind uint8

const (
	// UseExpr is an identifier (or `self`) in an expression.
	UseExpr UseKind = iota
	// UseMacroToken is an identifier inside a macro's token tree.
	UseMacroToken
	// UseFormatArg is an inline format argument, `{x}` or `{x:?}`, in a
	// string literal inside a macro's token tree; Node is the string
	// literal and Off the offset of the name.
	UseFormatArg
)

// MoveKind says how a use moves the binding's value, if it does.
type MoveKind uint8

const (
	// NotMoved: the use borrows or reads (`x.m()`, `&x`, `x.f`, `*x`, `x
	// + 1`, a macro argument, ...).
	NotMoved MoveKind = iota
	// MoveDrop: `drop(x)` or `std::mem::drop(x)`.
	MoveDrop
	// MoveCall: a direct argument of another call, `f(x)` or `v.push(x)`.
	MoveCall
	// MoveLet: the whole value of a let, `let y = x;`.
	MoveLet
	// MoveAggregate: a part of a tuple, array or struct literal.
	MoveAggregate
	// MoveAssign: the right side of an assignment, `y = x`.
	MoveAssign
	// MoveOut: returned, or the tail value of a block, `break x`.
	MoveOut
	// MoveCapture: captured by a `move` closure or `async move` block.
	MoveCapture
)

// Use is one mention of a binding.
type Use struct {
	Node *sitter.Node
	Off  int // start of the name (inside the string for UseFormatArg)
	Kind UseKind
	// Move is how the use moves the value (NotMoved for a borrow or a
	// read). Whether a "move" of a Copy value is a copy is a question of
	// types, which the facts do not answer.
	Move MoveKind
}

// facts holds the bindings of the fn bodies built so far.
type facts struct {
	src  []byte
	root *sitter.Node

	units []*sitter.Node // the outermost items with bodies, in source order
	built map[int]bool   // units built, by start
	fns   []*sitter.Node // the fn items of the units built

	binds  []Binding
	uses   [][]Use
	byName map[string][]BindingID
	// declAt and useAt map the start of a declaring identifier and of an
	// expression use to its binding.
	declAt map[int]BindingID
	useAt  map[int]BindingID

	decls *fileDecls            // the file's struct fields and fn signatures, on first need
	own   map[BindingID]*ownVal // binding ownership, memoised
	busy  map[BindingID]bool    // bindings whose ownership is being computed (cycles)
	memo  map[[2]uint32]*ownVal // expression ownership, memoised by range
	ctxOf map[BindingID]*ownVal // closure parameters bound by the call they are passed to
}

// newFacts returns the (still empty) facts of a parsed file.
func newFacts(src []byte, root *sitter.Node) *facts {
	return &facts{
		src: src, root: root,
		built:  map[int]bool{},
		byName: map[string][]BindingID{},
		declAt: map[int]BindingID{},
		useAt:  map[int]BindingID{},
		own:    map[BindingID]*ownVal{},
		busy:   map[BindingID]bool{},
		memo:   map[[2]uint32]*ownVal{},
		ctxOf:  map[BindingID]*ownVal{},
	}
}

// Binding returns the binding id names. It panics on NoBinding.
func (f *facts) Binding(id BindingID) *Binding { return &f.binds[id] }

// Resolve returns the binding an identifier (or `self`) refers to, as a
// use or as the declaring identifier itself, or NoBinding.
func (f *facts) Resolve(id *sitter.Node) BindingID {
	if id == nil {
		return NoBinding
	}
	off := int(id.StartByte())
	f.ensure(off)
	if b, ok := f.useAt[off]; ok {
		return b
	}
	if b, ok := f.declAt[off]; ok {
		return b
	}
	return NoBinding
}

// ResolveName returns the binding that name refers to at byte offset off
// (as if written there), or NoBinding. It serves text the tree does not
// parse as expressions, such as a macro's tokens.
func (f *facts) ResolveName(name string, off int) BindingID {
	f.ensure(off)
	return f.lookup(name, off, f.fnAt(off))
}

// Uses returns the uses of b in source order.
func (f *facts) Uses(b BindingID) []Use {
	if b == NoBinding {
		return nil
	}
	return f.uses[b]
}

// UsesIn returns the uses of b inside n's byte range.
func (f *facts) UsesIn(b BindingID, n *sitter.Node) []Use {
	var out []Use
	for _, u := range f.Uses(b) {
		if u.Off >= int(n.StartByte()) && u.Off < int(n.EndByte()) {
			out = append(out, u)
		}
	}
	return out
}

// Mentions reports whether n uses b.
func (f *facts) Mentions(n *sitter.Node, b BindingID) bool { return len(f.UsesIn(b, n)) > 0 }

// UsedAfter reports whether b has a use at or after byte offset off.
func (f *facts) UsedAfter(b BindingID, off int) bool {
	us := f.Uses(b)
	return len(us) > 0 && us[len(us)-1].Off >= off
}

// LastUse returns the offset of b's last use, or -1.
func (f *facts) LastUse(b BindingID) int {
	us := f.Uses(b)
	if len(us) == 0 {
		return -1
	}
	return us[len(us)-1].Off
}

// Moves returns the uses of b that move its value, in source order.
func (f *facts) Moves(b BindingID) []Use {
	var out []Use
	for _, u := range f.Uses(b) {
		if u.Move != NotMoved {
			out = append(out, u)
		}
	}
	return out
}

// DeclaredIn returns the bindings whose declaring identifier lies in n,
// in source order.
func (f *facts) DeclaredIn(n *sitter.Node) []BindingID {
	f.ensure(int(n.StartByte()))
	var out []BindingID
	for off, b := range f.declAt {
		if off >= int(n.StartByte()) && off < int(n.EndByte()) {
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// BindingsOf returns the bindings a declaring construct (a let, a pattern,
// a parameter) introduces, in source order.
func (f *facts) BindingsOf(decl *sitter.Node) []BindingID {
	if p := decl.ChildByFieldName("pattern"); p != nil && decl.Type() != "match_arm" {
		return f.DeclaredIn(p)
	}
	return f.DeclaredIn(decl)
}

// ensure builds the facts of the unit (outermost item with a body) that
// holds offset off.
func (f *facts) ensure(off int) {
	if f.units == nil {
		f.units = []*sitter.Node{}
		f.collectUnits(f.root)
	}
	i := sort.Search(len(f.units), func(i int) bool { return int(f.units[i].EndByte()) > off })
	if i == len(f.units) || int(f.units[i].StartByte()) > off || f.built[int(f.units[i].StartByte())] {
		return
	}
	u := f.units[i]
	f.built[int(u.StartByte())] = true
	b := &factsBuilder{f: f}
	b.visit(u, nil, "")
}

// collectUnits lists the outermost fn, const and static items of the file
// (inside modules, impls and traits too), without entering their bodies.
func (f *facts) collectUnits(n *sitter.Node) {
	for _, c := range namedChildren(n) {
		switch c.Type() {
		case "function_item", "const_item", "static_item":
			f.units = append(f.units, c)
		case "mod_item", "impl_item", "trait_item", "declaration_list", "foreign_mod_item":
			f.collectUnits(c)
		}
	}
}

// fnAt returns the innermost fn item around off among the units built,
// which keeps the bindings of nested fn items apart.
func (f *facts) fnAt(off int) *sitter.Node {
	var best *sitter.Node
	for _, fn := range f.fns {
		if int(fn.StartByte()) <= off && off < int(fn.EndByte()) && (best == nil || fn.StartByte() >= best.StartByte()) {
			best = fn
		}
	}
	return best
}

// lookup resolves name at off among the bindings declared so far: the
// latest declared whose visible range holds off, in the same fn.
func (f *facts) lookup(name string, off int, fn *sitter.Node) BindingID {
	ids := f.byName[name]
	for i := len(ids) - 1; i >= 0; i-- {
		b := &f.binds[ids[i]]
		if off >= b.Visible[0] && off < b.Visible[1] && (fn == nil || b.Fn == nil || b.Fn.Equal(fn)) {
			return ids[i]
		}
	}
	return NoBinding
}

// factsBuilder walks one unit, declaring bindings and resolving uses in
// source order.
type factsBuilder struct {
	f  *facts
	fn *sitter.Node // the fn item whose body is being walked
	// moveCapture is set inside `move` closures and `async move` blocks:
	// bindings of the fn outside them are captured by value.
	moveCapture []*sitter.Node
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
	f.uses[bid] = append(f.uses[bid], Use{Node: n, Off: off, Kind: kind, Move: move})
}

// visit walks n, whose parent is up (nil at the unit) and whose field in
// it is field.
func (b *factsBuilder) visit(n, up *sitter.Node, field string) {
	src := b.f.src
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
		b.declarePattern(n.ChildByFieldName("pattern"), n, val, n.ChildByFieldName("type"), int(n.EndByte()), to, false)
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
			b.use(text(src, n), n, int(n.StartByte()), UseExpr, moveKind(src, n, up, field))
		}
		return
	case "shorthand_field_initializer":
		for _, c := range namedChildren(n) {
			if c.Type() == "identifier" {
				b.use(text(src, c), c, int(c.StartByte()), UseExpr, MoveAggregate)
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
func moveKind(src []byte, n, up *sitter.Node, field string) MoveKind {
	if up == nil {
		return NotMoved
	}
	switch up.Type() {
	case "arguments":
		call := up.Parent()
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
