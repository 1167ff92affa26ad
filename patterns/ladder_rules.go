package patterns

// The rules' hooks into the ladder (ladder.go): small functions the rules
// call where, with the compiler in the loop, a refusal becomes a
// candidate or a finding needs the ladder's words.

import (
	"fmt"
	"sort"
)

// nonSendUsedLate is the reason a value that is no lock guard, which
// rustc names as not Send (a `watch::Ref`, a `RefMut`, an `Rc`, a `Box<dyn
// Trait>`), is not fixed: it is used after the await.
func nonSendUsedLate(fc *fileCtx, g *guard, awaitLine int) string {
	return fmt.Sprintf("`%s` has type `%s`, which is not Send, and is used after the await at line %d (last use at line %d); scoping it would change what the code does and no rule changes its type here: take what is needed from it (an owned copy) before the await",
		g.name, g.kind, awaitLine, lineOf(fc.src, int(g.stmts[g.lastUse].StartByte())))
}

// trustCandidates are mutex-scope's further candidates for a let-bound
// guard whose scope was refused (why) because a binding whose ownership
// the syntax cannot tell is used after the await, under
// Config.Candidates only: the scope that takes such bindings as owned
// (they come out of the block), with the refusal as its doubt; and, when
// tokio-mutex can swap the guard's Mutex, the guard handed to it for the
// next rung. f is the guard's finding.
func (sc *scopeCtx) trustCandidates(g *guard, blockGuards []*guard, f Finding, why string) []proposal {
	fc := sc.fc
	if !fc.cfg.Candidates {
		return nil
	}
	if handOff(fc, g) {
		g.usedLate = true
		fc.held = append(fc.held, g)
	}
	sc.trust = true
	plan, ref := sc.plan(g, blockGuards)
	sc.trust = false
	if ref != nil {
		return nil
	}
	edits, w := sc.edits(g, plan)
	if w != "" {
		return nil
	}
	c := f
	c.Reason, c.Fix = "", "scoped the guard so it is dropped before the await"
	return []proposal{{f: c, edits: edits, unsure: why, rung: RungScope}}
}

// tempDoubt words a temporary guard's ownership doubt as mutex-scope's
// refusals are worded ("" when there is none).
func tempDoubt(unsure, temp string, awaitLine int) string {
	if unsure == "" {
		return ""
	}
	return fmt.Sprintf("%s (temporary guard of `%s`, await at line %d)", unsure, temp, awaitLine)
}

// groupAbout are the bindings of an rc-arc group, for matching the sites
// rustc reports (a captured use names one of them).
func (r *rcFile) groupAbout(g *rcGroup) [][2]int {
	var out [][2]int
	for k, s := range r.spellings {
		if s.id != nil && r.find(k) == g.root {
			out = append(out, [2]int{int(s.id.StartByte()), int(s.id.EndByte())})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
