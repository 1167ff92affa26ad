package patterns

import (
	"fmt"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// runMutexScope finds lock guards alive across an await of a Send-required
// future and ends their life before the await with a scope block:
//
//   - The block runs from the guard's let to the last use of the guard and
//     of every binding that borrows from it (the ownership model of
//     facts_own.go); bindings made in the block and used after it come out
//     as its value (a tuple for several).
//   - What the awaited statement computes from the guard before the await
//     (`send(format!("{}", g.len())).await`) is hoisted into the block as
//     a value, when it is owned and moving it does not reorder calls.
//   - A guard that must stay held (used after the await, or borrowed by a
//     value used after it) goes to tokio-mutex (fileCtx.held) when that
//     rule is on and not --all-async; otherwise it is reported unfixed.
//     So is a value whose ownership is unknown and that is used after the
//     await: the reason names it.
//
// Temporary guards (scrutinees, arguments, block tails) are in
// mutexscope_temps.go.
func runMutexScope(fc *fileCtx) []proposal {
	sc := &scopeCtx{fc: fc, names: map[uint32]map[string]bool{}}
	var out []proposal
	guards := findGuards(fc)
	byBlock := map[[2]uint32][]*guard{}
	for _, g := range guards {
		k := [2]uint32{g.block.StartByte(), g.block.EndByte()}
		byBlock[k] = append(byBlock[k], g)
	}
	// covered maps a guard wrapped by an earlier guard's block to that
	// fix, so both findings carry the same (deduplicated) edits.
	covered := map[*guard]proposal{}
	for _, g := range guards {
		f := guardFinding(fc, g)
		if p, ok := covered[g]; ok {
			f.Fix = fmt.Sprintf("scoped the guard together with `%s` (held when it is taken) so both are dropped before the await", p.f.Name)
			out = append(out, proposal{f: f, edits: p.edits})
			continue
		}
		plan, ref := sc.plan(g, byBlock[[2]uint32{g.block.StartByte(), g.block.EndByte()}])
		if ref == nil {
			var edits []rewrite.Edit
			var why string
			edits, why = sc.edits(g, plan)
			if why != "" {
				ref = &scopeRefusal{why: fmt.Sprintf("%s (guard `%s`, await at line %d)", why, g.name, lineOf(fc.src, f.Await.Offset))}
			} else {
				f.Fix = "scoped the guard so it is dropped before the await"
				var with []string
				for _, h := range plan.with {
					with = append(with, h.name)
				}
				if len(with) > 0 {
					f.Fix = fmt.Sprintf("scoped the guard together with `%s` (taken while it is held) so both are dropped before the await", strings.Join(with, "`, `"))
				}
				if len(plan.hoists) > 0 {
					f.Fix += "; what the awaited statement needs from it is computed in the block"
				}
				p := proposal{f: f, edits: edits}
				if plan.end > g.lastUse {
					// The block holds more than the guard's uses: the
					// ladder's grown scope (see ladder.go).
					p.rung = RungGrownScope
				}
				for _, h := range plan.with {
					covered[h] = p
				}
				out = append(out, p)
				continue
			}
		}
		if ref.mustHold && siteGuardKind(g.kind) == "" {
			// A value rustc names as not Send that is no lock guard: no
			// rule changes its type here.
			f.Reason = nonSendUsedLate(fc, g, lineOf(fc.src, f.Await.Offset))
			out = append(out, proposal{f: f})
			continue
		}
		if !ref.mustHold {
			out = append(out, sc.trustCandidates(g, byBlock[[2]uint32{g.block.StartByte(), g.block.EndByte()}], f, ref.why)...)
		}
		if ref.mustHold {
			g.usedLate = true
			if handOff(fc, g) {
				fc.held = append(fc.held, g)
				continue
			}
			switch {
			case fc.cfg.AllAsync:
				ref.why += "; --all-async only scopes guards"
			case !fc.cfg.Rules[RuleTokioMutex]:
				ref.why += "; tokio-mutex (not enabled) would swap the Mutex for tokio's"
			default:
				ref.why += "; tokio-mutex cannot swap this guard's lock"
			}
		}
		f.Reason = ref.why
		out = append(out, proposal{f: f})
	}
	out = append(out, sc.temporaries()...)
	return out
}

// scopeCtx is what mutex-scope shares across one pass.
type scopeCtx struct {
	fc    *fileCtx
	names map[uint32]map[string]bool // identifiers of each fn, by its start
	taken map[string]bool            // names given to new bindings in this pass
	// trust takes a binding whose ownership is unknown as owned (plan),
	// for a candidate the compiler judges (trustCandidates).
	trust bool
	// unknownTemp is the first expression around a temporary guard whose
	// ownership is unknown, and unknownWhy the doubt (tempWrapper).
	unknownTemp *sitter.Node
	unknownWhy  string
}

// guardFinding is the finding of a let-bound guard, before a fix or a
// reason is known.
func guardFinding(fc *fileCtx, g *guard) Finding {
	bind := g.bind
	if bind == nil {
		bind = g.decl.ChildByFieldName("pattern")
	}
	msg := fmt.Sprintf("`%s` `%s` is held across an await point", g.kind, g.label())
	if g.body != nil && g.body.why != "" {
		msg += " of a future that must be Send (" + g.body.why + ")"
	}
	return Finding{
		Rule:    RuleMutexScope,
		Pos:     Pos{Offset: int(bind.StartByte())},
		Await:   &Pos{Offset: awaitKeyword(fc.src, g.await)},
		Name:    g.name,
		Message: msg,
	}
}

// handOff reports whether a guard that must stay held goes to tokio-mutex
// (which then reports it) instead of being reported here (see swappable).
func handOff(fc *fileCtx, g *guard) bool {
	return swappable(fc, g)
}

// awaitKeyword returns the offset of the `await` keyword of an await
// expression (rustc points there); for a macro that awaits (awaitMacro),
// that of its first `.await`, else of the macro's name (`join` of
// `tokio::join!(..)`), where the token walk records it.
func awaitKeyword(src []byte, aw *sitter.Node) int {
	if aw.Type() == "macro_invocation" {
		return macroAwaitOffset(aw)
	}
	end := int(aw.EndByte())
	if end >= 5 && string(src[end-5:end]) == "await" {
		return end - 5
	}
	return int(aw.StartByte())
}

// scopePlan is the block that ends a let-bound guard before its await.
type scopePlan struct {
	end     int         // index of the last statement the block holds
	escapes []BindingID // bindings declared in the block and used after it
	hoists  []hoist     // values the await's statement takes from the block
	with    []*guard    // guards taken while this one is held, in the block too
}

// hoist is an expression of the await's statement computed in the block
// and bound to name.
type hoist struct {
	expr *sitter.Node
	name string
}

// scopeRefusal says why a guard is not scoped; mustHold when it must stay
// held across the await (tokio-mutex's case).
type scopeRefusal struct {
	why      string
	mustHold bool
}

// plan grows the block of guard g: from its let to the last use of the
// guard, of the guards taken while it is held, and of every binding that
// may borrow from what the block declares; uses in the await's statement
// become hoists. It refuses when one of those is used after the await.
func (sc *scopeCtx) plan(g *guard, blockGuards []*guard) (scopePlan, *scopeRefusal) {
	fc := sc.fc
	f := fc.facts()
	stmts, w := g.stmts, g.awaitAt
	awaitLine := lineOf(fc.src, awaitKeyword(fc.src, g.await))
	p := scopePlan{end: g.at}
	chain := idSet(g.ids)
	inHoist := func(off int) bool {
		for _, h := range p.hoists {
			if off >= int(h.expr.StartByte()) && off < int(h.expr.EndByte()) {
				return true
			}
		}
		return false
	}
	var dset map[BindingID]bool
	// place makes room in the block for use u: grows the block, or hoists
	// the use out of the await's statement; false when u is after the
	// await (or in its statement and cannot be hoisted).
	changed := false
	var hoistWhy string
	place := func(u Use) bool {
		k := stmtIndex(stmts, u.Off)
		switch {
		case k <= p.end || inHoist(u.Off) || k <= g.at:
			return true
		case k < w:
			p.end, changed = k, true
			return true
		case k == w:
			h, why := sc.hoistFor(g, u, dset)
			if h != nil {
				p.hoists = append(p.hoists, *h)
				changed = true
				return true
			}
			hoistWhy = why
		}
		return false
	}
	for changed = true; changed; {
		changed = false
		dset = sc.declaredIn(g, p.end, chain)
		// The guard itself.
		for b := range chain {
			for _, u := range f.Uses(b) {
				if !place(u) {
					msg := fmt.Sprintf("guard `%s` is used after the await at line %d; scoping it would change what the code does (last use at line %d)",
						g.label(), awaitLine, lineOf(fc.src, f.LastUse(b)))
					if stmtIndex(stmts, u.Off) == w && hoistWhy != "" {
						msg = fmt.Sprintf("guard `%s` is used in the statement of the await at line %d: %s", g.label(), awaitLine, hoistWhy)
					}
					return p, &scopeRefusal{why: msg, mustHold: true}
				}
			}
		}
		// Guards taken while it is held share the block.
		for _, h := range blockGuards {
			if h == g || h.at <= g.at || h.at > p.end {
				continue
			}
			if !containsGuard(p.with, h) {
				p.with = append(p.with, h)
			}
			for _, b := range h.ids {
				dset[b] = true
				for _, u := range f.Uses(b) {
					if !place(u) {
						return p, &scopeRefusal{why: fmt.Sprintf("guard `%s` is taken while `%s` is held and used after the await at line %d; `%s` cannot be scoped on its own",
							h.name, g.name, awaitLine, g.name)}
					}
				}
			}
		}
		// Bindings that may borrow from what the block declares.
		for _, c := range sc.mayBorrowers(g, p.end) {
			if chain[c] || dset[c] && sc.isGuardBinding(c, blockGuards) {
				continue
			}
			o := f.BindingOwnership(c)
			var borrower bool
			if dset[c] {
				rest := map[BindingID]bool{}
				for b := range dset {
					if b != c {
						rest[b] = true
					}
				}
				borrower = !o.Independent(rest)
			} else {
				borrower = o.MayBorrowAny(dset) || holdsAny(o.Holds, dset)
			}
			if !borrower {
				continue
			}
			if sc.trust && o.Kind == OwnUnknown && !holdsAny(o.Holds, chain) {
				continue
			}
			name := f.Binding(c).Name
			for _, u := range f.Uses(c) {
				if place(u) {
					continue
				}
				line := lineOf(fc.src, u.Off)
				if o.Kind == OwnBorrows || holdsAny(o.Holds, chain) {
					why := fmt.Sprintf("`%s` borrows from guard `%s` and is used after the await at line %d (line %d); the guard must stay held", name, g.name, awaitLine, line)
					if o.Why != "" {
						why = fmt.Sprintf("`%s` borrows from guard `%s` (%s) and is used after the await at line %d (line %d); the guard must stay held", name, g.name, o.Why, awaitLine, line)
					}
					return p, &scopeRefusal{why: why, mustHold: true}
				}
				why := o.Why
				if why == "" {
					why = "its ownership is unknown"
				}
				return p, &scopeRefusal{why: fmt.Sprintf("sendfix cannot tell whether `%s` borrows from guard `%s` (%s), and it is used after the await at line %d (line %d); with --cargo the compiler decides",
					name, g.name, why, awaitLine, line)}
			}
		}
	}
	// What the block declares and the code after it uses comes out.
	last := int(stmts[p.end].EndByte())
	for _, b := range sc.topLevelLets(g, p.end) {
		if chain[b] {
			continue
		}
		for _, u := range f.Uses(b) {
			if u.Off >= last && !inHoist(u.Off) {
				p.escapes = append(p.escapes, b)
				break
			}
		}
	}
	return p, nil
}

// idSet is the set of ids.
func idSet(ids []BindingID) map[BindingID]bool {
	m := map[BindingID]bool{}
	for _, b := range ids {
		m[b] = true
	}
	return m
}

// holdsAny reports whether one of holds is in set.
func holdsAny(holds []BindingID, set map[BindingID]bool) bool {
	for _, h := range holds {
		if set[h] {
			return true
		}
	}
	return false
}

func containsGuard(list []*guard, g *guard) bool {
	for _, x := range list {
		if x == g {
			return true
		}
	}
	return false
}

// isGuardBinding reports whether b is a binding of one of the guards.
func (sc *scopeCtx) isGuardBinding(b BindingID, gs []*guard) bool {
	for _, g := range gs {
		for _, x := range g.ids {
			if x == b {
				return true
			}
		}
	}
	return false
}

// topLevelLets returns the bindings the lets of g's block declare from
// the guard's statement through statement end, in source order.
func (sc *scopeCtx) topLevelLets(g *guard, end int) []BindingID {
	f := sc.fc.facts()
	var out []BindingID
	for j := g.at; j <= end; j++ {
		if g.stmts[j].Type() == "let_declaration" {
			out = append(out, f.BindingsOf(g.stmts[j])...)
		}
	}
	return out
}

// declaredIn is the set the block's values must not borrow from: the
// guard's bindings and the bindings the block's lets declare.
func (sc *scopeCtx) declaredIn(g *guard, end int, chain map[BindingID]bool) map[BindingID]bool {
	set := map[BindingID]bool{}
	for b := range chain {
		set[b] = true
	}
	for _, b := range sc.topLevelLets(g, end) {
		set[b] = true
	}
	return set
}

// mayBorrowers are the bindings that may borrow from the block: those its
// lets declare and those declared before it that it mentions (a value may
// be stored in them: `out.push(g.name.as_str())`).
func (sc *scopeCtx) mayBorrowers(g *guard, end int) []BindingID {
	f := sc.fc.facts()
	seen := map[BindingID]bool{}
	var out []BindingID
	for _, b := range sc.topLevelLets(g, end) {
		if !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	lo, hi := int(g.stmts[g.at].StartByte()), int(g.stmts[end].EndByte())
	for _, b := range (&ownEval{f: f}).mentionedRange(lo, hi) {
		if !seen[b] && f.Binding(b).Visible[0] < lo {
			seen[b] = true
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// hoistFor finds the expression to compute in the block for use u, which
// sits in the statement of the await: the smallest expression around u
// that is evaluated before the await, is a value (not a place the
// statement borrows), and is independent of what the block declares
// (set). Moving it must not reorder calls: when calls precede it in the
// statement, it may only read the block's bindings. It returns nil and
// why when there is none.
func (sc *scopeCtx) hoistFor(g *guard, u Use, set map[BindingID]bool) (*hoist, string) {
	fc := sc.fc
	f := fc.facts()
	stmt := g.stmts[g.awaitAt]
	awaitAt := awaitKeyword(fc.src, g.await)
	if u.Off >= awaitAt {
		return nil, "it is used after the await"
	}
	n := u.Node
	if u.Kind != UseExpr {
		n = ancestor(n, "macro_invocation")
		if n == nil {
			return nil, "it is used in a macro"
		}
	}
	var pick *sitter.Node
	for p := n; p != nil && !p.Equal(stmt); p = p.Parent() {
		if int(p.EndByte()) > awaitAt || p.Equal(g.await.NamedChild(0)) {
			break // the awaited future itself, or what contains it
		}
		if !p.Equal(n) || u.Kind != UseExpr {
			switch p.Type() {
			case "closure_expression", "async_block", "if_expression", "match_expression", "block", "while_expression",
				"loop_expression", "for_expression":
				return nil, fmt.Sprintf("it is used inside a `%s` evaluated in the awaited statement", strings.TrimSuffix(p.Type(), "_expression"))
			}
		}
		if hoistable(p) && f.Ownership(p).Independent(set) {
			pick = p
			break
		}
		if pt := p.Parent(); pt != nil && pt.Type() == "binary_expression" {
			if op := text(fc.src, pt.ChildByFieldName("operator")); (op == "&&" || op == "||") && !pt.ChildByFieldName("left").Equal(p) {
				return nil, "it is used on the right of `" + op + "`"
			}
		}
	}
	if pick == nil {
		return nil, "what it yields there borrows from it"
	}
	if !unconditional(stmt, pick, true) {
		return nil, "it is computed only on some paths of the statement"
	}
	if sc.callsBefore(stmt, pick) {
		for _, b := range (&ownEval{f: f}).mentioned(pick) {
			if !set[b] {
				return nil, fmt.Sprintf("computing `%s` before the statement's other calls would change their order", compactText(fc.src, pick))
			}
		}
	}
	return &hoist{expr: pick, name: sc.freshName(pick, hoistName(fc.src, pick))}, ""
}

// hoistable reports whether expression n can be bound by a let in its
// place: a value (a call, a macro, an operator, a literal aggregate), or a
// place read by value (a call argument, an operand), which in a program
// that compiles is Copy.
func hoistable(n *sitter.Node) bool {
	switch n.Type() {
	case "call_expression", "macro_invocation", "binary_expression", "type_cast_expression", "tuple_expression",
		"array_expression", "struct_expression":
		return !isCallee(n)
	case "field_expression", "index_expression", "unary_expression":
		if n.Type() == "field_expression" && isCallee(n) {
			return false
		}
		p := n.Parent()
		if p == nil {
			return false
		}
		switch p.Type() {
		case "arguments", "binary_expression", "tuple_expression", "array_expression", "field_initializer", "type_cast_expression":
			return true
		}
	}
	return false
}

// callsBefore reports whether statement stmt makes a call (or a macro
// call other than a formatting one, or an assignment) that is evaluated
// before n.
func (sc *scopeCtx) callsBefore(stmt, n *sitter.Node) bool {
	found := false
	walk(stmt, func(c *sitter.Node) bool {
		if found || int(c.StartByte()) >= int(n.StartByte()) {
			return false
		}
		if int(c.EndByte()) <= int(n.StartByte()) {
			switch c.Type() {
			case "call_expression", "assignment_expression", "compound_assignment_expr", "await_expression":
				found = true
			case "macro_invocation":
				m := text(sc.fc.src, c.ChildByFieldName("macro"))
				found = m != "format" && m != "format_args"
			}
		}
		return !found
	})
	return found
}

// hoistName proposes a name for the value of n: its field or method
// (`len` of `g.len()`, `limit` of `g.limit`), what a clone copies,
// `message` for a format!.
func hoistName(src []byte, n *sitter.Node) string {
	for n != nil {
		switch n.Type() {
		case "macro_invocation":
			if text(src, n.ChildByFieldName("macro")) == "format" {
				return "message"
			}
			return "value"
		case "field_expression":
			return snakeName(text(src, n.ChildByFieldName("field")))
		case "call_expression":
			recv, m := methodCallParts(src, n)
			if recv == nil {
				return snakeName(calleeName(src, n))
			}
			switch m {
			case "clone", "cloned", "copied", "to_owned", "to_string", "to_vec", "unwrap", "unwrap_or_default",
				"unwrap_or", "expect", "collect", "into", "as_str", "as_ref":
				n = recv
				continue
			}
			return snakeName(m)
		case "identifier":
			return text(src, n)
		case "unary_expression", "parenthesized_expression", "reference_expression", "type_cast_expression":
			n = n.NamedChild(0)
			continue
		}
		return "value"
	}
	return "value"
}

// snakeName turns a method or field name into a binding name, or "value".
func snakeName(s string) string {
	if s == "" || s[0] >= '0' && s[0] <= '9' || isTypeName(s) || rustKeywords[s] {
		return "value"
	}
	return s
}

// rustKeywords cannot name a binding.
var rustKeywords = map[string]bool{
	"as": true, "break": true, "const": true, "continue": true, "crate": true, "else": true, "enum": true,
	"extern": true, "false": true, "fn": true, "for": true, "if": true, "impl": true, "in": true, "let": true,
	"loop": true, "match": true, "mod": true, "move": true, "mut": true, "pub": true, "ref": true, "return": true,
	"self": true, "static": true, "struct": true, "super": true, "trait": true, "true": true, "type": true,
	"unsafe": true, "use": true, "where": true, "while": true, "async": true, "await": true, "dyn": true,
}

// freshName returns base, or base2, base3.. when the name is already used
// in the fn around n or given earlier in this pass.
func (sc *scopeCtx) freshName(n *sitter.Node, base string) string {
	fn := ancestor(n, "function_item")
	if fn == nil {
		fn = sc.fc.root
	}
	used := sc.names[fn.StartByte()]
	if used == nil {
		used = map[string]bool{}
		walk(fn, func(c *sitter.Node) bool {
			if c.Type() == "identifier" {
				used[text(sc.fc.src, c)] = true
			}
			return true
		})
		sc.names[fn.StartByte()] = used
	}
	name := base
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	used[name] = true
	return name
}

// edits returns the edits that wrap the plan's statements in a block (with
// the escaping bindings and hoisted values as its value) and put the
// hoisted values' names in the await's statement; or why it cannot.
func (sc *scopeCtx) edits(g *guard, p scopePlan) ([]rewrite.Edit, string) {
	fc := sc.fc
	f := fc.facts()
	first, last := g.stmts[g.at], g.stmts[p.end]
	start := int(first.StartByte())
	ls := lineStart(fc.src, start)
	if strings.TrimSpace(string(fc.src[ls:start])) != "" {
		return nil, "the guard's let does not start its line"
	}
	end := int(last.EndByte())
	le := lineEnd(fc.src, end)
	if !onlyComments(string(fc.src[end:le])) {
		return nil, "another statement follows the guard's last use on the same line"
	}
	indent := string(fc.src[ls:start])
	nl, unit := fc.style.Newline, fc.style.Indent
	keep := multilineLiterals(fc.root, ls, le)
	inner := indent + unit
	// The block's values: escaping bindings, then hoisted values.
	var pats, vals []string
	for _, b := range p.escapes {
		bd := f.Binding(b)
		pat := bd.Name
		if bd.Mut && !bd.Ref {
			pat = "mut " + pat
		}
		pats, vals = append(pats, pat), append(vals, bd.Name)
	}
	for _, h := range p.hoists {
		pats, vals = append(pats, h.name), append(vals, h.name)
	}
	exprText := func(n *sitter.Node) string {
		return reindentText(text(fc.src, n), unit, nl, multilineLiterals(fc.root, int(n.StartByte()), int(n.EndByte())), int(n.StartByte()), fc.src)
	}
	var b strings.Builder
	switch {
	case len(pats) == 0:
		b.WriteString(indent + "{" + nl)
		b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep))
		b.WriteString(nl + indent + "}")
	default:
		pat := pats[0]
		if len(pats) > 1 {
			pat = "(" + strings.Join(pats, ", ") + ")"
		}
		lastLet := last.Type() == "let_declaration" && last.ChildByFieldName("alternative") == nil &&
			last.ChildByFieldName("pattern") != nil && last.ChildByFieldName("pattern").Type() == "identifier"
		tailDecl := len(p.escapes) == 1 && len(p.hoists) == 0 && lastLet && f.Binding(p.escapes[0]).Decl.Equal(last) &&
			!dropTemps(&ownEval{f: f}, last.ChildByFieldName("value"), sc.declaredIn(g, p.end, idSet(g.ids)))
		oneHoist := len(pats) == 1 && len(p.hoists) == 1 && !dropTemps(&ownEval{f: f}, p.hoists[0].expr, sc.declaredIn(g, p.end, idSet(g.ids)))
		if tailDecl {
			if ty := last.ChildByFieldName("type"); ty != nil {
				pat += ": " + text(fc.src, ty)
			}
		}
		b.WriteString(indent + "let " + pat + " = {" + nl)
		switch {
		case tailDecl:
			// The last let's value becomes the block's value; the lines
			// before it, with their comments and blank lines, stay.
			ps := lineStart(fc.src, int(last.StartByte()))
			if ps <= ls || strings.TrimSpace(string(fc.src[ps:last.StartByte()])) != "" {
				return nil, "the let of the escaping binding shares its line with another statement"
			}
			val := last.ChildByFieldName("value")
			if val == nil {
				return nil, "the let of the escaping binding has no value"
			}
			prevEnd := ps - 1
			if fc.src[prevEnd-1] == '\r' {
				prevEnd--
			}
			b.WriteString(indentRange(fc.src, ls, prevEnd, unit, nl, keep) + nl)
			b.WriteString(inner + exprText(val))
			if rest := strings.TrimSpace(string(fc.src[end:le])); rest != "" {
				b.WriteString(" " + rest)
			}
		case oneHoist:
			b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep) + nl)
			b.WriteString(inner + exprText(p.hoists[0].expr))
		default:
			b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep) + nl)
			for _, h := range p.hoists {
				b.WriteString(inner + "let " + h.name + " = " + exprText(h.expr) + ";" + nl)
			}
			tail := vals[0]
			if len(vals) > 1 {
				tail = "(" + strings.Join(vals, ", ") + ")"
			}
			b.WriteString(inner + tail)
		}
		b.WriteString(nl + indent + "};")
	}
	edits := []rewrite.Edit{{Start: ls, End: le, New: b.String()}}
	for _, h := range p.hoists {
		edits = append(edits, rewrite.Edit{Start: int(h.expr.StartByte()), End: int(h.expr.EndByte()), New: h.name})
	}
	return edits, ""
}
