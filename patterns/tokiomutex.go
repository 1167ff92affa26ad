package patterns

// tokio-mutex: switch std::sync::Mutex to tokio::sync::Mutex when a guard
// must stay held across an await of a Send-required future.
//
// The swap is per file: an import swap changes what `Mutex` means for every
// Mutex of the file, and tracing which `Mutex::new` feeds which receiver
// needs data flow sendfix does not have. So every std Mutex of the file
// moves, every lock site of the file is converted, or nothing changes and
// each held guard is reported with the reason.
//
// Output shapes (byte splices; lines keep their layout unless said):
//
//	use std::sync::Mutex;                 -> use tokio::sync::Mutex;  (in place; an alias stays)
//	use std::sync::{Arc, Mutex, RwLock};  -> use std::sync::{Arc, RwLock};
//	                                         use tokio::sync::Mutex;   (new line after it)
//	use std::sync::{Arc, Mutex};          -> use std::sync::Arc;       (one item left: unbraced,
//	                                         use tokio::sync::Mutex;    single-line groups only)
//	use std::{io, sync::{Arc, Mutex}};    -> use std::{io, sync::Arc};
//	                                         use tokio::sync::Mutex;
//	    Mutex and MutexGuard move together: use tokio::sync::{Mutex, MutexGuard};
//	    An existing `use tokio::sync::{..};` group in the same scope gets them
//	    appended instead (`{mpsc, Mutex}`); a name tokio already binds is not
//	    imported twice (E0252).
//	std::sync::Mutex<T>, ::std::sync::MutexGuard  -> tokio::sync::Mutex<T>, tokio::sync::MutexGuard
//	static M: Mutex<T> = Mutex::new(x);   -> .. = Mutex::const_new(x);
//	    (tokio >= 1.30, or its `parking_lot` feature, which `full` enables)
//
// Lock sites, in async code (L = `lock().await`) and in sync code whose
// every caller runs on spawn_blocking or a std thread (L = `blocking_lock()`):
//
//	m.lock().unwrap() / .expect(..) / .unwrap_or_else(..)   -> m.L
//	    (also inside macro arguments, for .unwrap() and .expect("..."))
//	let Ok(P) = m.lock() else { .. };                       -> let P = m.L;
//	if let Ok(P) = m.lock() {                               -> {
//	    BODY                                                       let P = m.L;
//	} else { .. }                                                  BODY
//	                                                           }
//	match m.lock() {                                        -> {
//	    Ok(P) => { BODY }   (or Ok(P) => EXPR,)                    let P = m.L;
//	    Err(e) => ..,       (or _ => ..)                           BODY (one level less indented) / EXPR
//	}                                                          }
//
// tokio's lock cannot fail, so the Err/else branches are dead and go.
// Refused (file unchanged, reason reported): a lock in a sync closure or
// sync fn that can run on a runtime thread (blocking_lock panics there,
// .await does not compile), any other lock shape (`?`, a bare `.lock()`),
// try_lock / is_poisoned / clear_poison / into_inner / get_mut / Condvar
// (their meaning or type differs), `use std::sync::*`, a Mutex type spelled
// in a `pub` item without --allow-public, a receiver whose Mutex type is not
// spelled in the file, --all-async bodies (that mode only scopes).
// Left alone: locks on a receiver whose type or constructor the file writes
// as parking_lot's Mutex/RwLock or tokio's Mutex, and `.lock().await`.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// runTokioMutex turns the guards mutex-scope could not scope (fileCtx.held)
// into tokio-mutex findings, each carrying the file's whole swap. With
// --rules tokio-mutex and mutex-scope not enabled, every std Mutex guard
// held across an await is swapped, scopeable or not.
func runTokioMutex(fc *fileCtx) []proposal {
	forced := fc.cfg.Rules[RuleTokioMutex] && !fc.cfg.Rules[RuleMutexScope]
	gs := fc.held
	if forced {
		gs = findGuards(fc)
	}
	var plan *swapPlan
	var out []proposal
	for _, g := range gs {
		if g.kind != "MutexGuard" || g.recv == nil {
			continue // RwLock guards and compiler-site guards are not ours
		}
		if g.body != nil && g.body.why == "--all-async" {
			continue // --all-async only scopes
		}
		if plan == nil {
			plan = planSwap(fc)
		}
		awaitOff := awaitKeyword(fc.src, g.await)
		// The guard's binding: mutex-scope reports the same position, so
		// supersede can pair the two findings.
		bind := g.decl
		if pat := g.decl.ChildByFieldName("pattern"); pat != nil {
			bind = pat
		}
		f := Finding{
			Rule:    RuleTokioMutex,
			Pos:     Pos{Offset: int(bind.StartByte())},
			Await:   &Pos{Offset: awaitOff},
			Name:    g.name,
			Message: fmt.Sprintf("`MutexGuard` `%s` is held across an await point", g.name),
		}
		recv := compact(text(fc.src, g.recv))
		lead := fmt.Sprintf("guard `%s` is used after `%s` at line %d", g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
		if !g.usedLate {
			lead = fmt.Sprintf("guard `%s` is held across `%s` at line %d (--rules tokio-mutex)", g.name, awaitText(fc.src, g.await), lineOf(fc.src, awaitOff))
		}
		why := plan.why
		if why == "" {
			why = plan.resolve(g.recv)
		}
		if why != "" {
			f.Reason = fmt.Sprintf("%s; not switching `%s` to tokio::sync::Mutex: %s", lead, recv, why)
			out = append(out, proposal{f: f})
			out = append(out, packageSwap(fc, plan, f)...)
			continue
		}
		blocking := ""
		if plan.block > 0 {
			blocking = fmt.Sprintf(", %d as blocking_lock() off the runtime", plan.block)
		}
		f.Fix = fmt.Sprintf("%s: switched `%s` to tokio::sync::Mutex (%d lock sites%s; the swap covers every std Mutex of the file)", lead, recv, plan.sites, blocking)
		// Every finding of the file carries the same edits: identical
		// duplicates count once when the engine applies them.
		out = append(out, proposal{f: f, edits: plan.edits, unsure: plan.doubt})
		out = append(out, packageSwap(fc, plan, f)...)
	}
	return out
}

// compact removes the whitespace of a short expression for messages.
func compact(s string) string { return strings.Join(strings.Fields(s), "") }

// awaitText renders an awaited expression for messages: `upstream(..).await`.
func awaitText(src []byte, aw *sitter.Node) string {
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

// swapPlan is the file-wide swap: all its edits, or why there are none.
type swapPlan struct {
	edits []rewrite.Edit
	sites int    // lock sites converted
	block int    // of which to blocking_lock()
	why   string // refusal, "" when the swap is possible
	// doubt is the doubt of a swap made with the compiler in the loop
	// where a spelling's type may be decided outside the file (see
	// placement): without the compiler it is the refusal.
	doubt string
	fc    *fileCtx

	stdNames  map[string]bool                  // local names bound to std Mutex / MutexGuard
	others    map[string]bool                  // local names bound to parking_lot's or tokio's lock types
	syncMods  map[string]bool                  // local names bound to the module std::sync
	modPaths  []*sitter.Node                   // `m::Mutex[Guard]` paths, std when m is in syncMods
	inners    []*sitter.Node                   // `.into_inner()` / `.get_mut()` calls
	aliases   map[string]*sitter.Node          // type alias name -> its type
	fields    map[string][]*sitter.Node        // field name -> declared types
	statics   map[string]*sitter.Node          // static name -> its type
	idents    map[string][]*sitter.Node        // identifier text -> nodes
	fns       map[string][]*sitter.Node        // fn name -> function_items
	fnMode    map[*sitter.Node]lockMode        // memo of sync fn contexts
	fnWhy     map[*sitter.Node]string          //
	visiting  map[*sitter.Node]bool            //
	lockUses  []*sitter.Node                   // `.lock()` calls outside macros
	macros    []*sitter.Node                   // outermost macro token trees
	uses      []*sitter.Node                   // use declarations
	paths     []*sitter.Node                   // full std::sync::Mutex[Guard] paths
	staticsV  []*sitter.Node                   // static and const items, const fns
	pubItems  []*sitter.Node                   // items and fields with a visibility modifier
	tokioHas  map[*sitter.Node]map[string]bool // scope -> names tokio::sync imports there
	local     map[string]bool                  // structs, enums, unions and traits defined in the file
	localMods map[string]bool                  // inline modules of the file
	imported  map[string]bool                  // names bound by use declarations
}

// lockMode is how a lock site becomes a tokio lock.
type lockMode int

const (
	modeRefuse   lockMode = iota
	modeAwait             // async code: .lock().await
	modeBlocking          // sync code off the runtime: .blocking_lock()
)

// forbidden are std Mutex methods whose tokio counterparts differ in type or
// meaning; a file using any of them is left to a human.
var forbidden = regexp.MustCompile(`\.\s*(try_lock|is_poisoned|clear_poison)\s*\(|\.\s*(into_inner|get_mut)\s*\(\s*\)\s*\.\s*(unwrap|expect)|\bCondvar\b`)

// planSwap computes the file's swap in one walk of the tree plus lookups.
func planSwap(fc *fileCtx) *swapPlan {
	p := &swapPlan{fc: fc, stdNames: map[string]bool{}, others: map[string]bool{}, syncMods: map[string]bool{}, aliases: map[string]*sitter.Node{},
		fields: map[string][]*sitter.Node{}, statics: map[string]*sitter.Node{},
		idents: map[string][]*sitter.Node{}, fns: map[string][]*sitter.Node{},
		fnMode: map[*sitter.Node]lockMode{}, fnWhy: map[*sitter.Node]string{},
		visiting: map[*sitter.Node]bool{},
		tokioHas: map[*sitter.Node]map[string]bool{}}
	p.why = p.collect()
	if p.why == "" {
		p.why = p.build()
	}
	if p.why != "" {
		p.edits = nil
	}
	return p
}

// collect gathers every node the swap looks at in one walk.
func (p *swapPlan) collect() string {
	src := p.fc.src
	if m := forbidden.FindIndex(src); m != nil {
		what := strings.TrimLeft(string(src[m[0]:m[1]]), ". \t\r\n")
		if i := strings.IndexAny(what, " \t\r\n(."); i >= 0 {
			what = what[:i]
		}
		return fmt.Sprintf("`%s` at line %d has no like-for-like tokio counterpart; convert it by hand", what, lineOf(src, m[0]))
	}
	var why string
	walk(p.fc.root, func(n *sitter.Node) bool {
		if why != "" {
			return false
		}
		switch n.Type() {
		case "use_declaration":
			p.uses = append(p.uses, n)
			return false
		case "macro_definition":
			// Its expansions are not converted: a std-style lock in the
			// body would meet a tokio Mutex (E0599).
			if loc := macroLock.FindStringIndex(text(src, n)); loc != nil {
				why = fmt.Sprintf("macro `%s` locks a Mutex in its definition at line %d; sendfix does not rewrite macro bodies", text(src, n.ChildByFieldName("name")), lineOf(src, int(n.StartByte())+loc[0]))
			}
			return false
		case "macro_invocation":
			for _, c := range namedChildren(n) {
				if c.Type() == "token_tree" {
					p.macros = append(p.macros, c)
				}
			}
		case "identifier":
			p.idents[text(src, n)] = append(p.idents[text(src, n)], n)
		case "field_identifier":
			if par := n.Parent(); par != nil && par.Type() == "field_expression" {
				p.idents[text(src, n)] = append(p.idents[text(src, n)], n)
			}
		case "function_item":
			name := fnName(src, n)
			p.fns[name] = append(p.fns[name], n)
			if isConstFn(src, n) {
				p.staticsV = append(p.staticsV, n)
			}
		case "type_item":
			p.aliases[text(src, n.ChildByFieldName("name"))] = n.ChildByFieldName("type")
		case "static_item", "const_item":
			p.statics[text(src, n.ChildByFieldName("name"))] = n.ChildByFieldName("type")
			p.staticsV = append(p.staticsV, n)
		case "field_declaration":
			nm := text(src, n.ChildByFieldName("name"))
			p.fields[nm] = append(p.fields[nm], n.ChildByFieldName("type"))
		case "ordered_field_declaration_list":
			i := 0
			for _, c := range namedChildren(n) {
				if c.Type() == "visibility_modifier" || c.Type() == "attribute_item" || isComment(c) {
					continue
				}
				k := fmt.Sprint(i)
				p.fields[k] = append(p.fields[k], c)
				i++
			}
		case "visibility_modifier":
			p.pubItems = append(p.pubItems, n.Parent())
		case "scoped_type_identifier", "scoped_identifier":
			if isStdMutexPath(src, n) {
				p.paths = append(p.paths, n)
				return false
			}
			if nm := text(src, n.ChildByFieldName("name")); nm == "Mutex" || nm == "MutexGuard" {
				if path := n.ChildByFieldName("path"); path != nil && path.Type() == "identifier" {
					p.modPaths = append(p.modPaths, n)
				}
			}
		case "call_expression":
			if n.ChildByFieldName("arguments").NamedChildCount() == 0 {
				switch methodName(src, n) {
				case "lock":
					p.lockUses = append(p.lockUses, n)
				case "into_inner", "get_mut":
					p.inners = append(p.inners, n)
				}
			}
		}
		return true
	})
	if why != "" {
		return why
	}
	for _, u := range p.uses {
		if w := p.readUse(u); w != "" {
			return w
		}
	}
	// std's into_inner/get_mut return a LockResult, tokio's the value: a
	// call the swap does not remove would change type. Calls on a
	// PoisonError in a lock site's error handling go with it.
	for _, n := range p.inners {
		if !p.inLockErrorPath(n) {
			return fmt.Sprintf("`%s` at line %d may be std's Mutex method, which tokio's returns without a LockResult; convert it by hand", methodName(src, n), lineOf(src, int(n.StartByte())))
		}
	}
	for _, tt := range p.macros {
		if loc := macroInner.FindStringIndex(text(src, tt)); loc != nil {
			return fmt.Sprintf("`into_inner`/`get_mut` at line %d inside a macro may be std's Mutex method, which tokio's returns without a LockResult; convert it by hand", lineOf(src, int(tt.StartByte())+loc[0]))
		}
	}
	// A full std path in macro tokens is not rewritten: that Mutex would
	// stay std while the lock sites the file's names reach move to tokio.
	for _, tt := range p.macros {
		t := text(src, tt)
		for _, m := range macroSyncPath.FindAllStringSubmatchIndex(t, -1) {
			x := t[m[2]:m[3]]
			std := p.syncMods[x] // `sync::Mutex` after `use std::sync;`
			if strings.HasPrefix(t[m[0]:m[1]], "::") {
				// `std::sync::Mutex`, `::std::sync::Mutex`, not `tokio::sync::Mutex`
				pre := strings.TrimRight(t[:m[0]], " \t\r\n")
				std = x == "sync" && strings.HasSuffix(pre, "std") && (len(pre) < 4 || !isIdentByte(pre[len(pre)-4]))
			}
			if std {
				return fmt.Sprintf("std's Mutex is spelled inside macro tokens at line %d; sendfix does not rewrite macro tokens", lineOf(src, int(tt.StartByte())+m[0]))
			}
		}
	}
	// `use std::sync::{self, ..};` then `sync::Mutex<T>`: a std path too.
	for _, n := range p.modPaths {
		if p.syncMods[text(src, n.ChildByFieldName("path"))] {
			p.paths = append(p.paths, n)
		}
	}
	return ""
}

// macroSyncPath matches `sync::Mutex` (or a module alias) in macro tokens;
// what precedes it says whether it is std's.
var macroSyncPath = regexp.MustCompile(`(?:::\s*)?\b([A-Za-z_][A-Za-z0-9_]*)\s*::\s*Mutex(?:Guard)?\b`)

// macroInner matches a no-argument into_inner/get_mut call in macro tokens.
var macroInner = regexp.MustCompile(`\.\s*(into_inner|get_mut)\s*\(\s*\)`)

// inLockErrorPath reports whether n sits in the error handling of a lock
// site that the swap removes: the argument of `.lock().unwrap_or_else(..)`,
// a non-Ok arm of `match m.lock()`, the else of `if let Ok(..) = m.lock()`
// or of `let Ok(..) = m.lock() else`.
func (p *swapPlan) inLockErrorPath(n *sitter.Node) bool {
	src := p.fc.src
	isLock := func(v *sitter.Node) bool {
		v = unparen(v)
		return v != nil && methodName(src, v) == "lock" && v.ChildByFieldName("arguments").NamedChildCount() == 0
	}
	for c, a := n, n.Parent(); a != nil; c, a = a, a.Parent() {
		switch a.Type() {
		case "function_item":
			return false
		case "arguments":
			call := a.Parent()
			if call != nil && methodName(src, call) == "unwrap_or_else" && isLock(call.ChildByFieldName("function").ChildByFieldName("value")) {
				return true
			}
		case "match_arm":
			mp := a.ChildByFieldName("pattern")
			body := a.Parent()
			if mp != nil && okPattern(src, mp.NamedChild(0)) == nil && body != nil && body.Parent() != nil &&
				body.Parent().Type() == "match_expression" && isLock(body.Parent().ChildByFieldName("value")) {
				return true
			}
		case "else_clause":
			ifx := a.Parent()
			if ifx != nil && ifx.Type() == "if_expression" {
				if cond := ifx.ChildByFieldName("condition"); cond != nil && cond.Type() == "let_condition" && isLock(cond.ChildByFieldName("value")) {
					return true
				}
			}
		case "let_declaration":
			if alt := a.ChildByFieldName("alternative"); alt != nil && alt == c && isLock(a.ChildByFieldName("value")) {
				return true
			}
		}
	}
	return false
}

// isStdMutexPath reports whether n is the path `std::sync::Mutex` or
// `std::sync::MutexGuard` (with or without a leading `::`).
func isStdMutexPath(src []byte, n *sitter.Node) bool {
	name := text(src, n.ChildByFieldName("name"))
	if name != "Mutex" && name != "MutexGuard" {
		return false
	}
	path := strings.TrimPrefix(compact(text(src, n.ChildByFieldName("path"))), "::")
	return path == "std::sync"
}

// useItem is one leaf of a use tree with its full path.
type useItem struct {
	node  *sitter.Node
	full  string // `std::sync::Mutex`
	local string // the name it binds (alias when renamed)
}

// useLeaves returns the leaves of a use tree under prefix.
func useLeaves(src []byte, n *sitter.Node, prefix string) []useItem {
	join := func(a, b string) string {
		if a == "" {
			return b
		}
		return a + "::" + b
	}
	switch n.Type() {
	case "identifier", "scoped_identifier", "self", "crate", "super":
		full := join(prefix, compact(text(src, n)))
		parts := strings.Split(full, "::")
		return []useItem{{node: n, full: strings.TrimPrefix(full, "::"), local: parts[len(parts)-1]}}
	case "use_as_clause":
		full := join(prefix, compact(text(src, n.ChildByFieldName("path"))))
		return []useItem{{node: n, full: strings.TrimPrefix(full, "::"), local: text(src, n.ChildByFieldName("alias"))}}
	case "scoped_use_list":
		pre := prefix
		if path := n.ChildByFieldName("path"); path != nil {
			pre = join(prefix, compact(text(src, path)))
		}
		return useLeaves(src, n.ChildByFieldName("list"), pre)
	case "use_list":
		var out []useItem
		for _, c := range namedChildren(n) {
			out = append(out, useLeaves(src, c, prefix)...)
		}
		return out
	case "use_wildcard":
		full := join(prefix, compact(text(src, n)))
		return []useItem{{node: n, full: strings.TrimPrefix(full, "::"), local: "*"}}
	}
	return nil
}

// isStdMutexItem reports whether a use leaf imports std's Mutex or MutexGuard.
func isStdMutexItem(it useItem) bool {
	return it.full == "std::sync::Mutex" || it.full == "std::sync::MutexGuard"
}

// readUse records the names a use declaration binds to std's Mutex types
// and tokio's sync items.
func (p *swapPlan) readUse(u *sitter.Node) string {
	src := p.fc.src
	arg := u.ChildByFieldName("argument")
	if arg == nil {
		return ""
	}
	for _, it := range useLeaves(src, arg, "") {
		switch {
		case it.local == "*" && (it.full == "std::sync::*" || it.full == "std::*"):
			return fmt.Sprintf("`use %s` at line %d: a glob import hides which names are std's", it.full, lineOf(src, int(u.StartByte())))
		case isStdMutexItem(it):
			p.stdNames[it.local] = true
		case it.full == "std::sync" || it.full == "std::sync::self":
			local := it.local
			if local == "self" {
				local = "sync"
			}
			p.syncMods[local] = true
		case otherLockPath(it.full):
			p.others[it.local] = true
		}
		if strings.HasPrefix(it.full, "tokio::sync::") {
			scope := u.Parent()
			if p.tokioHas[scope] == nil {
				p.tokioHas[scope] = map[string]bool{}
			}
			p.tokioHas[scope][it.local] = it.full == "tokio::sync::"+it.local
		}
	}
	return ""
}

// mentionsStd reports whether a type spells std's Mutex: a name imported
// from std::sync, a full std path, or an alias of the file that does.
func (p *swapPlan) mentionsStd(ty *sitter.Node, depth int) bool {
	if ty == nil || depth > 3 {
		return false
	}
	found := false
	walk(ty, func(n *sitter.Node) bool {
		if found {
			return false
		}
		switch n.Type() {
		case "type_identifier":
			nm := text(p.fc.src, n)
			if p.stdNames[nm] && !isPathTail(n) {
				found = true
			} else if a, ok := p.aliases[nm]; ok && a != ty {
				found = p.mentionsStd(a, depth+1)
			}
		case "scoped_type_identifier", "scoped_identifier":
			if isStdMutexPath(p.fc.src, n) {
				found = true
			} else if path := n.ChildByFieldName("path"); path != nil && path.Type() == "identifier" && p.syncMods[text(p.fc.src, path)] {
				nm := text(p.fc.src, n.ChildByFieldName("name"))
				found = nm == "Mutex" || nm == "MutexGuard"
			}
		}
		return !found
	})
	return found
}

// build computes every edit of the swap, or why it cannot be done.
func (p *swapPlan) build() string {
	src := p.fc.src
	if len(p.stdNames) == 0 && len(p.paths) == 0 {
		return "this file does not name std::sync::Mutex (its type is spelled elsewhere)"
	}
	if !p.fc.cfg.AllowPublic {
		for _, it := range p.pubItems {
			if w := p.leak(it); w != "" {
				return w
			}
		}
	}
	if w := p.placement(); w != "" {
		if !p.fc.cfg.Candidates {
			return w
		}
		p.doubt = w
	}
	// Imports.
	for _, u := range p.uses {
		p.edits = append(p.edits, p.rewriteUse(u)...)
	}
	// Full paths: `std::sync` -> `tokio::sync`.
	for _, n := range p.paths {
		path := n.ChildByFieldName("path")
		repl := "tokio::sync"
		if strings.HasPrefix(text(src, path), "::") {
			repl = "::tokio::sync"
		}
		p.edits = append(p.edits, rewrite.Edit{Start: int(path.StartByte()), End: int(path.EndByte()), New: repl})
	}
	// Statics and consts built with the const std constructor: tokio's
	// Mutex::new is not const. A `Mutex::new` inside a closure
	// (`LazyLock::new(|| Mutex::new(..))`) runs at run time and stays.
	for _, s := range p.staticsV {
		if s.Type() == "function_item" {
			// A const fn: its Mutex::new calls must be const too.
			for _, nm := range p.constMutexNews(s.ChildByFieldName("body")) {
				p.edits = append(p.edits, rewrite.Edit{Start: int(nm.StartByte()), End: int(nm.EndByte()), New: "const_new"})
			}
			continue
		}
		ty := s.ChildByFieldName("type")
		if !p.mentionsStd(ty, 0) {
			continue
		}
		news := p.constMutexNews(s.ChildByFieldName("value"))
		if len(news) == 0 && p.isMutexName(ty) {
			return fmt.Sprintf("%s `%s` at line %d is not built with `Mutex::new(..)`", strings.TrimSuffix(s.Type(), "_item"), text(src, s.ChildByFieldName("name")), lineOf(src, int(s.StartByte())))
		}
		for _, nm := range news {
			p.edits = append(p.edits, rewrite.Edit{Start: int(nm.StartByte()), End: int(nm.EndByte()), New: "const_new"})
		}
	}
	// Lock sites.
	for _, call := range p.lockUses {
		edits, why := p.convertSite(call)
		if why != "" {
			return why
		}
		if edits == nil {
			continue
		}
		p.sites++
		if strings.Contains(edits[len(edits)-1].New+edits[0].New, "blocking_lock") {
			p.block++
		}
		p.edits = append(p.edits, edits...)
	}
	for _, tt := range p.macros {
		n, edits, why := p.convertMacro(tt)
		if why != "" {
			return why
		}
		p.sites += n
		p.edits = append(p.edits, edits...)
	}
	if _, err := rewrite.Apply(src, p.edits); err != nil {
		return "internal: " + err.Error()
	}
	return ""
}

// isConstFn reports whether n is a `const fn` item.
func isConstFn(src []byte, n *sitter.Node) bool {
	for _, c := range namedChildren(n) {
		if c.Type() == "function_modifiers" {
			return strings.Contains(text(src, c), "const")
		}
	}
	return false
}

// constMutexNews returns the `new` of every `Mutex::new(..)` call of a
// const initialiser that is outside any closure.
func (p *swapPlan) constMutexNews(v *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	if v == nil {
		return nil
	}
	walk(v, func(n *sitter.Node) bool {
		switch n.Type() {
		case "closure_expression":
			return false
		case "call_expression":
			fn := n.ChildByFieldName("function")
			if fn != nil && fn.Type() == "scoped_identifier" && text(p.fc.src, fn.ChildByFieldName("name")) == "new" && p.isMutexName(fn.ChildByFieldName("path")) {
				out = append(out, fn.ChildByFieldName("name"))
			}
		}
		return true
	})
	return out
}

// isMutexName reports whether a type or path names std's Mutex itself
// (`Mutex<T>`, `StdMutex`, `std::sync::Mutex`, `sync::Mutex`), not a type
// that only contains one.
func (p *swapPlan) isMutexName(n *sitter.Node) bool {
	src := p.fc.src
	if n == nil {
		return false
	}
	switch n.Type() {
	case "generic_type":
		return p.isMutexName(n.ChildByFieldName("type"))
	case "identifier", "type_identifier":
		return p.stdNames[text(src, n)] && text(src, n) != "MutexGuard"
	case "scoped_identifier", "scoped_type_identifier":
		if text(src, n.ChildByFieldName("name")) != "Mutex" {
			return false
		}
		if isStdMutexPath(src, n) {
			return true
		}
		path := n.ChildByFieldName("path")
		return path != nil && path.Type() == "identifier" && p.syncMods[text(src, path)]
	}
	return false
}

// leak returns why an item with a visibility modifier exposes the std
// Mutex type outside the file, or "".
func (p *swapPlan) leak(it *sitter.Node) string {
	src := p.fc.src
	var tys []*sitter.Node
	var what string
	switch it.Type() {
	case "field_declaration":
		tys, what = []*sitter.Node{it.ChildByFieldName("type")}, "field"
	case "function_item":
		what = "fn"
		if ps := it.ChildByFieldName("parameters"); ps != nil {
			tys = append(tys, ps)
		}
		if r := it.ChildByFieldName("return_type"); r != nil {
			tys = append(tys, r)
		}
	case "static_item", "const_item", "type_item":
		tys, what = []*sitter.Node{it.ChildByFieldName("type")}, strings.TrimSuffix(it.Type(), "_item")
	default:
		return ""
	}
	vis := "pub"
	for _, c := range namedChildren(it) {
		if c.Type() == "visibility_modifier" {
			vis = compact(text(src, c))
		}
	}
	if vis != "pub" && p.fc.cfg.Candidates && len(p.fc.cfg.Package) > 0 {
		// Seen from its crate only, which the compiler loop checks whole
		// (see packageSwap).
		return ""
	}
	for _, ty := range tys {
		if p.mentionsStd(ty, 0) {
			return fmt.Sprintf("`"+vis+"` %s `%s` at line %d exposes the Mutex type outside this file (use --allow-public to change it anyway)",
				what, text(src, it.ChildByFieldName("name")), lineOf(src, int(it.StartByte())))
		}
	}
	return ""
}

// rewriteUse moves std's Mutex and MutexGuard in one use declaration to
// tokio, keeping every other item where it is.
func (p *swapPlan) rewriteUse(u *sitter.Node) []rewrite.Edit {
	src := p.fc.src
	arg := u.ChildByFieldName("argument")
	if arg == nil {
		return nil
	}
	leaves := useLeaves(src, arg, "")
	var moved []string
	remove := map[*sitter.Node]bool{}
	for _, it := range leaves {
		if isStdMutexItem(it) {
			moved = append(moved, leafName(src, it.node))
			remove[it.node] = true
		}
	}
	if len(moved) == 0 {
		return nil
	}
	if len(leaves) == 1 && arg.Type() != "scoped_use_list" {
		// `use std::sync::Mutex;` / `use ::std::sync::Mutex as M;`:
		// swap the path in place.
		path := arg
		if arg.Type() == "use_as_clause" {
			path = arg.ChildByFieldName("path")
		}
		inner := path.ChildByFieldName("path")
		return []rewrite.Edit{{Start: int(inner.StartByte()), End: int(inner.EndByte()), New: "tokio::sync"}}
	}
	// The names tokio already binds here are not imported twice.
	have := p.tokioHas[u.Parent()]
	var add []string
	for _, m := range moved {
		local := m
		if i := strings.Index(m, " as "); i >= 0 {
			local = strings.TrimSpace(m[i+4:])
		} else if have[local] {
			continue
		}
		add = append(add, m)
	}
	var edits []rewrite.Edit
	empty := false
	if arg.Type() == "scoped_use_list" {
		var e []rewrite.Edit
		e, empty = removeFromList(src, arg.ChildByFieldName("list"), remove)
		edits = append(edits, e...)
	}
	line := ""
	if len(add) == 1 {
		line = "use tokio::sync::" + add[0] + ";"
	} else if len(add) > 1 {
		line = "use tokio::sync::{" + strings.Join(add, ", ") + "};"
	}
	if empty {
		// Nothing of the declaration stays: it becomes the tokio import.
		return []rewrite.Edit{{Start: int(u.StartByte()), End: int(u.EndByte()), New: line}}
	}
	if line == "" {
		return edits
	}
	if g := p.tokioGroup(u.Parent()); g != nil {
		// Merge into the existing `use tokio::sync::{..};`.
		closeAt := int(g.EndByte()) - 1
		sep := ", "
		if strings.TrimSpace(text(src, g)) == "{}" {
			sep = ""
		}
		if strings.HasSuffix(strings.TrimRight(string(src[g.StartByte():closeAt]), " \t\r\n"), ",") {
			sep = " "
		}
		at := int(g.StartByte()) + len(strings.TrimRight(string(src[g.StartByte():closeAt]), " \t\r\n"))
		return append(edits, rewrite.Edit{Start: at, End: at, New: sep + strings.Join(add, ", ")})
	}
	nl := p.fc.style.Newline
	indent := string(src[lineStart(src, int(u.StartByte())):u.StartByte()])
	if strings.TrimSpace(indent) != "" {
		indent = ""
	}
	end := int(u.EndByte())
	return append(edits, rewrite.Edit{Start: end, End: end, New: nl + indent + line})
}

// tokioGroup returns the use_list of a `use tokio::sync::{..};` directly in
// scope, or nil.
func (p *swapPlan) tokioGroup(scope *sitter.Node) *sitter.Node {
	for _, u := range p.uses {
		if u.Parent() != scope {
			continue
		}
		arg := u.ChildByFieldName("argument")
		if arg != nil && arg.Type() == "scoped_use_list" && strings.TrimPrefix(compact(text(p.fc.src, arg.ChildByFieldName("path"))), "::") == "tokio::sync" {
			return arg.ChildByFieldName("list")
		}
	}
	return nil
}

// removeFromList returns the edits that delete the items marked in remove
// (at any depth) from a use_list, with their commas, and whether the list
// is left empty. A single-line list left with one item loses its braces.
func removeFromList(src []byte, list *sitter.Node, remove map[*sitter.Node]bool) ([]rewrite.Edit, bool) {
	items := namedChildren(list)
	var kept []*sitter.Node
	gone := make([]bool, len(items))
	var edits []rewrite.Edit
	for i, it := range items {
		if it.Type() == "line_comment" || it.Type() == "block_comment" {
			continue
		}
		switch {
		case remove[it]:
			gone[i] = true
		case it.Type() == "scoped_use_list":
			e, empty := removeFromList(src, it.ChildByFieldName("list"), remove)
			if empty {
				gone[i] = true
			} else {
				edits = append(edits, e...)
				kept = append(kept, it)
			}
		default:
			kept = append(kept, it)
		}
	}
	if len(kept) == 0 {
		return nil, true
	}
	// `use std::sync::self;` is E0429: a lone `self` keeps its braces.
	if len(kept) == 1 && kept[0].Type() != "self" && !strings.Contains(text(src, list), "\n") && len(edits) == 0 {
		return []rewrite.Edit{{Start: int(list.StartByte()), End: int(list.EndByte()), New: text(src, kept[0])}}, false
	}
	// Delete runs of removed items: up to the next kept item, or, for a
	// run at the end, from the previous kept item's end.
	for i := 0; i < len(items); i++ {
		if !gone[i] {
			continue
		}
		j := i
		for j+1 < len(items) && (gone[j+1] || isComment(items[j+1]) && j+2 < len(items) && gone[j+2]) {
			j++
		}
		next := -1
		for k := j + 1; k < len(items); k++ {
			if !isComment(items[k]) {
				next = k
				break
			}
		}
		if next >= 0 {
			edits = append(edits, rewrite.Edit{Start: int(items[i].StartByte()), End: int(items[next].StartByte())})
		} else {
			prev := i - 1
			for prev >= 0 && (gone[prev] || isComment(items[prev])) {
				prev--
			}
			edits = append(edits, rewrite.Edit{Start: int(items[prev].EndByte()), End: int(items[j].EndByte())})
		}
		i = j
	}
	return edits, false
}

func isComment(n *sitter.Node) bool {
	return n.Type() == "line_comment" || n.Type() == "block_comment"
}

// resolve returns "" when the receiver of a held guard is a Mutex whose
// type the file spells with std's Mutex, or why sendfix cannot tell.
func (p *swapPlan) resolve(recv *sitter.Node) string {
	if p.recvIsStd(recv, 0) {
		return ""
	}
	return fmt.Sprintf("cannot find where the type of `%s` is spelled in this file (a Mutex from another file or crate is changed there, not here)", compact(text(p.fc.src, recv)))
}

// recvKind is what a receiver is resolved as: std's Mutex, or a lock type
// that is provably not std's (parking_lot's Mutex or RwLock, tokio's Mutex).
type recvKind int

const (
	kindStd recvKind = iota
	kindOther
)

// recvIsStd reports whether the receiver expression resolves, by name, to
// a static, field, parameter or local whose type spells std's Mutex.
func (p *swapPlan) recvIsStd(recv *sitter.Node, depth int) bool {
	return p.recvIs(recv, depth, kindStd)
}

// recvIsOther reports whether the receiver expression resolves, by name,
// to a binding whose type is written (or built) as parking_lot's or
// tokio's lock and does not spell std's Mutex: its locks are left alone.
func (p *swapPlan) recvIsOther(recv *sitter.Node) bool {
	return p.recvIs(recv, 0, kindOther)
}

// typeIs reports whether a declared type is of kind k. For std it is
// enough that the type spells std's Mutex somewhere; for other the type
// must be the lock itself behind references and Arc/Rc/Box, so no part
// of it can be std's.
func (p *swapPlan) typeIs(ty *sitter.Node, k recvKind) bool {
	if k == kindStd {
		return p.mentionsStd(ty, 0)
	}
	return ty != nil && !p.mentionsStd(ty, 0) && p.otherType(ty, 0)
}

// otherType reports whether ty is `parking_lot::Mutex<..>`,
// `parking_lot::RwLock<..>`, `tokio::sync::Mutex<..>` or a name imported
// from those, possibly behind `&`, `Arc<..>`, `Rc<..>`, `Box<..>` and the
// file's type aliases.
func (p *swapPlan) otherType(ty *sitter.Node, depth int) bool {
	src := p.fc.src
	if ty == nil || depth > 4 {
		return false
	}
	switch ty.Type() {
	case "reference_type":
		return p.otherType(ty.ChildByFieldName("type"), depth+1)
	case "generic_type":
		head := ty.ChildByFieldName("type")
		if p.otherType(head, depth+1) {
			return true
		}
		if isSmartPointer(src, head) {
			args := ty.ChildByFieldName("type_arguments")
			var tys []*sitter.Node
			for _, c := range namedChildren(args) {
				if c.Type() != "lifetime" {
					tys = append(tys, c)
				}
			}
			return len(tys) == 1 && p.otherType(tys[0], depth+1)
		}
	case "type_identifier":
		nm := text(src, ty)
		if p.stdNames[nm] {
			return false
		}
		if a, ok := p.aliases[nm]; ok {
			return p.otherType(a, depth+1)
		}
		return p.others[nm]
	case "scoped_type_identifier", "scoped_identifier":
		return otherLockPath(strings.TrimPrefix(compact(text(src, ty)), "::"))
	}
	return false
}

// otherLockPath reports whether a full path names a lock type that is not
// std's Mutex and that the swap leaves alone.
func otherLockPath(full string) bool {
	switch full {
	case "parking_lot::Mutex", "parking_lot::RwLock", "tokio::sync::Mutex":
		return true
	}
	return false
}

// isSmartPointer reports whether a type or path is Arc, Rc or Box (by name
// or std path), which `.lock()` derefs through.
func isSmartPointer(src []byte, n *sitter.Node) bool {
	if n == nil {
		return false
	}
	switch strings.TrimPrefix(compact(text(src, n)), "::") {
	case "Arc", "Rc", "Box", "std::sync::Arc", "std::rc::Rc", "std::boxed::Box":
		return true
	}
	return false
}

// buildsOther reports whether an expression builds parking_lot's or
// tokio's lock: `L::new(..)`/`L::const_new(..)`/`L::default()` for such a
// lock type L, possibly inside `Arc::new(..)`, `Rc::new(..)`, `Box::new(..)`.
func (p *swapPlan) buildsOther(v *sitter.Node, depth int) bool {
	src := p.fc.src
	v = unparen(v)
	if v == nil || depth > 4 || v.Type() != "call_expression" {
		return false
	}
	fn := v.ChildByFieldName("function")
	if fn == nil || fn.Type() != "scoped_identifier" {
		return false
	}
	path := fn.ChildByFieldName("path")
	if path != nil && path.Type() == "generic_type" {
		path = path.ChildByFieldName("type") // `Arc::<T>::new`
	}
	args := namedChildren(v.ChildByFieldName("arguments"))
	switch text(src, fn.ChildByFieldName("name")) {
	case "new":
		if isSmartPointer(src, path) {
			return len(args) == 1 && p.buildsOther(args[0], depth+1)
		}
	case "const_new", "default":
	default:
		return false
	}
	if path == nil || p.mentionsStd(v, 0) {
		return false
	}
	switch path.Type() {
	case "identifier", "type_identifier":
		nm := text(src, path)
		return p.others[nm] && !p.stdNames[nm]
	case "scoped_identifier", "scoped_type_identifier":
		return otherLockPath(strings.TrimPrefix(compact(text(src, path)), "::"))
	}
	return false
}

// recvIs reports whether the receiver expression resolves, by name, to a
// static, field, parameter or local of kind k.
func (p *swapPlan) recvIs(recv *sitter.Node, depth int, k recvKind) bool {
	src := p.fc.src
	recv = unparen(recv)
	if recv == nil || depth > 4 {
		return false
	}
	switch recv.Type() {
	case "reference_expression", "unary_expression":
		return p.recvIs(recv.NamedChild(int(recv.NamedChildCount())-1), depth+1, k)
	case "field_expression":
		field := recv.ChildByFieldName("field")
		if field.Type() == "integer_literal" {
			if k == kindStd {
				for _, ty := range p.fields[text(src, field)] {
					if p.mentionsStd(ty, 0) {
						return true
					}
				}
			}
			// `pair.0`: a tuple struct field, or a tuple whose binding
			// spells or builds the lock.
			return p.recvIs(recv.ChildByFieldName("value"), depth+1, k)
		}
		tys := p.fields[text(src, field)]
		if k == kindOther {
			// Every field of that name in the file must be the other
			// lock: sendfix does not know which struct the value is.
			for _, ty := range tys {
				if !p.typeIs(ty, k) {
					return false
				}
			}
			return len(tys) > 0
		}
		for _, ty := range tys {
			if p.mentionsStd(ty, 0) {
				return true
			}
		}
		return false
	case "call_expression":
		// `x.clone()`, `Arc::clone(&x)`
		if methodName(src, recv) == "clone" {
			return p.recvIs(recv.ChildByFieldName("function").ChildByFieldName("value"), depth+1, k)
		}
		if a := spawnArg(recv); a != nil && calleeName(src, recv) == "clone" {
			return p.recvIs(a, depth+1, k)
		}
		return false
	case "identifier":
		return p.nameIs(text(src, recv), recv, depth, k)
	}
	return false
}

// nameIsStd reports whether the binding of name visible at node at (a
// static, a parameter or a let before it) spells or builds std's Mutex.
func (p *swapPlan) nameIsStd(name string, at *sitter.Node, depth int) bool {
	return p.nameIs(name, at, depth, kindStd)
}

// nameIs reports whether the binding of name visible at node at (a
// parameter, a let before it, or a static) is of kind k. A nearer binding
// sendfix does not read (a `for`, `if let`, `while let` or match arm
// pattern) makes it false.
func (p *swapPlan) nameIs(name string, at *sitter.Node, depth int, k recvKind) bool {
	src := p.fc.src
	if k == kindStd {
		if ty, ok := p.statics[name]; ok && p.mentionsStd(ty, 0) {
			return true
		}
	}
	// The nearest binding of name in an enclosing fn or closure: a
	// parameter or a let before at.
	for c, a := at, at.Parent(); a != nil; c, a = a, a.Parent() {
		if patternBinds(src, a, c, name) {
			return false
		}
		switch a.Type() {
		case "function_item", "closure_expression":
			params := a.ChildByFieldName("parameters")
			if params == nil {
				continue
			}
			for _, prm := range namedChildren(params) {
				if prm.Type() != "parameter" {
					if k == kindOther && bindsIn(src, prm, name) {
						return false // an untyped closure parameter
					}
					continue
				}
				if names, _ := patternNames(src, prm.ChildByFieldName("pattern")); len(names) == 1 && names[0] == name {
					return p.typeIs(prm.ChildByFieldName("type"), k)
				}
				if k == kindOther && bindsIn(src, prm.ChildByFieldName("pattern"), name) {
					return false
				}
			}
		case "block":
			var found *sitter.Node
			for _, s := range statements(a) {
				if s.StartByte() >= at.StartByte() {
					break
				}
				if s.Type() == "let_declaration" && bindsName(src, s, name) {
					found = s
				}
			}
			if found != nil {
				ty, v := letPart(src, found, name)
				if ty != nil && p.typeIs(ty, k) {
					return true
				}
				if k == kindOther && ty != nil {
					return false // the declared type decides
				}
				if v == nil {
					return false
				}
				if k == kindStd && (p.mentionsStd(v, 0) || p.newsStd(v)) {
					return true
				}
				if k == kindOther && p.buildsOther(v, 0) {
					return true
				}
				return p.recvIs(v, depth+1, k)
			}
		}
	}
	if k == kindOther {
		if ty, ok := p.statics[name]; ok {
			return p.typeIs(ty, k)
		}
	}
	return false
}

// letPart returns the declared type and the value that a let binds to
// name: for `let (a, b) = (x, y);` (and a tuple type) the element at the
// name's position, otherwise the whole type and value.
func letPart(src []byte, let *sitter.Node, name string) (ty, v *sitter.Node) {
	ty, v = let.ChildByFieldName("type"), let.ChildByFieldName("value")
	pat := let.ChildByFieldName("pattern")
	if pat == nil || pat.Type() != "tuple_pattern" {
		return ty, v
	}
	elems := namedChildren(pat)
	idx := -1
	for i, e := range elems {
		if e.Type() == "mut_pattern" && e.NamedChildCount() == 2 {
			e = e.NamedChild(1)
		}
		switch {
		case e.Type() == "identifier" && text(src, e) == name:
			idx = i
		case e.Type() == "identifier", e.Type() == "_":
		default:
			return ty, v // nested or rest patterns: keep the whole
		}
	}
	pick := func(n *sitter.Node, want string) *sitter.Node {
		if n == nil || n.Type() != want {
			return n
		}
		var cs []*sitter.Node
		for _, c := range namedChildren(n) {
			if !isComment(c) {
				cs = append(cs, c)
			}
		}
		if len(cs) != len(elems) || idx < 0 {
			return n
		}
		return cs[idx]
	}
	return pick(ty, "tuple_type"), pick(v, "tuple_expression")
}

// bindsIn reports whether a pattern binds name.
func bindsIn(src []byte, pat *sitter.Node, name string) bool {
	names, _ := patternNames(src, pat)
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// patternBinds reports whether ancestor a binds name, with a pattern that
// is in scope in its child c: a `for` pattern over the body, a match arm's
// pattern over its value, an `if let`/`while let` pattern over the body.
func patternBinds(src []byte, a, c *sitter.Node, name string) bool {
	switch a.Type() {
	case "for_expression":
		return c == a.ChildByFieldName("body") && bindsIn(src, a.ChildByFieldName("pattern"), name)
	case "match_arm":
		return c != a.ChildByFieldName("pattern") && bindsIn(src, a.ChildByFieldName("pattern"), name)
	case "if_expression", "while_expression":
		cond := a.ChildByFieldName("condition")
		if cond == nil || c == cond || c == a.ChildByFieldName("alternative") {
			return false
		}
		found := false
		walk(cond, func(n *sitter.Node) bool {
			if n.Type() == "let_condition" && bindsIn(src, n.ChildByFieldName("pattern"), name) {
				found = true
			}
			return !found && n.Type() != "block" && n.Type() != "closure_expression"
		})
		return found
	}
	return false
}

// siteMode says how a lock at n can become a tokio lock.
func (p *swapPlan) siteMode(n *sitter.Node) (lockMode, string) {
	src := p.fc.src
	for a := n.Parent(); a != nil; a = a.Parent() {
		switch a.Type() {
		case "async_block":
			return modeAwait, ""
		case "function_item":
			if isAsyncFn(src, a) {
				return modeAwait, ""
			}
			return p.syncFnMode(a)
		case "closure_expression":
			if isBlockingSpawnArg(src, a) {
				return modeBlocking, ""
			}
			// A plain sync closure runs where it is called; assume its
			// enclosing code (iterator adapters and the like).
			m, why := p.siteMode(a)
			if m == modeAwait {
				return modeRefuse, fmt.Sprintf("the lock at line %d is in a sync closure inside async code: `.lock().await` cannot go there and `blocking_lock()` would panic on a runtime thread", lineOf(src, int(n.StartByte())))
			}
			return m, why
		}
	}
	return modeRefuse, fmt.Sprintf("the lock at line %d is outside any function", lineOf(src, int(n.StartByte())))
}

// isBlockingSpawnArg reports whether a closure is the argument of
// spawn_blocking or std::thread::spawn: code off the runtime's threads.
func isBlockingSpawnArg(src []byte, clo *sitter.Node) bool {
	args := clo.Parent()
	if args == nil || args.Type() != "arguments" {
		return false
	}
	call := args.Parent()
	if call == nil || call.Type() != "call_expression" {
		return false
	}
	return isBlockingSpawn(src, call)
}

// isBlockingSpawn reports whether call is spawn_blocking or thread::spawn.
func isBlockingSpawn(src []byte, call *sitter.Node) bool {
	if calleeName(src, call) == "spawn_blocking" {
		return true
	}
	fn := compact(text(src, call.ChildByFieldName("function")))
	return fn == "thread::spawn" || fn == "std::thread::spawn" || fn == "::std::thread::spawn"
}

// syncFnMode decides whether a sync fn's locks may block: only when the fn
// has callers in this file and every one runs on spawn_blocking or a std
// thread.
func (p *swapPlan) syncFnMode(fn *sitter.Node) (lockMode, string) {
	if m, ok := p.fnMode[fn]; ok {
		return m, p.fnWhy[fn]
	}
	m, why := p.syncFnModeUncached(fn)
	p.fnMode[fn], p.fnWhy[fn] = m, why
	return m, why
}

func (p *swapPlan) syncFnModeUncached(fn *sitter.Node) (lockMode, string) {
	src := p.fc.src
	name := fnName(src, fn)
	line := lineOf(src, int(fn.StartByte()))
	refuse := func(format string, args ...any) (lockMode, string) {
		return modeRefuse, fmt.Sprintf("sync fn `%s` (line %d) locks the Mutex: ", name, line) + fmt.Sprintf(format, args...)
	}
	if p.visiting[fn] {
		return refuse("it is reached recursively")
	}
	p.visiting[fn] = true
	defer delete(p.visiting, fn)
	if name == "main" {
		return refuse("a sync main may enter a runtime")
	}
	if tr := implTrait(fn); tr != nil {
		// Trait methods are also called without their name: `for` calls
		// next, `{}` calls fmt, operators, drop. Callers by name prove nothing.
		return refuse("it implements trait `%s`, whose methods can be called where sendfix does not see a call (a `for` loop, formatting, an operator, a drop)", compact(text(src, tr)))
	}
	for _, c := range namedChildren(fn) {
		if c.Type() == "visibility_modifier" {
			return refuse("it is `%s` and may be called from code sendfix does not see", text(src, c))
		}
	}
	if len(p.fns[name]) > 1 {
		return refuse("more than one fn is named `%s`", name)
	}
	own := fn.ChildByFieldName("name")
	callers := 0
	for _, id := range p.idents[name] {
		if id == own {
			continue
		}
		callers++
		at := lineOf(src, int(id.StartByte()))
		// `name(..)`, `Self::name(..)`, `x.name(..)`
		use := id
		if par := use.Parent(); par != nil && (par.Type() == "scoped_identifier" || par.Type() == "field_expression") {
			use = par
		}
		par := use.Parent()
		switch {
		case par != nil && par.Type() == "call_expression" && par.ChildByFieldName("function") == use:
			m, why := p.siteMode(par)
			if m == modeAwait {
				return refuse("it is called from async code at line %d, where `blocking_lock()` would panic and `.lock().await` cannot go in a sync fn", at)
			}
			if m == modeRefuse {
				return modeRefuse, why
			}
		case par != nil && par.Type() == "arguments" && isBlockingSpawn(src, par.Parent()):
			// spawn_blocking(name)
		case par != nil && par.Type() == "token_tree":
			// A call inside macro arguments runs where the macro does.
			m, why := p.siteMode(par)
			if m == modeAwait {
				return refuse("it is called from async code at line %d, where `blocking_lock()` would panic and `.lock().await` cannot go in a sync fn", at)
			}
			if m == modeRefuse {
				return modeRefuse, why
			}
		default:
			return refuse("it is used at line %d in a way sendfix cannot follow", at)
		}
	}
	if callers == 0 {
		return refuse("it has no caller in this file, so it could run on a runtime thread")
	}
	return modeBlocking, ""
}

// implTrait returns the trait of the `impl Trait for Type` block a fn is a
// method of, or nil.
func implTrait(fn *sitter.Node) *sitter.Node {
	list := fn.Parent()
	if list == nil || list.Type() != "declaration_list" {
		return nil
	}
	impl := list.Parent()
	if impl == nil || impl.Type() != "impl_item" {
		return nil
	}
	return impl.ChildByFieldName("trait")
}

// lockCallRepl returns the tokio lock for a mode: `lock().await` or
// `blocking_lock()`.
func lockCallRepl(m lockMode) string {
	if m == modeBlocking {
		return "blocking_lock()"
	}
	return "lock().await"
}

// convertSite returns the edits that turn one `.lock()` call into a tokio
// lock, nil edits for a `.lock()` that is not std's Mutex, or why not.
func (p *swapPlan) convertSite(call *sitter.Node) ([]rewrite.Edit, string) {
	src := p.fc.src
	fe := call.ChildByFieldName("function")
	recv := fe.ChildByFieldName("value")
	field := fe.ChildByFieldName("field")
	line := lineOf(src, int(call.StartByte()))
	par := call.Parent()
	if par != nil && par.Type() == "await_expression" {
		return nil, "" // already an async Mutex
	}
	if rc := unparen(recv); rc != nil && rc.Type() == "call_expression" {
		switch calleeName(src, rc) {
		case "stdout", "stderr", "stdin":
			return nil, "" // std::io handles lock without a Result
		}
	}
	unknown := fmt.Sprintf("the lock at line %d (`%s`) has a shape sendfix does not convert", line, compact(text(src, call)))
	// The swap changes only the Mutex types this file spells; a lock on
	// one spelled elsewhere would become `.lock().await` on a std Mutex.
	std, other := p.recvIsStd(recv, 0), p.recvIsOther(recv)
	if std && other {
		return nil, fmt.Sprintf("the lock at line %d is on `%s`, which sendfix resolves both to std's Mutex and to another lock type", line, compact(text(src, recv)))
	}
	if other {
		return nil, "" // parking_lot's or tokio's lock: the swap does not touch it
	}
	if !std {
		w := fmt.Sprintf("the lock at line %d is on `%s`, whose Mutex type sendfix cannot find in this file (a std Mutex spelled elsewhere would stay std)", line, compact(text(src, recv)))
		if !p.fc.cfg.Candidates {
			return nil, w
		}
		if p.doubt == "" {
			p.doubt = w // the compiler decides (see ladder.go)
		}
	}
	mode, why := p.siteMode(call)
	if mode == modeRefuse {
		return nil, why
	}
	lock := lockCallRepl(mode)
	recvText := text(src, recv)
	switch {
	case par != nil && par.Type() == "field_expression" && par.Parent() != nil && par.Parent().Type() == "call_expression":
		outer := par.Parent()
		switch methodName(src, outer) {
		case "unwrap", "expect", "unwrap_or_else":
			return []rewrite.Edit{{Start: int(field.StartByte()), End: int(outer.EndByte()), New: lock}}, ""
		}
	case par != nil && par.Type() == "let_declaration" && par.ChildByFieldName("alternative") != nil:
		inner := okPattern(src, par.ChildByFieldName("pattern"))
		if inner == nil {
			break
		}
		pat := par.ChildByFieldName("pattern")
		return []rewrite.Edit{
			{Start: int(pat.StartByte()), End: int(pat.EndByte()), New: text(src, inner)},
			{Start: int(field.StartByte()), End: int(call.EndByte()), New: lock},
			{Start: int(call.EndByte()), End: int(par.ChildByFieldName("alternative").EndByte())},
		}, ""
	case par != nil && par.Type() == "let_condition":
		ifx := par.Parent()
		inner := okPattern(src, par.ChildByFieldName("pattern"))
		if ifx == nil || ifx.Type() != "if_expression" || ifx.ChildByFieldName("condition") != par || inner == nil {
			break
		}
		cons := ifx.ChildByFieldName("consequence")
		return p.blockForm(ifx, inner, recvText, lock, cons, false), ""
	case par != nil && par.Type() == "match_expression":
		arms := []*sitter.Node{}
		if body := par.ChildByFieldName("body"); body != nil {
			for _, a := range namedChildren(body) {
				if a.Type() == "match_arm" {
					arms = append(arms, a)
				}
			}
		}
		if len(arms) != 2 {
			break
		}
		var ok *sitter.Node
		var inner *sitter.Node
		for _, a := range arms {
			mp := a.ChildByFieldName("pattern")
			if mp == nil || mp.ChildByFieldName("condition") != nil {
				return nil, unknown
			}
			if in := okPattern(src, mp.NamedChild(0)); in != nil {
				ok, inner = a, in
			} else if t := compact(text(src, mp)); t != "_" && !strings.HasPrefix(t, "Err(") {
				return nil, unknown
			}
		}
		if ok == nil {
			break
		}
		if v := ok.ChildByFieldName("value"); v != nil && inner.Type() == "identifier" && compact(text(src, v)) == text(src, inner) {
			// `match m.lock() { Ok(g) => g, Err(..) => .. }` is the guard
			// itself, and tokio's lock cannot fail.
			return []rewrite.Edit{{Start: int(par.StartByte()), End: int(par.EndByte()), New: recvText + "." + lock}}, ""
		}
		return p.blockForm(par, inner, recvText, lock, ok.ChildByFieldName("value"), true), ""
	}
	return nil, unknown
}

// okPattern returns P of a pattern `Ok(P)`, or nil.
func okPattern(src []byte, pat *sitter.Node) *sitter.Node {
	if pat == nil || pat.Type() != "tuple_struct_pattern" || text(src, pat.ChildByFieldName("type")) != "Ok" {
		return nil
	}
	var args []*sitter.Node
	for _, c := range namedChildren(pat) {
		if c != pat.ChildByFieldName("type") {
			args = append(args, c)
		}
	}
	if len(args) != 1 {
		return nil
	}
	return args[0]
}

// blockForm replaces expr (an `if let Ok(P) = m.lock()` or a `match`) by
// `{ let P = m.L; BODY }`. body is the consequence block or the Ok arm's
// value; an arm's block is one level deeper than the result, so dedent.
func (p *swapPlan) blockForm(expr, pat *sitter.Node, recv, lock string, body *sitter.Node, dedent bool) []rewrite.Edit {
	src := p.fc.src
	nl, unit := p.fc.style.Newline, p.fc.style.Indent
	indent := string(src[lineStart(src, int(expr.StartByte())):expr.StartByte()])
	if strings.TrimSpace(indent) != "" {
		indent = leadingSpace(indent)
	}
	letLine := "let " + text(src, pat) + " = " + recv + "." + lock + ";"
	bt := text(src, body)
	var b strings.Builder
	switch {
	case body.Type() == "block" && strings.Contains(bt, "\n"):
		inner := strings.TrimLeft(bt[1:len(bt)-1], " \t")
		inner = strings.TrimPrefix(strings.TrimPrefix(inner, "\r"), "\n")
		inner = strings.TrimRight(inner, " \t")
		inner = strings.TrimSuffix(strings.TrimSuffix(inner, "\n"), "\r")
		if dedent {
			inner = dedentLines(inner, unit)
		}
		b.WriteString("{" + nl + indent + unit + letLine)
		if strings.TrimSpace(inner) != "" {
			b.WriteString(nl + strings.ReplaceAll(strings.ReplaceAll(inner, "\r\n", "\n"), "\n", nl))
		}
		b.WriteString(nl + indent + "}")
	case body.Type() == "block":
		in := strings.TrimSpace(bt[1 : len(bt)-1])
		b.WriteString("{ " + letLine)
		if in != "" {
			b.WriteString(" " + in)
		}
		b.WriteString(" }")
	default:
		e := bt
		if dedent {
			e = dedentLines(e, unit)
		}
		b.WriteString("{" + nl + indent + unit + letLine + nl + indent + unit + strings.ReplaceAll(strings.ReplaceAll(e, "\r\n", "\n"), "\n", nl) + nl + indent + "}")
	}
	return []rewrite.Edit{{Start: int(expr.StartByte()), End: int(expr.EndByte()), New: b.String()}}
}

// leadingSpace returns the whitespace that starts s.
func leadingSpace(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " \t"))]
}

