package patterns

import (
	"fmt"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Temporary guards: a lock acquisition no `let` names lives to the end of
// its temporary scope (the statement, or the whole `if let` / `while let`
// / `match` whose scrutinee holds it; a plain block's tail extends to the
// statement around the block). When that scope awaits after taking it,
// the guard is held across the await. The fix binds the guard with `let`
// in a block that replaces the smallest expression around it whose value
// is independent of the guard:
//
//	publish(p.lock().unwrap().len()).await
//	publish({ let guard = p.lock().unwrap(); guard.len() }).await
//
// and for a block's tail, `{ cfg.read().unwrap().limit }`, in that block.
// When every expression around it borrows from the guard (`if let Some(x)
// = m.lock().unwrap().get(0)`, `m.lock().unwrap().fetch().await`), the
// guard must stay held: it goes to fileCtx.heldTemps and is reported.
//
// Guards bound by an `if let Ok(g) = m.lock()` or `match m.lock()`
// pattern are reported (or handed to tokio-mutex), not restructured.

// temporaries returns the proposals for temporary and pattern-bound
// guards of the Send-required bodies.
func (sc *scopeCtx) temporaries() []proposal {
	fc := sc.fc
	pl, fns := usesParkingLot(fc), fileGuardFns(fc)
	var out []proposal
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		body := b.block
		tail := blockTail(body)
		// Only a statement holding an await can hold a temporary across
		// it.
		var awaitOffs []int
		for _, aw := range awaitsIn(fc.src, body) {
			awaitOffs = append(awaitOffs, int(aw.EndByte()))
		}
		awaitsWithin := func(n *sitter.Node) bool {
			i := sort.SearchInts(awaitOffs, int(n.StartByte()))
			return i < len(awaitOffs) && awaitOffs[i] <= int(n.EndByte())
		}
		walk(body, func(n *sitter.Node) bool {
			if !awaitsWithin(n) {
				return false // nothing below awaits
			}
			if n != body && isFutureBoundary(n) {
				return false
			}
			switch n.Type() {
			case "if_expression", "while_expression":
				if c := n.ChildByFieldName("condition"); c != nil && c.Type() == "let_condition" {
					bodyN := n.ChildByFieldName("consequence")
					form := "if let"
					if n.Type() == "while_expression" {
						bodyN, form = n.ChildByFieldName("body"), "while let"
					}
					alt := n.ChildByFieldName("alternative")
					if fc.cfg.edition2024() {
						alt = nil // 2024 drops the scrutinee's temporaries before the else
					}
					out = append(out, sc.okPattern(b, n, form, c.ChildByFieldName("value"), c.ChildByFieldName("pattern"),
						bodyN, alt)...)
				}
			case "match_expression":
				out = append(out, sc.okPattern(b, n, "match", n.ChildByFieldName("value"), nil, n.ChildByFieldName("body"))...)
			}
			if t := n.Type(); t == "expression_statement" || t == "let_declaration" || tail != nil && n.Equal(tail) {
				out = append(out, sc.scopeTemps(b, n, pl, fns)...)
			} else if fc.cfg.edition2024() && (t == "block" || t == "unsafe_block") && n != body {
				// 2024: a nested block's tail drops its temporaries at
				// the block's end.
				if bt := blockTail(n); bt != nil && awaitsWithin(bt) {
					out = append(out, sc.scopeTemps(b, bt, pl, fns)...)
				}
			}
			return true
		})
	}
	return out
}

// scopeTemps handles the temporary guards of temporary scope root.
func (sc *scopeCtx) scopeTemps(b *asyncBody, root *sitter.Node, pl bool, fns *guardFnSet) []proposal {
	fc := sc.fc
	temps := tempsIn(fc.src, root, pl, fns, fc.cfg.edition2024())
	if len(temps) == 0 {
		return nil
	}
	awaits := awaitsIn(fc.src, root)
	var out []proposal
	for _, a := range temps {
		var aw *sitter.Node
		for _, x := range awaits {
			if awaitKeyword(fc.src, x) >= int(a.acq.EndByte()) && !(fc.cfg.edition2024() && inElseOfScrutinee(a.acq, x)) {
				aw = x
				break
			}
		}
		if aw == nil {
			continue
		}
		out = append(out, sc.tempProposal(b, root, a, aw))
	}
	return out
}

