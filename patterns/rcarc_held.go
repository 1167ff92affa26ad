package patterns

import (
	"fmt"
	"sort"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// heldValue is a value a Send-required future holds, whose type the model
// finds not Send: a capture of a spawned async block, a parameter of a
// Send-required async fn (`self` included), or a local of a Send-required
// body alive at one of its awaits.
type heldValue struct {
	name     string
	id       *sitter.Node // the binding's identifier (or `self`): the finding's position
	spelling spellingKey  // the binding's spelling; zero for `self`
	t        *ty          // the value's type
	body     *asyncBody
	how      string // how the future holds it, for the message
	// local is the life of a local, traced as mutex-scope traces a
	// guard's (nil for captures and parameters).
	local *guard
	lacks []lack // why t is not Send
}

// heldValues returns the values the file's Send-required futures hold
// whose type is not Send, in source order, each binding once.
func (r *rcFile) heldValues() []*heldValue {
	var out []*heldValue
	seen := map[*sitter.Node]bool{}
	add := func(h *heldValue) {
		if seen[h.id] {
			return
		}
		if h.lacks = r.env().lacks(h.t, traitSend); len(h.lacks) > 0 {
			seen[h.id] = true
			out = append(out, h)
		}
	}
	for _, b := range r.fc.bodies {
		if !b.send {
			continue
		}
		switch b.node.Type() {
		case "function_item":
			r.paramsHeld(b, add)
		case "async_block":
			// Only a block handed to a Send context (a spawn, a Send
			// bound) is moved there as a whole with what it captures; a
			// block awaited in place is part of its outer future, whose
			// own values count.
			if b.moved {
				r.capturesHeld(b, add)
			}
		}
		r.localsHeld(b, add)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].id.StartByte() < out[j].id.StartByte() })
	return out
}

// paramsHeld adds the parameters of a Send-required async fn: its future
// holds every one from the start.
func (r *rcFile) paramsHeld(b *asyncBody, add func(*heldValue)) {
	ps := b.node.ChildByFieldName("parameters")
	if ps == nil {
		return
	}
	how := b.why
	i := 0
	for _, p := range namedChildren(ps) {
		switch p.Type() {
		case "self_parameter":
			self := r.implSelf(r.fnImpl[b.node.StartByte()])
			if self == nil {
				continue
			}
			id := p
			for _, c := range namedChildren(p) {
				if c.Type() == "self" {
					id = c
				}
			}
			add(&heldValue{name: "self", id: id, t: r.selfParam(b.node, self), body: b, how: how})
		case "parameter":
			k := paramKey(b.node, i)
			i++
			if s := r.spellings[k]; s != nil {
				add(&heldValue{name: s.name, id: s.id, spelling: k, t: r.spellingType(k, 0), body: b, how: how})
			}
		}
	}
}

// capturesHeld adds the bindings a spawned async block captures: the
// names it uses that are bound before it.
func (r *rcFile) capturesHeld(b *asyncBody, add func(*heldValue)) {
	how := "it is captured by a future that must be Send (" + b.why + ")"
	lo := sort.Search(len(r.uses), func(i int) bool { return r.uses[i].StartByte() >= b.block.StartByte() })
	for _, u := range r.uses[lo:] {
		if u.StartByte() >= b.block.EndByte() {
			break
		}
		for _, name := range r.useNames(u) {
			bd := r.resolveBind(u, name)
			if bd == nil || !bd.spelling.ok() || bd.start >= b.node.StartByte() {
				continue
			}
			s := r.spellings[bd.spelling]
			add(&heldValue{name: s.name, id: s.id, spelling: bd.spelling, t: r.spellingType(bd.spelling, 0), body: b, how: how})
		}
	}
}

// localsHeld adds the lets of a Send-required body (not of the closures
// and futures nested in it) whose value is alive at an await after them:
// used at or after it, or borrowed before a `drop` that comes before it
// (rustc then still counts it as held).
func (r *rcFile) localsHeld(b *asyncBody, add func(*heldValue)) {
	if r.lets == nil {
		r.lets = []spellingKey{}
		for k := range r.spellings {
			if k.kind == spellingLet {
				r.lets = append(r.lets, k)
			}
		}
		sort.Slice(r.lets, func(i, j int) bool { return r.lets[i].at < r.lets[j].at })
	}
	lo := sort.Search(len(r.lets), func(i int) bool { return r.lets[i].at >= b.block.StartByte() })
	for _, k := range r.lets[lo:] {
		if k.at >= b.block.EndByte() {
			break
		}
		s := r.spellings[k]
		t := r.spellingType(k, 0)
		if len(r.env().lacks(t, traitSend)) == 0 {
			continue
		}
		block := s.decl.Parent()
		if block == nil || block.Type() != "block" || !r.inBody(block, b) {
			continue
		}
		stmts := statements(block)
		at := -1
		for i, st := range stmts {
			if st == s.decl {
				at = i
			}
		}
		if at < 0 {
			continue
		}
		g := &guard{name: s.name, kind: "local", decl: s.decl, bind: s.id, block: block, body: b, stmts: stmts, at: at, copied: t.kind == tyRef}
		if !g.trace(r.fc) || t.kind != tyRef && r.movedFirst(g) {
			continue
		}
		add(&heldValue{name: s.name, id: s.id, spelling: k, t: t, body: b, local: g,
			how: fmt.Sprintf("it is held across the await at line %d%s", lineOf(r.src, awaitKeyword(r.src, g.await)), sendWhy(b))})
	}
}

// movedFirst reports whether the first statement after a local's let
// that uses it, before the await, only moves it (`f(x)`, `let y = x;`,
// a returned or field value): rustc then holds it no more, and what took
// it is a value of its own. A mention in a macro's tokens borrows.
func (r *rcFile) movedFirst(g *guard) bool {
	f := r.fc.facts()
	first, moves := -1, true
	for _, u := range f.Uses(f.Resolve(g.bind)) {
		k := stmtIndex(g.stmts, u.Off)
		if k <= g.at || k >= g.awaitAt || first >= 0 && k > first {
			continue
		}
		if first < 0 || k < first {
			first, moves = k, true
		}
		moves = moves && u.Kind == UseExpr && u.Move != NotMoved
	}
	return first >= 0 && moves
}

// scopeLocal returns the edits that end local g (traced) before its
// await, as mutex-scope ends a guard: the block grows to the last use of
// g and of what borrows from it; or why it cannot.
func (r *rcFile) scopeLocal(g *guard) ([]rewrite.Edit, string) {
	sc := &scopeCtx{fc: r.fc, names: map[uint32]map[string]bool{}}
	p, ref := sc.plan(g, []*guard{g})
	if ref != nil {
		return nil, ref.why
	}
	return sc.edits(g, p)
}

// inBody reports whether n belongs to body b itself, not to a closure,
// async block or fn nested in it.
func (r *rcFile) inBody(n *sitter.Node, b *asyncBody) bool {
	for p := n; p != nil && p != b.block; p = p.Parent() {
		if p != n && isFutureBoundary(p) || p == n && isFutureBoundary(n) {
			return false
		}
	}
	return true
}
