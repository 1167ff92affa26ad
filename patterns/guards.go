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
	// also are the other guards bound by the same tuple let, `let (a, b)
	// = (m1.lock().unwrap(), m2.lock().unwrap());`: they share its life.
	also []string
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
// `.write()`; or a call that fns says returns a guard (see
// guardFnSet.kind). It returns nil when value is not one.
func guardCall(src []byte, value *sitter.Node, parkingLot bool, fns *guardFnSet) (call *sitter.Node, kind string) {
	v := unparen(value)
	if v != nil && v.Type() == "match_expression" {
		return poisonMatch(src, v)
	}
	if v == nil || v.Type() != "call_expression" {
		return nil, ""
	}
	if k := fns.kind(src, v); k != "" {
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

// importsParkingLot reports whether the file's bytes mention parking_lot:
// the prefilter's necessary condition for usesParkingLot (imports.go),
// which the rules ask.
func importsParkingLot(src []byte) bool {
	return strings.Contains(string(src), "parking_lot")
}

// fileGuardFns returns the guard-returning fns visible to fc: those of the
// file and, through the Index, of the other files given.
func fileGuardFns(fc *fileCtx) *guardFnSet {
	set := &guardFnSet{decls: guardFns(fc.src, fc.root), src: fc.src, root: fc.root}
	if fc.idx != nil {
		for n, k := range fc.idx.guardDecls {
			if set.decls[n] == "" {
				set.decls[n] = k
			}
		}
	}
	return set
}

// A guard-returning fn is matched to calls by the shape of its
// declaration, never by its name alone (names are not resolved, and
// adapters such as lock_api's or tokio's `RwLockReadGuard::map`,
// `downgrade` and `upgrade` share their names with everyday methods).
// guardDeclKey gives the key a declaration is indexed under:
//   - "name" for a free fn: matched by `name(..)` and `path::name(..)`
//     (a lower-case path: a module);
//   - "Type::name" for an associated fn without self in `impl Type`:
//     matched by `Type::name(..)`, and `Self::name(..)` inside an impl of
//     Type;
//   - "Type.name" for a method (a self parameter) of `impl Type` or of
//     `trait Type`: matched by `self.name(..)` and `Self::name(..)` inside
//     an impl of Type, `Type::name(..)`, and `x.name(..)` only when no
//     other guard-returning fn and no other fn of the calling file is
//     called `name` and `name` is not a common std method name
//     (commonMethods).
//
// Fns declared in an impl of a guard type itself (`impl<'a, T>
// RwLockReadGuard<'a, T>`) are adapters of a guard already held, not
// acquisitions, and fns whose guard type is tokio's (a `tokio::` path, or
// the guard type imported from tokio) return a Send guard: neither is
// indexed.
func guardDeclKey(src []byte, fn *sitter.Node, tokioGuards map[string]bool) (key, kind string) {
	rt := fn.ChildByFieldName("return_type")
	if rt == nil {
		return "", ""
	}
	ty := strings.Join(strings.Fields(text(src, rt)), "")
	kind = siteGuardKind(ty)
	if kind == "" || strings.Contains(ty, "tokio::") || tokioGuards[kind] && !strings.Contains(ty, "std::") {
		return "", ""
	}
	name := fnName(src, fn)
	list := fn.Parent()
	if list == nil || list.Type() != "declaration_list" || list.Parent() == nil {
		return name, kind
	}
	owner := list.Parent()
	var tn string
	switch owner.Type() {
	case "impl_item":
		tn = typeBaseName(src, owner.ChildByFieldName("type"))
	case "trait_item":
		tn = text(src, owner.ChildByFieldName("name"))
	default:
		return name, kind
	}
	if tn == "" || strings.HasSuffix(tn, "Guard") {
		return "", ""
	}
	if hasSelfParam(fn) {
		return tn + "." + name, kind
	}
	return tn + "::" + name, kind
}

// tokioGuardImports returns the guard kinds the file imports from tokio
// at its top level (`use tokio::sync::{Mutex, MutexGuard};`): those are
// Send.
func tokioGuardImports(src []byte, root *sitter.Node) map[string]bool {
	var out map[string]bool
	for _, l := range topImports(src, root) {
		if !strings.HasPrefix(l.path, "tokio::") {
			continue
		}
		switch l.local {
		case "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard":
			if out == nil {
				out = map[string]bool{}
			}
			out[l.local] = true
		}
	}
	return out
}

// typeBaseName is the last path segment of a type without its generic
// arguments: `Shared` of `crate::Shared<T>`, or "".
func typeBaseName(src []byte, ty *sitter.Node) string {
	for ty != nil {
		switch ty.Type() {
		case "generic_type":
			ty = ty.ChildByFieldName("type")
		case "scoped_type_identifier":
			ty = ty.ChildByFieldName("name")
		case "type_identifier", "identifier":
			return text(src, ty)
		default:
			return ""
		}
	}
	return ""
}

// hasSelfParam reports whether a function_item takes self.
func hasSelfParam(fn *sitter.Node) bool {
	ps := fn.ChildByFieldName("parameters")
	if ps == nil {
		return false
	}
	for _, p := range namedChildren(ps) {
		if p.Type() == "self_parameter" {
			return true
		}
	}
	return false
}

// commonMethods are method names std, lock_api, parking_lot and tokio
// types declare: `x.name(..)` with one of these names is never taken for
// a guard-returning method of the given files.
var commonMethods = map[string]bool{
	"map": true, "map_err": true, "try_map": true, "and_then": true, "downgrade": true, "upgrade": true,
	"upgradable_read": true, "lock": true, "read": true, "write": true, "try_lock": true, "try_read": true,
	"try_write": true, "get": true, "get_mut": true, "borrow": true, "borrow_mut": true, "as_ref": true,
	"as_mut": true, "deref": true, "deref_mut": true, "clone": true, "take": true, "into_inner": true,
	"unwrap": true, "expect": true, "iter": true, "next": true, "first": true, "last": true, "entry": true,
	"insert": true, "remove": true, "push": true, "pop": true, "load": true, "inner": true, "new": true,
	"default": true, "from": true, "into": true, "leak": true, "unlocked": true, "bump": true,
}

// guardFnSet is the guard-returning fns a file can call: its own and
// those of the other files given, by guardDeclKey.
type guardFnSet struct {
	decls map[string]string
	src   []byte
	root  *sitter.Node
	local map[string]bool // names of the file's fns, built on first need
}

// kind returns the guard type call returns when it calls one of the
// set's fns (see guardDeclKey for what matches), or "".
func (s *guardFnSet) kind(src []byte, call *sitter.Node) string {
	if s == nil || len(s.decls) == 0 {
		return ""
	}
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil {
		return ""
	}
	switch fn.Type() {
	case "identifier":
		return s.decls[text(src, fn)]
	case "scoped_identifier":
		name := text(src, fn.ChildByFieldName("name"))
		p := fn.ChildByFieldName("path")
		if p == nil {
			return s.decls[name] // `::name(..)`
		}
		var path string
		switch p.Type() {
		case "crate", "super", "self":
			return s.decls[name] // a module path
		case "scoped_identifier":
			path = text(src, p.ChildByFieldName("name"))
		default:
			path = typeBaseName(src, p)
		}
		if path == "Self" {
			path = implTypeOf(src, call)
		}
		switch {
		case path == "":
			return ""
		case !isTypeName(path):
			return s.decls[name] // a module path
		case strings.HasSuffix(path, "Guard"):
			return ""
		}
		if k := s.decls[path+"::"+name]; k != "" {
			return k
		}
		return s.decls[path+"."+name]
	case "field_expression":
		name := text(src, fn.ChildByFieldName("field"))
		if recv := unparen(fn.ChildByFieldName("value")); recv != nil && recv.Type() == "self" {
			if t := implTypeOf(src, call); t != "" && s.decls[t+"."+name] != "" {
				return s.decls[t+"."+name]
			}
		}
		if commonMethods[name] {
			return ""
		}
		kind, n := "", 0
		for k, v := range s.decls {
			if k == name || strings.HasSuffix(k, "."+name) || strings.HasSuffix(k, "::"+name) {
				n++
				if strings.HasSuffix(k, "."+name) {
					kind = v
				}
			}
		}
		if n != 1 || kind == "" || s.otherLocal(name) {
			return ""
		}
		return kind
	}
	return ""
}

// otherLocal reports whether the calling file declares a fn called name
// that does not return a guard: then `x.name(..)` may well be that one.
func (s *guardFnSet) otherLocal(name string) bool {
	if s.local == nil {
		s.local = map[string]bool{}
		tg := tokioGuardImports(s.src, s.root)
		walk(s.root, func(n *sitter.Node) bool {
			if n.Type() == "function_signature_item" {
				s.local[fnName(s.src, n)] = true
			}
			if n.Type() == "function_item" {
				if k, _ := guardDeclKey(s.src, n, tg); k == "" {
					s.local[fnName(s.src, n)] = true
				}
			}
			return true
		})
	}
	return s.local[name]
}

// implTypeOf returns the type of the impl (or the trait) n is written in,
// or "".
func implTypeOf(src []byte, n *sitter.Node) string {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "impl_item":
			return typeBaseName(src, p.ChildByFieldName("type"))
		case "trait_item":
			return text(src, p.ChildByFieldName("name"))
		}
	}
	return ""
}

