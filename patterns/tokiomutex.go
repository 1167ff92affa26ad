package patterns

// tokio-mutex: switch std::sync::Mutex (RwLock) to tokio::sync::Mutex
// (RwLock) when a guard must stay held across an await of a Send-required
// future.
//
// The swap is per file, or per crate when every file of the crate is
// among the files given (crate mode, tokiomutex_crate.go): an import swap
// changes what `Mutex` means for every Mutex of the file, and tracing
// which `Mutex::new` feeds which receiver needs data flow sendfix does
// not have. So every std lock of the family moves, every lock call is
// converted, or nothing changes and each held guard is reported with the
// reason. Mutex and RwLock are separate families, each swapped when one
// of its guards must stay held.
//
// The parts, in the order a swap is made:
//
//	tokiomutex.go          the rule: which guards ask for a swap, findings
//	tokiomutex_collect.go  the plan, and the one walk that collects its facts
//	tokiomutex_types.go    whether a lock's type is std's (types, names, fields)
//	tokiomutex_place.go    whether a spelling's type is decided in the files given
//	tokiomutex_emit.go     refusals before any edit; imports, paths, statics
//	tokiomutex_calls.go    lock calls and their shapes
//	tokiomutex_context.go  where a lock call runs: .await, blocking_*, or a sync fn made async
//	tokiomutex_hoist.go    a lock in a sync closure of async code, taken before the statement
//	tokiomutex_macro.go    lock calls and spellings in macro tokens
//	tokiomutex_crate.go    crate mode: the other files' facts and the crate's decision
//	imports.go, imports_edit.go  the import fact and the use-list editor
//
// Output shapes (byte splices; lines keep their layout unless said):
//
//	use std::sync::Mutex;                 -> use tokio::sync::Mutex;  (in place; an alias stays)
//	use std::sync::{Arc, Mutex, RwLock};  -> use std::sync::{Arc, RwLock};
//	                                         use tokio::sync::Mutex;   (new line after it)
//	use std::sync::{Arc, Mutex};          -> use std::sync::Arc;       (one item left: unbraced,
//	                                         use tokio::sync::Mutex;    single-line groups only)
//	    Mutex and MutexGuard move together (RwLock with its guards); a
//	    `use tokio::sync::..;` of the same scope is extended instead
//	    (`{mpsc, Mutex}`, `RwLock` -> `{RwLock, Mutex}`); a name tokio
//	    already binds is not imported twice (E0252).
//	std::sync::Mutex<T>, ::std::sync::MutexGuard  -> tokio::sync::Mutex<T>, tokio::sync::MutexGuard
//	static M: Mutex<T> = Mutex::new(x);   -> .. = Mutex::const_new(x);
//	    (tokio >= 1.30, or its `parking_lot` feature, which `full` enables)
//
// Lock calls (tokiomutex_calls.go), with L = `lock().await` (`read()`,
// `write()`) in async code and L = `blocking_lock()` in sync code no
// runtime thread runs:
//
//	m.lock().unwrap() / .expect(..) / .unwrap_or_else(recover) / ? / .map_err(F)? / .ok()?  -> m.L
//	let Ok(P) = m.lock() else { return };                   -> let P = m.L;
//	if let Ok(P) = m.lock() { BODY }                        -> { let P = m.L; BODY }
//	match m.lock() { Ok(P) => A, Err(_) => B }              -> { let P = m.L; A }
//	keys.iter().map(|k| m.lock().unwrap()[k]).collect()     -> let m_guard = m.lock().await;
//	                                                           keys.iter().map(|k| m_guard[k]).collect()
//	                                                           drop(m_guard);
//	fn f() { m.lock().unwrap() } (called from async code)    -> async fn f() { m.lock().await }, f().await
//
// Refused (file unchanged, reason reported): an error path that does more
// than propagate; a lock in sync code that can run on a runtime thread
// and that sendfix cannot make async or hoist; other lock shapes (a bare
// `.lock()`); try_lock / try_read / try_write / is_poisoned /
// clear_poison / into_inner / get_mut / Condvar on a lock that may move
// (their meaning or type differs); `use std::sync::*`; a lock type spelled
// in a `pub` item without --allow-public (outside a binary crate in crate
// mode); a receiver whose lock type is not spelled in the files given;
// --all-async bodies (that mode only scopes).
// Left alone: locks whose type or constructor is written as parking_lot's
// or tokio's, and `.lock().await`.

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// runTokioMutex turns the guards mutex-scope could not scope (fileCtx.held,
// and the temporaries that must stay held, fileCtx.heldTemps) into
// tokio-mutex findings, each carrying the file's whole swap. With
// --rules tokio-mutex and mutex-scope not enabled, every std guard held
// across an await is swapped, scopeable or not.
func runTokioMutex(fc *fileCtx) []proposal {
	forced := fc.cfg.Rules[RuleTokioMutex] && !fc.cfg.Rules[RuleMutexScope]
	gs := fc.held
	if forced {
		gs = findGuards(fc)
	}
	gs = append(gs[:len(gs):len(gs)], fc.heldTemps...)
	var want lockFamily
	var mine []*guard
	for _, g := range gs {
		if !swappable(fc, g) {
			continue // compiler-site guards are not ours
		}
		if g.body != nil && g.body.why == "--all-async" {
			continue // --all-async only scopes
		}
		mine = append(mine, g)
		want |= familyOfGuard(g.kind)
	}
	cv := fc.crateView()
	if cv != nil {
		want |= cv.swaps()
	}
	if want == 0 {
		return nil
	}
	plans := plansFor(fc, want, cv)
	var out []proposal
	for _, g := range mine {
		out = append(out, guardProposal(fc, g, plans[familyOfGuard(g.kind)], cv))
	}
	if cv != nil {
		out = append(out, crateCarriers(fc, mine, plans, cv)...)
	}
	return out
}

