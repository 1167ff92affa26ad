package patterns

import (
	"fmt"
	"sort"

	sitter "github.com/smacker/go-tree-sitter"
)

// The ownership model. For an expression the question is: may its value
// hold a borrow of a local binding, and of which? A scope block can let a
// value out only when it borrows nothing declared inside the block.
//
// The answer is a set of bindings the value may borrow from, always an
// upper bound (sound), and a kind that says how sure the set is:
//
//   - Owned: the value holds no borrow of a local binding (it may still
//     hold references to data outside the body: a parameter's referent, a
//     static). `.clone()`, `.to_string()`, `format!`, `.collect()` of owned
//     items, a struct or tuple of owned parts.
//   - Copy: owned, and of a Copy type as far as the syntax shows: literals,
//     `.len()`, comparisons, arithmetic, a field whose declared type is Copy.
//   - Borrows: the value may borrow from the bindings in From, by a rule
//     that knows it borrows: `&x`, `x.get(..)`, `x.iter()`, `x.as_str()`,
//     `.trim()`, a field of x read as a place, and everything that passes
//     such a value through (`.unwrap()`, `?`, `.ok_or(..)`, `.map_err(..)`).
//   - Unknown: no rule applies (a method in no table, a call of an
//     unknown closure): the value may borrow from anything in From (or from
//     anything at all when Any is set). Unknown is never taken for owned:
//     a rule refuses, or asks the compiler.
//
// The receiver of a method that no table knows is still a bound: with
// autoref, `x.m(a)` can only return borrows of x, of what x borrows, and of
// what a borrows. So `cfg.frob()` with cfg declared before a block does
// not borrow from the block's bindings, whatever frob is.
//
// The model assumes the input compiles apart from the Send error: a value
// read out of a place through a guard or a reference (`*g`, `g.count`,
// `g[0]`) is then Copy and borrows nothing of the guard.

// OwnKind is the kind of an Ownership.
type OwnKind uint8

const (
	OwnUnknown OwnKind = iota
	OwnOwned
	OwnCopy
	OwnBorrows
)

func (k OwnKind) String() string {
	return [...]string{"unknown", "owned", "copy", "borrows"}[k]
}

// Ownership is what an expression's value may borrow (see the model
// above).
type Ownership struct {
	Kind OwnKind
	// From are the bindings the value may borrow from (empty for Owned
	// and Copy).
	From []BindingID
	// Any is set when the value may borrow from any binding (Unknown
	// only): a closure parameter whose caller is not known.
	Any bool
	// Temp is set when the value may borrow a temporary of its own
	// expression (`&String::new()`, `x.clone().as_str()`): bound by `let`,
	// it cannot outlive the block that holds the let.
	Temp bool
	// Holds are the bindings whose value moved into this one: `g` holds
	// g, `(g, 1)` and `Some(g)` too.
	Holds []BindingID
	// Why says what made the value Borrows or Unknown, for messages:
	// "`.trim_start()` borrows from its receiver", "`.frob()` is a method
	// sendfix does not know".
	Why string
}

// MayBorrow reports whether the value may borrow from b.
func (o Ownership) MayBorrow(b BindingID) bool {
	if o.Any {
		return true
	}
	for _, x := range o.From {
		if x == b {
			return true
		}
	}
	return false
}

// MayBorrowAny reports whether the value may borrow from a binding of set.
func (o Ownership) MayBorrowAny(set map[BindingID]bool) bool {
	if o.Any {
		return len(set) > 0
	}
	for _, x := range o.From {
		if set[x] {
			return true
		}
	}
	return false
}

// Independent reports whether the value can outlive every binding of set:
// it borrows none of them, holds none of them, and borrows no temporary.
func (o Ownership) Independent(set map[BindingID]bool) bool {
	if o.Temp || o.MayBorrowAny(set) {
		return false
	}
	for _, h := range o.Holds {
		if set[h] {
			return false
		}
	}
	return true
}

