package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// A lock inside a sync closure of async code, `keys.iter().map(|k|
// book.lock().unwrap()[k].clone()).collect()`: `.lock().await` cannot go
// in the closure and `blocking_lock()` panics there. When the closure
// runs within its statement (an iterator chain ending in a consumer, or
// an eager method such as `for_each`, `retain`, `sort_by_key`), one guard
// is taken before the statement and dropped after it:
//
//	let book_guard = book.lock().await;
//	let v: Vec<_> = keys.iter().map(|k| book_guard[k].clone()).collect();
//	drop(book_guard);
//
// The lock is then held for the whole statement instead of each call,
// which no other code can observe as long as the statement takes no
// other lock and does not await (both are refused).

// closureHoist is the guard hoisted before one statement.
type closureHoist struct {
	stmt *sitter.Node // the statement (a direct child of a block)
	tail bool         // the block's tail expression: no drop after it
	recv string       // the receiver's text
	call string       // `book.lock().await`
	name string       // the guard's name
	mut  bool
}

// eagerMethods call their closure before they return.
var eagerMethods = map[string]bool{
	"for_each": true, "try_for_each": true, "retain": true, "retain_mut": true, "sort_by": true,
	"sort_by_key": true, "sort_unstable_by": true, "sort_unstable_by_key": true, "sort_by_cached_key": true,
	"any": true, "all": true, "find": true, "find_map": true, "position": true, "rposition": true,
	"fold": true, "try_fold": true, "reduce": true, "max_by_key": true, "min_by_key": true, "max_by": true,
	"min_by": true, "partition": true, "dedup_by_key": true, "dedup_by": true, "binary_search_by": true,
	"binary_search_by_key": true, "unwrap_or_else": true, "map_or": true, "map_or_else": true,
	"is_some_and": true, "is_ok_and": true, "get_or_insert_with": true, "or_insert_with": true,
	"or_insert_with_key": true, "then": true,
}

// lazyAdapters return iterators that call their closure later, when
// consumed.
var lazyAdapters = map[string]bool{
	"map": true, "filter": true, "filter_map": true, "flat_map": true, "take_while": true,
	"skip_while": true, "map_while": true, "inspect": true, "scan": true, "flatten": true,
	"enumerate": true, "rev": true, "skip": true, "take": true, "chain": true, "zip": true,
	"cloned": true, "copied": true, "peekable": true, "step_by": true,
}

// consumers run an iterator to its end (or to what they need) before
// they return.
var consumers = map[string]bool{
	"collect": true, "sum": true, "product": true, "count": true, "last": true, "max": true,
	"min": true, "nth": true, "unzip": true, "for_each": true, "fold": true, "any": true, "all": true,
	"find": true, "position": true, "partition": true, "reduce": true, "max_by_key": true,
	"min_by_key": true, "max_by": true, "min_by": true, "find_map": true, "try_for_each": true,
	"try_fold": true, "eq": true, "cmp": true, "partial_cmp": true, "ne": true, "lt": true,
	"le": true, "gt": true, "ge": true, "next": true,
}

// chainMethod returns the method a call calls, `x.m(..)` or
// `x.m::<T>(..)`, and its receiver, or "".
func chainMethod(src []byte, call *sitter.Node) (string, *sitter.Node) {
	if call == nil || call.Type() != "call_expression" {
		return "", nil
	}
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil || fn.Type() != "field_expression" {
		return "", nil
	}
	return text(src, fn.ChildByFieldName("field")), fn.ChildByFieldName("value")
}

// guardExpr returns the expression of a lock call that is the guard
// (`m.lock().unwrap()`, `.expect(..)`, `.unwrap_or_else(recover)`, `?`,
// `.map_err(F)?`, `.ok()?`) and whose error path the swap may drop, or
// nil.
func guardExpr(src []byte, call *sitter.Node) *sitter.Node {
	a, ok := callAcquisition(src, call)
	if !ok || !valueShape(a.shape) || errorPathDoes(src, a) != nil {
		return nil
	}
	return a.expr
}

// stableRecv reports whether a receiver can be evaluated once before the
// statement: a name, `self`, or fields of those, behind `&` or `*`.
func stableRecv(n *sitter.Node) bool {
	n = unparen(n)
	if n == nil {
		return false
	}
	switch n.Type() {
	case "identifier", "self":
		return true
	case "field_expression":
		return stableRecv(n.ChildByFieldName("value"))
	case "reference_expression", "unary_expression":
		return stableRecv(n.NamedChild(int(n.NamedChildCount()) - 1))
	}
	return false
}

// hoistStmtParents are the nodes between a hoisted closure and its
// statement: each evaluates its parts unconditionally, once.
var hoistStmtParents = map[string]bool{
	"arguments": true, "call_expression": true, "field_expression": true, "try_expression": true,
	"reference_expression": true, "parenthesized_expression": true, "unary_expression": true,
	"type_cast_expression": true, "index_expression": true, "binary_expression": true,
	"generic_function": true,
}

