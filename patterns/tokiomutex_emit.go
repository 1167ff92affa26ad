package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// decide returns why the swap cannot be made, before any edit is built:
// globs, methods without a tokio counterpart, macros, public API, and
// spellings whose type is decided outside the files given.
func (p *swapPlan) decide() *refusal {
	src := p.fc.src
	for _, l := range p.im.leaves {
		if l.glob && (l.path == "std::sync" || l.path == "std") {
			line := lineOf(src, int(l.decl.StartByte()))
			return refuse(refuseGlob, line, "`use %s::*` at line %d: a glob import hides which names are std's", l.path, line)
		}
	}
	for _, c := range p.noCp {
		m := methodName(src, c)
		if noCounterpart[m]&p.fams == 0 || !p.mayBeSwapped(c.ChildByFieldName("function").ChildByFieldName("value")) {
			continue
		}
		line := lineOf(src, int(c.StartByte()))
		return refuse(refuseCounterpart, line, "`%s` at line %d has no like-for-like tokio counterpart; convert it by hand", m, line)
	}
	if p.fams.has(famMutex) && len(p.condvars) > 0 {
		line := lineOf(src, int(p.condvars[0].StartByte()))
		return refuse(refuseCounterpart, line, "`Condvar` at line %d waits on std's MutexGuard and has no like-for-like tokio counterpart; convert it by hand", line)
	}
	// std's into_inner/get_mut return a LockResult, tokio's the value: a
	// call the swap does not remove would change type. Calls on a
	// PoisonError in a lock call's error handling go with it.
	for _, n := range p.inners {
		if p.inLockErrorPath(n) || !p.mayBeSwapped(n.ChildByFieldName("function").ChildByFieldName("value")) {
			continue
		}
		line := lineOf(src, int(n.StartByte()))
		return refuse(refuseCounterpart, line, "`%s` at line %d may be std's lock method, which tokio's returns without a LockResult; convert it by hand", methodName(src, n), line)
	}
	if why := p.macroChecks(); why != nil {
		return why
	}
	if p.crate == nil && !p.spells() {
		return refuse(refuseNoSpelling, 0, "this file does not name std::sync::%s (its type is spelled elsewhere)", p.fams.lockName())
	}
	if !p.fc.cfg.AllowPublic {
		for _, it := range p.pubItems {
			if why := p.leak(it); why != nil {
				return why
			}
		}
	}
	return p.placement()
}

// spells reports whether the file names a std lock type of the plan's
// families: an import or a path.
func (p *swapPlan) spells() bool {
	if len(p.im.importing(familyPaths(p.fams)...)) > 0 {
		return true
	}
	for _, n := range p.paths {
		if p.fams.has(p.pathFamily(n)) {
			return true
		}
	}
	return false
}

// inLockErrorPath reports whether n sits in the error handling of a lock
// call that the swap removes: the argument of `.lock().unwrap_or_else(..)`,
// a non-Ok arm of `match m.lock()`, the else of `if let Ok(..) = m.lock()`
// or of `let Ok(..) = m.lock() else`.
func (p *swapPlan) inLockErrorPath(n *sitter.Node) bool {
	src := p.fc.src
	isLock := func(v *sitter.Node) bool {
		v = unparen(v)
		return v != nil && p.fams.has(familyOfMethod(methodName(src, v))) && v.ChildByFieldName("arguments").NamedChildCount() == 0
	}
	for c, a := n, n.Parent(); a != nil; c, a = a, a.Parent() {
		switch a.Type() {
		case "function_item":
			return false
		case "arguments":
			call := a.Parent()
			if call != nil && methodName(src, call) == "unwrap_or_else" && isLock(call.ChildByFieldName("function").ChildByFieldName("value")) {
				return true
			}
		case "match_arm":
			mp := a.ChildByFieldName("pattern")
			body := a.Parent()
			if mp != nil && okPattern(src, mp.NamedChild(0)) == nil && body != nil && body.Parent() != nil &&
				body.Parent().Type() == "match_expression" && isLock(body.Parent().ChildByFieldName("value")) {
				return true
			}
		case "else_clause":
			ifx := a.Parent()
			if ifx != nil && ifx.Type() == "if_expression" {
				if cond := ifx.ChildByFieldName("condition"); cond != nil && cond.Type() == "let_condition" && isLock(cond.ChildByFieldName("value")) {
					return true
				}
			}
		case "let_declaration":
			if alt := a.ChildByFieldName("alternative"); alt != nil && alt == c && isLock(a.ChildByFieldName("value")) {
				return true
			}
		}
	}
	return false
}

