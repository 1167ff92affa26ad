package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Lock calls: every zero-argument `.lock()` (`.read()`, `.write()`) of a
// lock the swap moves becomes tokio's, in the shape it was written:
//
//	m.lock().unwrap() / .expect(..)               -> m.L
//	m.lock().unwrap_or_else(|e| e.into_inner())   -> m.L   (poison recovery, or a panic)
//	m.lock()? / .map_err(F)? / .ok()?             -> m.L   (the error path only propagates)
//	let Ok(P) = m.lock() else { return .. };      -> let P = m.L;
//	if let Ok(P) = m.lock() { BODY } [else { .. }] -> { let P = m.L; BODY }
//	match m.lock() { Ok(P) => A, Err(_) => B }    -> { let P = m.L; A }
//
// tokio's locks cannot be poisoned, so the error path is dead and goes;
// where it does more than propagate the error, panic, recover the guard
// or do nothing (it logs, retries, exits...), the swap is refused.

// callEdits returns the edits that turn one lock call into a tokio lock
// and whether it is converted (false for a lock that is not std's of the
// plan's families, already tokio's, or of std::io's handles), or why not.
func (p *swapPlan) callEdits(call *sitter.Node) ([]rewrite.Edit, bool, *refusal) {
	src := p.fc.src
	fe := call.ChildByFieldName("function")
	recv := fe.ChildByFieldName("value")
	method := text(src, fe.ChildByFieldName("field"))
	line := lineOf(src, int(call.StartByte()))
	if par := call.Parent(); par != nil && par.Type() == "await_expression" {
		return nil, false, nil // already an async lock
	}
	if rc := unparen(recv); rc != nil && rc.Type() == "call_expression" {
		switch calleeName(src, rc) {
		case "stdout", "stderr", "stdin":
			return nil, false, nil // std::io handles lock without a Result
		}
	}
	// The swap changes only the lock types the files given spell; a lock
	// on one spelled elsewhere would become `.lock().await` on a std lock.
	std, other := p.recvIsStd(recv), p.recvIsOther(recv)
	switch {
	case std && other:
		return nil, false, refuse(refuseUnresolved, line, "the lock at line %d is on %s, which sendfix resolves both to std's %s and to another lock type", line, lockLabel(src, recv), p.fams.lockName())
	case other:
		return nil, false, nil // parking_lot's or tokio's lock: the swap does not touch it
	case !std:
		return nil, false, refuse(refuseUnresolved, line, "the lock at line %d is on %s, whose %s type sendfix cannot find %s (a std %s spelled elsewhere would stay std)", line, lockLabel(src, recv), p.fams.lockName(), p.where(), p.fams.lockName())
	}
	at := p.modes.callModeAt(call)
	if at.why != nil {
		return nil, false, at.why
	}
	if at.hoist != nil {
		e, why := p.hoistEdits(call, at.hoist)
		return e, why == nil, why
	}
	lock := tokioLock(method, at.mode)
	e, why := p.shapeEdits(call, recv, method, lock)
	return e, why == nil, why
}

// callAcquisition classifies the lock call in the shapes guards.go
// names (acqShape, the vocabulary mutex-scope records on each guard it
// hands over): the acquisition's whole expression and its error
// handling. ok is false for a shape the swap does not convert (a bare
// `.lock()` used as a Result, `while let`, a let chain).
func callAcquisition(src []byte, call *sitter.Node) (acq acquisition, ok bool) {
	par := call.Parent()
	if par == nil {
		return acq, false
	}
	isValue := func(n *sitter.Node) bool { v := n.ChildByFieldName("value"); return v != nil && v.Equal(call) }
	switch par.Type() {
	case "let_declaration":
		alt := par.ChildByFieldName("alternative")
		if alt == nil || !isValue(par) || okPattern(src, par.ChildByFieldName("pattern")) == nil {
			return acq, false
		}
		return acquisition{shape: acqLetElse, expr: call, handler: alt}, true
	case "let_condition":
		ifx := par.Parent()
		if ifx == nil || ifx.Type() != "if_expression" || !isValue(par) || okPattern(src, par.ChildByFieldName("pattern")) == nil {
			return acq, false
		}
		if c := ifx.ChildByFieldName("condition"); c == nil || !c.Equal(par) {
			return acq, false
		}
		return acquisition{shape: acqIfLetOk, expr: call, handler: ifx.ChildByFieldName("alternative")}, true
	case "match_expression":
		if !isValue(par) {
			return acq, false
		}
		if c, _ := poisonMatch(src, par); c != nil {
			return acquisition{shape: acqPoisonMatch, expr: par}, true
		}
		return acquisition{shape: acqMatchOk, expr: call, handler: errArm(src, par)}, true
	}
	// The value shapes: the outermost expression guardCall strips back
	// to this very call.
	cand := par
	if par.Type() == "field_expression" && par.Parent() != nil && par.Parent().Type() == "call_expression" {
		cand = par.Parent()
		if m := methodName(src, cand); (m == "map_err" || m == "ok") && cand.Parent() != nil && cand.Parent().Type() == "try_expression" {
			cand = cand.Parent()
		}
	}
	if c, _, a := guardCall(src, cand, false, nil); c != nil && c.Equal(call) {
		return a, true
	}
	return acq, false
}

