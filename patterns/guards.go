package patterns

import (
	"slices"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// guard is a lock guard held in an async body, with what the rules need
// to know about its life: its bindings, where it is used and the first
// await of its future that happens while it is alive.
//
// mutex-scope hands tokio-mutex the guards that must stay held across
// the await (fileCtx.held, fileCtx.heldTemps). tokio-mutex reads kind,
// name, decl (for the position: its pattern field, when it has one),
// lock, recv, acq, await, body and usedLate.
type guard struct {
	name string
	kind string // MutexGuard, RwLockReadGuard, RwLockWriteGuard; "local" for rc-arc's non-Send local it scopes
	// decl is the let_declaration of a let-bound guard (a let-else too);
	// for a guard bound by an `if let Ok(g) = m.lock()` pattern the
	// let_condition, for `match m.lock() { Ok(g) => .. }` the match_arm
	// (both have the `pattern` field); for a temporary, the acquisition
	// expression itself.
	decl *sitter.Node
	lock *sitter.Node // the `.lock()` / `.read()` / `.write()` call, or the guard-returning call
	// recv is the receiver of the lock call, the Mutex expression. It is
	// nil when the guard comes from a call of a fn returning a guard or
	// from a compiler site: tokio-mutex cannot swap those.
	recv *sitter.Node
	bind *sitter.Node // the identifier the guard is bound to (the finding's position); nil for a temporary
	// also are the other guards bound by the same tuple let, `let (a, b)
	// = (m1.lock().unwrap(), m2.lock().unwrap());`: they share its life.
	also []string
	// acq is how the lock call's error is handled around it (see
	// acquisition): what tokio-mutex rewrites to `.lock().await`.
	acq acquisition
	// temp is set for a temporary guard that no binding names
	// (`m.lock().unwrap().get(k)` in a statement that awaits).
	temp bool

	block    *sitter.Node
	body     *asyncBody
	stmts    []*sitter.Node // the statements of block
	at       int            // index of decl in stmts
	lastUse  int            // index of the last statement using the guard (at when none)
	awaitAt  int            // index of the first statement after decl with an await, -1 if none
	await    *sitter.Node   // the first await expression in stmts[awaitAt]
	usedLate bool           // the guard is used in stmts[awaitAt] or after it
	// ids are the guard's bindings (one per name of a tuple let) and the
	// bindings its value moved into (`let y = g;`, `v.push(g)`): the
	// guard lives as long as any of them is used.
	ids []BindingID
	// copied is set for a value whose uses copy it (a reference): a call
	// taking it does not end its life.
	copied bool
}

// acqShape names how a lock acquisition handles the lock's error.
type acqShape uint8

const (
	acqUnwrap       acqShape = iota // m.lock().unwrap()
	acqExpect                       // m.lock().expect("..")
	acqUnwrapOrElse                 // m.lock().unwrap_or_else(|e| e.into_inner()), or another closure
	acqMapErrTry                    // m.lock().map_err(..)?  (the call may be split over lines)
	acqOkTry                        // m.lock().ok()?
	acqTry                          // m.lock()?
	acqBare                         // m.lock() of parking_lot, which returns the guard itself
	acqLetElse                      // let Ok(g) = m.lock() else { .. };
	acqIfLetOk                      // if let Ok(g) = m.lock() { .. }
	acqMatchOk                      // match m.lock() { Ok(g) => .., Err(e) => .. }
	acqPoisonMatch                  // match m.lock() { Ok(g) => g, Err(e) => e.into_inner() }
	acqGuardFn                      // a call of a fn declared to return a guard
	acqSite                         // a binding the compiler named (--cargo)
)

// acquisition is how a guard is taken, for the rules that rewrite the
// lock call.
type acquisition struct {
	shape acqShape
	// expr is the whole acquisition, from the receiver of the lock call
	// to the outermost error handling: `m.lock().map_err(E::from)?`, the
	// poison-tolerant `match`; the lock call for the pattern shapes
	// (acqLetElse, acqIfLetOk, acqMatchOk), whose pattern is on decl.
	expr *sitter.Node
	// handler is the node of the error handling: the `.expect(..)`,
	// `.unwrap_or_else(..)`, `.map_err(..)` or `.ok()` call, the
	// try_expression for acqTry, the let-else's else block, the `Err` arm
	// of acqMatchOk (nil when it has none); nil for acqUnwrap, acqBare,
	// acqGuardFn and acqSite.
	handler *sitter.Node
}

// guardCall strips the error handling off a lock acquisition and returns
// the lock call and how it is wrapped: `m.lock()` of `m.lock().unwrap()`,
// `.expect(..)`, `.unwrap_or_else(..)`, `.map_err(..)?`, `.ok()?`, `?`, the
// poison-tolerant match (see poisonMatch); with parkingLot, a bare
// `m.lock()`, `.read()`, `.write()`; or a call that fns says returns a
// guard (see guardFnSet.kind). It returns nil when value is not one.
func guardCall(src []byte, value *sitter.Node, parkingLot bool, fns *guardFnSet) (call *sitter.Node, kind string, acq acquisition) {
	v := unparen(value)
	if v == nil {
		return nil, "", acq
	}
	acq.expr = v
	switch v.Type() {
	case "match_expression":
		call, kind = poisonMatch(src, v)
		acq.shape = acqPoisonMatch
		return call, kind, acq
	case "try_expression":
		inner := unparen(v.NamedChild(0))
		if inner == nil || inner.Type() != "call_expression" || parkingLot {
			return nil, "", acq
		}
		if k := lockKind(src, inner); k != "" {
			acq.shape, acq.handler = acqTry, v
			return inner, k, acq
		}
		m := methodName(src, inner)
		if m != "map_err" && m != "ok" {
			return nil, "", acq
		}
		if m == "ok" && len(callArgs(inner)) != 0 {
			return nil, "", acq
		}
		lock := unparen(inner.ChildByFieldName("function").ChildByFieldName("value"))
		if lock == nil || lock.Type() != "call_expression" {
			return nil, "", acq
		}
		if k := lockKind(src, lock); k != "" {
			acq.shape, acq.handler = acqMapErrTry, inner
			if m == "ok" {
				acq.shape = acqOkTry
			}
			return lock, k, acq
		}
		return nil, "", acq
	case "call_expression":
	default:
		return nil, "", acq
	}
	if k := fns.kind(src, v); k != "" {
		acq.shape = acqGuardFn
		return v, k, acq
	}
	if m := methodName(src, v); m == "unwrap" || m == "expect" || m == "unwrap_or_else" {
		inner := unparen(v.ChildByFieldName("function").ChildByFieldName("value"))
		if inner != nil && inner.Type() == "call_expression" {
			if k := lockKind(src, inner); k != "" {
				acq.shape = map[string]acqShape{"unwrap": acqUnwrap, "expect": acqExpect, "unwrap_or_else": acqUnwrapOrElse}[m]
				if m != "unwrap" {
					acq.handler = v
				}
				return inner, k, acq
			}
		}
		return nil, "", acq
	}
	if parkingLot {
		if k := lockKind(src, v); k != "" {
			acq.shape = acqBare
			return v, k, acq
		}
	}
	return nil, "", acq
}

// poisonMatch recognises the poison-tolerant acquisition
//
//	match m.lock() { Ok(g) => g, Err(e) => e.into_inner() }
//
// (arms in either order, the poisoned guard recovered with into_inner), a
// guard exactly as `.lock().unwrap_or_else(|e| e.into_inner())` is. It
// returns the lock call, or nil for any other match.
func poisonMatch(src []byte, m *sitter.Node) (*sitter.Node, string) {
	scrut := unparen(m.ChildByFieldName("value"))
	if scrut == nil || scrut.Type() != "call_expression" {
		return nil, ""
	}
	kind := lockKind(src, scrut)
	body := m.ChildByFieldName("body")
	if kind == "" || body == nil {
		return nil, ""
	}
	var arms []*sitter.Node
	for _, c := range namedChildren(body) {
		if c.Type() == "match_arm" {
			arms = append(arms, c)
		}
	}
	if len(arms) != 2 {
		return nil, ""
	}
	seen := map[string]bool{}
	for _, a := range arms {
		pat, val := a.ChildByFieldName("pattern"), unparen(a.ChildByFieldName("value"))
		if pat == nil || val == nil || a.ChildByFieldName("condition") != nil {
			return nil, ""
		}
		p := strings.Join(strings.Fields(text(src, pat)), "")
		open := strings.IndexByte(p, '(')
		if open < 0 || !strings.HasSuffix(p, ")") {
			return nil, ""
		}
		ctor, name := p[:open], p[open+1:len(p)-1]
		want := map[string]string{"Ok": name, "Err": name + ".into_inner()"}[ctor]
		if want == "" || seen[ctor] || strings.Join(strings.Fields(text(src, val)), "") != want {
			return nil, ""
		}
		seen[ctor] = true
	}
	return scrut, kind
}

// lockKind names the guard type a zero-argument `.lock()`, `.read()` or
// `.write()` call returns, or "" when call is none of those.
func lockKind(src []byte, call *sitter.Node) string {
	args := call.ChildByFieldName("arguments")
	if args == nil || args.NamedChildCount() != 0 {
		return ""
	}
	switch methodName(src, call) {
	case "lock":
		return "MutexGuard"
	case "read":
		return "RwLockReadGuard"
	case "write":
		return "RwLockWriteGuard"
	}
	return ""
}

// methodName returns the method of a method call `x.m(..)`, or "".
func methodName(src []byte, call *sitter.Node) string {
	if call == nil || call.Type() != "call_expression" {
		return ""
	}
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Type() != "field_expression" {
		return ""
	}
	return text(src, fn.ChildByFieldName("field"))
}

// letGuard returns the guard a let statement binds, or nil: `let g =
// <acquisition>;` (see guardCall) or `let Ok(g) = m.lock() else { .. };`.
func letGuard(src []byte, s *sitter.Node, pl bool, fns *guardFnSet) *guard {
	pat := s.ChildByFieldName("pattern")
	if pat == nil {
		return nil
	}
	if alt := s.ChildByFieldName("alternative"); alt != nil {
		// let-else: `let Ok(g) = m.lock() else { .. };` (std's lock
		// returns a Result).
		v := unparen(s.ChildByFieldName("value"))
		if v == nil || v.Type() != "call_expression" || pat.Type() != "tuple_struct_pattern" || pat.NamedChildCount() != 2 ||
			text(src, pat.ChildByFieldName("type")) != "Ok" {
			return nil
		}
		k := lockKind(src, v)
		if k == "" || pl {
			return nil
		}
		id := pat.NamedChild(1)
		if id.Type() == "mut_pattern" {
			id = id.NamedChild(int(id.NamedChildCount()) - 1)
		}
		if id == nil || id.Type() != "identifier" {
			return nil
		}
		return &guard{name: text(src, id), kind: k, decl: s, lock: v, bind: id, recv: v.ChildByFieldName("function").ChildByFieldName("value"),
			acq: acquisition{shape: acqLetElse, expr: v, handler: alt}}
	}
	if pat.Type() == "tuple_pattern" {
		return tupleGuard(src, s, pl, fns)
	}
	if pat.Type() != "identifier" {
		return nil
	}
	val, borrowed := refOperand(src, s.ChildByFieldName("value"))
	call, kind, acq := guardCall(src, val, pl, fns)
	if call == nil {
		return nil
	}
	g := &guard{name: text(src, pat), kind: kind, decl: s, lock: call, bind: pat, acq: acq}
	if fn := call.ChildByFieldName("function"); !borrowed && fn != nil && fn.Type() == "field_expression" && lockKind(src, call) != "" {
		g.recv = fn.ChildByFieldName("value")
	}
	return g
}

// label names the guard in messages: `a`, or `a`, `b` for a tuple let
// (the caller adds the outer backquotes).
func (g *guard) label() string {
	return strings.Join(append([]string{g.name}, g.also...), "`, `")
}

// tupleGuard returns the guards a tuple let binds, `let (a, mut b) =
// (m1.lock().unwrap(), m2.lock().unwrap());` or `let (mut g, k) =
// (m.lock().unwrap(), 1);`: every acquisition element bound to a plain
// name, as one guard named by the first with the others in also. The
// other elements are values the let declares like any other (the scope
// lets them escape when owned). It returns nil when no element is an
// acquisition bound to a name, or one is bound to another pattern (`_`
// would drop it at once, a nested pattern may keep a part).
func tupleGuard(src []byte, s *sitter.Node, pl bool, fns *guardFnSet) *guard {
	pats := namedChildren(s.ChildByFieldName("pattern"))
	val := unparen(s.ChildByFieldName("value"))
	if val == nil || val.Type() != "tuple_expression" || len(pats) < 2 {
		return nil
	}
	vals := namedChildren(val)
	if len(vals) != len(pats) {
		return nil
	}
	var g *guard
	for i, p := range pats {
		call, kind, acq := guardCall(src, vals[i], pl, fns)
		if call == nil {
			continue
		}
		id := p
		if id.Type() == "mut_pattern" {
			id = id.NamedChild(int(id.NamedChildCount()) - 1)
		}
		if id == nil || id.Type() != "identifier" {
			return nil
		}
		if g == nil {
			g = &guard{name: text(src, id), kind: kind, decl: s, lock: call, bind: id, acq: acq}
		} else {
			g.also = append(g.also, text(src, id))
		}
	}
	return g
}

// refOperand returns the acquisition a `let` borrows, `m.lock().unwrap()`
// of `&mut *m.lock().unwrap()`, `&*..` or `&..`, and true: the borrow
// extends the temporary guard's life to the end of the block, as a let
// binding would (a deref without the borrow, `*m.lock().unwrap()`, copies
// and drops it at once). Otherwise it returns v unchanged and false.
// tokio-mutex does not take these guards (recv stays nil).
func refOperand(src []byte, v *sitter.Node) (*sitter.Node, bool) {
	r := unparen(v)
	if r == nil || r.Type() != "reference_expression" {
		return v, false
	}
	in := unparen(r.ChildByFieldName("value"))
	if in != nil && in.Type() == "unary_expression" && strings.HasPrefix(text(src, in), "*") && in.NamedChildCount() == 1 {
		in = unparen(in.NamedChild(0))
	}
	if in == nil {
		return v, false
	}
	return in, true
}

// findGuards returns the guards bound by `let g = <lock acquisition>;` in
// every Send-required async body, with their uses and awaits computed,
// once per pass (mutex-scope and a forced tokio-mutex both ask).
func findGuards(fc *fileCtx) []*guard {
	if !fc.guardsDone {
		fc.guards, fc.guardsDone = collectGuards(fc), true
	}
	return fc.guards
}

// collectGuards is findGuards's search.
func collectGuards(fc *fileCtx) []*guard {
	pl := usesParkingLot(fc)
	fns := fileGuardFns(fc)
	var out []*guard
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		walk(b.block, func(n *sitter.Node) bool {
			if n != b.block && isFutureBoundary(n) {
				return false // nested futures are bodies of their own
			}
			if n.Type() != "block" {
				return true
			}
			stmts := statements(n)
			for i, s := range stmts {
				if s.Type() != "let_declaration" {
					continue
				}
				g := letGuard(fc.src, s, pl, fns)
				if g == nil {
					continue
				}
				g.block, g.body, g.stmts, g.at = n, b, stmts, i
				if g.trace(fc) {
					out = append(out, g)
				}
			}
			return true
		})
	}
	return append(out, siteGuards(fc, out)...)
}

