package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Where a lock call runs decides its tokio form: `.lock().await` in async
// code, `.blocking_lock()` in sync code no runtime thread runs (a closure
// given to spawn_blocking or std::thread::spawn, a fn only those call, a
// sync `main` that enters no runtime). `blocking_*` on a runtime thread
// compiles and panics, so it is never emitted there: a sync fn called
// from async code becomes an `async fn` whose callers await it (when
// every caller is async and in view), and a lock in a sync closure of
// async code that runs within its statement is hoisted before it.

// lockModes decides how each lock call of a swap is taken (callModeAt),
// and holds the decisions about the file's sync fns, made once.
type lockModes struct {
	p        *swapPlan
	fnMode   map[*sitter.Node]lockMode // sync fn -> how its lock calls are taken (blocking, or the fn made async)
	fnWhy    map[*sitter.Node]*refusal // sync fn -> why its lock calls cannot be taken at all (nil: they can)
	visiting map[*sitter.Node]bool     // fns whose mode is being decided (recursion)
	calls    map[*sitter.Node][]int    // fns made async -> where their calls end (for `.await`)
	order    []*sitter.Node            // fns made async, in the order decided
}

// newLockModes makes the lock modes of plan p, with no fn decided yet.
func newLockModes(p *swapPlan) *lockModes {
	return &lockModes{p: p, fnMode: map[*sitter.Node]lockMode{}, fnWhy: map[*sitter.Node]*refusal{},
		visiting: map[*sitter.Node]bool{}, calls: map[*sitter.Node][]int{}}
}

// callMode is how code at a node takes a tokio lock: a mode, or a closure
// to hoist the lock out of, or why neither fits.
type callMode struct {
	mode  lockMode
	hoist *sitter.Node // the sync closure in async code the lock is hoisted out of
	why   *refusal
}

// callModeAt says how lock call n can take a tokio lock; one in a sync
// closure of async code may be hoisted out of it.
func (lm *lockModes) callModeAt(n *sitter.Node) callMode { return lm.where(n, true) }

// where says how code at n can take a tokio lock: from the nearest
// async block, fn or closure around it. lockCall says n is a lock call,
// which may be hoisted out of a sync closure; other code (the call of a
// sync fn, a macro's tokens) may not.
func (lm *lockModes) where(n *sitter.Node, lockCall bool) callMode {
	src := lm.p.fc.src
	line := lineOf(src, int(n.StartByte()))
	for a := n.Parent(); a != nil; a = a.Parent() {
		switch a.Type() {
		case "async_block":
			return callMode{mode: modeAwait}
		case "function_item":
			if isAsyncFn(src, a) {
				return callMode{mode: modeAwait}
			}
			m, why := lm.syncFnMode(a)
			return callMode{mode: m, why: why}
		case "closure_expression":
			if isBlockingSpawnArg(src, a) {
				return callMode{mode: modeBlocking}
			}
			if strings.HasPrefix(text(src, a), "async") {
				return callMode{mode: modeAwait}
			}
			// A plain sync closure runs where it is called; assume its
			// enclosing code (iterator adapters and the like).
			outer := lm.where(a, false)
			if outer.why != nil || outer.mode != modeAwait {
				return outer
			}
			if !lockCall {
				return callMode{why: refuse(refuseSyncCode, line, "the code at line %d is in a sync closure inside async code: `.lock().await` cannot go there, nor `.await` after a call, and `blocking_lock()` would panic on a runtime thread", line)}
			}
			if why := lm.p.hoistable(n, a); why != nil {
				return callMode{why: why}
			}
			return callMode{mode: modeAwait, hoist: a}
		}
	}
	return callMode{why: refuse(refuseSyncCode, line, "the lock at line %d is outside any function", line)}
}

// isBlockingSpawnArg reports whether a closure is the argument of
// spawn_blocking or std::thread::spawn: code off the runtime's threads.
func isBlockingSpawnArg(src []byte, clo *sitter.Node) bool {
	args := clo.Parent()
	if args == nil || args.Type() != "arguments" {
		return false
	}
	call := args.Parent()
	if call == nil || call.Type() != "call_expression" {
		return false
	}
	return isBlockingSpawn(src, call)
}

