package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// guard is a lock guard bound by `let` in an async body, with what the
// rules need to know about its life: where it is used and the first await
// of its future that happens while it is alive.
type guard struct {
	name string
	kind string       // MutexGuard, RwLockReadGuard, RwLockWriteGuard
	decl *sitter.Node // the let_declaration
	lock *sitter.Node // the `.lock()` / `.read()` / `.write()` call, or the guard-returning call
	// recv is the receiver of the lock call, the Mutex expression. It is
	// nil when the guard comes from a call of a fn returning a guard or
	// from a compiler site: tokio-mutex cannot swap those.
	recv *sitter.Node
	bind *sitter.Node // the identifier the guard is bound to (the finding's position)
	// decl is a let_declaration for a let-bound guard; for a guard bound
	// by an `if let Ok(g) = m.lock()` pattern it is the let_condition, for
	// `match m.lock() { Ok(g) => .. }` the match_arm (both have the
	// `pattern` field).
	block    *sitter.Node
	body     *asyncBody
	stmts    []*sitter.Node // the statements of block
	at       int            // index of decl in stmts
	lastUse  int            // index of the last statement using the guard (at when none)
	awaitAt  int            // index of the first statement after decl with an await, -1 if none
	await    *sitter.Node   // the first await expression in stmts[awaitAt]
	usedLate bool           // the guard is used at or after awaitAt
}

// guardCall strips the error handling off a lock acquisition and returns
// the lock call: `m.lock()` of `m.lock().unwrap()`, `.expect(..)`,
// `.unwrap_or_else(..)`; with parkingLot, a bare `m.lock()`, `.read()`,
// `.write()`; or a call of a fn that fns says returns a guard. It returns
// nil when value is not one.
func guardCall(src []byte, value *sitter.Node, parkingLot bool, fns map[string]string) (call *sitter.Node, kind string) {
	v := unparen(value)
	if v == nil || v.Type() != "call_expression" {
		return nil, ""
	}
	if k := fns[calleeName(src, v)]; k != "" {
		return v, k
	}
	if m := methodName(src, v); m == "unwrap" || m == "expect" || m == "unwrap_or_else" {
		inner := unparen(v.ChildByFieldName("function").ChildByFieldName("value"))
		if inner != nil && inner.Type() == "call_expression" {
			if k := lockKind(src, inner); k != "" {
				return inner, k
			}
		}
		return nil, ""
	}
	if parkingLot {
		if k := lockKind(src, v); k != "" {
			return v, k
		}
	}
	return nil, ""
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

// importsParkingLot reports whether the file uses parking_lot, whose
// lock() returns the guard directly.
func importsParkingLot(src []byte) bool {
	return strings.Contains(string(src), "parking_lot")
}

// fileGuardFns returns the guard-returning fns visible to fc: those of the
// file and, through the Index, of the other files given.
func fileGuardFns(fc *fileCtx) map[string]string {
	fns := guardFns(fc.src, fc.root)
	if fc.idx != nil {
		for n, k := range fc.idx.guardFns {
			if fns[n] == "" {
				fns[n] = k
			}
		}
	}
	return fns
}

// letGuard returns the guard a let statement binds, or nil: `let g =
// <acquisition>;` (see guardCall) or `let Ok(g) = m.lock() else { .. };`.
func letGuard(src []byte, s *sitter.Node, pl bool, fns map[string]string) *guard {
	pat := s.ChildByFieldName("pattern")
	if pat == nil {
		return nil
	}
	if s.ChildByFieldName("alternative") != nil {
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
		return &guard{name: text(src, id), kind: k, decl: s, lock: v, bind: id, recv: v.ChildByFieldName("function").ChildByFieldName("value")}
	}
	if pat.Type() != "identifier" {
		return nil
	}
	call, kind := guardCall(src, s.ChildByFieldName("value"), pl, fns)
	if call == nil {
		return nil
	}
	g := &guard{name: text(src, pat), kind: kind, decl: s, lock: call, bind: pat}
	if fn := call.ChildByFieldName("function"); fn != nil && fn.Type() == "field_expression" && lockKind(src, call) != "" {
		g.recv = fn.ChildByFieldName("value")
	}
	return g
}

// findGuards returns the guards bound by `let g = <lock acquisition>;` in
// every Send-required async body, with their uses and awaits computed.
func findGuards(fc *fileCtx) []*guard {
	pl := importsParkingLot(fc.src)
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
				if g.trace(fc.src) {
					out = append(out, g)
				}
			}
			return true
		})
	}
	return append(out, siteGuards(fc, out)...)
}

// trace computes the guard's last use and first await. It returns false
// when the guard is not alive at any await of its future.
func (g *guard) trace(src []byte) bool {
	g.lastUse, g.awaitAt = g.at, -1
	used := false     // borrowed at least once
	shadowed := false // a later let rebinds the name
	for j := g.at + 1; j < len(g.stmts); j++ {
		s := g.stmts[j]
		if g.awaitAt < 0 && hasAwait(s) {
			g.awaitAt = j
			g.await = awaitsIn(s)[0]
		}
		if shadowed {
			continue
		}
		if isDropOf(src, s, g.name) && g.awaitAt < 0 && !used {
			// A guard moved into drop() before ever being borrowed is
			// gone; rustc accepts the await after it.
			return false
		}
		if usesName(src, s, g.name) {
			g.lastUse = j
			used = true
			if g.awaitAt >= 0 {
				g.usedLate = true
			}
		}
		if s.Type() == "let_declaration" && bindsName(src, s, g.name) {
			// Shadowed: later mentions are the new binding, but the old
			// guard lives on to the end of the block.
			shadowed = true
		}
	}
	return g.awaitAt >= 0
}

// isDropOf reports whether stmt is `drop(name);` or `std::mem::drop(name);`.
func isDropOf(src []byte, stmt *sitter.Node, name string) bool {
	if stmt.Type() != "expression_statement" || stmt.NamedChildCount() == 0 {
		return false
	}
	call := stmt.NamedChild(0)
	if call.Type() != "call_expression" || calleeName(src, call) != "drop" {
		return false
	}
	a := spawnArg(call)
	return a != nil && a.Type() == "identifier" && text(src, a) == name && call.ChildByFieldName("arguments").NamedChildCount() == 1
}

// bindsName reports whether a let declaration binds name.
func bindsName(src []byte, decl *sitter.Node, name string) bool {
	names, _ := patternNames(src, decl.ChildByFieldName("pattern"))
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