// dedentLines removes one indentation unit from every line of s that
// starts with it (the first line of s is already cut at its text).
func dedentLines(s, unit string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, unit)
	}
	return strings.Join(lines, "\n")
}

// macroLock matches `.lock()` in macro tokens and what follows it.
var (
	macroLock   = regexp.MustCompile(`\.\s*lock\s*\(\s*\)`)
	macroUnwrap = regexp.MustCompile(`^\s*\.\s*(unwrap\s*\(\s*\)|expect\s*\(\s*"(?:[^"\\]|\\.)*"\s*\))`)
)

// macroRecv matches the receiver that ends macro tokens before a `.lock()`:
// a name and a chain of named fields (`m`, `self.state`, `ctx.db`).
var macroRecv = regexp.MustCompile(`(?:^|[^A-Za-z0-9_.:\s])\s*(self|[A-Za-z_][A-Za-z0-9_]*)((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*)\s*$`)

// macroRecvIsStd resolves a receiver in macro tokens like recvIsStd: the
// last named field's declared type, or the name's binding at the macro.
func (p *swapPlan) macroRecvIsStd(root, chain string, at *sitter.Node) bool {
	if chain = strings.TrimSpace(chain); chain != "" {
		parts := strings.Split(chain, ".")
		for _, ty := range p.fields[strings.TrimSpace(parts[len(parts)-1])] {
			if p.mentionsStd(ty, 0) {
				return true
			}
		}
		return false
	}
	return root != "self" && p.nameIsStd(root, at, 0)
}