// emit builds every edit of the swap, or returns why one cannot be made.
func (p *swapPlan) emit() *refusal {
	src := p.fc.src
	// Imports: std's types move to tokio::sync, merged into what is there.
	ed := newUseEditor(p.im, p.fc.style)
	for _, l := range p.im.importing(familyPaths(p.fams)...) {
		ed.move(l, "tokio::sync")
	}
	p.edits = append(p.edits, ed.edits()...)
	// Full paths: `std::sync` -> `tokio::sync`.
	for _, n := range p.paths {
		if !p.fams.has(p.pathFamily(n)) {
			continue
		}
		path := n.ChildByFieldName("path")
		repl := "tokio::sync"
		if strings.HasPrefix(text(src, path), "::") {
			repl = "::tokio::sync"
		}
		p.edits = append(p.edits, rewrite.Edit{Start: int(path.StartByte()), End: int(path.EndByte()), New: repl})
	}
	if why := p.emitStatics(); why != nil {
		return why
	}
	for _, call := range p.lockUses {
		edits, ok, why := p.callEdits(call)
		if why != nil {
			return why
		}
		if !ok {
			continue
		}
		p.calls++
		for _, e := range edits {
			if strings.Contains(e.New, "blocking_") {
				p.blocking++
				break
			}
		}
		p.edits = append(p.edits, edits...)
	}
	for _, tt := range p.macros {
		n, edits, why := p.convertMacro(tt)
		if why != nil {
			return why
		}
		p.calls += n
		p.edits = append(p.edits, edits...)
	}
	p.edits = append(p.edits, p.hoistStmtEdits()...)
	p.edits = append(p.edits, p.modes.asyncEdits()...)
	if _, err := rewrite.Apply(src, p.edits); err != nil {
		return refuse(refuseInternal, 0, "internal: %v", err)
	}
	return nil
}

// emitStatics makes the lock constructors of statics, consts and const
// fns const: tokio's `new` is not (`const_new` needs tokio >= 1.30, or
// its `parking_lot` feature, which `full` enables). A constructor inside
// a closure (`LazyLock::new(|| Mutex::new(..))`) runs at run time and
// stays.
func (p *swapPlan) emitStatics() *refusal {
	src := p.fc.src
	for _, s := range p.staticsV {
		if s.Type() == "function_item" {
			for _, nm := range p.constNews(s.ChildByFieldName("body")) {
				p.edits = append(p.edits, rewrite.Edit{Start: int(nm.StartByte()), End: int(nm.EndByte()), New: "const_new"})
			}
			continue
		}
		ty := s.ChildByFieldName("type")
		if !p.mentionsStd(ty, 0) {
			continue
		}
		news := p.constNews(s.ChildByFieldName("value"))
		if len(news) == 0 && p.isLockName(ty) {
			line := lineOf(src, int(s.StartByte()))
			return refuse(refuseShape, line, "%s `%s` at line %d is not built with `%s::new(..)`", strings.TrimSuffix(s.Type(), "_item"), text(src, s.ChildByFieldName("name")), line, p.fams.lockName())
		}
		for _, nm := range news {
			p.edits = append(p.edits, rewrite.Edit{Start: int(nm.StartByte()), End: int(nm.EndByte()), New: "const_new"})
		}
	}
	return nil
}

// isConstFn reports whether n is a `const fn` item.
func isConstFn(src []byte, n *sitter.Node) bool {
	for _, c := range namedChildren(n) {
		if c.Type() == "function_modifiers" {
			return strings.Contains(text(src, c), "const")
		}
	}
	return false
}

// constNews returns the `new` of every `L::new(..)` call (L a std lock of
// the plan's families) of a const initialiser that is outside any closure.
func (p *swapPlan) constNews(v *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	if v == nil {
		return nil
	}
	walk(v, func(n *sitter.Node) bool {
		switch n.Type() {
		case "closure_expression":
			return false
		case "call_expression":
			fn := n.ChildByFieldName("function")
			if path, name := p.ctorOf(n); name == "new" && p.isLockName(path) {
				out = append(out, fn.ChildByFieldName("name"))
			}
		}
		return true
	})
	return out
}
