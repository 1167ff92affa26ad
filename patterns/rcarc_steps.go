package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// The edits of the steps beyond Rc to Arc: a Cell made an atomic or a
// Mutex, a RefCell layer removed around a lock, a trait object given the
// auto traits it lacks.

// atomicOf names the atomic type of each integer and bool type.
var atomicOf = map[string]string{
	"bool": "AtomicBool", "u8": "AtomicU8", "u16": "AtomicU16", "u32": "AtomicU32", "u64": "AtomicU64",
	"usize": "AtomicUsize", "i8": "AtomicI8", "i16": "AtomicI16", "i32": "AtomicI32", "i64": "AtomicI64",
	"isize": "AtomicIsize",
}

// seqCst is the ordering every rewritten atomic operation uses: the one
// that keeps the order of operations a Cell had on one thread.
const seqCst = "Ordering::SeqCst"

// cellKind returns what the group's Cells become: the atomic of the
// integer or bool type they hold when every one that spells its content
// spells the same such type, else "Mutex".
func (r *rcFile) cellKind(ms []*rcMention) string {
	kind := ""
	for _, m := range ms {
		if m.word != "Cell" {
			continue
		}
		k := ""
		p := m.span.Parent()
		switch {
		case p != nil && p.Type() == "generic_type" && p.ChildByFieldName("type") == m.span:
			ta := p.ChildByFieldName("type_arguments")
			if ta == nil || ta.NamedChildCount() != 1 {
				return "Mutex"
			}
			if k = atomicOf[text(r.src, ta.NamedChild(0))]; k == "" {
				return "Mutex"
			}
		case p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == m.span:
			call := p.Parent()
			if call == nil || call.Type() != "call_expression" {
				return "Mutex"
			}
			if args := call.ChildByFieldName("arguments"); args != nil && args.NamedChildCount() == 1 {
				switch a := args.NamedChild(0); a.Type() {
				case "boolean_literal":
					k = "AtomicBool"
				case "integer_literal":
					lit := text(r.src, a)
					for ty, at := range atomicOf {
						if strings.HasSuffix(lit, ty) && ty != "bool" {
							k = at
						}
					}
				}
			}
		}
		if k != "" {
			if kind != "" && kind != k {
				return "Mutex"
			}
			kind = k
		}
	}
	if kind == "" {
		return "Mutex"
	}
	return kind
}

// cellEdit changes one Cell mention of a group: `Cell<u64>` to
// `AtomicU64`, `Cell::new` to `AtomicU64::new`; or Cell to Mutex.
func (r *rcFile) cellEdit(g *rcGroup, m *rcMention) *refusal {
	edit := func(n *sitter.Node, s string) {
		g.edits = append(g.edits, rewrite.Edit{Start: int(n.StartByte()), End: int(n.EndByte()), New: s})
	}
	if g.cell == "Mutex" {
		if m.full {
			edit(m.span, "std::sync::Mutex")
		} else {
			g.needMutex = true
			edit(m.span, "Mutex")
		}
		return nil
	}
	p := m.span.Parent()
	switch {
	case p != nil && p.Type() == "generic_type" && p.ChildByFieldName("type") == m.span:
		edit(p, g.cell)
	case p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == m.span:
		edit(m.span, g.cell)
	default:
		return refuse(refuseShape, 0, "the Cell at line %d is spelled in a way sendfix cannot turn into `%s`; not changed", lineOf(r.src, int(m.node.StartByte())), g.cell)
	}
	if !strings.Contains(strings.Join(g.atomics, ","), g.cell) {
		g.atomics = append(g.atomics, g.cell)
	}
	return nil
}