// macroRecvIsOther resolves a receiver in macro tokens like recvIsOther.
func (p *swapPlan) macroRecvIsOther(root, chain string, at *sitter.Node) bool {
	if chain = strings.TrimSpace(chain); chain != "" {
		parts := strings.Split(chain, ".")
		tys := p.fields[strings.TrimSpace(parts[len(parts)-1])]
		for _, ty := range tys {
			if !p.typeIs(ty, kindOther) {
				return false
			}
		}
		return len(tys) > 0
	}
	return root != "self" && p.nameIs(root, at, 0, kindOther)
}

// convertMacro converts the lock sites in a macro's token tree, which the
// grammar leaves unparsed: `.lock().unwrap()` and `.lock().expect("..")`.
func (p *swapPlan) convertMacro(tt *sitter.Node) (int, []rewrite.Edit, string) {
	src := p.fc.src
	s := text(src, tt)
	base := int(tt.StartByte())
	var edits []rewrite.Edit
	for _, m := range macroLock.FindAllStringIndex(s, -1) {
		line := lineOf(src, base+m[0])
		rest := s[m[1]:]
		if strings.HasPrefix(strings.TrimLeft(rest, " \t\r\n"), ".await") {
			continue
		}
		before := strings.TrimRight(s[:m[0]], " \t\r\n")
		if strings.HasSuffix(before, "stdout()") || strings.HasSuffix(before, "stderr()") || strings.HasSuffix(before, "stdin()") {
			continue
		}
		r := macroRecv.FindStringSubmatch(s[:m[0]])
		if r != nil && p.macroRecvIsOther(r[1], r[2], tt) {
			if p.macroRecvIsStd(r[1], r[2], tt) {
				return 0, nil, fmt.Sprintf("the lock at line %d inside a macro is on a receiver that sendfix resolves both to std's Mutex and to another lock type", line)
			}
			continue // parking_lot's or tokio's lock
		}
		u := macroUnwrap.FindStringIndex(rest)
		if u == nil {
			return 0, nil, fmt.Sprintf("the lock at line %d inside a macro has a shape sendfix does not convert", line)
		}
		if r == nil || !p.macroRecvIsStd(r[1], r[2], tt) {
			return 0, nil, fmt.Sprintf("the lock at line %d inside a macro is on a receiver whose Mutex type sendfix cannot find in this file (a std Mutex spelled elsewhere would stay std)", line)
		}
		mode, why := p.siteMode(tt)
		if mode == modeRefuse {
			return 0, nil, why
		}
		// The tokens are unparsed: a `|` before the lock may open a sync
		// closure (no .await there), an `async` an async block (no
		// blocking_lock there). Where the lock runs is then unknown.
		if pre := s[:m[0]]; strings.Contains(pre, "|") || mode == modeBlocking && strings.Contains(pre, "async") {
			return 0, nil, fmt.Sprintf("the lock at line %d is inside a macro after a `|` or `async`, maybe in a closure or async block: sendfix cannot tell whether `.lock().await` or `blocking_lock()` fits there", line)
		}
		start := base + m[0] + strings.Index(s[m[0]:m[1]], "lock")
		edits = append(edits, rewrite.Edit{Start: start, End: base + m[1] + u[1], New: lockCallRepl(mode)})
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return len(edits), edits, ""
}

// newsStd reports whether an expression calls `Mutex::new` through a name
// the file imports from std.
func (p *swapPlan) newsStd(v *sitter.Node) bool {
	t := compact(text(p.fc.src, v))
	for name := range p.stdNames {
		for _, call := range []string{name + "::new(", name + "::default("} {
			// Only the name itself: not `PlMutex::new(` or
			// `parking_lot::Mutex::new(`.
			for i := strings.Index(t, call); i >= 0; {
				if i == 0 || !isIdentByte(t[i-1]) && t[i-1] != ':' {
					return true
				}
				j := strings.Index(t[i+1:], call)
				if j < 0 {
					break
				}
				i += 1 + j
			}
		}
	}
	return false
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

// leafName renders a use leaf as it is imported from tokio: its last path
// segment, with its alias (`Mutex`, `Mutex as M`).
func leafName(src []byte, n *sitter.Node) string {
	switch n.Type() {
	case "scoped_identifier":
		return text(src, n.ChildByFieldName("name"))
	case "use_as_clause":
		return leafName(src, n.ChildByFieldName("path")) + " as " + text(src, n.ChildByFieldName("alias"))
	}
	return text(src, n)
}

// placement returns why a std Mutex spelling that the swap changes
// (`Mutex::new(..)`, `Mutex<..>`, `MutexGuard<..>`, a type alias of the file
// that spells them) sits where its type is decided outside this file, or "".
// After the swap such a spelling means tokio's Mutex while the foreign item
// still wants std's (E0308). Allowed: fields of types defined here, lets
// whose uses stay here, statics and consts, parameters and results of fns
// of this file (not of a foreign trait's impl), and values passed through
// Arc/Rc/Box/LazyLock constructors or `vec![..]` into those positions.
func (p *swapPlan) placement() string {
	src := p.fc.src
	p.local, p.localMods, p.imported = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, u := range p.uses {
		if arg := u.ChildByFieldName("argument"); arg != nil {
			for _, it := range useLeaves(src, arg, "") {
				p.imported[it.local] = true
			}
		}
	}
	walk(p.fc.root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "struct_item", "enum_item", "union_item", "trait_item":
			p.local[text(src, n.ChildByFieldName("name"))] = true
		case "mod_item":
			if n.ChildByFieldName("body") != nil {
				p.localMods[text(src, n.ChildByFieldName("name"))] = true
			}
		}
		return true
	})
	var why string
	walk(p.fc.root, func(n *sitter.Node) bool {
		if why != "" {
			return false
		}
		switch n.Type() {
		case "use_declaration", "macro_definition":
			return false
		case "token_tree":
			why = p.macroPlacement(n)
			return false
		case "identifier":
			// `Mutex::new(..)`, `Mutex::<T>::new(..)` through an imported name.
			if p.stdNames[text(src, n)] && !isPathTail(n) {
				why = p.spellingPlace(n, text(src, n))
			}
		case "type_identifier":
			if isPathTail(n) {
				return true
			}
			nm := text(src, n)
			if par := n.Parent(); par != nil && par.Type() == "type_item" && par.ChildByFieldName("name") == n {
				return true
			}
			if p.stdNames[nm] {
				why = p.spellingPlace(n, nm)
			} else if a, ok := p.aliases[nm]; ok && p.mentionsStd(a, 0) {
				why = p.spellingPlace(n, nm)
			}
		case "scoped_type_identifier", "scoped_identifier":
			for _, q := range p.paths {
				if q == n {
					why = p.spellingPlace(n, compact(text(src, n)))
					return false
				}
			}
		}
		return why == ""
	})
	return why
}