// isTypeName reports whether a path segment names a type (by Rust's
// naming convention: it starts with an upper-case letter).
func isTypeName(s string) bool {
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}

// letGuard returns the guard a let statement binds, or nil: `let g =
// <acquisition>;` (see guardCall) or `let Ok(g) = m.lock() else { .. };`.
func letGuard(src []byte, s *sitter.Node, pl bool, fns *guardFnSet) *guard {
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
	if pat.Type() == "tuple_pattern" {
		return tupleGuard(src, s, pl, fns)
	}
	if pat.Type() != "identifier" {
		return nil
	}
	val, borrowed := refOperand(src, s.ChildByFieldName("value"))
	call, kind := guardCall(src, val, pl, fns)
	if call == nil {
		return nil
	}
	g := &guard{name: text(src, pat), kind: kind, decl: s, lock: call, bind: pat}
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

// tupleGuard returns the guards a tuple let binds when every element is
// an acquisition bound to a plain name, `let (a, mut b) =
// (m1.lock().unwrap(), m2.lock().unwrap());`, as one guard named by the
// first with the others in also; otherwise nil (a tuple holding guards
// and other values would need those values out of the block).
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
		id := p
		if id.Type() == "mut_pattern" {
			id = id.NamedChild(int(id.NamedChildCount()) - 1)
		}
		if id == nil || id.Type() != "identifier" {
			return nil
		}
		call, kind := guardCall(src, vals[i], pl, fns)
		if call == nil {
			return nil
		}
		if i == 0 {
			g = &guard{name: text(src, id), kind: kind, decl: s, lock: call, bind: id}
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
// every Send-required async body, with their uses and awaits computed.
func findGuards(fc *fileCtx) []*guard {
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
	for j := g.at + 1; j < len(g.stmts) && g.awaitAt < 0; j++ {
		if hasAwait(g.stmts[j]) {
			g.awaitAt = j
			g.await = awaitsIn(g.stmts[j])[0]
		}
	}
	if g.awaitAt < 0 {
		return false
	}
	alive := false
	for _, name := range append([]string{g.name}, g.also...) {
		used := false // borrowed at least once
		gone := false
		for j := g.at + 1; j < len(g.stmts); j++ {
			s := g.stmts[j]
			if isDropOf(src, s, name) && j < g.awaitAt && !used {
				// A guard moved into drop() before ever being borrowed
				// is gone; rustc accepts the await after it.
				gone = true
				break
			}
			if stmtUses(src, s, name) {
				used = true
				g.lastUse = max(g.lastUse, j)
				if j >= g.awaitAt {
					g.usedLate = true
				}
			}
			if s.Type() == "let_declaration" && bindsName(src, s, name) {
				// Shadowed: later mentions are the new binding, but the
				// old guard lives on to the end of the block.
				break
			}
		}
		if !gone {
			alive = true
		}
	}
	return alive
}

// stmtUses reports whether statement s mentions name as a use: a `let`
// that binds name again uses it only in its value, type and else branch
// (`let g = 5;` after `drop(g)` is no use of the old g).
func stmtUses(src []byte, s *sitter.Node, name string) bool {
	if s.Type() != "let_declaration" || !bindsName(src, s, name) {
		return usesName(src, s, name)
	}
	for _, f := range []string{"value", "type", "alternative"} {
		if c := s.ChildByFieldName(f); c != nil && usesName(src, c, name) {
			return true
		}
	}
	return false
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
