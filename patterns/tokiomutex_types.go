package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Where sendfix decides that a lock's type is std's (and moves with the
// swap) or another lock's (and stays): types as spelled in the file,
// through its use declarations, type aliases, statics, fields and lets,
// and, in crate mode, the other files' aliases, fields and statics. Names
// are matched, not resolved by type: a receiver is std's when its binding
// or field spells std's lock.

// mentionsStd reports whether a type (or any node) spells a std lock of
// the plan's families: a name imported from std::sync, a full std path,
// or an alias (of the file, or of the crate) that does.
func (p *swapPlan) mentionsStd(ty *sitter.Node, depth int) bool {
	if ty == nil || depth > 3 {
		return false
	}
	src := p.fc.src
	found := false
	walk(ty, func(n *sitter.Node) bool {
		if found {
			return false
		}
		switch n.Type() {
		case "type_identifier", "identifier":
			nm := text(src, n)
			switch {
			case isPathTail(n):
			case p.isStdName(n, nm):
				found = true
			case p.aliases[nm] != nil && p.aliases[nm] != ty:
				if n.Type() == "type_identifier" {
					found = p.mentionsStd(p.aliases[nm], depth+1)
				}
			case n.Type() == "type_identifier" && p.crateName(n, nm):
				found = p.fams&p.crate.aliases[nm].std != 0
			}
		case "scoped_type_identifier", "scoped_identifier":
			if p.isStdPath(n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// isStdPath reports whether a scoped path names a std lock type of the
// plan's families: `std::sync::Mutex`, or `sync::Mutex` after `use
// std::sync;`.
func (p *swapPlan) isStdPath(n *sitter.Node) bool {
	src := p.fc.src
	if !p.fams.has(p.pathFamily(n)) {
		return false
	}
	if isStdLockPath(src, n) {
		return true
	}
	path := n.ChildByFieldName("path")
	return path != nil && path.Type() == "identifier" && p.syncMods[text(src, path)]
}

// recvKind is what a receiver is resolved as: std's lock, or a lock type
// that is provably not std's (parking_lot's locks, tokio's).
type recvKind int

const (
	kindStd recvKind = iota
	kindOther
)

// recvIsStd reports whether the receiver expression resolves, by name, to
// a static, field, parameter or local whose type spells std's lock.
func (p *swapPlan) recvIsStd(recv *sitter.Node) bool { return p.recvIs(recv, 0, kindStd) }

// recvIsOther reports whether the receiver expression resolves, by name,
// to a binding whose type is written (or built) as parking_lot's or
// tokio's lock and does not spell std's: its locks are left alone.
func (p *swapPlan) recvIsOther(recv *sitter.Node) bool { return p.recvIs(recv, 0, kindOther) }

// resolveRecv returns nil when the receiver of a held guard is a lock
// whose type spells std's, or why sendfix cannot tell.
func (p *swapPlan) resolveRecv(recv *sitter.Node) *refusal {
	if p.recvIsStd(recv) {
		return nil
	}
	where := "in this file (a Mutex from another file or crate is changed there, not here)"
	if p.crate != nil {
		where = "in the files of this crate (a lock of another crate cannot change)"
	}
	return refuse(refuseUnresolved, lineOf(p.fc.src, int(recv.StartByte())), "cannot find where the type of `%s` is spelled %s", compact(text(p.fc.src, recv)), where)
}

// crateName reports whether, in crate mode, the name nm written at n may
// be an item of another file of the crate: it is not imported, or
// imported from the crate itself.
func (p *swapPlan) crateName(n *sitter.Node, nm string) bool {
	return p.crate != nil && (!p.imported[nm] || p.crateImport(n, nm))
}

// where names the files whose spellings the swap reads, for messages.
func (p *swapPlan) where() string {
	if p.crate != nil {
		return "in the files of this crate"
	}
	return "in this file"
}

// typeIs reports whether a declared type is of kind k. For std it is
// enough that the type spells std's lock somewhere; for other the type
// must be the lock itself behind references and Arc/Rc/Box, so no part
// of it can be std's.
func (p *swapPlan) typeIs(ty *sitter.Node, k recvKind) bool {
	if k == kindStd {
		return p.mentionsStd(ty, 0)
	}
	return ty != nil && !p.mentionsStd(ty, 0) && p.otherType(ty, 0)
}

// otherType reports whether ty is parking_lot's or tokio's lock (by path,
// or a name imported from those), possibly behind `&`, `Arc<..>`,
// `Rc<..>`, `Box<..>` and type aliases.
func (p *swapPlan) otherType(ty *sitter.Node, depth int) bool {
	src := p.fc.src
	if ty == nil || depth > 4 {
		return false
	}
	switch ty.Type() {
	case "reference_type":
		return p.otherType(ty.ChildByFieldName("type"), depth+1)
	case "generic_type":
		head := ty.ChildByFieldName("type")
		if p.otherType(head, depth+1) {
			return true
		}
		if isSmartPointer(src, head) {
			args := ty.ChildByFieldName("type_arguments")
			var tys []*sitter.Node
			for _, c := range namedChildren(args) {
				if c.Type() != "lifetime" {
					tys = append(tys, c)
				}
			}
			return len(tys) == 1 && p.otherType(tys[0], depth+1)
		}
	case "type_identifier":
		nm := text(src, ty)
		if p.stdTypeAt(ty, nm) != "" {
			return false
		}
		if a, ok := p.aliases[nm]; ok {
			return p.otherType(a, depth+1)
		}
		if p.isOtherName(ty, nm) {
			return true
		}
		return p.crateName(ty, nm) && p.crate.aliases[nm].other
	case "scoped_type_identifier", "scoped_identifier":
		return otherLockPath(trimColons(compact(text(src, ty))))
	}
	return false
}

// isSmartPointer reports whether a type or path is Arc, Rc or Box (by name
// or std path), which `.lock()` derefs through.
func isSmartPointer(src []byte, n *sitter.Node) bool {
	if n == nil {
		return false
	}
	switch trimColons(compact(text(src, n))) {
	case "Arc", "Rc", "Box", "std::sync::Arc", "std::rc::Rc", "std::boxed::Box":
		return true
	}
	return false
}

// buildsOther reports whether an expression builds parking_lot's or
// tokio's lock: `L::new(..)`/`L::const_new(..)`/`L::default()` for such a
// lock type L, possibly inside `Arc::new(..)`, `Rc::new(..)`, `Box::new(..)`.
func (p *swapPlan) buildsOther(v *sitter.Node, depth int) bool {
	src := p.fc.src
	v = unparen(v)
	if v == nil || depth > 4 || v.Type() != "call_expression" {
		return false
	}
	fn := v.ChildByFieldName("function")
	if fn == nil || fn.Type() != "scoped_identifier" {
		return false
	}
	path := fn.ChildByFieldName("path")
	if path != nil && path.Type() == "generic_type" {
		path = path.ChildByFieldName("type") // `Arc::<T>::new`
	}
	args := namedChildren(v.ChildByFieldName("arguments"))
	switch text(src, fn.ChildByFieldName("name")) {
	case "new":
		if isSmartPointer(src, path) {
			return len(args) == 1 && p.buildsOther(args[0], depth+1)
		}
	case "const_new", "default":
	default:
		return false
	}
	if path == nil || p.mentionsStd(v, 0) {
		return false
	}
	switch path.Type() {
	case "identifier", "type_identifier":
		nm := text(src, path)
		return p.isOtherName(path, nm) && p.stdTypeAt(path, nm) == ""
	case "scoped_identifier", "scoped_type_identifier":
		return otherLockPath(trimColons(compact(text(src, path))))
	}
	return false
}

// buildsStd reports whether an expression calls `L::new(..)` or
// `L::default()` (outside closures) for a std lock type L of the plan's
// families, by an imported name or a std path.
func (p *swapPlan) buildsStd(v *sitter.Node) bool {
	found := false
	walk(v, func(n *sitter.Node) bool {
		if found || n.Type() == "closure_expression" {
			return false
		}
		if n.Type() == "call_expression" {
			if path, name := p.ctorOf(n); path != nil && (name == "new" || name == "default") && p.isLockName(path) {
				found = true
			}
		}
		return !found
	})
	return found
}

// isStdCtor reports whether an expression is `L::new(..)`/`L::default()`
// of a std lock L of the plan's families, possibly inside
// `Arc::new(..)`, `Rc::new(..)`, `Box::new(..)`.
func (p *swapPlan) isStdCtor(v *sitter.Node, depth int) bool {
	v = unparen(v)
	if v == nil || depth > 4 || v.Type() != "call_expression" {
		return false
	}
	path, name := p.ctorOf(v)
	if path == nil {
		return false
	}
	if args := namedChildren(v.ChildByFieldName("arguments")); name == "new" && isSmartPointer(p.fc.src, path) {
		return len(args) == 1 && p.isStdCtor(args[0], depth+1)
	}
	return (name == "new" || name == "default") && p.isLockName(path)
}

// ctorOf returns the type path and the fn name of a call `T::f(..)` or
// `T::<A>::f(..)`, or nil.
func (p *swapPlan) ctorOf(call *sitter.Node) (*sitter.Node, string) {
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Type() != "scoped_identifier" {
		return nil, ""
	}
	path := fn.ChildByFieldName("path")
	if path != nil && path.Type() == "generic_type" {
		path = path.ChildByFieldName("type")
	}
	return path, text(p.fc.src, fn.ChildByFieldName("name"))
}

// isLockName reports whether a type or path names a std lock of the
// plan's families itself (`Mutex<T>`, `StdMutex`, `std::sync::RwLock`,
// `sync::Mutex`), not a guard or a type that only contains one.
func (p *swapPlan) isLockName(n *sitter.Node) bool {
	src := p.fc.src
	if n == nil {
		return false
	}
	switch n.Type() {
	case "generic_type":
		return p.isLockName(n.ChildByFieldName("type"))
	case "identifier", "type_identifier":
		t := p.stdTypeAt(n, text(src, n))
		return isLockType(t) && p.fams.has(familyOfType(t))
	case "scoped_identifier", "scoped_type_identifier":
		return isLockType(text(src, n.ChildByFieldName("name"))) && p.isStdPath(n)
	}
	return false
}

// recvIs reports whether the receiver expression resolves, by name, to a
// static, field, parameter or local of kind k.
func (p *swapPlan) recvIs(recv *sitter.Node, depth int, k recvKind) bool {
	src := p.fc.src
	recv = unparen(recv)
	if recv == nil || depth > 4 {
		return false
	}
	switch recv.Type() {
	case "reference_expression", "unary_expression":
		return p.recvIs(recv.NamedChild(int(recv.NamedChildCount())-1), depth+1, k)
	case "index_expression":
		// An element of a container whose type spells std's lock: the
		// lock is the element. (Never another lock's: the container's
		// type is not the lock itself.)
		return k == kindStd && p.recvIs(recv.NamedChild(0), depth+1, k)
	case "field_expression":
		field := recv.ChildByFieldName("field")
		if field.Type() == "integer_literal" {
			if k == kindStd && p.fieldIs(text(src, field), k) {
				return true
			}
			// `pair.0`: a tuple struct field, or a tuple whose binding
			// spells or builds the lock.
			return p.recvIs(recv.ChildByFieldName("value"), depth+1, k)
		}
		return p.fieldIs(text(src, field), k)
	case "call_expression":
		// `x.clone()`, `Arc::clone(&x)`
		if methodName(src, recv) == "clone" {
			return p.recvIs(recv.ChildByFieldName("function").ChildByFieldName("value"), depth+1, k)
		}
		if a := firstArg(recv); a != nil && calleeName(src, recv) == "clone" {
			return p.recvIs(a, depth+1, k)
		}
		if k == kindStd && p.isStdCtor(recv, 0) || k == kindOther && p.buildsOther(recv, 0) {
			return true // `Mutex::new(0).lock()`
		}
		return p.returnsKind(recv, k)
	case "identifier":
		return p.nameIs(text(src, recv), recv, depth, k)
	}
	return false
}

// returnsKind reports whether a call of a free fn (`make()`,
// `db::make()`) returns a value of kind k, by the fn's declared return
// type: of the fns of that name in the file (every one must agree), or
// in crate mode of the crate's.
func (p *swapPlan) returnsKind(call *sitter.Node, k recvKind) bool {
	src := p.fc.src
	fn := call.ChildByFieldName("function")
	var name string
	switch {
	case fn == nil:
		return false
	case fn.Type() == "identifier":
		name = text(src, fn)
	case fn.Type() == "scoped_identifier":
		path := fn.ChildByFieldName("path")
		if path == nil || isTypeName(text(src, path)) {
			return false // `Type::f()`: methods of types are not followed
		}
		name = text(src, fn.ChildByFieldName("name"))
	default:
		return false
	}
	if defs := p.fns[name]; len(defs) > 0 {
		for _, d := range defs {
			if hasSelfParam(d) || !p.typeIs(d.ChildByFieldName("return_type"), k) {
				return false
			}
		}
		return true
	}
	if !p.crateName(fn, name) {
		return false
	}
	r, ok := p.crate.returns[name]
	if k == kindStd {
		return ok && r.std&p.fams != 0
	}
	return ok && r.other && r.std == 0
}

// fieldIs reports whether a field of that name is of kind k: for std, any
// field of the name (in the file, or the crate) spells std's lock; for
// other, every one is the other lock, since sendfix does not know which
// struct the value is.
func (p *swapPlan) fieldIs(name string, k recvKind) bool {
	tys := p.fields[name]
	var spells []typeSpell
	if p.crate != nil {
		spells = p.crate.fields[name]
	}
	if k == kindStd {
		for _, ty := range tys {
			if p.mentionsStd(ty, 0) {
				return true
			}
		}
		for _, s := range spells {
			if s.std&p.fams != 0 {
				return true
			}
		}
		return false
	}
	for _, ty := range tys {
		if !p.typeIs(ty, k) {
			return false
		}
	}
	for _, s := range spells {
		if !s.other || s.std != 0 {
			return false
		}
	}
	return len(tys)+len(spells) > 0
}

// staticIs reports whether a static of that name written at node at (of
// the file, or of the crate) is of kind k.
func (p *swapPlan) staticIs(name string, at *sitter.Node, k recvKind) bool {
	if ty, ok := p.statics[name]; ok {
		return p.typeIs(ty, k)
	}
	if !p.crateName(at, name) {
		return false
	}
	s, ok := p.crate.statics[name]
	switch {
	case !ok:
		return false
	case k == kindStd:
		return s.std&p.fams != 0
	}
	return s.other && s.std == 0
}

// nameIs reports whether the binding of name visible at node at (a
// parameter, a let before it, or a static) is of kind k. A nearer binding
// sendfix does not read (a `for`, `if let`, `while let` or match arm
// pattern) makes it false.
func (p *swapPlan) nameIs(name string, at *sitter.Node, depth int, k recvKind) bool {
	src := p.fc.src
	if k == kindStd {
		if p.staticIs(name, at, k) {
			return true
		}
	}
	// The nearest binding of name in an enclosing fn or closure: a
	// parameter or a let before at.
	for c, a := at, at.Parent(); a != nil; c, a = a, a.Parent() {
		if patternBinds(src, a, c, name) {
			return false
		}
		switch a.Type() {
		case "function_item", "closure_expression":
			params := a.ChildByFieldName("parameters")
			if params == nil {
				continue
			}
			for _, prm := range namedChildren(params) {
				if prm.Type() != "parameter" {
					if k == kindOther && bindsIn(src, prm, name) {
						return false // an untyped closure parameter
					}
					continue
				}
				if names, _ := patternNames(src, prm.ChildByFieldName("pattern")); len(names) == 1 && names[0] == name {
					return p.typeIs(prm.ChildByFieldName("type"), k)
				}
				if k == kindOther && bindsIn(src, prm.ChildByFieldName("pattern"), name) {
					return false
				}
			}
		case "block":
			var found *sitter.Node
			for _, s := range statements(a) {
				if s.StartByte() >= at.StartByte() {
					break
				}
				if s.Type() == "let_declaration" && bindsName(src, s, name) {
					found = s
				}
			}
			if found != nil {
				ty, v := letPart(src, found, name)
				if ty != nil && p.typeIs(ty, k) {
					return true
				}
				if k == kindOther && ty != nil {
					return false // the declared type decides
				}
				if v == nil {
					return false
				}
				if k == kindStd && (p.mentionsStd(v, 0) || p.buildsStd(v)) {
					return true
				}
				if k == kindOther && p.buildsOther(v, 0) {
					return true
				}
				return p.recvIs(v, depth+1, k)
			}
		}
	}
	if k == kindOther {
		return p.staticIs(name, at, k)
	}
	return false
}

// letPart returns the declared type and the value that a let binds to
// name: for `let (a, b) = (x, y);` (and a tuple type) the element at the
// name's position, otherwise the whole type and value.
func letPart(src []byte, let *sitter.Node, name string) (ty, v *sitter.Node) {
	ty, v = let.ChildByFieldName("type"), let.ChildByFieldName("value")
	pat := let.ChildByFieldName("pattern")
	if pat == nil || pat.Type() != "tuple_pattern" {
		return ty, v
	}
	elems := namedChildren(pat)
	idx := -1
	for i, e := range elems {
		if e.Type() == "mut_pattern" && e.NamedChildCount() == 2 {
			e = e.NamedChild(1)
		}
		switch {
		case e.Type() == "identifier" && text(src, e) == name:
			idx = i
		case e.Type() == "identifier", e.Type() == "_":
		default:
			return ty, v // nested or rest patterns: keep the whole
		}
	}
	pick := func(n *sitter.Node, want string) *sitter.Node {
		if n == nil || n.Type() != want {
			return n
		}
		var cs []*sitter.Node
		for _, c := range namedChildren(n) {
			if !isComment(c) {
				cs = append(cs, c)
			}
		}
		if len(cs) != len(elems) || idx < 0 {
			return n
		}
		return cs[idx]
	}
	return pick(ty, "tuple_type"), pick(v, "tuple_expression")
}

// bindsIn reports whether a pattern binds name.
func bindsIn(src []byte, pat *sitter.Node, name string) bool {
	names, _ := patternNames(src, pat)
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// patternBinds reports whether ancestor a binds name, with a pattern that
// is in scope in its child c: a `for` pattern over the body, a match arm's
// pattern over its value, an `if let`/`while let` pattern over the body.
func patternBinds(src []byte, a, c *sitter.Node, name string) bool {
	switch a.Type() {
	case "for_expression":
		return c == a.ChildByFieldName("body") && bindsIn(src, a.ChildByFieldName("pattern"), name)
	case "match_arm":
		return c != a.ChildByFieldName("pattern") && bindsIn(src, a.ChildByFieldName("pattern"), name)
	case "if_expression", "while_expression":
		cond := a.ChildByFieldName("condition")
		if cond == nil || c == cond || c == a.ChildByFieldName("alternative") {
			return false
		}
		found := false
		walk(cond, func(n *sitter.Node) bool {
			if n.Type() == "let_condition" && bindsIn(src, n.ChildByFieldName("pattern"), name) {
				found = true
			}
			return !found && n.Type() != "block" && n.Type() != "closure_expression"
		})
		return found
	}
	return false
}

// mayBeSwapped reports whether a receiver may be a lock the swap moves:
// it is not provably another lock type, nor std's lock of a family the
// swap leaves.
func (p *swapPlan) mayBeSwapped(recv *sitter.Node) bool {
	if recv == nil {
		return true
	}
	if p.recvIsOther(recv) {
		return false
	}
	if p.recvIsStd(recv) {
		return true
	}
	if rest := famAll &^ p.fams; rest != 0 {
		q := *p
		q.fams = rest
		if q.recvIsStd(recv) {
			return false
		}
	}
	return true
}

// lockLabel renders a receiver for messages.
func lockLabel(src []byte, recv *sitter.Node) string {
	t := compact(text(src, recv))
	if len(t) > 60 {
		t = t[:57] + "..."
	}
	return fmt.Sprintf("`%s`", strings.TrimSpace(t))
}