// valueShape reports whether an acquisition is one expression that is
// the guard (`m.lock().unwrap()`, `?`, `.map_err(F)?`...), as opposed to
// a pattern that binds it.
func valueShape(s acqShape) bool {
	switch s {
	case acqUnwrap, acqExpect, acqUnwrapOrElse, acqMapErrTry, acqOkTry, acqTry:
		return true
	}
	return false
}

// errorPathDoes returns the node of an acquisition's error handling that
// does more than propagate the error, panic, recover the guard or do
// nothing, or nil when there is none. Tokio's lock cannot be poisoned,
// so the swap deletes that path: anything with effects there is
// behaviour the swap would lose. The arms of acqMatchOk are judged by
// matchEdits.
func errorPathDoes(src []byte, a acquisition) *sitter.Node {
	h := a.handler
	if h == nil {
		return nil
	}
	var args []*sitter.Node
	if al := h.ChildByFieldName("arguments"); al != nil {
		args = namedChildren(al)
	}
	switch a.shape {
	case acqExpect:
		// The message is evaluated on every call, poisoned or not.
		for _, x := range args {
			if !inert(src, x, "") {
				return h
			}
		}
	case acqUnwrapOrElse:
		if len(args) != 1 || !recovers(src, args[0]) {
			return h
		}
	case acqMapErrTry:
		if len(args) != 1 || !mapsOnly(src, args[0]) {
			return h
		}
	case acqLetElse:
		if !propagates(src, h, "") {
			return h
		}
	case acqIfLetOk:
		// h is the else clause: only a plain block (not `else if`) that
		// propagates may go.
		if b := h.NamedChild(0); b == nil || b.Type() != "block" || !propagates(src, b, "") {
			return h
		}
	}
	return nil
}

// shapeEdits returns the edits of a lock call in async code or sync code
// off the runtime: lock is the tokio call that replaces `lock()`.
func (p *swapPlan) shapeEdits(call, recv *sitter.Node, method, lock string) ([]rewrite.Edit, *refusal) {
	src := p.fc.src
	field := call.ChildByFieldName("function").ChildByFieldName("field")
	line := lineOf(src, int(call.StartByte()))
	unknown := refuse(refuseShape, line, "the lock at line %d (`%s`) has a shape sendfix does not convert", line, compactText(src, call))
	errPath := func(what *sitter.Node) *refusal {
		path := "the error path"
		switch p := what.Parent(); {
		case what.Type() == "else_clause" && p != nil && p.Type() == "if_expression":
			path = "the else branch (the poisoned path)"
		case p != nil && p.Type() == "let_declaration" && p.ChildByFieldName("alternative") != nil && p.ChildByFieldName("alternative").Equal(what):
			path = "the else block (the poisoned path)"
		case what.Type() == "match_arm":
			path = "the error arm"
		}
		return refuse(refuseErrorPath, line, "%s of the lock at line %d (`%s`) does more than propagate the error; tokio's lock cannot be poisoned, so it would be dropped: convert it by hand", path, line, compactText(src, what))
	}
	acq, ok := callAcquisition(src, call)
	if !ok {
		return nil, unknown
	}
	if acq.shape == acqMatchOk {
		return p.matchEdits(acq.expr.Parent(), text(src, recv), lock, unknown, errPath)
	}
	if h := errorPathDoes(src, acq); h != nil {
		return nil, errPath(h)
	}
	switch {
	case valueShape(acq.shape):
		return []rewrite.Edit{{Start: int(field.StartByte()), End: int(acq.expr.EndByte()), New: lock}}, nil
	case acq.shape == acqPoisonMatch:
		// The poison-tolerant match is the guard itself.
		return []rewrite.Edit{{Start: int(acq.expr.StartByte()), End: int(acq.expr.EndByte()), New: text(src, recv) + "." + lock}}, nil
	case acq.shape == acqLetElse:
		let := call.Parent()
		pat := let.ChildByFieldName("pattern")
		return []rewrite.Edit{
			{Start: int(pat.StartByte()), End: int(pat.EndByte()), New: text(src, okPattern(src, pat))},
			{Start: int(field.StartByte()), End: int(call.EndByte()), New: lock},
			{Start: int(call.EndByte()), End: int(acq.handler.EndByte())},
		}, nil
	case acq.shape == acqIfLetOk:
		cond := call.Parent()
		ifx := cond.Parent()
		return p.blockForm(ifx, okPattern(src, cond.ChildByFieldName("pattern")), text(src, recv), lock, ifx.ChildByFieldName("consequence"), false), nil
	}
	return nil, unknown
}

