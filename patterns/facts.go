package patterns

import (
	"sort"

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
// The questions, for the rules (all on *facts, from fileCtx.facts()):
//
//	Resolve(id) BindingID             the binding an identifier refers to (NoBinding: an item, a path)
//	ResolveName(name, off) BindingID  the same for text the tree does not parse (a macro's tokens)
//	Binding(b) *Binding               name, pattern, declaring construct, init, type, visible range, mut
//	BindingsOf(decl) []BindingID      what a let, pattern or parameter declares
//	DeclaredIn(n) []BindingID         the bindings declared inside a node
//	Uses(b) []Use                     every use, with its move kind and place context
//	UsesIn(b, n) / Mentions(n, b)     uses inside a node
//	UsedAfter(b, off) / LastUse(b)    liveness by position
//	Moves(b) []Use                    the uses that move the value (drop, call argument, let, aggregate, ...)
//	Ownership(e) Ownership            owned / copy / borrows from / unknown, with the bindings it may borrow
//	BindingOwnership(b) Ownership     a binding's over its life (assignments and stores joined)
//	FlowsInto(e) Flow                 where a value goes: let, assignment, argument, receiver, field, return
//
// They replace, for rc-arc: rcFile.resolve/resolveBind (Resolve),
// flowTarget/passThrough (FlowsInto, Ownership.Holds), isDropOf (Moves);
// for tokio-mutex: nameIs/patternBinds/letPart/bindsIn (Resolve,
// BindingsOf), valuePlace/transparent/letUses (FlowsInto, Uses).
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
	// Place is the largest place expression rooted at the use (`x`,
	// `x.f.g`, `x[i]`, `*x`, up to a method call on it); Ctx is the node
	// around Place, CtxField Place's field in it, and Ctx2 the node around
	// Ctx (for UseExpr only): what the use does without a walk up the
	// tree, which tree-sitter makes slow in wide blocks.
	Place, Ctx, Ctx2 *sitter.Node
	CtxField         string
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
	// byOff are all uses by offset, declOffs the offsets of declAt in
	// order, both made on first need after a build.
	byOff    []useRef
	declOffs []int

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

// useRef is a use's offset and binding.
type useRef struct {
	off int
	b   BindingID
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
	if f.declOffs == nil {
		for off := range f.declAt {
			f.declOffs = append(f.declOffs, off)
		}
		sort.Ints(f.declOffs)
	}
	seen := map[BindingID]bool{}
	var out []BindingID
	lo, hi := int(n.StartByte()), int(n.EndByte())
	for i := sort.SearchInts(f.declOffs, lo); i < len(f.declOffs) && f.declOffs[i] < hi; i++ {
		if b := f.declAt[f.declOffs[i]]; !seen[b] {
			seen[b] = true
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
	f.byOff, f.declOffs = nil, nil
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

// FlowKind says where a value goes (see FlowsInto).
type FlowKind uint8

const (
	// FlowNone: read in place, compared, dropped, or a statement's value.
	FlowNone FlowKind = iota
	// FlowLet: the value of a let; Binding is set for a plain name.
	FlowLet
	// FlowAssign: the right side of an assignment; Binding is the base of
	// the place assigned (`x` of `x.f = e`), when it is a local binding.
	FlowAssign
	// FlowArg: an argument of a call; Node is the call, Index the position.
	FlowArg
	// FlowReceiver: the receiver of a method call; Node is the call.
	FlowReceiver
	// FlowField: a field of a struct literal; Node is the field_initializer
	// (or shorthand_field_initializer).
	FlowField
	// FlowElement: an element of a tuple or array literal; Node is the
	// literal, Index the position.
	FlowElement
	// FlowReturn: the value of a body (a fn, closure or async block's tail,
	// or a `return`/`break`); Node is the fn item, closure or async block
	// (nil for a `break`).
	FlowReturn
)

// Flow is where a value goes.
type Flow struct {
	Kind    FlowKind
	Node    *sitter.Node
	Binding BindingID
	Index   int
}

// FlowsInto returns where the value of expression e goes, looking up
// through the syntax that hands a value on unchanged: parentheses, the
// tail of a plain block, the arms of `if`/`else` and `match`. Methods are
// the asker's business (`x.clone()` flows where that call flows: ask
// again with the call).
func (f *facts) FlowsInto(e *sitter.Node) Flow {
	f.ensure(int(e.StartByte()))
	n := e
	for {
		p := n.Parent()
		if p == nil {
			return Flow{Binding: NoBinding}
		}
		switch p.Type() {
		case "parenthesized_expression", "else_clause":
			n = p
			continue
		case "block":
			if tail := blockTail(p); tail == nil || !tail.Equal(n) {
				return Flow{Binding: NoBinding}
			}
			switch up := p.Parent(); {
			case up == nil:
				return Flow{Binding: NoBinding}
			case up.Type() == "function_item" || up.Type() == "closure_expression" || up.Type() == "async_block":
				return Flow{Kind: FlowReturn, Node: up, Binding: NoBinding}
			case up.Type() == "unsafe_block" || up.Type() == "if_expression" || up.Type() == "else_clause" ||
				up.Type() == "match_arm" || up.Type() == "expression_statement" || up.Type() == "loop_expression":
				if up.Type() == "expression_statement" {
					return Flow{Binding: NoBinding}
				}
			}
			n = p
			continue
		case "if_expression":
			if c := p.ChildByFieldName("condition"); c != nil && c.Equal(n) {
				return Flow{Binding: NoBinding}
			}
			n = p
			continue
		case "match_arm":
			if v := p.ChildByFieldName("value"); v == nil || !v.Equal(n) {
				return Flow{Binding: NoBinding}
			}
			n = p.Parent().Parent() // match_block, match_expression
			if n == nil {
				return Flow{Binding: NoBinding}
			}
			continue
		case "closure_expression":
			if b := p.ChildByFieldName("body"); b != nil && b.Equal(n) {
				return Flow{Kind: FlowReturn, Node: p, Binding: NoBinding}
			}
		case "let_declaration":
			if v := p.ChildByFieldName("value"); v != nil && v.Equal(n) {
				fl := Flow{Kind: FlowLet, Node: p, Binding: NoBinding}
				if pat := p.ChildByFieldName("pattern"); pat != nil && pat.Type() == "identifier" {
					fl.Binding = f.Resolve(pat)
				}
				return fl
			}
		case "assignment_expression":
			if r := p.ChildByFieldName("right"); r != nil && r.Equal(n) {
				return Flow{Kind: FlowAssign, Node: p, Binding: (&ownEval{f: f}).placeBase(p.ChildByFieldName("left"))}
			}
		case "arguments":
			i := 0
			for _, a := range callArgs(p.Parent()) {
				if a.Equal(n) {
					return Flow{Kind: FlowArg, Node: p.Parent(), Binding: NoBinding, Index: i}
				}
				i++
			}
		case "field_expression":
			if v := p.ChildByFieldName("value"); v != nil && v.Equal(n) && isCallee(p) {
				return Flow{Kind: FlowReceiver, Node: p.Parent(), Binding: NoBinding}
			}
		case "field_initializer", "shorthand_field_initializer":
			return Flow{Kind: FlowField, Node: p, Binding: NoBinding}
		case "tuple_expression", "array_expression":
			i := 0
			for _, c := range namedChildren(p) {
				if c.Equal(n) {
					return Flow{Kind: FlowElement, Node: p, Binding: NoBinding, Index: i}
				}
				if !isComment(c) {
					i++
				}
			}
		case "return_expression":
			fl := Flow{Kind: FlowReturn, Binding: NoBinding}
			fl.Node = ancestor(p, "function_item", "closure_expression", "async_block")
			return fl
		case "break_expression":
			return Flow{Kind: FlowReturn, Binding: NoBinding}
		}
		return Flow{Binding: NoBinding}
	}
}