// inElseOfScrutinee reports whether aw is in the else branch of an `if`
// whose condition holds acq: in edition 2024 the condition's temporaries
// are dropped before the else runs, so the await holds none of them.
func inElseOfScrutinee(acq, aw *sitter.Node) bool {
	for p := acq.Parent(); p != nil; p = p.Parent() {
		if p.Type() != "if_expression" {
			continue
		}
		c, alt := p.ChildByFieldName("condition"), p.ChildByFieldName("alternative")
		if c != nil && alt != nil && contains(c, acq) && contains(alt, aw) {
			return true
		}
	}
	return false
}

// temp is a temporary acquisition: the whole expression (`m.lock().unwrap()`)
// and its lock call.
type temp struct {
	acq, lock *sitter.Node
	kind      string
	shape     acquisition
}

// tempsIn returns the lock acquisitions whose temporary scope is root:
// not the whole value of a let (that is a let-bound guard), not inside a
// nested statement, closure, async block or item, an `if`/`while`
// condition that is no `let`, a body of `if`/`while`/`loop`/`for`, a
// match arm or guard, or the right operand of `&&`/`||` (each of those a
// temporary scope of its own). In edition 2024 a block's tail expression
// is a temporary scope of its own too (its temporaries are dropped at the
// block's end), so ed2024 leaves nested blocks to their own tails.
func tempsIn(src []byte, root *sitter.Node, pl bool, fns *guardFnSet, ed2024 bool) []temp {
	var out []temp
	var visit func(n *sitter.Node)
	visit = func(n *sitter.Node) {
		for _, c := range children(n) {
			ch := c.n
			if !ch.IsNamed() {
				continue
			}
			switch ch.Type() {
			case "closure_expression", "async_block", "let_declaration", "expression_statement", "function_item",
				"match_arm", "loop_expression", "for_expression":
				if ch.Type() == "for_expression" {
					if v := ch.ChildByFieldName("value"); v != nil {
						visit2(v, visit, src, pl, fns, &out)
					}
				}
				continue
			case "block", "unsafe_block":
				if ed2024 {
					continue // the block's tail is a scope of its own (temporaries)
				}
			}
			switch n.Type() {
			case "if_expression", "while_expression":
				if c.field == "condition" && ch.Type() != "let_condition" && ch.Type() != "let_chain" {
					continue
				}
				if c.field == "consequence" || c.field == "alternative" || c.field == "body" {
					continue
				}
			case "binary_expression":
				if op := text(src, n.ChildByFieldName("operator")); (op == "&&" || op == "||") && c.field == "right" {
					continue
				}
			}
			if n.Type() == "await_expression" && ch.Type() == "call_expression" {
				// `m.lock().await`: a future (tokio's lock), not a guard.
				visit(ch)
				continue
			}
			if ch.Type() == "call_expression" || ch.Type() == "match_expression" || ch.Type() == "try_expression" {
				if call, kind, acq := guardCall(src, ch, pl, fns); call != nil {
					out = append(out, temp{acq: ch, lock: call, kind: kind, shape: acq})
					continue
				}
			}
			visit(ch)
		}
	}
	switch root.Type() {
	case "let_declaration":
		v := root.ChildByFieldName("value")
		if v == nil {
			return nil
		}
		if val, _ := refOperand(src, v); unparen(val) != nil {
			if call, _, _ := guardCall(src, val, pl, fns); call != nil {
				return nil // a let-bound guard: findGuards's
			}
		}
		visitNode(v, visit, src, pl, fns, &out)
		if alt := root.ChildByFieldName("alternative"); alt != nil {
			_ = alt // the else block's statements are scopes of their own
		}
	default:
		visitNode(root, visit, src, pl, fns, &out)
	}
	return out
}