// isBlockingSpawn reports whether call is spawn_blocking or thread::spawn.
func isBlockingSpawn(src []byte, call *sitter.Node) bool {
	if calleeName(src, call) == "spawn_blocking" {
		return true
	}
	fn := compact(text(src, call.ChildByFieldName("function")))
	return fn == "thread::spawn" || fn == "std::thread::spawn" || fn == "::std::thread::spawn"
}

// syncFnMode decides how a sync fn's locks become tokio's: blocking when
// every caller runs off the runtime, async (the fn made async and its
// calls awaited) when every caller is async code, refused otherwise.
func (lm *lockModes) syncFnMode(fn *sitter.Node) (lockMode, *refusal) {
	if m, ok := lm.fnMode[fn]; ok {
		return m, lm.fnWhy[fn]
	}
	m, why := lm.decideFn(fn)
	lm.fnMode[fn], lm.fnWhy[fn] = m, why
	if m == modeAwait {
		lm.order = append(lm.order, fn)
	}
	return m, why
}

// fnCaller is one use of a sync fn's name.
type fnCaller struct {
	awaitAt int // where `.await` goes if the fn is made async; -1 when it cannot
	line    int
	mode    lockMode
}

func (lm *lockModes) decideFn(fn *sitter.Node) (lockMode, *refusal) {
	p := lm.p
	src := p.fc.src
	name := fnName(src, fn)
	line := lineOf(src, int(fn.StartByte()))
	refused := func(format string, args ...any) (lockMode, *refusal) {
		return modeRefuse, refuse(refuseSyncCode, line, "sync fn `%s` (line %d) locks the %s: %s", name, line, p.fams.lockName(), fmt.Sprintf(format, args...))
	}
	if lm.visiting[fn] {
		return refused("it is reached recursively")
	}
	lm.visiting[fn] = true
	defer delete(lm.visiting, fn)
	if root, lib := crateRoot(p.fc.path); name == "main" && root && !lib && fn.Parent() == p.fc.root {
		if at := enters(src, fn); at > 0 {
			return refused("it enters a runtime at line %d, where `blocking_*` would panic", at)
		}
		return modeBlocking, nil // the process's main thread, off any runtime
	}
	if tr := implTrait(fn); tr != nil {
		// Trait methods are also called without their name: `for` calls
		// next, `{}` calls fmt, operators, drop. Callers by name prove nothing.
		return refused("it implements trait `%s`, whose methods can be called where sendfix does not see a call (a `for` loop, formatting, an operator, a drop)", compact(text(src, tr)))
	}
	for _, c := range namedChildren(fn) {
		if c.Type() != "visibility_modifier" {
			continue
		}
		vis := compact(text(src, c))
		switch {
		case p.crate == nil:
			return refused("it is `%s` and may be called from code sendfix does not see", text(src, c))
		case p.crate.lib && vis == "pub":
			return refused("it is `pub` in a library crate and may be called from code sendfix does not see")
		}
	}
	if p.crate == nil && p.childMods {
		return refused("the file declares modules in other files, which may call it")
	}
	if p.crate != nil {
		if f := p.crate.mentionedIn(name); f != "" {
			return refused("it is named at %s, another file of the crate, whose calls sendfix does not make async", f)
		}
	}
	if len(p.fns[name]) > 1 {
		return refused("more than one fn is named `%s`", name)
	}
	own := fn.ChildByFieldName("name")
	var callers []fnCaller
	for _, id := range p.idents[name] {
		if id == own {
			continue
		}
		at := lineOf(src, int(id.StartByte()))
		// `name(..)`, `Self::name(..)`, `x.name(..)`
		use := id
		if par := use.Parent(); par != nil && (par.Type() == "scoped_identifier" || par.Type() == "field_expression") {
			use = par
		}
		par := use.Parent()
		switch {
		case use.Type() == "field_expression" && (par == nil || par.Type() != "call_expression" || par.ChildByFieldName("function") != use):
			// `x.name` read as a field, not called: another item.
		case par != nil && par.Type() == "call_expression" && par.ChildByFieldName("function") == use:
			if use.Type() == "field_expression" && (!hasSelfParam(fn) || commonMethods[name] && !isSelfRecv(use)) {
				// `x.name(..)`: a free fn is never called so, and a common
				// method name may be another type's method.
				return refused("`.%s(..)` at line %d may be another type's method of that name, which sendfix cannot tell from this one", name, at)
			}
			w := lm.where(par, false)
			if w.why != nil {
				return modeRefuse, w.why
			}
			callers = append(callers, fnCaller{awaitAt: int(par.EndByte()), line: at, mode: w.mode})
		case par != nil && par.Type() == "arguments" && isBlockingSpawn(src, par.Parent()):
			callers = append(callers, fnCaller{awaitAt: -1, line: at, mode: modeBlocking}) // spawn_blocking(name)
		case par != nil && par.Type() == "token_tree":
			// A call inside macro arguments runs where the macro does.
			w := lm.where(par, false)
			if w.why != nil {
				return modeRefuse, w.why
			}
			callers = append(callers, fnCaller{awaitAt: p.macroCallEnd(par, id), line: at, mode: w.mode})
		default:
			return refused("it is used at line %d in a way sendfix cannot follow", at)
		}
	}
	if len(callers) == 0 {
		return refused("it has no caller in the files given, so it could run on a runtime thread")
	}
	var async, blocking *fnCaller
	for i := range callers {
		c := &callers[i]
		switch {
		case c.mode == modeBlocking && blocking == nil:
			blocking = c
		case c.mode == modeAwait && async == nil:
			async = c
		}
	}
	switch {
	case async == nil:
		return modeBlocking, nil
	case blocking != nil:
		return refused("it is called from async code at line %d and from code off the runtime at line %d: `.lock().await` cannot go in a sync fn and `blocking_%s()` would panic on a runtime thread", async.line, blocking.line, lm.method())
	}
	for _, c := range callers {
		if c.awaitAt < 0 {
			return refused("it is called from async code inside macro arguments at line %d, where sendfix cannot add `.await`", c.line)
		}
	}
	if why := lm.canBeAsync(fn); why != "" {
		return refused("it is called from async code at line %d, where `blocking_%s()` would panic, and it cannot be made async: %s", async.line, lm.method(), why)
	}
	for _, c := range callers {
		lm.calls[fn] = append(lm.calls[fn], c.awaitAt)
	}
	return modeAwait, nil
}