// spellingPlace checks one spelling s: a type decides where it sits, a
// `Mutex::new` path builds a value whose destination decides.
func (p *swapPlan) spellingPlace(s *sitter.Node, label string) string {
	src := p.fc.src
	line := lineOf(src, int(s.StartByte()))
	n := s
	for {
		par := n.Parent()
		if par == nil {
			break
		}
		switch par.Type() {
		case "generic_type", "type_arguments", "reference_type", "pointer_type", "tuple_type", "array_type", "scoped_type_identifier":
			n = par
			continue
		}
		break
	}
	par := n.Parent()
	if par == nil {
		return ""
	}
	switch par.Type() {
	case "field_declaration", "ordered_field_declaration_list", "static_item", "const_item", "type_item":
		return ""
	case "let_declaration":
		if par.ChildByFieldName("type") == n {
			return p.typedLet(par, label, line)
		}
	case "parameter":
		if ps := par.Parent(); ps != nil && ps.Parent() != nil {
			return p.fnPlace(ps.Parent(), label, line)
		}
	case "function_item", "function_signature_item":
		return p.fnPlace(par, label, line)
	case "impl_item":
		return p.fnPlace(par, label, line)
	case "scoped_identifier":
		// `Mutex::new`, `Arc::<Mutex<T>>::new`: a call builds a value.
		if par.ChildByFieldName("path") == n {
			if call := par.Parent(); call != nil && call.Type() == "call_expression" && call.ChildByFieldName("function") == par {
				if label == text(src, s) && s == n {
					label = compact(text(src, par))
				}
				return p.valuePlace(call, label, line, 0)
			}
		}
	case "generic_function":
		if call := par.Parent(); call != nil && call.Type() == "call_expression" {
			return p.valuePlace(call, label, line, 0)
		}
	}
	return p.unsure(label, line, par)
}