// stmtIndex returns the index of the statement of stmts that holds offset
// off, or of the first statement after off; len(stmts) past the last.
func stmtIndex(stmts []*sitter.Node, off int) int {
	return sort.Search(len(stmts), func(i int) bool { return int(stmts[i].EndByte()) > off })
}

// trace computes the guard's bindings, last use and first await, from the
// facts. It returns false when the guard is not alive at any await of its
// future: there is none after it, or its value is moved away (`drop(g)`,
// `render(g)`) before the await without a borrow before (rustc keeps a
// borrowed guard alive to the end of its scope, moved or not: see
// rustc-send-facts).
func (g *guard) trace(fc *fileCtx) bool {
	f := fc.facts()
	g.lastUse, g.awaitAt, g.usedLate = g.at, -1, false
	for j := g.at + 1; j < len(g.stmts) && g.awaitAt < 0; j++ {
		if hasAwait(fc.src, g.stmts[j]) {
			g.awaitAt = j
			g.await = awaitsIn(fc.src, g.stmts[j])[0]
		}
	}
	if g.awaitAt < 0 {
		return false
	}
	g.ids = g.ids[:0]
	if g.bind == nil {
		// A compiler site's guard: `let name = <call>;`.
		if pat := g.decl.ChildByFieldName("pattern"); pat != nil && pat.Type() == "identifier" {
			g.bind = pat
			if g.acq.expr == nil {
				g.acq = acquisition{shape: acqSite, expr: g.lock}
			}
		}
	}
	if g.bind != nil {
		g.ids = append(g.ids, f.Resolve(g.bind))
	}
	if len(g.also) > 0 {
		// The other guards of a tuple let, not its other values.
		for _, b := range f.BindingsOf(g.decl) {
			if b != NoBinding && (len(g.ids) == 0 || b != g.ids[0]) && slices.Contains(g.also, f.Binding(b).Name) {
				g.ids = append(g.ids, b)
			}
		}
	}
	if len(g.ids) == 0 || g.ids[0] == NoBinding {
		g.ids = nil
		return false
	}
	g.ids = guardChain(f, g.block, g.ids)
	if len(g.also) == 0 && !g.copied && g.movedAway(f) {
		return false
	}
	for _, b := range g.ids {
		for _, u := range f.Uses(b) {
			k := stmtIndex(g.stmts, u.Off)
			if k <= g.at || k >= len(g.stmts) {
				continue
			}
			g.lastUse = max(g.lastUse, k)
			if k >= g.awaitAt {
				g.usedLate = true
			}
		}
	}
	return true
}