// visitNode checks n itself for an acquisition before visiting its
// children.
func visitNode(n *sitter.Node, visit func(*sitter.Node), src []byte, pl bool, fns *guardFnSet, out *[]temp) {
	if n.Type() == "expression_statement" {
		if n.NamedChildCount() == 0 {
			return
		}
		n = n.NamedChild(0)
	}
	if call, kind, acq := guardCall(src, n, pl, fns); call != nil {
		*out = append(*out, temp{acq: n, lock: call, kind: kind, shape: acq})
		return
	}
	visit(n)
}

// visit2 is visitNode for a nested expression (the iterated value of a
// `for`, whose temporaries live through the loop).
func visit2(n *sitter.Node, visit func(*sitter.Node), src []byte, pl bool, fns *guardFnSet, out *[]temp) {
	visitNode(n, visit, src, pl, fns, out)
}

// tempProposal finds the expression to bind temporary a in, and builds
// the finding (with edits when it can be fixed).
func (sc *scopeCtx) tempProposal(b *asyncBody, root *sitter.Node, a temp, aw *sitter.Node) proposal {
	fc := sc.fc
	src := fc.src
	awaitOff := awaitKeyword(src, aw)
	awaitLine := lineOf(src, awaitOff)
	name := compactText(src, a.acq)
	where, form := tempWhere(src, root, a.acq, aw)
	f := Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(a.acq.StartByte())}, Await: &Pos{Offset: awaitOff}, Name: name,
		Message: fmt.Sprintf("temporary `%s` of `%s` %s is held across %s%s", a.kind, name, where,
			map[bool]string{true: "an await point", false: "the await"}[form != ""], sendWhy(b))}
	p, why, unsure := sc.tempWrapper(root, a, aw)
	if p == nil || unsure != "" {
		f.Reason = fmt.Sprintf("%s (temporary guard of `%s`, await at line %d)", why, name, awaitLine)
		if strings.Contains(where, "receiver") {
			f.Reason = fmt.Sprintf("the awaited call at line %d is made on a value borrowed from the guard of `%s`; the guard must stay held for the call", awaitLine, name)
		}
		g := &guard{name: name, kind: a.kind, decl: a.acq, lock: a.lock, acq: a.shape, temp: true, body: b, await: aw, usedLate: true}
		if fn := a.lock.ChildByFieldName("function"); fn != nil && fn.Type() == "field_expression" && lockKind(src, a.lock) != "" {
			g.recv = fn.ChildByFieldName("value")
		}
		fc.heldTemps = append(fc.heldTemps, g)
		if p == nil {
			return proposal{f: f}
		}
		// A candidate the compiler judges; the guard is also tokio-mutex's,
		// for the ladder's next rung.
		f.Reason = ""
	}
	edits := sc.bindIn(p, a)
	switch {
	case form != "":
		f.Fix = fmt.Sprintf("bound the guard with `let` inside a block in the `%s` scrutinee, so it is dropped before the body runs", form)
	case strings.Contains(where, "argument"):
		f.Fix = "bound the guard with `let` inside a block in the argument, so it is dropped before the await"
	default:
		f.Fix = fmt.Sprintf("bound the guard with `let` inside a block around `%s`, so it is dropped before the await", compactText(src, p))
	}
	return proposal{f: f, edits: edits, unsure: tempDoubt(unsure, name, awaitLine), rung: RungHoist}
}

// tempWhere says where temporary acq sits, for messages: in a scrutinee
// (form names it), an argument or the receiver of the awaited call, or a
// statement.
func tempWhere(src []byte, root, acq, aw *sitter.Node) (where, form string) {
	for p := acq.Parent(); p != nil && !p.Equal(root.Parent()); p = p.Parent() {
		switch p.Type() {
		case "let_condition":
			if v := p.ChildByFieldName("value"); v != nil && contains(v, acq) {
				form = "if let"
				if q := p.Parent(); q != nil && q.Type() == "while_expression" {
					form = "while let"
				}
				return fmt.Sprintf("in the `%s` scrutinee", form), form
			}
		case "match_expression":
			if v := p.ChildByFieldName("value"); v != nil && contains(v, acq) {
				return "in the `match` scrutinee", "match"
			}
		}
	}
	if op := aw.NamedChild(0); op != nil && op.Type() == "call_expression" && contains(op, acq) {
		if args := op.ChildByFieldName("arguments"); args != nil && contains(args, acq) {
			return "in an argument of an awaited call", ""
		}
		return "in the receiver of an awaited call", ""
	}
	return "in a statement that awaits later", ""
}