// unsure is the refusal for a spelling whose position sendfix does not read.
func (p *swapPlan) unsure(label string, line int, at *sitter.Node) string {
	return fmt.Sprintf("`%s` at line %d sits in %s, where sendfix cannot tell whether its type is decided in this file; its Mutex type cannot move", label, line, strings.ReplaceAll(at.Type(), "_", " "))
}

// foreign is the refusal for a value that goes to an item of another file.
func foreign(label string, line int, what string) string {
	return fmt.Sprintf("`%s` at line %d builds a value for `%s`, defined outside the given files; its Mutex type cannot move", label, line, what)
}

// fnPlace accepts a spelling in the signature of a fn (or impl) of this
// file, unless it implements a trait defined elsewhere, whose signature
// stays std's.
func (p *swapPlan) fnPlace(fn *sitter.Node, label string, line int) string {
	src := p.fc.src
	var tr *sitter.Node
	switch fn.Type() {
	case "function_item":
		tr = implTrait(fn)
	case "impl_item":
		tr = fn.ChildByFieldName("trait")
	case "function_signature_item":
		return "" // a trait of this file
	case "closure_expression":
		return p.valuePlace(fn, label, line, 0)
	default:
		return p.unsure(label, line, fn)
	}
	if tr != nil && !p.localPath(tr) {
		return fmt.Sprintf("`%s` at line %d is in the signature of an impl of trait `%s`, defined outside the given files; its Mutex type cannot move", label, line, compact(text(src, tr)))
	}
	return ""
}