// matchEdits converts `match m.lock() { Ok(P) => A, Err(e) => B }` (or
// `_ => B`).
func (p *swapPlan) matchEdits(m *sitter.Node, recvText, lock string, unknown *refusal, errPath func(*sitter.Node) *refusal) ([]rewrite.Edit, *refusal) {
	src := p.fc.src
	var arms []*sitter.Node
	if body := m.ChildByFieldName("body"); body != nil {
		for _, a := range namedChildren(body) {
			if a.Type() == "match_arm" {
				arms = append(arms, a)
			}
		}
	}
	if len(arms) != 2 {
		return nil, unknown
	}
	var ok, inner *sitter.Node
	for _, a := range arms {
		mp := a.ChildByFieldName("pattern")
		if mp == nil || mp.ChildByFieldName("condition") != nil {
			return nil, unknown
		}
		if in := okPattern(src, mp.NamedChild(0)); in != nil {
			ok, inner = a, in
			continue
		}
		t := compact(text(src, mp))
		errName := ""
		switch {
		case t == "_" || t == "Err(_)":
		case strings.HasPrefix(t, "Err(") && strings.HasSuffix(t, ")"):
			errName = t[4 : len(t)-1]
		default:
			return nil, unknown
		}
		if v := a.ChildByFieldName("value"); !propagates(src, v, errName) {
			return nil, errPath(a)
		}
	}
	if ok == nil {
		return nil, unknown
	}
	if v := ok.ChildByFieldName("value"); v != nil && inner.Type() == "identifier" && compact(text(src, v)) == text(src, inner) {
		// `match m.lock() { Ok(g) => g, Err(..) => .. }` is the guard
		// itself, and tokio's lock cannot fail.
		return []rewrite.Edit{{Start: int(m.StartByte()), End: int(m.EndByte()), New: recvText + "." + lock}}, nil
	}
	return p.blockForm(m, inner, recvText, lock, ok.ChildByFieldName("value"), true), nil
}

// panicMacros diverge without returning; bail! returns the error.
var panicMacros = map[string]bool{"panic": true, "unreachable": true, "unimplemented": true, "todo": true, "bail": true}

// propagates reports whether an error path only propagates the error,
// panics, recovers the poisoned guard (`e.into_inner()`, errName being the
// error's binding), does nothing, or leaves the loop or fn: `{}`,
// `return ..`, `break`, `continue`, `Err(..)?`, `panic!(..)`, an
// `Err(..)`/`None` value, each carrying only an inert value (see inert).
// Anything else (a log line, a retry, an exit, an await) is behaviour the
// swap would drop.
func propagates(src []byte, n *sitter.Node, errName string) bool {
	n = unparen(n)
	if n == nil {
		return false
	}
	switch n.Type() {
	case "block":
		st := statements(n)
		switch len(st) {
		case 0:
			return true
		case 1:
			return propagates(src, st[0], errName)
		}
		return false
	case "expression_statement":
		return n.NamedChildCount() == 1 && propagates(src, n.NamedChild(0), errName)
	case "continue_expression", "unit_expression":
		return true
	case "return_expression", "break_expression", "try_expression":
		// The value carried out must have no effects of its own.
		for _, c := range namedChildren(n) {
			if c.Type() != "label" && !isComment(c) && !inert(src, c, errName) {
				return false
			}
		}
		return true
	case "macro_invocation":
		return panicMacros[compact(text(src, n.ChildByFieldName("macro")))]
	case "call_expression":
		if fn := n.ChildByFieldName("function"); fn != nil && fn.Type() == "identifier" && text(src, fn) == "Err" {
			return inert(src, n, errName)
		}
	}
	return errName != "" && recoversIn(src, n, errName) || pureValue(src, n)
}

// inertMacros build a value without other effects.
var inertMacros = map[string]bool{"format": true, "anyhow": true, "eyre": true, "vec": true, "concat": true, "stringify": true}

