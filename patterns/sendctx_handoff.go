package patterns

import (
	"bytes"
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Handoffs: where the file hands a future (or a maker of futures) to a
// place that says whether it must be Send. scanBodies asks them while it
// walks the file; what they find about async blocks it applies to the
// blocks, what they find about async fns (by name) goes to the Index.

// sendCtx is a place that takes a future, and what it requires of it.
type sendCtx struct {
	kind  spawnKind // sendSpawn: the future must be Send; localRun: it runs on this thread
	spawn bool      // the place is a spawn (an async fn handed to it is Summary.Spawned)
	line  int       // where the future is handed over
	// verb and tail say what happens to the future, around the line: "the
	// async block is <verb> at line N<tail>", "its future is <verb><tail>".
	verb, tail string
	// made: the future is the result of a closure handed over; path: the
	// fn itself is handed over as a maker of futures.
	made, path bool
}

// blockWhy completes "the async block is ..".
func (c sendCtx) blockWhy() string {
	v := c.verb
	if c.made {
		v = "returned by a closure " + v
	}
	return fmt.Sprintf("%s at line %d%s", v, c.line, c.tail)
}

// fnWhy says why an async fn handed over must be Send, for the Index:
// "its future is spawned".
func (c sendCtx) fnWhy() string {
	switch {
	case c.path:
		return "it is " + c.verb + c.tail
	case c.made:
		return "its future is returned by a closure " + c.verb + c.tail
	}
	return "its future is " + c.verb + c.tail
}

// handoffs collects what a walk finds.
type handoffs struct {
	m      *sendModel
	blocks map[[2]uint32]sendCtx // async blocks handed over, by range
	vars   map[fnVar]sendCtx     // futures handed over through a local binding
	// fns are the fns handed over (their future or themselves), in the
	// order found, each by the expression that names it once.
	fns    []handedFn
	seenFn map[[2]uint32]bool
	future bool // the file spells `Future`
}

func newHandoffs(m *sendModel) *handoffs {
	return &handoffs{m: m, blocks: map[[2]uint32]sendCtx{}, vars: map[fnVar]sendCtx{}, seenFn: map[[2]uint32]bool{},
		future: bytes.Contains(m.src, kwFuture)}
}

// lineAt returns the 1-based line of n.
func lineAt(n *sitter.Node) int { return int(n.StartPoint().Row) + 1 }

// mayHold returns the walk's filter: whether a subtree may hold an async
// body or a handoff. A handoff is a call of a spawn (its name holds
// "spawn", its argument "async" or a call), of a fn of the file with a
// Send slot (by its name), or a `Box::pin(..)`/`.boxed()` of a call;
// subtrees that spell none of those words are skipped (a handoff of
// `Box::new(f(x))` to a Send box is not seen).
func (h *handoffs) mayHold() func(n *sitter.Node) bool {
	words := [][]byte{kwAsync, kwSpawn}
	if h.m.bounds {
		h.m.load()
		words = append(words, []byte("pin"), []byte("boxed"))
		for name, ds := range h.m.fns {
			for _, d := range ds {
				if d.hasSlots() {
					words = append(words, []byte(name))
					break
				}
			}
		}
	}
	occ := make([]offsets, len(words))
	for i, w := range words {
		occ[i] = findAll(h.m.src, w)
	}
	return func(n *sitter.Node) bool {
		s, e := n.StartByte(), n.EndByte()
		for i, o := range occ {
			if o.within(s, e, len(words[i])) {
				return true
			}
		}
		return false
	}
}

// hasSlots reports whether a parameter of d requires Send.
func (d *fnDecl) hasSlots() bool {
	for _, s := range d.slots {
		if s != 0 {
			return true
		}
	}
	return false
}

// call records the handoffs of a call: the future of a spawn (or of a
// local run), the arguments of a fn of the file whose parameters carry a
// Send bound, the receiver of `.boxed()`.
func (h *handoffs) call(call *sitter.Node, up *ancestors) {
	fn := fnOf(up)
	switch h.m.classifyCall(call) {
	case sendSpawn:
		h.hand(spawnArg(call), sendCtx{kind: sendSpawn, spawn: true, line: lineAt(call), verb: "spawned"}, slotFuture, fn)
		return
	case localRun:
		h.hand(spawnArg(call), sendCtx{kind: localRun}, slotFuture, fn)
		return
	}
	if recv := h.m.boxedRecv(call); recv != nil {
		h.hand(recv, sendCtx{kind: sendSpawn, line: lineAt(call), verb: "boxed by `.boxed()`", tail: ", which requires Send"}, slotFuture, fn)
		return
	}
	name, slots := h.m.callSlots(call, up)
	if name == "" {
		return
	}
	for i, a := range callArgs(call) {
		if i >= len(slots) || slots[i] == 0 {
			continue
		}
		ctx := sendCtx{kind: sendSpawn, line: lineAt(a), verb: fmt.Sprintf("passed to `%s`", name), tail: ", which requires a Send future"}
		if slots[i]&slotMaker != 0 {
			ctx.tail = ", which requires Send futures"
		}
		h.hand(a, ctx, slots[i], fn)
	}
}

// let records a `let x: T = e;` whose T is a Send box: e is boxed as a
// Send future.
func (h *handoffs) let(decl *sitter.Node, up *ancestors) {
	t := decl.ChildByFieldName("type")
	v := decl.ChildByFieldName("value")
	if t == nil || v == nil || !h.m.isSendBox(t) {
		return
	}
	h.hand(v, sendCtx{kind: sendSpawn, line: lineAt(v), verb: "boxed", tail: fmt.Sprintf(" as a Send future (`%s`)", compactText(h.m.src, t))}, slotFuture, fnOf(up))
}

// results records the handoffs of the fns of the file declared to return
// a Send future (`-> impl Future + Send`, `-> BoxFuture<'_, T>`): each
// value the body returns.
func (h *handoffs) results() {
	if !h.m.bounds {
		return
	}
	h.m.load()
	for _, d := range h.m.fnList {
		if !d.sendRet && !d.boxRet || d.node.Type() != "function_item" {
			continue
		}
		body := d.node.ChildByFieldName("body")
		for _, r := range returnedValues(h.m.src, body) {
			ctx := sendCtx{kind: sendSpawn, line: lineAt(r), verb: fmt.Sprintf("returned by `%s`", d.name), tail: ", declared to return a Send future"}
			h.hand(r, ctx, slotFuture, d.node.StartByte())
		}
	}
}

// hand records that e is handed to ctx, as slot s says: a future (an
// async block, a call of an async fn, a local binding holding a future,
// any of those in `Box::pin(..)`), or a maker of futures (a closure whose
// result is such a future, a path naming a fn).
func (h *handoffs) hand(e *sitter.Node, ctx sendCtx, s slot, fn uint32) {
	e = unparen(e)
	if e == nil {
		return
	}
	switch e.Type() {
	case "async_block":
		if s&slotFuture != 0 {
			if _, seen := h.blocks[rangeKey(e)]; !seen {
				h.blocks[rangeKey(e)] = ctx
			}
		}
	case "call_expression":
		if s&slotFuture == 0 {
			return
		}
		if inner := boxArg(h.m.src, e); inner != nil {
			h.hand(inner, ctx, slotFuture, fn)
			return
		}
		h.fn(e.ChildByFieldName("function"), ctx)
	case "identifier":
		if s&slotFuture != 0 {
			if _, seen := h.vars[fnVar{fn, text(h.m.src, e)}]; !seen {
				h.vars[fnVar{fn, text(h.m.src, e)}] = ctx
			}
		}
		// A local binding (a closure, a parameter) is not a fn of that
		// name.
		if _, _, local := h.m.bindingOf(e); s&slotMaker != 0 && !local {
			ctx.path = true
			h.fn(e, ctx)
		}
	case "scoped_identifier":
		if s&slotMaker != 0 {
			ctx.path = true
			h.fn(e, ctx)
		}
	case "closure_expression":
		if s&slotMaker == 0 {
			return
		}
		ctx.made = true
		for _, r := range returnedValues(h.m.src, e.ChildByFieldName("body")) {
			h.hand(r, ctx, slotFuture, fn)
		}
	}
}

// handedFn is a fn handed to a Send context: the expression naming it
// (the callee of a call handed over, or a path handed over as a maker of
// futures) and the context.
type handedFn struct {
	name *sitter.Node
	ctx  sendCtx
}

// fn records the fn that the expression name names as handed to ctx.
// Outside a spawn, only in a file that spells `Future`: every Send context
// of a future but a bare `T: Send` bound does (a Future bound, a Send box,
// FutureExt), and the files that do not are not summarized for handoffs
// (mayHandOffFns).
func (h *handoffs) fn(name *sitter.Node, ctx sendCtx) {
	if name == nil || !ctx.spawn && !h.future || h.seenFn[rangeKey(name)] {
		return
	}
	h.seenFn[rangeKey(name)] = true
	h.fns = append(h.fns, handedFn{name, ctx})
}

// boxArg returns x of `Box::pin(x)` or `Box::new(x)`: a box of a future is
// Send when the future is.
func boxArg(src []byte, call *sitter.Node) *sitter.Node {
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Type() != "scoped_identifier" {
		return nil
	}
	switch pathString(src, fn) {
	case "Box::pin", "Box::new", "std::boxed::Box::pin", "std::boxed::Box::new":
		return spawnArg(call)
	}
	return nil
}

// boxedRecv returns the receiver of `<future>.boxed()` when the file
// imports futures' FutureExt (whose `boxed` requires Send; `boxed_local`
// does not), or nil.
func (m *sendModel) boxedRecv(call *sitter.Node) *sitter.Node {
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Type() != "field_expression" || text(m.src, fn.ChildByFieldName("field")) != "boxed" {
		return nil
	}
	m.imports()
	if !strings.HasPrefix(m.uses["FutureExt"], "futures") {
		ok := false
		for _, g := range m.globs {
			ok = ok || strings.HasPrefix(g, "futures")
		}
		if !ok {
			return nil
		}
	}
	return fn.ChildByFieldName("value")
}

// callSlots returns the name of the fn of the file a call calls and, for
// each argument, what the parameter it goes to requires, when every fn of
// the file the call may mean agrees:
//   - `f(..)`: the free fns called f;
//   - `Self::f(..)`, `Type::f(..)`: the fns called f of the impls of that
//     type (or of the trait); with self, the first argument is self;
//   - `self::f(..)`, `crate::..::f(..)`, `module::f(..)` for a module of
//     the file: the free fns called f;
//   - `x.f(..)`: the methods called f.
func (m *sendModel) callSlots(call *sitter.Node, up *ancestors) (string, []slot) {
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil || !m.bounds {
		return "", nil
	}
	m.load()
	var name string
	var ds []*fnDecl
	ufcs := false
	switch fn.Type() {
	case "identifier":
		name = text(m.src, fn)
		ds = m.ownedDecls(name, "")
	case "scoped_identifier":
		name = text(m.src, fn.ChildByFieldName("name"))
		path := pathString(m.src, fn.ChildByFieldName("path"))
		first, _, _ := strings.Cut(path, "::")
		last := path[strings.LastIndex(path, ":")+1:]
		switch {
		case path == "Self":
			for i := len(up.nodes) - 1; i >= 0; i-- {
				if up.types[i] == "impl_item" || up.types[i] == "trait_item" {
					owner := typeBaseName(m.src, up.nodes[i].ChildByFieldName("type"))
					if up.types[i] == "trait_item" {
						owner = text(m.src, up.nodes[i].ChildByFieldName("name"))
					}
					ds, ufcs = m.ownedDecls(name, owner), true
					break
				}
			}
		case first == "self" || first == "crate" || first == "super" || m.mods[last]:
			ds = m.ownedDecls(name, "")
		case isTypeName(last):
			ds, ufcs = m.ownedDecls(name, last), true
		}
	case "field_expression":
		name = text(m.src, fn.ChildByFieldName("field"))
		ds = m.methodDecls(name, fn.ChildByFieldName("value"))
	}
	if len(ds) == 0 {
		return "", nil
	}
	var slots []slot
	for i, d := range ds {
		s := d.slots
		if ufcs && d.isMethod() {
			s = append([]slot{0}, s...) // the first argument is self
		}
		if i == 0 {
			slots = s
			continue
		}
		if len(s) != len(slots) {
			return "", nil
		}
		for j := range s {
			if s[j] != slots[j] {
				return "", nil
			}
		}
	}
	return name, slots
}

// methodDecls returns the methods called name that `recv.name(..)` may
// call: those of the receiver's type, when exprType knows it (its impls
// and the traits of the file it implements); else every method of the
// file of that name, unless std's iterators, options, results or futures
// have a method of the name (combinators), which the call more likely
// means.
func (m *sendModel) methodDecls(name string, recv *sitter.Node) []*fnDecl {
	all := m.decls(name, true)
	if len(all) == 0 {
		return nil
	}
	typ := m.exprType(recv)
	if typ == "" {
		if combinators[name] {
			return nil
		}
		return all
	}
	var out []*fnDecl
	for _, d := range all {
		if d.owner == typ || d.owner == d.trait && m.implements(typ, d.trait) {
			out = append(out, d)
		}
	}
	return out
}

// implements reports whether the file has an `impl trait for typ`.
func (m *sendModel) implements(typ, trait string) bool {
	for _, d := range m.fnList {
		if d.owner == typ && d.trait == trait {
			return true
		}
	}
	return false
}

// combinators are method names of std's iterators, Option, Result and of
// the futures and streams combinators: `x.map(f)` on a receiver of
// unknown type is taken for one of those, not for a method of the file.
var combinators = map[string]bool{
	"map": true, "map_err": true, "map_ok": true, "and_then": true, "or_else": true, "then": true,
	"filter": true, "filter_map": true, "flat_map": true, "for_each": true, "try_for_each": true,
	"fold": true, "try_fold": true, "reduce": true, "inspect": true, "any": true, "all": true,
	"find": true, "find_map": true, "position": true, "zip": true, "chain": true, "take_while": true,
	"skip_while": true, "scan": true, "unwrap_or_else": true, "map_or": true, "map_or_else": true,
	"get_or_insert_with": true, "or_insert_with": true, "retain": true, "extend": true, "push": true,
	"insert": true, "send": true, "call": true, "poll": true, "select": true, "join": true,
}

// ownedDecls returns the fns called name of the impls or trait of owner
// ("" for free fns).
func (m *sendModel) ownedDecls(name, owner string) []*fnDecl {
	m.load()
	var out []*fnDecl
	for _, d := range m.fns[name] {
		if d.owner == owner {
			out = append(out, d)
		}
	}
	return out
}

// returnedValues returns the values a fn or closure body returns: the
// tail of a block (through nested blocks and the arms of a tail `if` or
// `match`) and the operands of its `return`s (not those of closures, async
// blocks or items inside it).
func returnedValues(src []byte, body *sitter.Node) []*sitter.Node {
	if body == nil {
		return nil
	}
	out := tails(body)
	if body.Type() == "block" && bytes.Contains(src[body.StartByte():body.EndByte()], []byte("return")) {
		walk(body, func(n *sitter.Node) bool {
			switch n.Type() {
			case "closure_expression", "async_block", "function_item", "impl_item", "trait_item", "mod_item":
				return false
			case "return_expression":
				if v := n.NamedChild(0); v != nil {
					out = append(out, tails(v)...)
				}
			}
			return true
		})
	}
	return out
}

// tails returns the values an expression can end with: itself, or the
// tails of a block's last expression, of an `if`'s branches, of a
// `match`'s arms.
func tails(e *sitter.Node) []*sitter.Node {
	e = unparen(e)
	if e == nil {
		return nil
	}
	switch e.Type() {
	case "block":
		st := statements(e)
		if len(st) == 0 {
			return nil
		}
		last := st[len(st)-1]
		if last.Type() == "expression_statement" {
			// A block-like expression at the end parses as a statement;
			// with a `;` it is not the block's value.
			if c := last.Child(int(last.ChildCount()) - 1); c != nil && c.Type() == ";" {
				return nil
			}
			last = last.NamedChild(0)
		}
		if last == nil || strings.HasSuffix(last.Type(), "_declaration") || strings.HasSuffix(last.Type(), "_item") {
			return nil
		}
		return tails(last)
	case "if_expression":
		out := tails(e.ChildByFieldName("consequence"))
		if alt := e.ChildByFieldName("alternative"); alt != nil {
			for _, c := range namedChildren(alt) {
				out = append(out, tails(c)...)
			}
		}
		return out
	case "match_expression":
		var out []*sitter.Node
		if body := e.ChildByFieldName("body"); body != nil {
			for _, arm := range namedChildren(body) {
				if arm.Type() == "match_arm" {
					out = append(out, tails(arm.ChildByFieldName("value"))...)
				}
			}
		}
		return out
	}
	return []*sitter.Node{e}
}

// asyncFnWhy says why the async fn item fn must be Send by what the file
// declares of it, or "": it is a method of an `#[async_trait]` impl or
// trait (not `?Send`), whose future the macro boxes as `dyn Future +
// Send`, or it implements a method that a trait of the file declares to
// return a Send future (`fn f(&self) -> impl Future<Output = T> + Send;`).
func (m *sendModel) asyncFnWhy(fn *sitter.Node) string {
	if !m.bounds {
		return ""
	}
	var d *fnDecl
	for _, c := range m.decls(fnName(m.src, fn), hasSelfParam(fn)) {
		if c.node.StartByte() == fn.StartByte() {
			d = c
		}
	}
	if d == nil {
		return ""
	}
	if d.asyncTrait != 0 {
		return fmt.Sprintf("`#[async_trait]` (line %d) boxes its future as `dyn Future + Send`", d.asyncTrait)
	}
	if d.trait != "" && d.trait != d.owner {
		for _, t := range m.ownedDecls(d.name, d.trait) {
			if t.sendRet {
				return fmt.Sprintf("trait `%s` declares `%s` to return a Send future (line %d)", d.trait, d.name, lineAt(t.node))
			}
		}
	}
	return ""
}