// synthetic adds a binding that no source names (the guard a fix will
// bind), for the ownership of an expression with a substitution.
func (f *facts) synthetic(name string) BindingID {
	id := BindingID(len(f.binds))
	f.binds = append(f.binds, Binding{Name: name, Visible: [2]int{-1, -1}})
	f.uses = append(f.uses, nil)
	return id
}

// Ownership returns the ownership of expression e's value.
func (f *facts) Ownership(e *sitter.Node) Ownership {
	f.ensure(int(e.StartByte()))
	return (&ownEval{f: f}).eval(e).export()
}

// BindingOwnership returns the ownership of b's value over its whole
// life: its initial value joined with every value assigned to it (`b =
// e`, `b.f = e`) and every value stored into it through a method that may
// keep its arguments (`b.push(e)`, `b.insert(k, v)`, a method of no table).
// So `v.push(&g.name)` makes v borrow from g.
func (f *facts) BindingOwnership(b BindingID) Ownership {
	if b == NoBinding {
		return Ownership{Kind: OwnOwned}
	}
	return (&ownEval{f: f}).binding(b).export()
}

// ownVal is the evaluator's value: an Ownership with what the model
// needs to follow a chain (`x.get(0).unwrap()` is a reference whose
// pointee is x's element; `x.iter()` yields references into x).
type ownVal struct {
	kind  OwnKind
	from  []BindingID
	any   bool
	temp  bool
	holds []BindingID
	why   string
	// isRef is set for a reference (or an Option/Result of one): a method
	// through it borrows its referent, not the reference.
	isRef bool
	// deref is what `*v` yields, for a reference or a smart pointer (a
	// guard); nil when v is no pointer as far as the model knows.
	deref *ownVal
	// iter is set for an iterator; item is what it yields.
	iter bool
	item *ownVal
	// parts are the elements of a tuple value, when known.
	parts []*ownVal
}

func (v *ownVal) export() Ownership {
	o := Ownership{Kind: v.kind, From: v.from, Any: v.any, Temp: v.temp, Holds: v.holds, Why: v.why}
	if (o.Kind == OwnOwned || o.Kind == OwnCopy) && (len(o.From) > 0 || o.Any) {
		o.Kind = OwnUnknown
	}
	return o
}

func copyVal() *ownVal  { return &ownVal{kind: OwnCopy} }
func ownedVal() *ownVal { return &ownVal{kind: OwnOwned} }

// unknownVal is an Unknown value bounded by from.
func unknownVal(why string, from ...*ownVal) *ownVal {
	v := &ownVal{kind: OwnUnknown, why: why}
	for _, x := range from {
		if x != nil {
			v.from = unionIDs(v.from, x.from)
			v.any = v.any || x.any
			v.temp = v.temp || x.temp
		}
	}
	return v
}

// anyVal may borrow from anything.
func anyVal(why string) *ownVal { return &ownVal{kind: OwnUnknown, any: true, why: why} }

// plain returns v as a value of its own: no holds (a copy or a clone does
// not carry the original binding), not a pointer, not an iterator.
func (v *ownVal) plain() *ownVal {
	c := *v
	c.holds = nil
	return &c
}

// elem is what v points to or contains: its pointee for a reference or a
// guard, else v itself (a Vec's elements borrow what the Vec borrows).
func (v *ownVal) elem() *ownVal {
	if v.deref != nil {
		return v.deref
	}
	e := v.plain()
	e.isRef, e.iter, e.item = false, false, nil
	return e
}

// settle makes an owned value's kind follow its borrow set: a value
// computed as "owned" that may borrow becomes Unknown (bounded), and one
// with nothing to borrow stays as it is.
func (v *ownVal) settle() *ownVal {
	if (v.kind == OwnOwned || v.kind == OwnCopy) && (len(v.from) > 0 || v.any) {
		v.kind = OwnUnknown
	}
	return v
}