// cellCallEdit rewrites a call of a Cell method on the group: for an
// atomic, `get()` to `load(..)`, `set(v)` to `store(v, ..)` or, for
// `x.set(x.get() + n)`, `fetch_add(n, ..)`, `replace(v)` to `swap(v, ..)`;
// for a Mutex, `get()` to `*x.lock().unwrap()` and `set(v)` to
// `*x.lock().unwrap() = v`.
func (r *rcFile) cellCallEdit(g *rcGroup, b *rcBorrow) *refusal {
	if b.start < g.consumed {
		return nil // inside a call an earlier edit rewrote whole
	}
	line := lineOf(r.src, b.start)
	add := func(start, end int, s string) {
		g.edits = append(g.edits, rewrite.Edit{Start: start, End: end, New: s})
	}
	call := b.at
	token := call.Type() == "token_tree"
	var args *sitter.Node
	if !token {
		args = call.ChildByFieldName("arguments")
	}
	name := b.start + len(b.method)
	if g.cell != "Mutex" {
		g.ordering = true
		switch b.method {
		case "get":
			add(b.start, b.end, "load("+seqCst+")")
		case "set", "replace":
			if op, rhs := r.fetchForm(b); op != "" && g.cell != "AtomicBool" {
				add(b.start, b.end, op+"("+rhs+", "+seqCst+")")
				g.consumed = b.end
				return nil
			}
			add(b.start, name, map[string]string{"set": "store", "replace": "swap"}[b.method])
			add(b.end-1, b.end-1, ", "+seqCst)
		case "get_mut", "into_inner":
		default:
			return refuse(refuseCounterpart, 0, "`.%s()` at line %d has no same-meaning method on `%s`; not changed", b.method, line, g.cell)
		}
		return nil
	}
	// A Mutex: the value is reached through the guard.
	recv := b.recvNode
	if token && b.tokenField {
		return refuse(refuseMacro, 0, "`.%s()` at line %d is inside a macro, where sendfix cannot reach the Cell through a lock; not changed", b.method, line)
	}
	if !token && r.sendBodyAt(b.start) != nil {
		if region := tempRegion(call); region != nil && hasAwait(r.src, region) {
			return refuse(refuseShape, 0, "`.%s()` at line %d is in a statement that awaits; its Mutex guard would live through the await; not changed", b.method, line)
		}
	}
	switch b.method {
	case "get":
		wrap := !token && needsParens(call)
		open, close := "*", ""
		if wrap {
			open, close = "(*", ")"
		}
		add(int(recv.StartByte()), int(recv.StartByte()), open)
		add(b.start, b.end, "lock().unwrap()"+close)
	case "set":
		stmt := call.Parent()
		if token || stmt == nil || stmt.Type() != "expression_statement" {
			return refuse(refuseCounterpart, 0, "the value of `.set(..)` at line %d is used; as a Mutex it would not be the same; not changed", line)
		}
		add(int(recv.StartByte()), int(recv.StartByte()), "*")
		if op, rhs := r.fetchForm(b); op != "" {
			add(b.start, b.end, "lock().unwrap() "+map[string]string{"fetch_add": "+=", "fetch_sub": "-="}[op]+" "+rhs)
			g.consumed = b.end
			return nil
		}
		if r.callsIn(g, args) {
			return refuse(refuseCounterpart, 0, "`.set(..)` at line %d reads the same Cell in its argument; as one Mutex that would lock it twice; not changed", line)
		}
		add(b.start, int(args.StartByte())+1, "lock().unwrap() = ")
		add(int(args.EndByte())-1, int(args.EndByte()), "")
	case "get_mut", "into_inner":
		add(b.start, b.end, b.method+"().unwrap()")
	default:
		return refuse(refuseCounterpart, 0, "`.%s()` at line %d has no same-meaning Mutex method; not changed", b.method, line)
	}
	return nil
}

// needsParens reports whether `*x.lock().unwrap()` put in place of call
// needs parentheses: when call is the receiver of a method or field, the
// operand of `?` or of an index.
func needsParens(call *sitter.Node) bool {
	p := call.Parent()
	if p == nil {
		return false
	}
	switch p.Type() {
	case "field_expression", "index_expression", "try_expression", "await_expression":
		return true
	case "call_expression":
		return p.ChildByFieldName("function") == call
	}
	return false
}