// macroCallEnd returns where a call `name(..)` (or `self.name(..)`) in
// the tokens of a formatting macro ends, the place for `.await`; -1 when
// the tokens are something else or may sit in a closure or async block.
func (p *swapPlan) macroCallEnd(tt, id *sitter.Node) int {
	mac := macroOf(tt)
	if mac == nil || !formatMacros[compact(text(p.fc.src, mac.ChildByFieldName("macro")))] {
		return -1
	}
	ts := p.tokens(tt)
	for i, t := range ts {
		if t.n != id {
			continue
		}
		if i+1 >= len(ts) || ts[i+1].n.Type() != "token_tree" || !strings.HasPrefix(ts[i+1].text, "(") {
			return -1
		}
		if i >= 1 && ts[i-1].text == "::" {
			return -1
		}
		if i >= 2 && ts[i-1].text == "." && ts[i-2].n.Type() != "self" {
			return -1
		}
		// The tokens are unparsed: a `|` or `async` before the call, in
		// any tree of the macro, may open a closure or async block.
		var outer *sitter.Node
		for _, c := range namedChildren(mac) {
			if c.Type() == "token_tree" {
				outer = c
			}
		}
		open := false
		eachTree(outer, func(t *sitter.Node) {
			for _, b := range p.tokens(t) {
				if b.n.StartByte() < id.StartByte() && (b.text == "|" || b.text == "||" || b.text == "async" || b.text == "move") {
					open = true
				}
			}
		})
		if open {
			return -1
		}
		return int(ts[i+1].n.EndByte())
	}
	return -1
}

