package patterns

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// The rc-arc rule. A value a Send-required future holds (a capture of a
// spawned block, a parameter of a Send-required async fn, a local alive at
// an await) whose type is not Send by containment (types.go: an Rc, a
// std::rc::Weak, a RefCell or Cell behind a shared reference, a trait
// object without Send, inside any struct, enum or alias of the file) makes
// the future non-Send. The rule fixes it in one of two ways:
//
//   - a local not used after the await is scoped in a block that ends
//     before it, as mutex-scope scopes a guard;
//   - otherwise the types change: for each reason the value is not Send,
//     the group of every spelling that must change with it (bindings, fn
//     parameters and results, struct fields and aliases the value flows
//     through, by moves, clones, Rc::clone/downgrade, struct literals and
//     calls of the file's fns and methods) takes a step: Rc to Arc and
//     rc::Weak to sync::Weak; RefCell to Mutex, with borrows turned into
//     locks, or the RefCell layer removed around a lock whose methods take
//     &self (tokio's Mutex); Cell to an atomic or a Mutex; `dyn Trait` to
//     `dyn Trait + Send (+ Sync)` with the bound on generic constructors.
//     Steps are added until the model finds the value Send; a group is
//     changed whole or not at all, and a value whose last reason no step
//     removes is reported with that reason instead.

// rcWords are the names whose mentions the rule tracks.
var rcWords = map[string]bool{"Rc": true, "RefCell": true, "Cell": true, "Weak": true}

// rcAssocUse are associated fns of Rc whose result is not an Rc: the
// mention belongs to the value passed to them.
var rcAssocUse = map[string]bool{
	"strong_count": true, "weak_count": true, "ptr_eq": true, "try_unwrap": true,
	"get_mut": true, "make_mut": true, "into_inner": true, "unwrap_or_clone": true,
	"as_ptr": true, "into_raw": true,
}

// rcAssocFlow are associated fns whose result shares its argument's group.
var rcAssocFlow = map[string]bool{"clone": true, "downgrade": true}

// rcPassMethods are methods whose result keeps the receiver's Rc-ness
// (`x.clone()`, `w.upgrade().unwrap()`, `v.iter().map(Rc::downgrade).collect()`).
var rcPassMethods = map[string]bool{
	"clone": true, "upgrade": true, "unwrap": true, "expect": true, "iter": true,
	"into_iter": true, "cloned": true, "collect": true, "to_owned": true, "to_vec": true,
}

// refCellRefused are RefCell methods with no same-meaning Mutex method.
var refCellRefused = map[string]bool{
	"try_borrow": true, "try_borrow_mut": true, "try_borrow_unguarded": true, "replace": true,
	"replace_with": true, "take": true, "swap": true, "into_inner": true, "get_mut": true,
	"as_ptr": true,
}

// newRcFile returns the rule's empty view of fc.
func newRcFile(fc *fileCtx) *rcFile {
	return &rcFile{fc: fc, src: fc.src, uf: map[spellingKey]spellingKey{}, spellings: map[spellingKey]*rcSpelling{},
		spellingOf: map[uint32]spellingKey{}, fns: map[string][]*sitter.Node{}, structs: map[string]*sitter.Node{}, enums: map[string]*sitter.Node{},
		fnImpl: map[uint32]*sitter.Node{}, spellingTypes: map[spellingKey]*ty{}, groups: map[spellingKey]*rcGroup{},
		mentionAt: map[int]*rcMention{}, methodCalls: map[string][]*sitter.Node{}}
}

// analyse collects the rule's facts of the file: bindings, spellings,
// mentions, calls, and the groups of spellings values flow between.
func (r *rcFile) analyse() {
	for _, u := range r.stdUses() {
		for _, n := range u.names {
			r.rcWeak = r.rcWeak || u.path == "std::rc" && n == "Weak"
			r.syncWeak = r.syncWeak || u.path == "std::sync" && n == "Weak"
		}
		// `use std::rc::*;` brings std::rc's Weak in under its bare name.
		r.rcWeak = r.rcWeak || r.isRcGlob(u)
	}
	r.collect()
	r.resolveCalls()
	r.link()
}

// rcArcAny reports whether runRcArc proposes anything: whether a
// Send-required future holds a value that is not Send. It looks only at
// the items of the file and the bodies of the fns holding Send-required
// futures, not at the other fns' bodies, which only the fixes need. The
// rule runs where the file spells an Rc (rcSpelled: the identifier `Rc`,
// or `Weak` with an `rc::` path), the prefilter's condition: not where
// `Rc` is only part of another name, which would make a trait object's
// finding depend on it.
func rcArcAny(fc *fileCtx) bool {
	if !rcSpelled(fc.src) || !mayTrigger(fc) {
		return false
	}
	r := newRcFile(fc)
	for _, b := range fc.bodies {
		if b.send {
			// The block's start, not the fn's: collect asks whether a
			// Send-required body starts inside a fn's block, and an
			// async fn's own body is one.
			r.sendAt = append(r.sendAt, b.block.StartByte())
		}
	}
	sort.Slice(r.sendAt, func(i, j int) bool { return r.sendAt[i] < r.sendAt[j] })
	r.analyse()
	return len(r.heldValues()) > 0
}

// runRcArc finds values that make a Send-required future non-Send by what
// their types contain, and proposes a fix for each.
func runRcArc(fc *fileCtx) []proposal {
	if !rcArcAny(fc) {
		return nil
	}
	r := newRcFile(fc)
	r.analyse()
	held := r.heldValues()
	if len(held) == 0 {
		return nil
	}
	fixes := r.decide(held)
	var used []*rcGroup
	for _, g := range r.groupOrder {
		r.planGroup(g)
		used = append(used, g)
	}
	imports, importWhy := r.imports(used)
	var out []proposal
	for _, fx := range fixes {
		out = append(out, r.proposal(fx, imports, importWhy))
	}
	return out
}

// proposal is the finding of one fix, with its edits or its refusal.
func (r *rcFile) proposal(fx *rcFix, imports []rewrite.Edit, importWhy *refusal) proposal {
	h := fx.h
	f := Finding{
		Rule:    RuleRcArc,
		Pos:     Pos{Offset: int(h.id.StartByte())},
		Name:    h.name,
		Message: fmt.Sprintf("`%s` is not Send: %s; %s", h.name, h.lacks[0], h.how),
	}
	if h.local != nil {
		f.Await = &Pos{Offset: awaitKeyword(r.src, h.local.await)}
	}
	// about: the bindings the fix answers for, for matching the sites
	// rustc reports (a captured use names any of them).
	about := [][2]int{{int(h.id.StartByte()), int(h.id.EndByte())}}
	for _, g := range fx.groups {
		about = append(about, r.groupAbout(g)...)
	}
	if fx.scoped != nil {
		f.Fix = "scoped it so that it is dropped before the await"
		return proposal{f: f, edits: fx.scoped, about: about}
	}
	why := fx.refused
	for _, g := range fx.groups {
		if why == nil {
			why = g.refused
		}
	}
	if why == nil && importWhy != nil {
		why = importWhy
	}
	if why != nil {
		f.Reason = why.Error()
		return proposal{f: f, about: about}
	}
	var edits []rewrite.Edit
	var did []string
	for _, g := range fx.groups {
		edits = append(edits, g.edits...)
		for _, s := range g.did() {
			if !slices.Contains(did, s) {
				did = append(did, s)
			}
		}
	}
	f.Fix = "changed " + strings.Join(did, "; ")
	return proposal{f: f, edits: append(edits, imports...), about: about}
}