// guardChain returns ids with the bindings declared in block whose value
// holds one of them (`let y = g;`, `let t = (g, 1);`, `v.push(g)`), to a
// fixpoint: the guard lives in all of them.
func guardChain(f *facts, block *sitter.Node, ids []BindingID) []BindingID {
	in := map[BindingID]bool{}
	for _, b := range ids {
		in[b] = true
	}
	decls := f.DeclaredIn(block)
	for changed := true; changed; {
		changed = false
		for _, b := range decls {
			if in[b] || !mayHoldAny(f, b, in) {
				continue
			}
			for _, h := range f.BindingOwnership(b).Holds {
				if in[h] {
					in[b] = true
					ids = append(ids, b)
					changed = true
					break
				}
			}
		}
	}
	return ids
}

// mayHoldAny reports whether binding b may take the value of one of set:
// its initial value mentions one, or one is moved into a method call on b
// (`b.push(g)`). It spares the ownership of every other binding.
func mayHoldAny(f *facts, b BindingID, set map[BindingID]bool) bool {
	bd := f.Binding(b)
	for h := range set {
		if bd.Init != nil && f.Mentions(bd.Init, h) {
			return true
		}
		for _, u := range f.Uses(h) {
			if u.Move == MoveCall && u.Ctx2 != nil {
				if recv, _ := methodCallParts(f.src, u.Ctx2); recv != nil && (&ownEval{f: f}).placeBase(recv) == b {
					return true
				}
			}
		}
	}
	return false
}

