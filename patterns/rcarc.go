package patterns

import (
	"bytes"
	"fmt"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// The rc-arc rule. An Rc (or std::rc::Weak) that reaches a Send-required
// future makes it non-Send even with no await in between. The rule finds
// the values whose type must change together (a "group": bindings, fn
// parameters, struct fields, type aliases and fn results that an Rc flows
// through by moves, clones, Rc::clone/downgrade, struct literals and calls
// of fns of the file), and rewrites every Rc spelled for that group to Arc,
// Rc<RefCell<T>> to Arc<Mutex<T>> with borrows turned into locks, and the
// imports to match. A group is changed whole or not at all.

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

// rcGroup is the set of sites that change together, and its fix.
type rcGroup struct {
	root      siteKey
	trigger   *rcSite
	why       string
	refCell   bool
	weak      bool // mentions `Weak` by name
	needArc   bool
	needMutex bool
	reason    string
	edits     []rewrite.Edit
	owned     map[*rcMention]bool
}

// newRcFile returns the rule's empty view of fc.
func newRcFile(fc *fileCtx) *rcFile {
	return &rcFile{fc: fc, src: fc.src, uf: map[siteKey]siteKey{}, sites: map[siteKey]*rcSite{},
		binds: map[string][]*rcBind{}, fns: map[string][]*sitter.Node{}, structs: map[string]*sitter.Node{},
		bare: bareSpawnIsTokio(fc.src, fc.root)}
}

// runRcArc finds Rc values that reach a Send-required future and
// proposes their conversion to Arc.
func runRcArc(fc *fileCtx) []proposal {
	if !bytes.Contains(fc.src, []byte("Rc")) && !bytes.Contains(fc.src, []byte("Weak")) || !mayTrigger(fc) {
		return nil
	}
	r := newRcFile(fc)
	for _, u := range r.stdUses() {
		for _, n := range u.names {
			r.rcWeak = r.rcWeak || u.path == "std::rc" && n == "Weak"
		}
		// `use std::rc::*;` brings std::rc's Weak in under its bare name.
		r.rcWeak = r.rcWeak || r.isRcGlob(u)
	}
	r.collect()
	r.inferStructs()
	hasRc := false
	for _, m := range r.mentions {
		if m.word == "Rc" || m.word == "Weak" {
			hasRc = true
		}
	}
	if !hasRc {
		return nil
	}
	r.link()
	groups := r.triggers()
	if len(groups) == 0 {
		return nil
	}
	for _, g := range groups {
		r.plan(g)
	}
	imports, importReason := r.imports(groups)
	var out []proposal
	// Groups one binding triggers (a parameter whose type spells an Rc and
	// names a struct of the file with Rc fields: `s: Shared<Rc<u8>>`) make
	// one finding: their edits together, or, when one group is refused,
	// the first refusal and no edits.
	byTrigger := map[*rcSite]int{}
	add := func(g *rcGroup, p proposal) {
		i, ok := byTrigger[g.trigger]
		if !ok {
			byTrigger[g.trigger] = len(out)
			out = append(out, p)
			return
		}
		switch prev := &out[i]; {
		case prev.f.Reason != "":
		case p.f.Reason != "":
			prev.f, prev.edits = p.f, nil
		default:
			prev.edits = append(prev.edits, p.edits...)
			if p.f.Fix != "changed Rc to Arc" {
				prev.f.Fix = p.f.Fix
			}
		}
	}
	for _, g := range groups {
		f := Finding{
			Rule:    RuleRcArc,
			Pos:     Pos{Offset: int(g.trigger.id.StartByte())},
			Name:    g.trigger.name,
			Message: fmt.Sprintf("`%s` holds an Rc, which is not Send, and %s", g.trigger.name, g.why),
		}
		switch {
		case g.reason != "":
			f.Reason = g.reason
			add(g, proposal{f: f})
		case importReason != "":
			f.Reason = importReason
			add(g, proposal{f: f})
		case len(g.edits) == 0 && len(imports) == 0:
			// Nothing spelled Rc is left: an earlier pass fixed it.
		default:
			f.Fix = "changed Rc to Arc"
			if g.refCell {
				f.Fix = "changed Rc<RefCell<..>> to Arc<Mutex<..>> and borrows to lock().unwrap()"
			}
			edits := append(append([]rewrite.Edit(nil), g.edits...), imports...)
			add(g, proposal{f: f, edits: edits})
		}
	}
	return out
}