// inertMethods convert or copy a value without other effects.
var inertMethods = map[string]bool{"into": true, "to_string": true, "to_owned": true, "clone": true, "as_str": true, "as_ref": true}

// inert reports whether an expression only builds a value: literals,
// paths, fields, struct and tuple values, `Ok`/`Err`/`Some` and other
// tuple structs and variants (`Error::Poisoned(..)`), constructors
// and conversions (`X::from(e)`, `X::new(..)`, `e.into()`,
// `e.to_string()`), `format!`-like macros, and the poisoned guard taken
// back (`e.into_inner()` of errName). No await, call with effects,
// assignment or closure.
func inert(src []byte, n *sitter.Node, errName string) bool {
	ok := true
	walk(n, func(c *sitter.Node) bool {
		switch c.Type() {
		case "await_expression", "assignment_expression", "compound_assignment_expr", "closure_expression",
			"async_block", "loop_expression", "while_expression", "for_expression", "unsafe_block":
			ok = false
		case "macro_invocation":
			ok = inertMacros[compact(text(src, c.ChildByFieldName("macro")))]
		case "call_expression":
			ok = inertCall(src, c, errName)
		}
		return ok
	})
	return ok
}

// inertCall reports whether a call only builds or converts a value (see
// inert); its arguments are judged by the walk.
func inertCall(src []byte, c *sitter.Node, errName string) bool {
	fn := c.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil {
		return false
	}
	switch fn.Type() {
	case "identifier":
		return isTypeName(text(src, fn)) // Ok, Err, Some, a tuple struct or variant
	case "scoped_identifier":
		switch nm := text(src, fn.ChildByFieldName("name")); nm {
		case "from", "new", "default", "msg", "other", "custom":
			return true
		default:
			return isTypeName(nm) // Error::Poisoned(..)
		}
	case "field_expression":
		m := text(src, fn.ChildByFieldName("field"))
		return inertMethods[m] || m == "into_inner" && errName != "" && compact(text(src, fn.ChildByFieldName("value"))) == errName
	}
	return false
}

// recoversIn reports whether an expression takes the poisoned guard back,
// `p.into_inner()` for the error's binding p, and makes no other call
// with effects (a macro).
func recoversIn(src []byte, n *sitter.Node, errName string) bool {
	found, other := false, false
	walk(n, func(c *sitter.Node) bool {
		switch c.Type() {
		case "macro_invocation":
			other = true
		case "call_expression":
			if methodName(src, c) == "into_inner" && compact(text(src, c.ChildByFieldName("function").ChildByFieldName("value"))) == errName {
				found = true
			}
		}
		return !other
	})
	return found && !other
}

// pureValue reports whether an expression is a value without effects: a
// literal, a path, `None`, `X::new()`/`X::default()` with no arguments,
// `Some(..)`/`Ok(..)`/`Err(..)`, tuples and arrays of those.
func pureValue(src []byte, n *sitter.Node) bool {
	n = unparen(n)
	if n == nil {
		return false
	}
	switch n.Type() {
	case "integer_literal", "float_literal", "string_literal", "raw_string_literal", "char_literal",
		"boolean_literal", "unit_expression", "identifier", "scoped_identifier", "negative_literal":
		return true
	case "tuple_expression", "array_expression":
		for _, c := range namedChildren(n) {
			if !isComment(c) && !pureValue(src, c) {
				return false
			}
		}
		return true
	case "call_expression":
		fn := n.ChildByFieldName("function")
		args := namedChildren(n.ChildByFieldName("arguments"))
		switch {
		case fn == nil:
			return false
		case fn.Type() == "identifier" && (text(src, fn) == "Some" || text(src, fn) == "Ok" || text(src, fn) == "Err"):
			for _, a := range args {
				if !pureValue(src, a) {
					return false
				}
			}
			return true
		case fn.Type() == "scoped_identifier" && len(args) == 0:
			nm := text(src, fn.ChildByFieldName("name"))
			return nm == "new" || nm == "default"
		}
	}
	return false
}