// localPath reports whether a type or path names an item defined in this
// file: a struct, enum, union or trait of the file not shadowed by an
// import, `Self`, or such an item reached through inline modules.
func (p *swapPlan) localPath(n *sitter.Node) bool {
	if n == nil {
		return false
	}
	if n.Type() == "generic_type" {
		n = n.ChildByFieldName("type")
	}
	segs := strings.Split(strings.TrimPrefix(compact(text(p.fc.src, n)), "::"), "::")
	if i := strings.Index(segs[len(segs)-1], "<"); i >= 0 {
		segs[len(segs)-1] = segs[len(segs)-1][:i]
	}
	last := segs[len(segs)-1]
	if len(segs) == 1 {
		return last == "Self" || p.local[last] && !p.imported[last]
	}
	for i, s := range segs[:len(segs)-1] {
		if !p.localMods[s] && !(i == len(segs)-2 && p.local[s]) || i == 0 && p.imported[s] {
			return false
		}
	}
	return p.local[last] || p.local[segs[len(segs)-2]] // `m::Db`, `Enum::Variant`
}

// localFn reports whether a callee is a fn or method of this file (and not
// of a foreign trait's impl), by name: `f`, `Self::f`, `T::f` of a type T
// of this file, `x.f` when the file defines a method f.
func (p *swapPlan) localFn(fn *sitter.Node) bool {
	src := p.fc.src
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil {
		return false
	}
	if (fn.Type() == "identifier" || fn.Type() == "scoped_identifier") && p.localPath(fn) {
		return true // a tuple struct or variant of this file: `Jobs(q)`
	}
	var name string
	switch fn.Type() {
	case "identifier":
		name = text(src, fn)
		if p.imported[name] {
			return false
		}
	case "scoped_identifier":
		path := fn.ChildByFieldName("path")
		if path == nil || !p.localPath(path) {
			return false
		}
		name = text(src, fn.ChildByFieldName("name"))
	case "field_expression":
		name = text(src, fn.ChildByFieldName("field"))
	default:
		return false
	}
	defs := p.fns[name]
	for _, d := range defs {
		if tr := implTrait(d); tr != nil && !p.localPath(tr) {
			return false
		}
	}
	return len(defs) > 0
}