// movedAway reports whether the guard's value is moved into a call that
// does not keep it (`drop(g);`, `let n = render(g);`), unconditionally, in
// a statement before the await, with no borrow of the guard before.
func (g *guard) movedAway(f *facts) bool {
	var uses []Use
	for _, b := range g.ids {
		uses = append(uses, f.Uses(b)...)
	}
	sort.Slice(uses, func(i, j int) bool { return uses[i].Off < uses[j].Off })
	for _, u := range uses {
		k := stmtIndex(g.stmts, u.Off)
		if k <= g.at {
			continue
		}
		if k >= g.awaitAt {
			return false
		}
		switch {
		case u.Move == NotMoved:
			return false // a borrow: rustc keeps the guard alive
		case g.flowsToChain(f, u):
			continue // into another binding of the guard
		case (u.Move == MoveDrop || u.Move == MoveCall) && unconditional(g.stmts[k], u.Node, false):
			return true
		default:
			return false
		}
	}
	return false
}

// flowsToChain reports whether move u hands the guard to another of its
// bindings: the use is in the value of a let declaring one, or an
// argument of a method on one (`v.push(g)`).
func (g *guard) flowsToChain(f *facts, u Use) bool {
	for _, b := range g.ids {
		bd := f.Binding(b)
		if bd.Init != nil && contains(bd.Init, u.Node) {
			return true
		}
	}
	if u.Move != MoveCall {
		return false
	}
	if u.Ctx == nil || u.Ctx.Type() != "arguments" || u.Ctx2 == nil {
		return false
	}
	recv, _ := methodCallParts(f.src, u.Ctx2)
	if recv == nil {
		return false
	}
	base := (&ownEval{f: f}).placeBase(recv)
	for _, b := range g.ids {
		if b == base {
			return true
		}
	}
	return false
}