// fetchForm recognises `x.set(x.get() + n)` (or `-`), and returns the
// atomic method that does it at once and n's text. Only a statement
// qualifies: fetch_add returns the old value where set returns ().
func (r *rcFile) fetchForm(b *rcBorrow) (op, rhs string) {
	call := b.at
	if call.Type() != "call_expression" || b.method != "set" {
		return "", ""
	}
	if p := call.Parent(); p == nil || p.Type() != "expression_statement" {
		return "", ""
	}
	args := call.ChildByFieldName("arguments")
	if args == nil || args.NamedChildCount() != 1 {
		return "", ""
	}
	bin := unparen(args.NamedChild(0))
	if bin.Type() != "binary_expression" {
		return "", ""
	}
	op = map[string]string{"+": "fetch_add", "-": "fetch_sub"}[text(r.src, bin.ChildByFieldName("operator"))]
	left := unparen(bin.ChildByFieldName("left"))
	if op == "" || left.Type() != "call_expression" {
		return "", ""
	}
	fe := left.ChildByFieldName("function")
	if fe.Type() != "field_expression" || text(r.src, fe.ChildByFieldName("field")) != "get" ||
		left.ChildByFieldName("arguments").NamedChildCount() != 0 ||
		compactText(r.src, fe.ChildByFieldName("value")) != compactText(r.src, b.recvNode) {
		return "", ""
	}
	return op, text(r.src, bin.ChildByFieldName("right"))
}

// callsIn reports whether a call the rule tracks on the group lies in n.
func (r *rcFile) callsIn(g *rcGroup, n *sitter.Node) bool {
	for _, b := range r.borrows {
		if b.recv.ok() && r.find(b.recv) == g.root && int(n.StartByte()) <= b.start && b.start < int(n.EndByte()) {
			return true
		}
	}
	return false
}

// unwrapEdit removes a RefCell layer: `RefCell<L>` becomes `L`,
// `RefCell::new(l)` becomes `l` (deleting what is around the inner part,
// so edits inside it stay apart).
func (r *rcFile) unwrapEdit(g *rcGroup, m *rcMention) *refusal {
	var outer, inner *sitter.Node
	p := m.span.Parent()
	switch {
	case p != nil && p.Type() == "generic_type" && p.ChildByFieldName("type") == m.span:
		if ta := p.ChildByFieldName("type_arguments"); ta != nil && ta.NamedChildCount() == 1 {
			outer, inner = p, ta.NamedChild(0)
		}
	case p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == m.span && text(r.src, p.ChildByFieldName("name")) == "new":
		if call := p.Parent(); call != nil && call.Type() == "call_expression" {
			if args := call.ChildByFieldName("arguments"); args != nil && args.NamedChildCount() == 1 {
				outer, inner = call, args.NamedChild(0)
			}
		}
	}
	if outer == nil {
		return refuse(refuseShape, 0, "the RefCell at line %d is spelled in a way sendfix cannot remove; not changed", lineOf(r.src, int(m.node.StartByte())))
	}
	g.edits = append(g.edits,
		rewrite.Edit{Start: int(outer.StartByte()), End: int(inner.StartByte())},
		rewrite.Edit{Start: int(inner.EndByte()), End: int(outer.EndByte())})
	return nil
}

// tokioLockMethods are the methods of tokio's locks that take &self: after
// `.borrow()` of a RefCell around one, the borrow can go.
var tokioLockMethods = map[string]bool{"lock": true, "read": true, "write": true, "try_lock": true, "try_read": true, "try_write": true}

// unwrapBorrow removes `.borrow()` before a lock method of the inner lock.
func (r *rcFile) unwrapBorrow(g *rcGroup, b *rcBorrow) *refusal {
	call := b.at
	if call.Type() == "token_tree" {
		// `q . borrow ( ) . lock ( )` in a macro's tokens.
		n := int(call.ChildCount())
		for i := 1; i+3 < n; i++ {
			if int(call.Child(i).StartByte()) == b.start && text(r.src, call.Child(i+2)) == "." && tokioLockMethods[text(r.src, call.Child(i+3))] {
				g.edits = append(g.edits, rewrite.Edit{Start: int(call.Child(i - 1).StartByte()), End: b.end})
				return nil
			}
		}
	}
	if call.Type() == "call_expression" {
		if fe := call.Parent(); fe != nil && fe.Type() == "field_expression" && tokioLockMethods[text(r.src, fe.ChildByFieldName("field"))] {
			recv := call.ChildByFieldName("function").ChildByFieldName("value")
			g.edits = append(g.edits, rewrite.Edit{Start: int(recv.EndByte()), End: int(call.EndByte())})
			return nil
		}
	}
	return refuse(refuseCounterpart, 0, "`.%s()` at line %d is not followed by a lock method; without the RefCell it would have no meaning; not changed", b.method, lineOf(r.src, b.start))
}