// transparent reports whether a call wraps its argument in a value whose
// type follows the argument's: Arc/Rc/Box/LazyLock constructors, clones,
// Some/Ok.
func (p *swapPlan) transparent(call *sitter.Node) bool {
	src := p.fc.src
	fn := call.ChildByFieldName("function")
	if fn == nil {
		return false
	}
	switch fn.Type() {
	case "identifier":
		t := text(src, fn)
		return (t == "Some" || t == "Ok") && !p.imported[t]
	case "scoped_identifier":
		path := fn.ChildByFieldName("path")
		if path != nil && path.Type() == "generic_type" {
			path = path.ChildByFieldName("type")
		}
		name := text(src, fn.ChildByFieldName("name"))
		if isSmartPointer(src, path) {
			return name == "new" || name == "clone"
		}
		switch strings.TrimPrefix(compact(text(src, path)), "::") {
		case "LazyLock", "std::sync::LazyLock", "Lazy", "once_cell::sync::Lazy":
			return name == "new"
		}
	}
	return false
}

// typedLet accepts `let x: T = v;` when v is built or resolved here and
// the bindings' uses stay in the file.
func (p *swapPlan) typedLet(let *sitter.Node, label string, line int) string {
	if v := let.ChildByFieldName("value"); v != nil && !p.mentionsStd(v, 0) && !p.newsStd(v) && !p.recvIsStd(v, 0) {
		return fmt.Sprintf("`%s` at line %d types a let whose value `%s` comes from code sendfix does not follow; its Mutex type cannot move", label, line, compact(text(p.fc.src, v)))
	}
	return p.letUses(let, label, line, 0)
}

