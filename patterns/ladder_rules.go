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

// scopeCandidates are mutex-scope's further candidates for a let-bound
// guard, under Config.Candidates only: when the scope was refused because
// a binding coming out of the block may borrow from the guard (refused),
// that scope all the same, with the refusal as its doubt; and the scope
// grown to the last use of every binding made in it that is used after
// it, when those uses all come before the await (a borrower of the guard
// then ends with it). f is the guard's finding.
func scopeCandidates(fc *fileCtx, g *guard, last int, f Finding, refused bool) []proposal {
	if !fc.cfg.Candidates {
		return nil
	}
	var out []proposal
	if refused {
		if edits, why := scopeGuard(fc, g, last, true); why == "" {
			c := f
			c.Reason, c.Fix = "", "scoped the guard so it is dropped before the await"
			out = append(out, proposal{f: c, edits: edits, unsure: f.Reason, rung: RungScope})
		}
	}
	if end := grownLast(fc, g, last); end > last {
		if edits, why := scopeGuard(fc, g, end, true); why == "" {
			c := f
			c.Reason = ""
			c.Fix = fmt.Sprintf("scoped the guard together with what is made from it, through line %d, so all of it is dropped before the await",
				lineOf(fc.src, int(g.stmts[end].StartByte())))
			out = append(out, proposal{f: c, edits: edits, rung: RungGrownScope})
		}
	}
	return out
}

// grownLast returns the index of the last statement a grown scope of g
// must hold: from g's let through last, then through the last use of
// every binding made in that range, until no binding made in it is used
// after it. It returns last when one is used at or after the await (no
// scope can hold it).
func grownLast(fc *fileCtx, g *guard, last int) int {
	if g.awaitAt < 0 {
		return last
	}
	end := last
	for changed := true; changed; {
		changed = false
		for j := g.at; j <= end; j++ {
			s := g.stmts[j]
			if s.Type() != "let_declaration" {
				continue
			}
			names, _ := patternNames(fc.src, s.ChildByFieldName("pattern"))
			for _, n := range names {
				for k := len(g.stmts) - 1; k > end; k-- {
					if !usesName(fc.src, g.stmts[k], n) {
						continue
					}
					if k >= g.awaitAt {
						return last
					}
					end, changed = k, true
					break
				}
			}
		}
	}
	return end
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
	for k, s := range r.sites {
		if s.id != nil && r.find(k) == g.root {
			out = append(out, [2]int{int(s.id.StartByte()), int(s.id.EndByte())})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// packageSwap is tokio-mutex's candidate that spans the package, under
// Config.Candidates with the package's files at hand (fileCtx.pkg): this
// file's swap joined by the swap of every other file of the package that
// names std's Mutex, for a Mutex whose type is decided in another file.
// A real refusal in any of those files (a lock that would block a
// runtime thread, a Condvar) leaves no candidate; a file that names no
// std Mutex is left as it is. f is the guard's finding.
func packageSwap(fc *fileCtx, plan *swapPlan, f Finding) []proposal {
	if !fc.cfg.Candidates || fc.pkg == nil || plan.why != "" {
		return nil
	}
	var extra []FileEdits
	for _, path := range fc.pkg.paths() {
		ofc := fc.pkg.file(path)
		if ofc == nil {
			continue
		}
		op := planSwap(ofc)
		if op.why != "" {
			if len(op.stdNames) == 0 && len(op.paths) == 0 {
				continue // names no std Mutex
			}
			return nil
		}
		if len(op.edits) > 0 {
			extra = append(extra, FileEdits{Path: path, Edits: shiftEdits(op.edits, bomLen(fc.cfg.Package[path]))})
		}
	}
	if len(extra) == 0 {
		return nil
	}
	f.Reason = ""
	f.Fix = fmt.Sprintf("switched every std Mutex of the package to tokio::sync::Mutex (%d files)", len(extra)+1)
	return []proposal{{f: f, edits: plan.edits, extra: extra, rung: RungTokioSwap,
		unsure: "the Mutex's type is decided in another file of the package; the swap covers every std Mutex of the package"}}
}