// recovers reports whether the argument of `.lock().unwrap_or_else(..)`
// recovers the poisoned guard or panics: `|e| e.into_inner()`,
// `PoisonError::into_inner`, `|_| panic!(..)`.
func recovers(src []byte, arg *sitter.Node) bool {
	arg = unparen(arg)
	switch arg.Type() {
	case "scoped_identifier":
		return text(src, arg.ChildByFieldName("name")) == "into_inner"
	case "closure_expression":
		ps := namedChildren(arg.ChildByFieldName("parameters"))
		if len(ps) != 1 {
			return false
		}
		name := text(src, ps[0])
		body := unparen(arg.ChildByFieldName("body"))
		if body != nil && body.Type() == "block" {
			if st := statements(body); len(st) == 1 {
				body = st[0]
				if body.Type() == "expression_statement" && body.NamedChildCount() == 1 {
					body = body.NamedChild(0)
				}
			}
		}
		if body == nil {
			return false
		}
		if body.Type() == "macro_invocation" {
			return panicMacros[compact(text(src, body.ChildByFieldName("macro")))]
		}
		return methodName(src, body) == "into_inner" && compact(text(src, body.ChildByFieldName("function").ChildByFieldName("value"))) == name
	}
	return false
}

// mapsOnly reports whether the argument of `.map_err(..)` only converts
// the error: a path (`Error::from`) or a closure whose body is one inert
// expression (see inert).
func mapsOnly(src []byte, arg *sitter.Node) bool {
	arg = unparen(arg)
	switch arg.Type() {
	case "identifier", "scoped_identifier":
		return true
	case "closure_expression":
		body := unparen(arg.ChildByFieldName("body"))
		if body == nil {
			return false
		}
		if body.Type() == "block" {
			st := statements(body)
			if len(st) != 1 || st[0].Type() == "expression_statement" || st[0].Type() == "let_declaration" {
				return false
			}
			body = st[0]
		}
		return inert(src, body, "")
	}
	return false
}

// okPattern returns P of a pattern `Ok(P)`, or nil.
func okPattern(src []byte, pat *sitter.Node) *sitter.Node {
	if pat == nil || pat.Type() != "tuple_struct_pattern" || text(src, pat.ChildByFieldName("type")) != "Ok" {
		return nil
	}
	var args []*sitter.Node
	for _, c := range namedChildren(pat) {
		if c != pat.ChildByFieldName("type") {
			args = append(args, c)
		}
	}
	if len(args) != 1 {
		return nil
	}
	return args[0]
}

// blockForm replaces expr (an `if let Ok(P) = m.lock()` or a `match`) by
// `{ let P = m.L; BODY }`. body is the consequence block or the Ok arm's
// value; an arm's block is one level deeper than the result, so dedent.
func (p *swapPlan) blockForm(expr, pat *sitter.Node, recv, lock string, body *sitter.Node, dedent bool) []rewrite.Edit {
	src := p.fc.src
	nl, unit := p.fc.style.Newline, p.fc.style.Indent
	indent := string(src[lineStart(src, int(expr.StartByte())):expr.StartByte()])
	if strings.TrimSpace(indent) != "" {
		indent = leadingSpace(indent)
	}
	letLine := "let " + text(src, pat) + " = " + recv + "." + lock + ";"
	bt := text(src, body)
	var b strings.Builder
	switch {
	case body.Type() == "block" && strings.Contains(bt, "\n"):
		inner := strings.TrimLeft(bt[1:len(bt)-1], " \t")
		inner = strings.TrimPrefix(strings.TrimPrefix(inner, "\r"), "\n")
		inner = strings.TrimRight(inner, " \t")
		inner = strings.TrimSuffix(strings.TrimSuffix(inner, "\n"), "\r")
		if dedent {
			inner = dedentLines(inner, unit)
		}
		b.WriteString("{" + nl + indent + unit + letLine)
		if strings.TrimSpace(inner) != "" {
			b.WriteString(nl + strings.ReplaceAll(strings.ReplaceAll(inner, "\r\n", "\n"), "\n", nl))
		}
		b.WriteString(nl + indent + "}")
	case body.Type() == "block":
		in := strings.TrimSpace(bt[1 : len(bt)-1])
		b.WriteString("{ " + letLine)
		if in != "" {
			b.WriteString(" " + in)
		}
		b.WriteString(" }")
	default:
		e := bt
		if dedent {
			e = dedentLines(e, unit)
		}
		b.WriteString("{" + nl + indent + unit + letLine + nl + indent + unit + strings.ReplaceAll(strings.ReplaceAll(e, "\r\n", "\n"), "\n", nl) + nl + indent + "}")
	}
	return []rewrite.Edit{{Start: int(expr.StartByte()), End: int(expr.EndByte()), New: b.String()}}
}

// leadingSpace returns the whitespace that starts s.
func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}

// dedentLines removes one indentation unit from every line of s that
// starts with it (the first line of s is already cut at its text).
func dedentLines(s, unit string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, unit)
	}
	return strings.Join(lines, "\n")
}