// joinVals is the value that may be either of vs (if/match arms, the
// parts of an aggregate).
func joinVals(vs ...*ownVal) *ownVal {
	var out *ownVal
	for _, v := range vs {
		if v == nil {
			continue
		}
		if out == nil {
			c := *v
			out = &c
			continue
		}
		if rank(v.kind) > rank(out.kind) {
			out.kind, out.why = v.kind, v.why
		} else if out.kind == OwnCopy && v.kind == OwnOwned {
			out.kind = OwnOwned
		}
		out.from = unionIDs(out.from, v.from)
		out.holds = unionIDs(out.holds, v.holds)
		out.any = out.any || v.any
		out.temp = out.temp || v.temp
		out.isRef = out.isRef && v.isRef
		if out.deref != nil && v.deref != nil {
			out.deref = joinVals(out.deref, v.deref)
		} else {
			out.deref = nil
		}
		if out.iter && v.iter {
			out.item = joinVals(out.item, v.item)
		} else {
			out.iter, out.item = false, nil
		}
		if len(out.parts) == len(v.parts) {
			ps := make([]*ownVal, len(v.parts))
			for i := range ps {
				ps[i] = joinVals(out.parts[i], v.parts[i])
			}
			out.parts = ps
		} else {
			out.parts = nil
		}
	}
	if out == nil {
		return copyVal()
	}
	return out
}

// aggregate is a tuple, array or struct of parts: it holds each part.
func aggregate(parts ...*ownVal) *ownVal {
	v := joinVals(parts...)
	v = v.plain()
	for _, p := range parts {
		v.holds = unionIDs(v.holds, p.holds)
	}
	v.isRef, v.deref, v.iter, v.item = false, nil, false, nil
	v.parts = parts
	if v.kind == OwnCopy && len(parts) == 0 {
		return v
	}
	return v.settle()
}

func rank(k OwnKind) int {
	return [...]int{3, 1, 0, 2}[k]
}