// dynEdits gives the group's trait objects the auto traits they lack
// (`dyn Handler` to `dyn Handler + Send + Sync`), and the same bounds to
// the type parameters of the file's generic fns that box one into an
// object (`fn add<H: Handler>(h: H) { .. Rc::new(h) .. }`). It refuses
// when a type the file coerces into such an object is not Send: an
// implementation of the trait in the file, or a closure boxed in the file
// that captures a value that is not.
func (r *rcFile) dynEdits(g *rcGroup) *refusal {
	for _, d := range r.groupDyns(g) {
		if add := missingBounds(d.t.bounds, g.dyn[d.t.name]); add != "" {
			g.edits = append(g.edits, rewrite.Edit{Start: int(d.top.EndByte()), End: int(d.top.EndByte()), New: add})
		}
	}
	env := r.env()
	for trait, need := range g.dyn {
		if trait == "Fn" || trait == "FnMut" || trait == "FnOnce" {
			if why := r.boxedClosuresSend(need); why != nil {
				return why
			}
		}
		for _, im := range r.impls {
			if lastSegment(strings.Join(strings.Fields(text(r.src, im.ChildByFieldName("trait"))), "")) != trait {
				continue
			}
			self := lowerType(r.src, im.ChildByFieldName("type"), nil)
			for _, tr := range need {
				if ls := env.lacks(self, tr); len(ls) > 0 {
					return refuse(refuseCounterpart, 0, "`%s` implements `%s` but %s, so `dyn %s + %s` would not hold it; not changed", self.text, trait, ls[0], trait, tr)
				}
			}
		}
		g.edits = append(g.edits, r.constructorBounds(trait, need)...)
	}
	return nil
}

// missingBounds returns ` + Send`, ` + Sync` for the traits of need that
// bounds does not spell.
func missingBounds(bounds []string, need []autoTrait) string {
	s := ""
	for _, tr := range []autoTrait{traitSend, traitSync} {
		for _, n := range need {
			if n == tr && !strings.Contains(","+strings.Join(bounds, ",")+",", ","+tr.String()+",") {
				s += " + " + tr.String()
			}
		}
	}
	return s
}

// boxedClosuresSend returns why a closure the file boxes (`Box::new(|..|
// ..)`) cannot be a `dyn Fn.. + Send (+ Sync)`: it captures a value whose
// type is not.
func (r *rcFile) boxedClosuresSend(need []autoTrait) *refusal {
	env := r.env()
	for _, f := range r.flows {
		if f.typ != "call_expression" || !r.isBoxingCall(f.n) {
			continue
		}
		c := unparen(spawnArg(f.n))
		if c == nil || c.Type() != "closure_expression" {
			continue
		}
		lo := sort.Search(len(r.uses), func(i int) bool { return r.uses[i].StartByte() >= c.StartByte() })
		for _, u := range r.uses[lo:] {
			if u.StartByte() >= c.EndByte() {
				break
			}
			for _, name := range r.useNames(u) {
				bd := r.resolveBind(u, name)
				if bd == nil || !bd.spelling.ok() || bd.start >= c.StartByte() {
					continue
				}
				t := r.spellingType(bd.spelling, 0)
				for _, tr := range need {
					if ls := env.lacks(t, tr); len(ls) > 0 {
						return refuse(refuseCounterpart, 0, "the closure boxed at line %d captures `%s`, and %s; not changed", lineOf(r.src, int(c.StartByte())), name, ls[0])
					}
				}
			}
		}
	}
	return nil
}