// letUses checks every later use of the names a let binds in its block.
func (p *swapPlan) letUses(let *sitter.Node, label string, line, depth int) string {
	src := p.fc.src
	block := let.Parent()
	if block == nil {
		return ""
	}
	names, _ := patternNames(src, let.ChildByFieldName("pattern"))
	for _, nm := range names {
		for _, id := range p.idents[nm] {
			if id.Type() != "identifier" || id.StartByte() < let.EndByte() || id.EndByte() > block.EndByte() {
				continue
			}
			if w := p.valuePlace(id, label, line, depth+1); w != "" {
				return w
			}
		}
	}
	return ""
}

// formatMacros only read their arguments.
var formatMacros = map[string]bool{"println": true, "print": true, "eprintln": true, "eprint": true, "format": true,
	"write": true, "writeln": true, "assert": true, "assert_eq": true, "assert_ne": true, "debug_assert": true,
	"debug_assert_eq": true, "debug_assert_ne": true, "dbg": true, "panic": true}

// valuePlace follows a value holding the Mutex (built by `Mutex::new` or a
// let's binding) to where its type is decided.
func (p *swapPlan) valuePlace(e *sitter.Node, label string, line, depth int) string {
	src := p.fc.src
	if depth > 6 {
		return p.unsure(label, line, e)
	}
	for {
		par := e.Parent()
		if par == nil {
			return ""
		}
		switch par.Type() {
		case "parenthesized_expression", "reference_expression", "unary_expression", "tuple_expression", "array_expression", "closure_expression", "else_clause", "match_arm", "match_block", "try_expression":
			e = par
			continue
		case "index_expression":
			if par.NamedChild(0) != e {
				return "" // an index
			}
			e = par // an element of the container
			continue
		case "if_expression", "match_expression":
			if par.ChildByFieldName("condition") == e || par.ChildByFieldName("value") == e {
				return ""
			}
			e = par
			continue
		case "block":
			if st := statements(par); len(st) > 0 && st[len(st)-1] == e {
				if fn := par.Parent(); fn != nil && fn.Type() == "function_item" {
					return p.fnPlace(fn, label, line)
				}
				e = par
				continue
			}
			return "" // a statement whose value is dropped
		case "expression_statement", "static_item", "const_item", "assignment_expression", "compound_assignment_expr":
			if par.Type() == "assignment_expression" && par.ChildByFieldName("right") == e {
				return p.unsure(label, line, par)
			}
			return ""
		case "return_expression":
			for a := par.Parent(); a != nil; a = a.Parent() {
				if a.Type() == "function_item" || a.Type() == "closure_expression" {
					return p.fnPlace(a, label, line)
				}
			}
			return p.unsure(label, line, par)
		case "field_expression":
			// `m.lock()`, `m.field`: used here. `m.clone()` is the value again.
			if call := par.Parent(); call != nil && call.Type() == "call_expression" && methodName(src, call) == "clone" {
				e = call
				continue
			}
			return ""
		case "let_declaration":
			if par.ChildByFieldName("value") != e {
				return ""
			}
			if ty := par.ChildByFieldName("type"); ty != nil && !p.mentionsStd(ty, 0) {
				return foreign(label, line, compact(text(src, ty)))
			}
			return p.letUses(par, label, line, depth)
		case "arguments":
			call := par.Parent()
			if call == nil || call.Type() != "call_expression" {
				return p.unsure(label, line, par)
			}
			if p.transparent(call) {
				e = call
				continue
			}
			fn := call.ChildByFieldName("function")
			if fn != nil && fn.Type() == "identifier" && text(src, fn) == "drop" {
				return ""
			}
			if p.localFn(fn) {
				return ""
			}
			if fn != nil && fn.Type() == "field_expression" && p.recvIsStd(fn.ChildByFieldName("value"), 0) {
				// `CONFIG.get_or_init(|| Mutex::new(..))`: the receiver's
				// type is spelled with std's Mutex here and moves with it.
				return ""
			}
			return foreign(label, line, compact(text(src, fn)))
		case "field_initializer", "shorthand_field_initializer":
			st := par.Parent()
			if st != nil {
				st = st.Parent()
			}
			if st == nil || st.Type() != "struct_expression" {
				return p.unsure(label, line, par)
			}
			if name := st.ChildByFieldName("name"); !p.localPath(name) {
				return foreign(label, line, compact(text(src, name)))
			}
			return ""
		case "token_tree":
			return p.macroValue(par, label, line, depth)
		default:
			return p.unsure(label, line, par)
		}
	}
}

// macroOf returns the macro invocation a token tree belongs to.
func macroOf(tt *sitter.Node) *sitter.Node {
	for a := tt; a != nil; a = a.Parent() {
		if a.Type() == "macro_invocation" {
			return a
		}
	}
	return nil
}

// macroValue follows a value in macro tokens: `vec![..]` is a value of
// its own, formatting macros only read theirs.
func (p *swapPlan) macroValue(tt *sitter.Node, label string, line, depth int) string {
	mac := macroOf(tt)
	if mac == nil {
		return p.unsure(label, line, tt)
	}
	name := compact(text(p.fc.src, mac.ChildByFieldName("macro")))
	switch {
	case name == "vec":
		return p.valuePlace(mac, label, line, depth+1)
	case formatMacros[name]:
		return ""
	}
	return fmt.Sprintf("`%s` at line %d is inside macro `%s!`, where sendfix cannot tell whether its type is decided in this file; its Mutex type cannot move", label, line, name)
}

// macroPlacement checks std Mutex names used in macro tokens (unparsed):
// `Mutex::new(..)` and uses of let bindings are checked where they are
// found; a bare name there is followed like a value.
func (p *swapPlan) macroPlacement(tt *sitter.Node) string {
	src := p.fc.src
	var why string
	walk(tt, func(n *sitter.Node) bool {
		if why != "" {
			return false
		}
		if n.Type() == "identifier" && p.stdNames[text(src, n)] {
			why = p.macroValue(n.Parent(), text(src, n), lineOf(src, int(n.StartByte())), 0)
		}
		return true
	})
	return why
}