// unionIDs returns the sorted union of two sorted sets.
func unionIDs(a, b []BindingID) []BindingID {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	m := map[BindingID]bool{}
	for _, x := range a {
		m[x] = true
	}
	for _, x := range b {
		m[x] = true
	}
	out := make([]BindingID, 0, len(m))
	for x := range m {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ownEval evaluates expressions. Binding values are memoised in the
// facts; expression values are recomputed (they are small).
type ownEval struct {
	f *facts
	// subst replaces expressions by values: a temporary guard stands for
	// the binding a fix would give it.
	subst map[[2]uint32]*ownVal
}

// binding returns b's value over its life (see BindingOwnership).
func (ev *ownEval) binding(b BindingID) *ownVal {
	f := ev.f
	if v, ok := f.own[b]; ok {
		return v
	}
	if f.busy[b] {
		return anyVal(fmt.Sprintf("`%s` is defined in terms of itself", f.binds[b].Name))
	}
	f.busy[b] = true
	v := ev.initial(b)
	v = joinVals(v, ev.stored(b))
	delete(f.busy, b)
	f.own[b] = v
	return v
}

// initial is b's value from its declaration.
func (ev *ownEval) initial(b BindingID) *ownVal {
	bd := &ev.f.binds[b]
	switch {
	case bd.Param && bd.Decl != nil && bd.Decl.Type() == "closure_expression":
		return ev.closureParam(b)
	case bd.Param:
		return ownedVal()
	case bd.Init == nil:
		if bd.Decl != nil && bd.Decl.Type() == "let_declaration" {
			return copyVal() // `let x;`: assigned later (joined by stored)
		}
		return anyVal("a binding without a value")
	}
	init := bd.Init
	if bd.Decl.Type() == "for_expression" {
		it := ev.eval(init)
		switch {
		case it.iter:
			return ev.part(bd, it.item)
		case it.isRef:
			r := &ownVal{kind: OwnBorrows, from: it.from, any: it.any, isRef: true, deref: it.elem(), why: "iterating a reference borrows"}
			return ev.part(bd, r)
		}
		return ev.part(bd, it.elem())
	}
	if bd.Ref {
		r := ev.refTo(init)
		r.why = fmt.Sprintf("`%s` is bound by `ref`", bd.Name)
		return r
	}
	// `let (a, b) = (x, y);`: each name takes its element.
	if bd.Pattern != nil && bd.Pattern.Type() == "tuple_pattern" {
		if tv := unparen(init); tv != nil && tv.Type() == "tuple_expression" {
			ps, vs := namedChildren(bd.Pattern), namedChildren(tv)
			if len(ps) == len(vs) {
				for i, p := range ps {
					if contains(p, bd.Ident) {
						return ev.part(bd, ev.eval(vs[i]))
					}
				}
			}
		}
	}
	return ev.part(bd, ev.eval(init))
}

// part is the value a binding takes from v, the value its pattern
// matches: v itself for a plain name; for a name inside a pattern a part
// of v (`Some(x)` and `S { x }` borrow what v borrows), the element of a
// tuple value for a tuple pattern, the pointee for a `&x` pattern.
func (ev *ownEval) part(bd *Binding, v *ownVal) *ownVal {
	if bd.Pattern == nil || bd.Pattern.Equal(bd.Ident) {
		return v
	}
	path := []*sitter.Node{bd.Ident}
	for p := bd.Ident.Parent(); p != nil && !p.Equal(bd.Pattern); p = p.Parent() {
		path = append(path, p)
	}
	path = append(path, bd.Pattern)
	for i := len(path) - 1; i > 0; i-- {
		n, next := path[i], path[i-1]
		switch n.Type() {
		case "tuple_pattern":
			var kids []*sitter.Node
			at := -1
			for _, k := range namedChildren(n) {
				if isComment(k) {
					continue
				}
				if k.Type() == "remaining_field_pattern" {
					at, kids = -2, nil
					break
				}
				if k.Equal(next) {
					at = len(kids)
				}
				kids = append(kids, k)
			}
			if at >= 0 && len(v.parts) == len(kids) {
				v = v.parts[at]
			}
		case "reference_pattern":
			v = v.elem()
		}
	}
	return v
}

// stored joins what is assigned to b or stored into it after its
// declaration.
func (ev *ownEval) stored(b BindingID) *ownVal {
	var vs []*ownVal
	src := ev.f.src
	for _, u := range ev.f.uses[b] {
		if u.Kind != UseExpr || u.Ctx == nil {
			continue
		}
		up := u.Ctx
		switch up.Type() {
		case "assignment_expression", "compound_assignment_expr":
			if u.CtxField == "left" {
				if r := up.ChildByFieldName("right"); r != nil {
					vs = append(vs, ev.eval(r))
				}
			}
		case "reference_expression":
			// `&mut b` passed to a call: the call may store its other
			// arguments in b.
			if args := u.Ctx2; args != nil && args.Type() == "arguments" && firstMut(src, up) {
				for _, a := range namedChildren(args) {
					if !a.Equal(up) {
						vs = append(vs, ev.eval(a))
					}
				}
			}
		case "field_expression":
			// b.m(args): a method that may keep its arguments.
			call := u.Ctx2
			if call == nil || call.Type() != "call_expression" || u.CtxField != "value" {
				continue
			}
			name := text(src, up.ChildByFieldName("field"))
			if !mayStore(ev.f, name) {
				continue
			}
			for _, a := range callArgs(call) {
				vs = append(vs, storedValue(ev.eval(a), name))
			}
			// `b.entry(k).or_insert(v)`: the chain stores into b too.
			for outer := call.Parent(); outer != nil && outer.Type() == "field_expression"; {
				c := outer.Parent()
				if c == nil || c.Type() != "call_expression" {
					break
				}
				if mayStore(ev.f, text(src, outer.ChildByFieldName("field"))) {
					for _, a := range callArgs(c) {
						vs = append(vs, ev.eval(a))
					}
				}
				outer = c.Parent()
			}
		}
	}
	if len(vs) == 0 {
		return nil
	}
	j := joinVals(vs...)
	if !j.any && len(j.from) == 0 && !j.temp && len(j.holds) == 0 {
		return nil // nothing stored borrows: b's own kind stands
	}
	return &ownVal{kind: j.kind, from: j.from, any: j.any, holds: j.holds, why: j.why}
}

// storedValue is what method name keeps of an argument whose value is
// v: `extend` keeps an iterator's items, `extend_from_slice` clones of
// the elements, the others the value itself.
func storedValue(v *ownVal, name string) *ownVal {
	switch {
	case name == "extend" && v.iter && v.item != nil:
		return v.item
	case name == "extend_from_slice":
		return v.elem().plain()
	}
	return v
}

// isCallee reports whether a field expression is the method of a call,
// `x.m` of `x.m(..)`.
func isCallee(fe *sitter.Node) bool {
	if fe.Type() != "field_expression" {
		return false
	}
	c := fe.Parent()
	return c != nil && c.Type() == "call_expression" && c.ChildByFieldName("function").Equal(fe)
}

// placeOperand returns the operand of a field or index expression: x of
// `x.f` and `x[i]`.
func placeOperand(n *sitter.Node) *sitter.Node {
	if n.Type() == "index_expression" {
		return n.NamedChild(0)
	}
	return n.ChildByFieldName("value")
}

// firstByte returns the first byte of n's text.
func firstByte(src []byte, n *sitter.Node) byte {
	if n.EndByte() > n.StartByte() {
		return src[n.StartByte()]
	}
	return 0
}

// firstMut reports whether a reference expression is `&mut`.
func firstMut(src []byte, ref *sitter.Node) bool {
	for _, c := range children(ref) {
		if c.n.Type() == "mutable_specifier" {
			return true
		}
	}
	return false
}

// placeBase returns the binding a place expression is rooted at: x of
// `x`, `x.f.g`, `x[i]`, `*x`, `(x)`; NoBinding for any other expression.
func (ev *ownEval) placeBase(e *sitter.Node) BindingID {
	for e != nil {
		switch e.Type() {
		case "identifier", "self":
			return ev.f.Resolve(e)
		case "field_expression":
			e = e.ChildByFieldName("value")
		case "index_expression":
			e = e.NamedChild(0)
		case "parenthesized_expression":
			e = e.NamedChild(0)
		case "unary_expression":
			if firstByte(ev.f.src, e) != '*' {
				return NoBinding
			}
			e = e.NamedChild(0)
		default:
			return NoBinding
		}
	}
	return NoBinding
}

// refTo is the value of `&e`: a reference to the place e (borrowing its
// base binding and what that borrows), or to a temporary.
func (ev *ownEval) refTo(e *sitter.Node) *ownVal {
	if b := ev.placeBase(e); b != NoBinding {
		bv := ev.binding(b)
		return &ownVal{kind: OwnBorrows, from: unionIDs([]BindingID{b}, bv.from), any: bv.any, isRef: true,
			deref: ev.read(e).plain(), why: fmt.Sprintf("`&` borrows `%s`", ev.f.binds[b].Name)}
	}
	if root := ev.placeRoot(e); root != nil {
		// A place in a temporary, `&m.lock().unwrap().name`: it borrows
		// the temporary (through it, when it is a reference).
		rv := ev.eval(root)
		return &ownVal{kind: OwnBorrows, from: rv.from, any: rv.any, temp: rv.temp || !rv.isRef, isRef: true,
			deref: ev.read(e).plain(), why: "borrows from a temporary"}
	}
	v := ev.eval(e)
	return &ownVal{kind: OwnBorrows, from: v.from, any: v.any, temp: true, isRef: true, deref: v.plain(),
		why: "borrows a temporary"}
}

// placeRoot returns the value a place expression that is not rooted at
// a binding is rooted at: `m.lock().unwrap()` of `m.lock().unwrap().name`
// or `*f()`; nil when e is no such place.
func (ev *ownEval) placeRoot(e *sitter.Node) *sitter.Node {
	isPlace := false
	for e != nil {
		switch e.Type() {
		case "field_expression":
			e, isPlace = e.ChildByFieldName("value"), true
		case "index_expression":
			e, isPlace = e.NamedChild(0), true
		case "parenthesized_expression":
			e = e.NamedChild(0)
		case "unary_expression":
			if firstByte(ev.f.src, e) != '*' {
				return nil
			}
			e, isPlace = e.NamedChild(0), true
		default:
			if isPlace {
				return e
			}
			return nil
		}
	}
	return nil
}

// borrowOf is what a method that borrows its receiver e (by autoref,
// through references and guards) borrows: the receiver's place and what
// it borrows, or, for a reference value, its referent.
func (ev *ownEval) borrowOf(e *sitter.Node, rv *ownVal) *ownVal {
	if b := ev.placeBase(e); b != NoBinding {
		bv := ev.binding(b)
		return &ownVal{kind: OwnBorrows, from: unionIDs([]BindingID{b}, bv.from), any: bv.any}
	}
	if root := ev.placeRoot(e); root != nil {
		r := ev.eval(root)
		return &ownVal{kind: OwnBorrows, from: r.from, any: r.any, temp: r.temp || !r.isRef}
	}
	if rv.isRef {
		return &ownVal{kind: OwnBorrows, from: rv.from, any: rv.any, temp: rv.temp}
	}
	// An owned temporary, or a temporary guard: the borrow ends with it.
	return &ownVal{kind: OwnBorrows, from: rv.from, any: rv.any, temp: true}
}

// read is the value stored in place e (`x`, `x.f`, `x[i]`, `*x`), as a
// method receiver or a clone sees it; a moving read is judged by eval.
func (ev *ownEval) read(e *sitter.Node) *ownVal {
	e = unparen(e)
	if e == nil {
		return anyVal("no expression")
	}
	switch e.Type() {
	case "identifier", "self":
		b := ev.f.Resolve(e)
		if b == NoBinding {
			return ownedVal() // an item: fn, static, const
		}
		v := ev.binding(b)
		if v.kind == OwnCopy {
			return v
		}
		c := *v
		c.holds = unionIDs(c.holds, []BindingID{b})
		return &c
	case "field_expression":
		if ev.f.fileDecls().fieldCopy(text(ev.f.src, e.ChildByFieldName("field"))) == fieldCopy {
			return copyVal()
		}
		v := ev.read(e.ChildByFieldName("value")).elem()
		if v.kind == OwnCopy {
			v.kind = OwnOwned
		}
		return v
	case "index_expression":
		return ev.read(e.NamedChild(0)).elem()
	case "unary_expression":
		if firstByte(ev.f.src, e) == '*' {
			return ev.read(e.NamedChild(0)).elem()
		}
	}
	return ev.eval(e)
}

// recvVal is the value of a method's receiver: the place's value for a
// place, else the expression's.
func (ev *ownEval) recvVal(e *sitter.Node) *ownVal {
	if ev.placeBase(e) != NoBinding {
		return ev.read(e)
	}
	return ev.eval(e)
}

// settleOwned makes a value computed from operands owned when the
// operands borrow nothing, and keeps it bounded Unknown otherwise.
func (v *ownVal) settleOwned() *ownVal {
	if len(v.from) == 0 && !v.any && !v.temp {
		v.kind, v.why = OwnOwned, ""
	}
	return v
}

// blockTail returns the tail expression of a block, or nil.
func blockTail(b *sitter.Node) *sitter.Node {
	last := lastNamed(b)
	if last == nil {
		return nil
	}
	switch last.Type() {
	case "expression_statement", "let_declaration", "empty_statement", "attribute_item", "inner_attribute_item",
		"function_item", "struct_item", "enum_item", "use_declaration", "const_item", "static_item", "impl_item",
		"trait_item", "mod_item", "type_item", "macro_definition":
		return nil
	}
	return last
}