// unconditional reports whether node n of statement stmt is evaluated
// whenever the statement runs: the path up passes only through call
// arguments, method receivers, `?`, parentheses, operators (not the right
// of `&&`/`||`), aggregates and the statement's let or expression; with
// awaits, through the operand of an await too.
func unconditional(stmt, n *sitter.Node, awaits bool) bool {
	for c, p := n, n.Parent(); p != nil && !p.Equal(stmt); c, p = p, p.Parent() {
		switch p.Type() {
		case "arguments", "call_expression", "field_expression", "try_expression", "parenthesized_expression",
			"let_declaration", "expression_statement", "reference_expression", "tuple_expression", "type_cast_expression",
			"unary_expression", "array_expression", "field_initializer", "field_initializer_list", "struct_expression",
			"index_expression":
		case "binary_expression":
			if r := p.ChildByFieldName("right"); r != nil && r.Equal(c) && p.ChildByFieldName("operator") != nil {
				if op := p.ChildByFieldName("operator").Type(); op == "&&" || op == "||" {
					return false
				}
			}
		case "await_expression":
			if !awaits {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isDropOf reports whether stmt is `drop(name);` or `std::mem::drop(name);`.
// (rc-arc's; the facts give Moves with MoveDrop.)
func isDropOf(src []byte, stmt *sitter.Node, name string) bool {
	if stmt.Type() != "expression_statement" || stmt.NamedChildCount() == 0 {
		return false
	}
	call := stmt.NamedChild(0)
	if call.Type() != "call_expression" || calleeName(src, call) != "drop" {
		return false
	}
	a := firstArg(call)
	return a != nil && a.Type() == "identifier" && text(src, a) == name && call.ChildByFieldName("arguments").NamedChildCount() == 1
}

// bindsName reports whether a let declaration binds name. (tokio-mutex's;
// the facts give BindingsOf.)
func bindsName(src []byte, decl *sitter.Node, name string) bool {
	names, _ := patternNames(src, decl.ChildByFieldName("pattern"))
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