// isBoxingCall reports whether call is `Box::new(..)`, `Rc::new(..)` or
// `Arc::new(..)`: where a value may be coerced into a trait object.
func (r *rcFile) isBoxingCall(call *sitter.Node) bool {
	fn := call.ChildByFieldName("function")
	if fn == nil || fn.Type() != "scoped_identifier" || text(r.src, fn.ChildByFieldName("name")) != "new" {
		return false
	}
	switch lastSegment(strings.Join(strings.Fields(text(r.src, fn.ChildByFieldName("path"))), "")) {
	case "Box", "Rc", "Arc":
		return true
	}
	return false
}

// constructorBounds returns the edits that add the needed auto traits to
// the bounds of the file's generic fns that box a parameter bounded by
// trait (`H: Handler`, `impl Handler`, `F: FnMut(u32)`) into an object.
func (r *rcFile) constructorBounds(trait string, need []autoTrait) []rewrite.Edit {
	var out []rewrite.Edit
	seen := map[*sitter.Node]bool{}
	for _, f := range r.flows {
		if f.typ != "call_expression" || !r.isBoxingCall(f.n) {
			continue
		}
		a := unparen(spawnArg(f.n))
		if a == nil || a.Type() != "identifier" {
			continue
		}
		k, _ := r.resolve(a, text(r.src, a))
		s := r.spellings[k]
		if k.kind != spellingParam || s == nil || s.typ == nil {
			continue
		}
		for _, b := range r.paramBounds(s, trait) {
			if !seen[b] {
				seen[b] = true
				if add := missingBounds(boundWords(r.src, b), need); add != "" {
					out = append(out, rewrite.Edit{Start: int(b.EndByte()), End: int(b.EndByte()), New: add})
				}
			}
		}
	}
	return out
}

// paramBounds returns the bound lists that say a parameter's type
// implements trait: `impl Trait`, or the bounds of its type parameter in
// the fn's generics and where clause.
func (r *rcFile) paramBounds(s *rcSpelling, trait string) []*sitter.Node {
	spells := func(n *sitter.Node) bool {
		for _, w := range boundWords(r.src, n) {
			if w == trait {
				return true
			}
		}
		return false
	}
	if s.typ.Type() == "abstract_type" {
		if spells(s.typ) {
			return []*sitter.Node{s.typ}
		}
		return nil
	}
	if s.typ.Type() != "type_identifier" {
		return nil
	}
	name := text(r.src, s.typ)
	fn := s.decl.Parent().Parent()
	var out []*sitter.Node
	if tp := fn.ChildByFieldName("type_parameters"); tp != nil {
		for _, p := range namedChildren(tp) {
			if p.Type() == "constrained_type_parameter" && text(r.src, p.ChildByFieldName("left")) == name && spells(p.ChildByFieldName("bounds")) {
				out = append(out, p.ChildByFieldName("bounds"))
			}
		}
	}
	for _, c := range namedChildren(fn) {
		if c.Type() != "where_clause" {
			continue
		}
		for _, p := range namedChildren(c) {
			if p.Type() == "where_predicate" && text(r.src, p.ChildByFieldName("left")) == name && spells(p.ChildByFieldName("bounds")) {
				out = append(out, p.ChildByFieldName("bounds"))
			}
		}
	}
	return out
}

// boundWords returns the last segments of the traits a bound list (or an
// `impl A + B`) spells.
func boundWords(src []byte, n *sitter.Node) []string {
	var out []string
	walk(n, func(c *sitter.Node) bool {
		switch c.Type() {
		case "type_identifier", "scoped_type_identifier":
			out = append(out, lastSegment(strings.Join(strings.Fields(text(src, c)), "")))
			return false
		case "function_type":
			if t := c.ChildByFieldName("trait"); t != nil {
				out = append(out, lastSegment(text(src, t)))
			}
			return false
		case "type_arguments", "parameters":
			return false
		}
		return true
	})
	return out
}