// tempWrapper returns the smallest expression around temporary a (within
// root, evaluated before the await) that can be bound in a block and
// whose value is independent of the guard; or nil and why not. With the
// compiler in the loop (Config.Candidates), when there is none, the
// smallest such expression whose ownership the syntax cannot tell comes
// back with unsure saying the doubt.
func (sc *scopeCtx) tempWrapper(root *sitter.Node, a temp, aw *sitter.Node) (wrapper *sitter.Node, why, unsure string) {
	p, why := sc.tempWrapperSure(root, a, aw)
	if p != nil || sc.unknownTemp == nil {
		sc.unknownTemp = nil
		return p, why, ""
	}
	p, unsure = sc.unknownTemp, sc.unknownWhy
	sc.unknownTemp = nil
	return p, why, unsure
}

// tempWrapperSure is tempWrapper without candidates; under Config.Candidates
// it records the first expression of unknown ownership in
// sc.unknownTemp.
func (sc *scopeCtx) tempWrapperSure(root *sitter.Node, a temp, aw *sitter.Node) (*sitter.Node, string) {
	fc := sc.fc
	f := fc.facts()
	gid := f.synthetic("guard")
	ev := &ownEval{f: f, subst: map[[2]uint32]*ownVal{}}
	gv := ev.eval(a.acq).plain()
	gv.from = unionIDs(gv.from, []BindingID{gid})
	gv.holds = []BindingID{gid}
	gv.temp = false
	ev.subst[[2]uint32{a.acq.StartByte(), a.acq.EndByte()}] = gv
	set := map[BindingID]bool{gid: true}
	awaitOff := awaitKeyword(fc.src, aw)
	why := "the value left would borrow from the guard, which must stay held"
	for p := a.acq.Parent(); p != nil && !p.Equal(root); p = p.Parent() {
		if int(p.EndByte()) > awaitOff {
			break
		}
		switch p.Type() {
		case "if_expression", "match_expression", "closure_expression", "async_block", "while_expression",
			"loop_expression", "for_expression":
			return nil, why
		}
		if pt := p.Parent(); pt != nil && pt.Type() == "binary_expression" {
			if op := text(fc.src, pt.ChildByFieldName("operator")); (op == "&&" || op == "||") && !pt.ChildByFieldName("left").Equal(p) {
				return nil, "the guard is taken on the right of `" + op + "`"
			}
		}
		if !tempBindable(fc.src, p) {
			if t := p.Type(); (t == "unary_expression" || t == "field_expression" || t == "index_expression") && !isCallee(p) {
				if up := p.Parent(); up != nil && up.Type() == "match_expression" {
					why = fmt.Sprintf("`%s` is dereferenced in the `match` scrutinee, in place; sendfix cannot tell whether the value is Copy", compactText(fc.src, p))
				}
			}
			continue
		}
		o := ev.eval(p).export()
		if !o.Independent(set) {
			if o.Kind == OwnUnknown && o.Why != "" {
				why = fmt.Sprintf("sendfix cannot tell whether `%s` borrows from the guard (%s)", compactText(fc.src, p), o.Why)
				if fc.cfg.Candidates && sc.unknownTemp == nil && !sc.callsBefore(p, a.acq) {
					sc.unknownTemp, sc.unknownWhy = p, why
				}
			} else if o.Why != "" {
				why = fmt.Sprintf("`%s` borrows from the guard (%s): a reference into the guard must stay held", compactText(fc.src, p), o.Why)
			}
			continue
		}
		if sc.callsBefore(p, a.acq) {
			return nil, fmt.Sprintf("binding the guard before the calls that precede it in `%s` would change their order", compactText(fc.src, p))
		}
		return p, ""
	}
	return nil, why
}

