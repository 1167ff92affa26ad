package patterns

import (
	"fmt"
	"slices"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// rcStep is a change a group takes so that the values holding it are Send.
type rcStep uint8

const (
	stepArc    rcStep = 1 << iota // Rc to Arc, std::rc::Weak to std::sync::Weak
	stepMutex                     // RefCell to Mutex, borrows to lock().unwrap()
	stepUnwrap                    // the RefCell layer goes, around a lock whose methods take &self
	stepCell                      // Cell to an atomic (integers, bool) or a Mutex
	stepDyn                       // trait objects gain the auto traits they lack
)

// rcGroup is the set of spellings that change together, and its fix.
type rcGroup struct {
	root    spellingKey
	by      string // the held value that first needed the group, for messages
	steps   rcStep
	cell    string                 // stepCell: the atomic type (`AtomicU64`), or "Mutex"
	dyn     map[string][]autoTrait // stepDyn: the traits each trait's objects gain
	refused *refusal
	edits   []rewrite.Edit
	// owned are the group's mentions the edits change; the imports of
	// the words no other mention spells go.
	owned map[*rcMention]bool
	// What the imports need (see imports).
	weak      bool     // a bare `Weak` changes: std::sync's replaces std::rc's
	needArc   bool     // a bare `Arc` is written
	needMutex bool     // a bare `Mutex` is written
	atomics   []string // the atomic types written
	ordering  bool     // `Ordering::SeqCst` is written
	consumed  int      // calls before this offset are inside a call rewritten whole
}

// rcFix is the fix of one held value: a scope block, or the groups whose
// steps make its type Send.
type rcFix struct {
	h       *heldValue
	groups  []*rcGroup
	scoped  []rewrite.Edit
	refused *refusal
}

// did describes what the group's edits do, for Finding.Fix.
func (g *rcGroup) did() []string {
	var out []string
	if g.steps&stepArc != 0 {
		out = append(out, "Rc to Arc")
	}
	if g.steps&stepMutex != 0 {
		out = append(out, "RefCell to Mutex (borrows to lock().unwrap())")
	}
	if g.steps&stepUnwrap != 0 {
		out = append(out, "removed the RefCell around a lock")
	}
	if g.steps&stepCell != 0 {
		out = append(out, "Cell to "+g.cell)
	}
	if g.steps&stepDyn != 0 {
		out = append(out, "added Send/Sync bounds to trait objects")
	}
	return out
}

// decide makes the fix of each held value, in order. A value whose
// groups all belong to an earlier value's fix is not reported again.
func (r *rcFile) decide(held []*heldValue) []*rcFix {
	var out []*rcFix
	for _, h := range held {
		fx := &rcFix{h: h}
		if g := h.local; g != nil && !g.usedLate {
			if edits, why := r.scopeLocal(g); why == "" {
				fx.scoped = edits
				out = append(out, fx)
				continue
			}
		}
		if fresh := r.steps(fx); fresh || fx.refused != nil {
			out = append(out, fx)
		}
	}
	return out
}

// steps adds to the groups of fx's value the steps its type needs to be
// Send, recomputing what it lacks after each round, until nothing lacks
// or a reason has no step. It reports whether fx needed a group no
// earlier fix did, or was refused for a reason of its own.
func (r *rcFile) steps(fx *rcFix) (fresh bool) {
	env := r.env()
	for round := 0; round < 8; round++ {
		ls := env.lacks(fx.h.t, traitSend)
		if len(ls) == 0 {
			return fresh
		}
		progress := false
		for _, l := range ls {
			g, step, why := r.stepFor(l)
			if why != nil {
				fx.refused = why
				return true
			}
			if !slices.Contains(fx.groups, g) {
				fx.groups = append(fx.groups, g)
			}
			if g.by == "" {
				g.by, fresh = fx.h.name, true
				r.groupOrder = append(r.groupOrder, g)
			}
			progress = r.addStep(g, step, l) || progress
		}
		if !progress {
			fx.refused = refuse(refuseCounterpart, 0, "%s, and sendfix has no further change that makes `%s` Send; not changed", ls[0], fx.h.name)
			return fresh
		}
	}
	fx.refused = refuse(refuseCounterpart, 0, "`%s` is still not Send after every change sendfix knows; not changed", fx.h.name)
	return fresh
}

// group returns the group of a spelling, made on first use.
func (r *rcFile) group(k spellingKey) *rcGroup {
	root := r.find(k)
	g := r.groups[root]
	if g == nil {
		g = &rcGroup{root: root, dyn: map[string][]autoTrait{}}
		r.groups[root] = g
	}
	return g
}

// stepFor returns the group and the step that remove one reason a type is
// not Send, or why there is none.
func (r *rcFile) stepFor(l lack) (*rcGroup, rcStep, *refusal) {
	leaf := l.leaf
	if leaf.node == nil {
		return nil, 0, refuse(refusePlacement, 0, "%s, in a type declared in another file; sendfix changes a type only in the file that declares it", l)
	}
	line := lineOf(r.src, leaf.at())
	var owner spellingKey
	var step rcStep
	switch leaf.kind {
	case tyDyn:
		owner, step = r.flowTarget(leaf.node), stepDyn
	case tyPath:
		switch leaf.name {
		case "Rc", "Weak":
			step = stepArc
		case "RefCell":
			step = stepMutex
		case "Cell":
			step = stepCell
		default:
			return nil, 0, refuse(refuseCounterpart, 0, "%s (line %d), and sendfix has no change that makes it so; not changed", l, line)
		}
		m := r.mentionAt[leaf.at()]
		if m == nil {
			return nil, 0, refuse(refuseShape, 0, "%s (line %d), spelled in a way sendfix does not follow; not changed", l, line)
		}
		owner = m.owner
	default:
		return nil, 0, refuse(refuseCounterpart, 0, "%s (line %d): a raw pointer is neither Send nor Sync, and sendfix does not change it", l, line)
	}
	if !owner.ok() {
		return nil, 0, refuse(refuseUnresolved, 0, "%s (line %d), but sendfix cannot tell which values share that type; not changed", l, line)
	}
	return r.group(owner), step, nil
}

// addStep adds a step to a group and records, for the model, the change
// it makes to each type the group spells. It reports whether anything
// was added.
func (r *rcFile) addStep(g *rcGroup, step rcStep, l lack) bool {
	changes := r.env().changes
	ms := r.groupMentions(g)
	set := func(word string, c tyChange) {
		for _, m := range ms {
			if m.word == word {
				changes[int(m.span.StartByte())] = c
			}
		}
	}
	switch step {
	case stepArc:
		if g.steps&stepArc != 0 {
			return false
		}
		g.steps |= stepArc
		set("Rc", tyChange{word: "Arc"})
		set("Weak", tyChange{word: "sync::Weak"})
	case stepMutex:
		if g.steps&(stepMutex|stepUnwrap) != 0 {
			return false
		}
		if r.wrapsLock(l.leaf) {
			g.steps |= stepUnwrap
			set("RefCell", tyChange{unwrap: true})
		} else {
			g.steps |= stepMutex
			set("RefCell", tyChange{word: "Mutex"})
		}
	case stepCell:
		if g.steps&stepCell != 0 {
			return false
		}
		g.steps |= stepCell
		g.cell = r.cellKind(ms)
		set("Cell", tyChange{word: g.cell})
	case stepDyn:
		trait := l.leaf.name
		if slices.Contains(g.dyn[trait], l.trait) {
			return false
		}
		g.steps |= stepDyn
		g.dyn[trait] = append(g.dyn[trait], l.trait)
		for _, d := range r.groupDyns(g) {
			if d.t.name == trait {
				c := changes[d.t.at()]
				c.bounds = append(c.bounds, l.trait.String())
				changes[d.t.at()] = c
			}
		}
	}
	return true
}

// groupMentions returns the mentions of Rc, Weak, RefCell and Cell that
// belong to the group's spellings.
func (r *rcFile) groupMentions(g *rcGroup) []*rcMention {
	if r.byRoot == nil {
		r.byRoot = map[spellingKey][]*rcMention{}
		for _, m := range r.mentions {
			if m.owner.ok() {
				root := r.find(m.owner)
				r.byRoot[root] = append(r.byRoot[root], m)
			}
		}
	}
	return r.byRoot[g.root]
}

// rcDyn is a trait object spelled in the file, with the spelling it belongs to.
type rcDyn struct {
	t     *ty // lowered: name is the principal trait
	top   *sitter.Node
	owner spellingKey
}

// groupDyns returns the trait objects spelled in the group's types.
func (r *rcFile) groupDyns(g *rcGroup) []*rcDyn {
	var out []*rcDyn
	for _, d := range r.allDyns() {
		if d.owner.ok() && r.find(d.owner) == g.root {
			out = append(out, d)
		}
	}
	return out
}

// allDyns returns every trait object the file spells, lowered once.
func (r *rcFile) allDyns() []*rcDyn {
	if r.dynsLowered == nil {
		r.dynsLowered = []*rcDyn{}
		for _, n := range r.dyns {
			top := n
			for top.Parent() != nil && top.Parent().Type() == "bounded_type" {
				top = top.Parent()
			}
			t := lowerType(r.src, top, nil)
			if t.kind == tyDyn {
				r.dynsLowered = append(r.dynsLowered, &rcDyn{t: t, top: top, owner: r.flowTarget(n)})
			}
		}
	}
	return r.dynsLowered
}

// planGroup computes a group's edits (imports aside) from its steps, or
// why it has none.
func (r *rcFile) planGroup(g *rcGroup) {
	g.owned = map[*rcMention]bool{}
	if why := r.groupRefusal(g); why != nil {
		g.refused = why
		return
	}
	if why := r.cellTraits(g); why != nil {
		g.refused = why
		return
	}
	edit := func(n *sitter.Node, s string) {
		g.edits = append(g.edits, rewrite.Edit{Start: int(n.StartByte()), End: int(n.EndByte()), New: s})
	}
	// rename changes a word to std::sync's name, in full where the
	// mention is a full path, else bare with its import (need).
	rename := func(m *rcMention, name string, need *bool) {
		if m.full {
			edit(m.span, "std::sync::"+name)
		} else {
			*need = true
			if name != "Weak" { // the bare name stays; its import changes
				edit(m.span, name)
			}
		}
	}
	for _, m := range r.groupMentions(g) {
		switch {
		case m.word == "Rc" && g.steps&stepArc != 0:
			rename(m, "Arc", &g.needArc)
		case m.word == "Weak" && g.steps&stepArc != 0:
			rename(m, "Weak", &g.weak)
		case m.word == "RefCell" && g.steps&stepMutex != 0:
			rename(m, "Mutex", &g.needMutex)
		case m.word == "RefCell" && g.steps&stepUnwrap != 0:
			if why := r.unwrapEdit(g, m); why != nil {
				g.refused = why
				return
			}
		case m.word == "Cell" && g.steps&stepCell != 0:
			if why := r.cellEdit(g, m); why != nil {
				g.refused = why
				return
			}
		default:
			continue
		}
		g.owned[m] = true
	}
	if g.steps&stepDyn != 0 {
		if why := r.dynEdits(g); why != nil {
			g.refused = why
			return
		}
	}
	if why := r.callEdits(g); why != nil {
		g.refused = why
		return
	}
	g.refused = r.inModule(g)
}

// inModule refuses a group that would change a spelling inside an inline
// module (`mod m { .. }`): the names there come from that module's own
// imports, and the import edits are made at the top of the file.
func (r *rcFile) inModule(g *rcGroup) *refusal {
	if r.mods == nil {
		r.mods = []*sitter.Node{}
		walk(r.fc.root, func(n *sitter.Node) bool {
			switch n.Type() {
			case "source_file", "declaration_list":
				return true
			case "mod_item":
				if n.ChildByFieldName("body") != nil {
					r.mods = append(r.mods, n)
				}
			}
			return false
		})
	}
	for _, e := range g.edits {
		for _, m := range r.mods {
			if e.Start >= int(m.StartByte()) && e.Start < int(m.EndByte()) {
				return refuse(refusePlacement, 0, "the change at line %d is inside module `%s`, whose imports sendfix does not edit; not changed", lineOf(r.src, e.Start), text(r.src, m.ChildByFieldName("name")))
			}
		}
	}
	return nil
}

// groupRefusal returns why no group of this shape may change: a public
// type, a fn of the group called where its arguments cannot be followed,
// a field read where its struct cannot be told.
func (r *rcFile) groupRefusal(g *rcGroup) *refusal {
	for k, s := range r.spellings {
		if k.ok() && r.find(k) == g.root && s.pub && !r.fc.cfg.AllowPublic {
			return refuse(refusePublic, 0, "the type of `%s` is public API (line %d); changing it may break code outside the given files (use --allow-public)", s.name, lineOf(r.src, int(s.id.StartByte())))
		}
	}
	if why := r.untracedCalls(g); why != "" {
		return refuse(refuseUnresolved, 0, "%s", why)
	}
	for _, lost := range r.lostFields {
		for k := range r.spellings {
			if k.kind == spellingField && k.field == lost.field && r.find(k) == g.root {
				return refuse(refuseUnresolved, 0, "`%s` at line %d may read the field `%s` of the group of `%s`, but sendfix cannot tell which struct it reads; not changed", text(r.src, lost.node), lineOf(r.src, int(lost.node.StartByte())), lost.field, g.by)
			}
		}
	}
	return nil
}

// cellTraits returns why a RefCell or Cell of the group cannot become a
// Mutex or an atomic, which implement none of Clone, PartialEq, Eq,
// PartialOrd, Ord, Hash: a struct of the group derives one, or the cell
// itself is cloned.
func (r *rcFile) cellTraits(g *rcGroup) *refusal {
	if g.steps&(stepMutex|stepCell) == 0 {
		return nil
	}
	for k := range r.spellings {
		if k.kind != spellingField || r.find(k) != g.root || r.structs[k.owner] == nil || !ownsCell(r.spellingType(k, 0)) {
			continue
		}
		for at := r.structs[k.owner].PrevNamedSibling(); at != nil && at.Type() == "attribute_item"; at = at.PrevNamedSibling() {
			for _, tr := range []string{"Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash"} {
				if t := text(r.src, at); strings.Contains(t, "derive") && spellsWord([]byte(t), tr) {
					return refuse(refuseCounterpart, 0, "struct `%s` derives %s, which the Mutex or atomic its field `%s` would become does not implement; not changed", k.owner, tr, k.field)
				}
			}
		}
	}
	for _, c := range r.methodCalls["clone"] {
		for _, k := range r.passThrough(c.ChildByFieldName("function").ChildByFieldName("value")) {
			if t := stripRefs(r.spellingType(k, 0)); r.find(k) == g.root && t.kind == tyPath && (t.name == "RefCell" || t.name == "Cell") {
				return refuse(refuseCounterpart, 0, "the %s at line %d is cloned, which its Mutex or atomic could not be; not changed", t.name, lineOf(r.src, int(c.StartByte())))
			}
		}
	}
	return nil
}

// ownsCell reports whether a type holds a RefCell or Cell by value, not
// behind an Rc, an Arc, a Weak or a reference (which clone and compare
// without it).
func ownsCell(t *ty) bool {
	switch {
	case t.kind == tyRef || t.kind == tyRefMut:
		return false
	case t.kind == tyPath && (t.name == "Rc" || t.name == "Arc" || t.name == "Weak"):
		return false
	case t.kind == tyPath && (t.name == "RefCell" || t.name == "Cell"):
		return true
	}
	for _, a := range t.args {
		if ownsCell(a) {
			return true
		}
	}
	return false
}

// callEdits turns the group's RefCell borrows into locks (stepMutex), or
// drops them (stepUnwrap), and rewrites its Cell calls (stepCell); it
// refuses calls with no same-meaning rewrite, and calls on receivers it
// cannot follow when the group has a step they may need.
func (r *rcFile) callEdits(g *rcGroup) *refusal {
	inGroup := func(k spellingKey) bool { return k.ok() && r.find(k) == g.root }
	refCell := g.steps&(stepMutex|stepUnwrap) != 0
	var locks []*rcBorrow
	for _, b := range r.borrows {
		borrow := b.method == "borrow" || b.method == "borrow_mut"
		_, cellCall := cellMethods[b.method]
		switch {
		case inGroup(b.recv) && borrow && !refCell:
			return refuse(refuseUnresolved, 0, "`.%s()` is called on `%s`, whose RefCell is not spelled in this file", b.method, g.by)
		case inGroup(b.recv) && refCell && refCellRefused[b.method]:
			return refuse(refuseCounterpart, 0, "`.%s()` at line %d has no same-meaning Mutex method (try_lock fails differently); not changed", b.method, lineOf(r.src, b.start))
		case inGroup(b.recv) && borrow && g.steps&stepUnwrap != 0:
			if why := r.unwrapBorrow(g, b); why != nil {
				return why
			}
		case inGroup(b.recv) && borrow:
			locks = append(locks, b)
			g.edits = append(g.edits, rewrite.Edit{Start: b.start, End: b.end, New: "lock().unwrap()"})
		case inGroup(b.recv) && cellCall && g.steps&stepCell != 0:
			if why := r.cellCallEdit(g, b); why != nil {
				return why
			}
		case b.opaque && refCell && (borrow || refCellRefused[b.method]), b.opaque && cellCall && g.steps&stepCell != 0:
			return refuse(refuseUnresolved, 0, "cannot tell whether `.%s()` at line %d is called on `%s`; not changed", b.method, lineOf(r.src, b.start), g.by)
		}
	}
	if why := r.lockOverlap(locks); why != "" {
		return refuse(refuseCounterpart, 0, "%s", why)
	}
	for _, b := range locks {
		if why := r.guardAtAwait(b); why != nil {
			return why
		}
	}
	return nil
}

// sendBodyAt returns the innermost Send-required async body holding off,
// or nil.
func (r *rcFile) sendBodyAt(off int) *asyncBody {
	var best *asyncBody
	for _, b := range r.fc.bodies {
		if b.send && int(b.block.StartByte()) <= off && off < int(b.block.EndByte()) &&
			(best == nil || b.block.EndByte()-b.block.StartByte() < best.block.EndByte()-best.block.StartByte()) {
			best = b
		}
	}
	return best
}

// guardAtAwait returns why a borrow turned into a lock would leave a std
// guard alive at an await of a Send-required future: a temporary whose
// statement awaits, or a let-bound guard used after the await, or one
// mutex-scope (off, or refusing its shape) would not scope.
func (r *rcFile) guardAtAwait(b *rcBorrow) *refusal {
	if r.sendBodyAt(b.start) == nil {
		return nil // a std guard at an await is fine where no Send is needed
	}
	line := lineOf(r.src, b.start)
	stmt := b.stmt
	if b.letName == "" || stmt == nil || stmt.Type() != "let_declaration" || stmt.Parent() == nil || stmt.Parent().Type() != "block" {
		if region := tempRegion(b.at); region != nil && hasAwait(r.src, region) {
			return refuse(refuseShape, 0, "the borrow at line %d lives through an await of its statement; as a std Mutex guard the future would not be Send; not changed", line)
		}
		return nil
	}
	stmts := statements(stmt.Parent())
	at := slices.Index(stmts, stmt)
	g := &guard{name: b.letName, kind: "MutexGuard", decl: stmt, block: stmt.Parent(), stmts: stmts, at: at}
	if at < 0 || !g.trace(r.fc) {
		return nil
	}
	switch {
	case g.usedLate:
		return refuse(refuseShape, 0, "the borrow at line %d is used after the await at line %d; as a std Mutex guard the future would not be Send; not changed", line, lineOf(r.src, int(g.await.StartByte())))
	case !r.fc.cfg.Rules[RuleMutexScope] && !r.fc.cfg.Rules[RuleTokioMutex]:
		return refuse(refuseShape, 0, "the borrow at line %d is alive at the await at line %d, and mutex-scope, which would scope the guard, is not enabled; not changed", line, lineOf(r.src, int(g.await.StartByte())))
	}
	if _, why := r.scopeLocal(g); why != "" {
		return refuse(refuseShape, 0, "the borrow at line %d is alive at the await at line %d, and its guard could not be scoped: %s; not changed", line, lineOf(r.src, int(g.await.StartByte())), why)
	}
	return nil
}

// wrapsLock reports whether a RefCell type holds a lock whose methods
// take &self (tokio's Mutex or RwLock), so that the RefCell layer can go:
// `.borrow().lock().await` becomes `.lock().await`.
func (r *rcFile) wrapsLock(t *ty) bool {
	if len(t.args) != 1 || t.args[0].kind != tyPath {
		return false
	}
	in := t.args[0]
	if in.name != "Mutex" && in.name != "RwLock" {
		return false
	}
	return strings.HasPrefix(in.path, "tokio::sync::") || in.path == in.name && r.importedFrom(in.name) == "tokio::sync"
}

// untracedCalls returns why a fn whose parameter or result is in g cannot
// change: a mention of its name that is not a call the rule follows (a
// call inside a macro's tokens, a path call, the fn passed as a value, a
// name shared by several fns), whose argument would keep its Rc.
func (r *rcFile) untracedCalls(g *rcGroup) string {
	fns := map[uint32]bool{}
	for k := range r.spellings {
		if (k.kind == spellingParam || k.kind == spellingResult) && r.find(k) == g.root {
			fns[k.at] = true
		}
	}
	if len(fns) == 0 {
		return ""
	}
	if r.identsByName == nil {
		r.identsByName = map[string][]*sitter.Node{}
		for _, n := range r.idents {
			name := text(r.src, n)
			r.identsByName[name] = append(r.identsByName[name], n)
		}
	}
	for name, list := range r.fns {
		for _, fn := range list {
			if !fns[fn.StartByte()] {
				continue
			}
			for _, n := range r.identsByName[name] {
				if n == fn.ChildByFieldName("name") {
					continue
				}
				p := n.Parent()
				if p != nil && p.Type() == "call_expression" && p.ChildByFieldName("function") == n && r.localFn(p) == fn {
					continue
				}
				if p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("name") == n {
					if c := p.Parent(); c != nil && c.Type() == "call_expression" && c.ChildByFieldName("function") == p && r.localAssoc(c) == fn {
						continue
					}
					// `Other::name` is another type's fn.
					owner := lastSegment(strings.Join(strings.Fields(text(r.src, p.ChildByFieldName("path"))), ""))
					if im := r.fnImpl[fn.StartByte()]; im != nil && owner != "Self" && owner != typeStructName(r.src, im.ChildByFieldName("type")) {
						continue
					}
				}
				if p != nil && p.Type() == "token_tree" {
					// `x.name` in a macro's tokens is a field, unless
					// it calls a method.
					if prev := n.PrevSibling(); prev != nil && text(r.src, prev) == "." {
						if next := n.NextSibling(); next == nil || next.Type() != "token_tree" || !strings.HasPrefix(text(r.src, next), "(") || !hasSelfParam(fn) {
							continue
						}
					}
				}
				if r.resolveBind(n, name) != nil && n.Parent() != nil && n.Parent().Type() != "token_tree" {
					continue // a local binding of the same name
				}
				return fmt.Sprintf("fn `%s` changes with `%s`, but its use at line %d is not a call sendfix can follow (a macro's arguments, a path, or the fn as a value); not changed", name, g.by, lineOf(r.src, int(n.StartByte())))
			}
			if !hasSelfParam(fn) {
				continue
			}
			for _, c := range r.methodCalls[name] {
				if r.localMethod(c) == fn {
					continue
				}
				if recv := c.ChildByFieldName("function").ChildByFieldName("value"); r.structOf(recv) == "" {
					return fmt.Sprintf("method `%s` changes with `%s`, but sendfix cannot tell whether the call at line %d calls it; not changed", name, g.by, lineOf(r.src, int(c.StartByte())))
				}
			}
		}
	}
	return ""
}