// isSelfRecv reports whether a method call's field expression is on `self`.
func isSelfRecv(fe *sitter.Node) bool {
	v := unparen(fe.ChildByFieldName("value"))
	return v != nil && v.Type() == "self"
}

// method is the lock method of the plan's first family, for messages.
func (lm *lockModes) method() string {
	if lm.p.fams.has(famMutex) {
		return "lock"
	}
	return "read"
}

// enters returns the line of a call in fn that enters a runtime on the
// thread (`rt.enter()`, `Handle::enter`), or 0.
func enters(src []byte, fn *sitter.Node) int {
	at := 0
	walk(fn.ChildByFieldName("body"), func(n *sitter.Node) bool {
		if at == 0 && n.Type() == "call_expression" && calleeName(src, n) == "enter" {
			at = lineOf(src, int(n.StartByte()))
		}
		return at == 0
	})
	return at
}

// notSendTypes are types whose presence in a fn made async would likely
// make its future non-Send (held across the new awaits).
var notSendTypes = map[string]bool{"Rc": true, "RefCell": true, "Cell": true, "UnsafeCell": true}

// canBeAsync returns why a sync fn cannot become `async fn`, or "".
func (lm *lockModes) canBeAsync(fn *sitter.Node) string {
	src := lm.p.fc.src
	for _, c := range namedChildren(fn) {
		if c.Type() == "function_modifiers" {
			for _, w := range strings.Fields(text(src, c)) {
				if w == "const" || w == "extern" || strings.HasPrefix(w, "\"") {
					return fmt.Sprintf("it is `%s`", strings.TrimSpace(text(src, c)))
				}
			}
		}
	}
	if rt := fn.ChildByFieldName("return_type"); rt != nil && rt.Type() == "abstract_type" {
		return "it returns `impl Trait`"
	}
	if fn.ChildByFieldName("body") == nil {
		return "it has no body"
	}
	why := ""
	walk(fn, func(n *sitter.Node) bool {
		if why != "" {
			return false
		}
		switch n.Type() {
		case "type_identifier", "identifier":
			if notSendTypes[text(src, n)] {
				why = fmt.Sprintf("its future would hold `%s` (line %d), which is not Send", text(src, n), lineOf(src, int(n.StartByte())))
			}
		case "pointer_type":
			why = fmt.Sprintf("its future would hold a raw pointer (line %d), which is not Send", lineOf(src, int(n.StartByte())))
		case "call_expression":
			if lockKind(src, n) != "" {
				recv := n.ChildByFieldName("function").ChildByFieldName("value")
				if !lm.p.recvIsStd(recv) {
					why = fmt.Sprintf("it also takes a lock that stays std's or is not known at line %d, whose guard would be held across the new await", lineOf(src, int(n.StartByte())))
				}
			}
		case "closure_expression", "async_block":
			return false
		}
		return true
	})
	return why
}

// asyncEdits makes the fns decided async: `async` before `fn` (or its
// `unsafe`), `.await` after each call.
func (lm *lockModes) asyncEdits() []rewrite.Edit {
	src := lm.p.fc.src
	var out []rewrite.Edit
	for _, fn := range lm.order {
		at := -1
		for _, c := range childrenOf(fn) {
			if c.Type() == "function_modifiers" || c.Type() == "fn" {
				at = int(c.StartByte())
				break
			}
		}
		if at < 0 {
			continue
		}
		out = append(out, rewrite.Edit{Start: at, End: at, New: "async "})
		for _, e := range lm.calls[fn] {
			out = append(out, rewrite.Edit{Start: e, End: e, New: ".await"})
		}
		lm.p.madeAsync = append(lm.p.madeAsync, fnName(src, fn))
	}
	return out
}

// implTrait returns the trait of the `impl Trait for Type` block a fn is a
// method of, or nil.
func implTrait(fn *sitter.Node) *sitter.Node {
	list := fn.Parent()
	if list == nil || list.Type() != "declaration_list" {
		return nil
	}
	impl := list.Parent()
	if impl == nil || impl.Type() != "impl_item" {
		return nil
	}
	return impl.ChildByFieldName("trait")
}