// tempBindable reports whether expression p can be replaced by a block
// yielding its value: a value, a place read by value (an argument, an
// operand, a block's tail), or a match scrutinee on literals (a Copy
// value).
func tempBindable(src []byte, p *sitter.Node) bool {
	if hoistable(p) {
		return true
	}
	up := p.Parent()
	if up == nil {
		return false
	}
	switch {
	case up.Type() == "block" && blockTail(up) != nil && blockTail(up).Equal(p):
		return p.Type() != "identifier"
	case up.Type() == "match_expression" && up.ChildByFieldName("value").Equal(p):
		return literalArms(up)
	}
	return false
}

// bindIn returns the edit that replaces expression p, which holds
// temporary a, by `{ let guard = <a>; <p on guard> }`; when p is the tail
// of a block, the let goes into that block.
func (sc *scopeCtx) bindIn(p *sitter.Node, a temp) []rewrite.Edit {
	fc := sc.fc
	src := fc.src
	name := sc.freshName(p, "guard")
	mut := ""
	if needsMut(src, a.acq) {
		mut = "mut "
	}
	target := p
	if up := p.Parent(); up != nil && up.Type() == "block" && blockTail(up) != nil && blockTail(up).Equal(p) && len(statements(up)) == 1 {
		target = up
	}
	st := int(p.StartByte())
	body := string(src[st:a.acq.StartByte()]) + name + string(src[a.acq.EndByte():p.EndByte()])
	lock := text(src, a.acq)
	// A temporary with a destructor that borrows the guard (`drain(..)`)
	// in the block's tail would outlive the guard (E0597 before edition
	// 2024): the value gets a let of its own.
	value := ""
	if sc.tailTemps(p, a) {
		value = sc.freshName(p, "value")
	}
	repl := "{ let " + mut + name + " = " + lock + "; " + body + " }"
	if value != "" {
		repl = "{ let " + mut + name + " = " + lock + "; let " + value + " = " + body + "; " + value + " }"
	}
	if !strings.ContainsAny(body+lock, "\r\n") {
		// rustfmt lays a block in expression position out on its own
		// lines; the inline form stays only where re-indenting a
		// multi-line body could touch a string literal.
		ind := rewrite.IndentAt(src, int(target.StartByte()))
		in, nl := ind+fc.style.Indent, fc.style.Newline
		repl = "{" + nl + in + "let " + mut + name + " = " + lock + ";" + nl + in + body + nl + ind + "}"
		if value != "" {
			repl = "{" + nl + in + "let " + mut + name + " = " + lock + ";" + nl + in + "let " + value + " = " + body + ";" + nl + in + value + nl + ind + "}"
		}
	}
	return []rewrite.Edit{{Start: int(target.StartByte()), End: int(target.EndByte()), New: repl}}
}

// tailTemps reports whether expression p, with temporary a bound to a
// guard, makes a temporary that may have a destructor and borrows the
// guard (see dropTemps).
func (sc *scopeCtx) tailTemps(p *sitter.Node, a temp) bool {
	f := sc.fc.facts()
	gid := f.synthetic("guard")
	ev := &ownEval{f: f, subst: map[[2]uint32]*ownVal{}}
	gv := ev.eval(a.acq).plain()
	gv.from = unionIDs(gv.from, []BindingID{gid})
	ev.subst[[2]uint32{a.acq.StartByte(), a.acq.EndByte()}] = gv
	return dropTemps(ev, p, map[BindingID]bool{gid: true})
}