// plansFor plans the swap of the families wanted: one plan for all, or,
// when that is refused, one per family, so that a refusal of one family
// does not stop the other.
//
// In crate mode only the families the crate swaps are planned; a family
// it refused gets its refusal, and one it did not decide (no guard of
// it resolved when the crate was planned) a plan that is only collected,
// for the receiver's refusal.
func plansFor(fc *fileCtx, want lockFamily, cv *crateView) map[lockFamily]*swapPlan {
	out := map[lockFamily]*swapPlan{}
	ok := want
	if cv != nil {
		for _, f := range want.each() {
			if cv.crate.swap.has(f) {
				continue
			}
			ok &^= f
			out[f] = newPlan(fc, f, cv)
			out[f].why = cv.crate.refused[f]
		}
	}
	if ok == 0 {
		return out
	}
	all := planSwap(fc, ok, cv)
	if all.why == nil || len(ok.each()) == 1 {
		for _, f := range ok.each() {
			out[f] = all
		}
		return out
	}
	for _, f := range ok.each() {
		out[f] = planSwap(fc, f, cv)
	}
	return out
}

// guardProposal is the finding of one held guard: the plan's edits, or
// the reason there are none.
func guardProposal(fc *fileCtx, g *guard, plan *swapPlan, cv *crateView) proposal {
	awaitOff := awaitKeyword(fc.src, g.await)
	// The guard's binding: mutex-scope reports the same position, so
	// supersede can pair the two findings.
	bind := g.bind
	if bind == nil {
		bind = g.decl
		if pat := g.decl.ChildByFieldName("pattern"); pat != nil {
			bind = pat
		}
	}
	f := Finding{
		Rule:    RuleTokioMutex,
		Pos:     Pos{Offset: int(bind.StartByte())},
		Await:   &Pos{Offset: awaitOff},
		Name:    g.name,
		Message: fmt.Sprintf("`%s` `%s` is held across an await point", g.kind, g.name),
	}
	fam := familyOfGuard(g.kind)
	recv := compact(text(fc.src, g.recv))
	what := "guard"
	if g.temp {
		what = "temporary guard"
	}
	lead := fmt.Sprintf("%s `%s` is used after `%s` at line %d", what, g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
	if g.temp {
		lead = fmt.Sprintf("%s `%s` must stay held across `%s` at line %d", what, g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
	} else if !g.usedLate && (g.acq.shape == acqIfLetOk || g.acq.shape == acqMatchOk) {
		form := map[bool]string{true: "if let", false: "match"}[g.acq.shape == acqIfLetOk]
		lead = fmt.Sprintf("the `%s` on `%s` keeps its result (guard `%s`, or the poisoned error that holds it) alive across `%s` at line %d", form, compact(text(fc.src, g.lock)), g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
	} else if !g.usedLate {
		lead = fmt.Sprintf("guard `%s` is held across `%s` at line %d (--rules tokio-mutex)", g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
	}
	to := "tokio::sync::" + fam.lockName()
	why := plan.why
	if why != nil && cv != nil && why.file == cv.self {
		why = why.in("") // a refusal of this very file
	}
	if why == nil {
		why = plan.resolveRecv(g.recv)
	}
	if why == nil && cv != nil {
		why = cv.refusal(fam)
	}
	if why != nil {
		f.Reason = fmt.Sprintf("%s; not switching `%s` to %s: %s", lead, recv, to, why.Error())
		return proposal{f: f}
	}
	f.Fix = fmt.Sprintf("%s: switched `%s` to %s (%s)", lead, recv, to, plan.summary(cv))
	// Every finding of the file carries the same edits: identical
	// duplicates count once when the engine applies them.
	return proposal{f: f, edits: plan.edits}
}

// summary says what a plan changed, for Finding.Fix.
func (p *swapPlan) summary(cv *crateView) string {
	var parts []string
	calls := fmt.Sprintf("%d lock calls", p.calls)
	if p.calls == 1 {
		calls = "1 lock call"
	}
	parts = append(parts, calls)
	if p.blocking > 0 {
		parts = append(parts, fmt.Sprintf("%d as %s off the runtime", p.blocking, p.blockingWord()))
	}
	if p.hoisted > 0 {
		parts = append(parts, fmt.Sprintf("%d taken before a statement instead of in its sync closure", p.hoisted))
	}
	if len(p.madeAsync) > 0 {
		parts = append(parts, fmt.Sprintf("made `%s` async and awaited its calls", strings.Join(p.madeAsync, "`, `")))
	}
	scope := "the swap covers every std " + p.fams.lockName() + " of the file"
	if cv != nil {
		scope = "the swap covers every std " + p.fams.lockName() + " of the crate"
	}
	return strings.Join(parts, ", ") + "; " + scope
}

// blockingWord names the blocking calls of the plan's families.
func (p *swapPlan) blockingWord() string {
	var w []string
	if p.fams.has(famMutex) {
		w = append(w, "blocking_lock()")
	}
	if p.fams.has(famRwLock) {
		w = append(w, "blocking_read()/blocking_write()")
	}
	return strings.Join(w, " or ")
}

// compact removes the whitespace of a short expression for messages.
func compact(s string) string { return strings.Join(strings.Fields(s), "") }

// awaitText renders an awaited expression for messages: `upstream(..).await`.
func awaitText(src []byte, aw *sitter.Node) string {
	if aw.Type() == "macro_invocation" { // a macro that awaits (awaitMacro)
		return compact(text(src, aw.ChildByFieldName("macro"))) + "!(..)"
	}
	op := aw.NamedChild(0)
	if op == nil {
		return ".await"
	}
	if op.Type() == "call_expression" {
		args := "()"
		if a := op.ChildByFieldName("arguments"); a != nil && a.NamedChildCount() > 0 {
			args = "(..)"
		}
		return compact(text(src, op.ChildByFieldName("function"))) + args + ".await"
	}
	if t := compact(text(src, op)); len(t) <= 40 {
		return t + ".await"
	}
	return "the await"
}

// swappable reports whether tokio-mutex takes a guard that mutex-scope
// cannot scope: the rule is on, --all-async is off (it never swaps), and
// the guard comes from a `.lock()`/`.read()`/`.write()` call on a
// receiver the swap can resolve (recv set).
func swappable(fc *fileCtx, g *guard) bool {
	return fc.cfg.Rules[RuleTokioMutex] && !fc.cfg.AllAsync && familyOfGuard(g.kind) != 0 && g.recv != nil
}

// supersede drops mutex-scope's unfixed finding for a guard that
// tokio-mutex reports too: the guard was handed over, and the tokio-mutex
// finding says what became of it.
func supersede(props []proposal) []proposal {
	tm := map[int]bool{}
	for _, p := range props {
		if p.f.Rule == RuleTokioMutex {
			tm[p.f.Pos.Offset] = true
		}
	}
	if len(tm) == 0 {
		return props
	}
	out := props[:0:0]
	for _, p := range props {
		if p.f.Rule == RuleMutexScope && len(p.edits) == 0 && tm[p.f.Pos.Offset] {
			continue
		}
		out = append(out, p)
	}
	return out
}