// hoistStmt returns the statement a closure's lock is hoisted before and
// whether it is its block's tail, or why none.
func (p *swapPlan) hoistStmt(clo *sitter.Node) (*sitter.Node, bool, string) {
	n := clo
	for {
		par := n.Parent()
		if par == nil {
			return nil, false, "it is outside any block"
		}
		switch {
		case par.Type() == "block":
			st := statements(par)
			return n, len(st) > 0 && st[len(st)-1] == n && n.Type() != "expression_statement" && n.Type() != "let_declaration", ""
		case par.Type() == "let_declaration" || par.Type() == "expression_statement":
			if par.Type() == "let_declaration" && par.ChildByFieldName("value") != n {
				return nil, false, "it is not in the let's value"
			}
			n = par
		case hoistStmtParents[par.Type()]:
			n = par
		default:
			return nil, false, fmt.Sprintf("it sits in %s, which may not run it", strings.ReplaceAll(par.Type(), "_", " "))
		}
	}
}

// runsInStatement reports whether a closure argument is called before
// its statement ends: the argument of an eager method, or of a lazy
// adapter whose chain reaches a consumer.
func runsInStatement(src []byte, clo *sitter.Node) bool {
	args := clo.Parent()
	if args == nil || args.Type() != "arguments" {
		return false
	}
	call := args.Parent()
	m, _ := chainMethod(src, call)
	for {
		switch {
		case eagerMethods[m] || consumers[m]:
			return true
		case !lazyAdapters[m]:
			return false
		}
		// The next method of the chain: call is the receiver of it.
		fe := call.Parent()
		if fe == nil || fe.Type() != "field_expression" {
			return false
		}
		next := fe.Parent()
		if next != nil && next.Type() == "generic_function" {
			next = next.Parent()
		}
		if next == nil || next.Type() != "call_expression" {
			return false
		}
		call = next
		m, _ = chainMethod(src, call)
	}
}

// hoistable returns why the lock call in the sync closure clo cannot be
// hoisted before its statement, or nil.
func (p *swapPlan) hoistable(call, clo *sitter.Node) *refusal {
	src := p.fc.src
	line := lineOf(src, int(call.StartByte()))
	no := func(format string, args ...any) *refusal {
		return refuse(refuseSyncCode, line, "the lock at line %d is in a sync closure inside async code (`.lock().await` cannot go there and `blocking_lock()` would panic on a runtime thread), and sendfix cannot take it before the statement: %s", line, fmt.Sprintf(format, args...))
	}
	if strings.HasPrefix(strings.TrimSpace(text(src, clo)), "move") {
		return no("the closure is `move`")
	}
	if guardExpr(src, call) == nil {
		return no("the lock is not written as a guard (`.lock().unwrap()`, `.expect(..)`, `?`)")
	}
	recv := call.ChildByFieldName("function").ChildByFieldName("value")
	if !stableRecv(recv) {
		return no("its receiver `%s` is not a name or field", compactText(src, recv))
	}
	for _, nm := range identsIn(src, recv) {
		if bindsIn(src, clo.ChildByFieldName("parameters"), nm) || letBindsBefore(src, clo, call, nm) {
			return no("its receiver `%s` is bound inside the closure", compactText(src, recv))
		}
	}
	if !runsInStatement(src, clo) {
		return no("sendfix cannot tell that the closure runs before the statement ends (an iterator chain without a consumer, or a method it does not know)")
	}
	st, _, why := p.hoistStmt(clo)
	if why != "" {
		return no("%s", why)
	}
	if hasAwait(src, st) {
		return no("the statement awaits, and the guard would be held across it")
	}
	if ls := lineStart(src, int(st.StartByte())); strings.TrimSpace(string(src[ls:st.StartByte()])) != "" {
		return no("the statement does not start its line")
	}
	if le := lineEnd(src, int(st.EndByte())); !onlyComments(string(src[st.EndByte():le])) {
		return no("another statement follows it on its line")
	}
	want := compact(text(src, recv))
	var other *sitter.Node
	walk(st, func(n *sitter.Node) bool {
		if other != nil {
			return false
		}
		if n.Type() == "call_expression" && lockKind(src, n) != "" {
			r := n.ChildByFieldName("function").ChildByFieldName("value")
			if compact(text(src, r)) != want || ancestor(n, "closure_expression") == nil || !contains(st, ancestor(n, "closure_expression")) {
				other = n
			}
		}
		return true
	})
	if other != nil {
		return no("the statement takes another lock at line %d, and the two would be held together", lineOf(src, int(other.StartByte())))
	}
	return nil
}

// identsIn returns the identifiers of an expression (not field names).
func identsIn(src []byte, n *sitter.Node) []string {
	var out []string
	walk(n, func(c *sitter.Node) bool {
		if c.Type() == "identifier" {
			out = append(out, text(src, c))
		}
		return true
	})
	return out
}

// letBindsBefore reports whether a let inside the closure clo, before
// node at, binds name.
func letBindsBefore(src []byte, clo, at *sitter.Node, name string) bool {
	found := false
	walk(clo.ChildByFieldName("body"), func(n *sitter.Node) bool {
		if found || n.StartByte() >= at.StartByte() {
			return false
		}
		if n.Type() == "let_declaration" && bindsName(src, n, name) {
			found = true
		}
		return true
	})
	return found
}