// dropTemps reports whether expression e, as a block's tail, makes a
// temporary (a method's receiver that is itself a call) that may have a
// destructor (a guard, `drain`, a method or fn of no table) and borrows
// from set: before edition 2024 such a temporary is dropped after the
// block's bindings, which E0597 rejects.
func dropTemps(ev *ownEval, e *sitter.Node, set map[BindingID]bool) bool {
	src := ev.f.src
	found := false
	walk(e, func(c *sitter.Node) bool {
		if found {
			return false
		}
		switch c.Type() {
		case "closure_expression", "async_block", "block":
			return false
		case "call_expression":
			r, _ := methodCallParts(src, c)
			if r == nil {
				return true
			}
			r = unparen(r)
			if r == nil || r.Type() != "call_expression" {
				return true
			}
			if rr, m := methodCallParts(src, r); rr == nil || methods[m] == mGuard || m == "drain" ||
				methods[m] == mNone && iterMethods[m] == mNone && !iterAdapters[m] {
				if ev.eval(r).export().MayBorrowAny(set) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// needsMut reports whether the expression around guard expression a needs
// `&mut` access through it: a method that mutates its receiver (or one of
// no table), an assignment, `&mut`.
func needsMut(src []byte, a *sitter.Node) bool {
	n := a
	for up := n.Parent(); up != nil; n, up = up, up.Parent() {
		switch up.Type() {
		case "parenthesized_expression", "index_expression":
			continue
		case "field_expression":
			if !isCallee(up) {
				continue
			}
			m := text(src, up.ChildByFieldName("field"))
			switch methods[m] {
			case mTake, mUnit, mEntry:
				return true
			case mNone:
				return !strings.HasPrefix(m, "is_")
			}
			return m == "get_mut" || m == "iter_mut" || m == "values_mut" || m == "first_mut" || m == "last_mut" ||
				m == "as_mut" || m == "borrow_mut" || m == "deref_mut" || m == "drain" || m == "range_mut"
		case "assignment_expression", "compound_assignment_expr":
			return up.ChildByFieldName("left").Equal(n) || contains(up.ChildByFieldName("left"), n)
		case "reference_expression":
			return firstMut(src, up)
		}
		return false
	}
	return false
}

// okPattern handles one `if let` / `while let` / `match` whose scrutinee
// is a bare lock call matched with `Ok(g)` and whose body awaits: the
// guard lives to the end of the whole expression. It is reported, or
// handed to tokio-mutex when used after the await.
func (sc *scopeCtx) okPattern(b *asyncBody, n *sitter.Node, form string, val, pat *sitter.Node, bodies ...*sitter.Node) []proposal {
	fc := sc.fc
	src := fc.src
	s := unparen(val)
	if s == nil || hasAwait(src, s) || s.Type() != "call_expression" || lockKind(src, s) == "" {
		return nil
	}
	aw := firstAwait(src, bodies...)
	if aw == nil {
		return nil
	}
	bind, ok := okBinding(src, form, pat, bodies)
	if !ok {
		return nil
	}
	awaitOff := awaitKeyword(src, aw)
	f := Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(s.StartByte())}, Await: &Pos{Offset: awaitOff}, Name: text(src, s)}
	if bind != nil {
		f.Pos.Offset, f.Name = int(bind.StartByte()), text(src, bind)
	}
	f.Message = fmt.Sprintf("`%s` `%s` is held across an await point%s", lockKind(src, s), f.Name, sendWhy(b))
	if bind != nil {
		g := &guard{name: f.Name, kind: lockKind(src, s), decl: bind.Parent(), lock: s, bind: bind,
			recv: s.ChildByFieldName("function").ChildByFieldName("value"), body: b, await: aw}
		g.acq = acquisition{shape: acqIfLetOk, expr: s}
		if form == "match" {
			g.acq.shape = acqMatchOk
		}
		for d := bind.Parent(); d != nil && !d.Equal(n); d = d.Parent() {
			if d.Type() == "let_condition" || d.Type() == "match_arm" {
				g.decl = d
				break
			}
		}
		if form == "match" {
			g.acq.handler = errArm(src, n)
		} else if alt := n.ChildByFieldName("alternative"); alt != nil {
			g.acq.handler = alt
		}
		fx := fc.facts()
		if id := fx.Resolve(bind); id != NoBinding {
			g.ids = []BindingID{id}
			g.usedLate = fx.UsedAfter(id, int(aw.EndByte()))
		}
		if handOff(fc, g) {
			// Only tokio's Mutex keeps this shape's meaning.
			fc.held = append(fc.held, g)
			return nil
		}
	}
	f.Reason = fmt.Sprintf("guard `%s` is bound by the `%s` pattern and lives to the end of the `%s`, which awaits at line %d; sendfix does not restructure it: take the guard with `let` in a block that ends before the await", f.Name, form, form, lineOf(src, awaitOff))
	if fc.cfg.AllAsync {
		f.Reason += " (--all-async only scopes guards)"
	} else if !fc.cfg.Rules[RuleTokioMutex] {
		f.Reason += ", or enable tokio-mutex"
	}
	return []proposal{{f: f}}
}

// errArm returns the `Err(..)` arm of a match, or nil.
func errArm(src []byte, m *sitter.Node) *sitter.Node {
	body := m.ChildByFieldName("body")
	if body == nil {
		return nil
	}
	for _, arm := range namedChildren(body) {
		if arm.Type() == "match_arm" && strings.HasPrefix(strings.TrimSpace(text(src, arm.ChildByFieldName("pattern"))), "Err") {
			return arm
		}
	}
	return nil
}

// firstAwait returns the first await of the current future in nodes.
func firstAwait(src []byte, nodes ...*sitter.Node) *sitter.Node {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		if a := awaitsIn(src, n); len(a) > 0 {
			return a[0]
		}
	}
	return nil
}

// sendWhy is the message suffix saying why the body must be Send.
func sendWhy(b *asyncBody) string {
	if b == nil || b.why == "" {
		return ""
	}
	return " of a future that must be Send (" + b.why + ")"
}

// okBinding says whether the pattern of an `if let` / `while let`, or an
// arm of a `match`, takes the guard out of a lock Result (`Ok(g)`), and
// returns the binding when there is one.
func okBinding(src []byte, form string, pat *sitter.Node, bodies []*sitter.Node) (*sitter.Node, bool) {
	var pats []*sitter.Node
	if form == "match" {
		if len(bodies) == 0 || bodies[0] == nil {
			return nil, false
		}
		for _, arm := range namedChildren(bodies[0]) {
			if arm.Type() == "match_arm" {
				if p := arm.ChildByFieldName("pattern"); p != nil {
					pats = append(pats, p)
				}
			}
		}
	} else if pat != nil {
		pats = append(pats, pat)
	}
	found := false
	for _, p := range pats {
		var id *sitter.Node
		walk(p, func(c *sitter.Node) bool {
			if found && id != nil {
				return false
			}
			if c.Type() == "tuple_struct_pattern" && text(src, c.ChildByFieldName("type")) == "Ok" {
				found = true
				walk(c, func(d *sitter.Node) bool {
					if id == nil && d.Type() == "identifier" && !d.Equal(c.ChildByFieldName("type")) {
						id = d
					}
					return id == nil
				})
				return false
			}
			return true
		})
		if id != nil {
			return id, true
		}
	}
	return nil, found
}

// literalArms reports whether every arm of a match tests literals, ranges
// or `_`, so the scrutinee is of a primitive (Copy) type.
func literalArms(match *sitter.Node) bool {
	body := match.ChildByFieldName("body")
	if body == nil {
		return false
	}
	ok := true
	for _, arm := range namedChildren(body) {
		if arm.Type() != "match_arm" {
			continue
		}
		p := arm.ChildByFieldName("pattern")
		if p == nil {
			return false
		}
		for _, c := range namedChildren(p) {
			if c.Type() == "condition" || p.ChildByFieldName("condition") != nil && c.Equal(p.ChildByFieldName("condition")) {
				continue
			}
			walk(c, func(d *sitter.Node) bool {
				switch d.Type() {
				case "or_pattern", "range_pattern", "integer_literal", "char_literal", "boolean_literal",
					"negative_literal", "string_literal", "string_content", "escape_sequence", "float_literal":
					return true
				}
				ok = false
				return false
			})
		}
	}
	return ok
}
