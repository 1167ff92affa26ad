package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Lock sites: every zero-argument `.lock()` (`.read()`, `.write()`) of a
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

// siteEdits returns the edits that turn one lock call into a tokio lock
// and whether it is converted (false for a lock that is not std's of the
// plan's families, already tokio's, or of std::io's handles), or why not.
func (p *swapPlan) siteEdits(call *sitter.Node) ([]rewrite.Edit, bool, *refusal) {
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
	at := p.sc.siteAt(call)
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

// shapeEdits returns the edits of a lock site in async code or sync code
// off the runtime: lock is the tokio call that replaces `lock()`.
func (p *swapPlan) shapeEdits(call, recv *sitter.Node, method, lock string) ([]rewrite.Edit, *refusal) {
	src := p.fc.src
	field := call.ChildByFieldName("function").ChildByFieldName("field")
	line := lineOf(src, int(call.StartByte()))
	par := call.Parent()
	unknown := refuse(refuseShape, line, "the lock at line %d (`%s`) has a shape sendfix does not convert", line, compactText(src, call))
	errPath := func(what *sitter.Node) *refusal {
		return refuse(refuseErrorPath, line, "the error path of the lock at line %d (`%s`) does more than propagate the error; tokio's lock cannot be poisoned, so it would be dropped: convert it by hand", line, compactText(src, what))
	}
	replace := func(end *sitter.Node) []rewrite.Edit {
		return []rewrite.Edit{{Start: int(field.StartByte()), End: int(end.EndByte()), New: lock}}
	}
	recvText := text(src, recv)
	switch {
	case par == nil:
	case par.Type() == "try_expression":
		return replace(par), nil // m.lock()?
	case par.Type() == "field_expression" && par.Parent() != nil && par.Parent().Type() == "call_expression":
		outer := par.Parent()
		args := namedChildren(outer.ChildByFieldName("arguments"))
		switch methodName(src, outer) {
		case "unwrap", "expect":
			return replace(outer), nil
		case "unwrap_or_else":
			if len(args) != 1 || !recovers(src, args[0]) {
				return nil, errPath(outer)
			}
			return replace(outer), nil
		case "map_err", "ok":
			if methodName(src, outer) == "map_err" && (len(args) != 1 || !mapsOnly(src, args[0])) {
				return nil, errPath(outer)
			}
			if tp := outer.Parent(); tp != nil && tp.Type() == "try_expression" {
				return replace(tp), nil
			}
		}
	case par.Type() == "let_declaration" && par.ChildByFieldName("alternative") != nil:
		pat := par.ChildByFieldName("pattern")
		inner := okPattern(src, pat)
		if inner == nil {
			break
		}
		alt := par.ChildByFieldName("alternative")
		if !propagates(src, alt, "") {
			return nil, errPath(alt)
		}
		return []rewrite.Edit{
			{Start: int(pat.StartByte()), End: int(pat.EndByte()), New: text(src, inner)},
			{Start: int(field.StartByte()), End: int(call.EndByte()), New: lock},
			{Start: int(call.EndByte()), End: int(alt.EndByte())},
		}, nil
	case par.Type() == "let_condition":
		ifx := par.Parent()
		inner := okPattern(src, par.ChildByFieldName("pattern"))
		if ifx == nil || ifx.Type() != "if_expression" || ifx.ChildByFieldName("condition") != par || inner == nil {
			break
		}
		if alt := ifx.ChildByFieldName("alternative"); alt != nil {
			b := alt.NamedChild(0)
			if b == nil || b.Type() != "block" || !propagates(src, b, "") {
				return nil, errPath(alt)
			}
		}
		return p.blockForm(ifx, inner, recvText, lock, ifx.ChildByFieldName("consequence"), false), nil
	case par.Type() == "match_expression":
		return p.matchEdits(par, recvText, lock, unknown, errPath)
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

// panicMacros diverge without returning.
var panicMacros = map[string]bool{"panic": true, "unreachable": true, "unimplemented": true, "todo": true}

// propagates reports whether an error path only propagates the error,
// panics, recovers the poisoned guard (`e.into_inner()`, errName being the
// error's binding), does nothing, or leaves the loop or fn: `{}`,
// `return ..`, `break`, `continue`, `Err(..)?`, `panic!(..)`, an
// `Err(..)`/`None` value. Anything else (a log line, a retry, an exit)
// is behaviour the swap would drop.
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
	case "return_expression", "break_expression", "continue_expression", "try_expression", "unit_expression":
		return true
	case "macro_invocation":
		return panicMacros[compact(text(src, n.ChildByFieldName("macro")))]
	case "call_expression":
		if fn := n.ChildByFieldName("function"); fn != nil && fn.Type() == "identifier" && text(src, fn) == "Err" {
			return true
		}
	}
	return errName != "" && recoversIn(src, n, errName) || pureValue(src, n)
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
// the error: a path (`Error::from`) or a closure whose body is one
// expression.
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
			return len(st) == 1 && st[0].Type() != "expression_statement" && st[0].Type() != "let_declaration"
		}
		return true
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