// readOnlyMethods do not need `&mut` through the guard.
var readOnlyMethods = map[string]bool{
	"len": true, "is_empty": true, "get": true, "contains": true, "contains_key": true, "iter": true,
	"keys": true, "values": true, "clone": true, "cloned": true, "first": true, "last": true,
	"to_string": true, "to_vec": true, "to_owned": true, "as_str": true, "as_slice": true,
	"starts_with": true, "ends_with": true, "copied": true, "eq": true, "ne": true,
}

// hoistNeedsMut reports whether the guard replacing acquisition acq may be
// used mutably: anything but a read-only method, an index or deref read.
func hoistNeedsMut(src []byte, acq *sitter.Node) bool {
	par := acq.Parent()
	if par == nil {
		return true
	}
	switch par.Type() {
	case "field_expression":
		if call := par.Parent(); call != nil && call.Type() == "call_expression" {
			return !readOnlyMethods[methodName(src, call)]
		}
		return true
	case "index_expression", "unary_expression":
		gp := par.Parent()
		if gp == nil {
			return true
		}
		switch gp.Type() {
		case "assignment_expression", "compound_assignment_expr":
			return gp.ChildByFieldName("left") == par
		case "reference_expression":
			return strings.HasPrefix(text(src, gp), "&mut")
		case "field_expression":
			if call := gp.Parent(); call != nil && call.Type() == "call_expression" {
				return !readOnlyMethods[methodName(src, call)]
			}
			return true
		}
		return false
	}
	return true
}

// hoistEdits replaces one lock call in a sync closure by the guard
// hoisted before its statement; the statement's own edits come from
// hoistStmtEdits.
func (p *swapPlan) hoistEdits(call, clo *sitter.Node) ([]rewrite.Edit, *refusal) {
	src := p.fc.src
	st, tail, _ := p.hoistStmt(clo)
	recv := call.ChildByFieldName("function").ChildByFieldName("value")
	method := text(src, call.ChildByFieldName("function").ChildByFieldName("field"))
	acq := guardExpr(src, call)
	if p.hoists == nil {
		p.hoists = map[*sitter.Node]*closureHoist{}
	}
	h := p.hoists[st]
	if h == nil {
		h = &closureHoist{stmt: st, tail: tail, recv: compact(text(src, recv)), call: text(src, recv) + "." + tokioLock(method, modeAwait)}
		h.name = p.freshGuardName(st, lastName(src, recv))
		p.hoists[st] = h
		p.hoistOrder = append(p.hoistOrder, st)
	}
	h.mut = h.mut || hoistNeedsMut(src, acq)
	p.hoisted++
	return []rewrite.Edit{{Start: int(recv.StartByte()), End: int(acq.EndByte()), New: h.name}}, nil
}

// lastName is the last name of a receiver: `book` of `self.book`.
func lastName(src []byte, recv *sitter.Node) string {
	recv = unparen(recv)
	switch recv.Type() {
	case "identifier":
		return text(src, recv)
	case "field_expression":
		if f := recv.ChildByFieldName("field"); f.Type() == "field_identifier" {
			return text(src, f)
		}
		return lastName(src, recv.ChildByFieldName("value"))
	case "reference_expression", "unary_expression":
		return lastName(src, recv.NamedChild(int(recv.NamedChildCount())-1))
	}
	return "lock"
}

// freshGuardName returns `<base>_guard`, numbered when the fn around n
// already uses the name.
func (p *swapPlan) freshGuardName(n *sitter.Node, base string) string {
	fn := ancestor(n, "function_item")
	if fn == nil {
		fn = p.fc.root
	}
	used := map[string]bool{}
	walk(fn, func(c *sitter.Node) bool {
		if c.Type() == "identifier" {
			used[text(p.fc.src, c)] = true
		}
		return true
	})
	for _, h := range p.hoists {
		used[h.name] = true
	}
	name := base + "_guard"
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s_guard%d", base, i)
	}
	return name
}

// hoistStmtEdits takes each hoisted guard before its statement and drops
// it after (a tail expression ends its block, which drops it).
func (p *swapPlan) hoistStmtEdits() []rewrite.Edit {
	src := p.fc.src
	nl := p.fc.style.Newline
	var out []rewrite.Edit
	for _, st := range p.hoistOrder {
		h := p.hoists[st]
		ls := lineStart(src, int(st.StartByte()))
		indent := string(src[ls:st.StartByte()])
		mut := ""
		if h.mut {
			mut = "mut "
		}
		out = append(out, rewrite.Edit{Start: ls, End: ls, New: indent + "let " + mut + h.name + " = " + h.call + ";" + nl})
		if !h.tail {
			le := lineEnd(src, int(st.EndByte()))
			out = append(out, rewrite.Edit{Start: le, End: le, New: nl + indent + "drop(" + h.name + ");"})
		}
	}
	return out
}
