package patterns

import "sort"

// The prefilter's second look, with the Index: a file's async bodies read
// from its tokens (readFile), narrowed to those that may have to be Send.
// A guard matters only in such a body with an await after it, and rc-arc
// only triggers on such a body spawned, or such an async fn with an
// Rc-holding parameter. Which bodies may have to be Send is findBodies's
// rule read from the tokens: a block spawned (directly, or through a
// `let` binding spawned in the same fn) or written in a body that may
// have to be Send (not through a fn or closure, not handed to
// spawn_local, block_on or run_until), and an async fn the Index marks.
// A body the parser takes for Send-required lies in one of these
// (lexfile_test.go checks it on every golden input and corpus file).

// sendReading is a file's reading with, for each async body, whether it
// may have to be Send.
type sendReading struct {
	fs    *fileSyntax
	may   []bool
	whole bool // the brackets do not balance: every offset counts
}

// reading reads src (without its BOM) and marks the bodies that may have
// to be Send under ix, for the file at path: with a nil ix (any Index) or
// allAsync, every one.
func (ix *Index) reading(path string, src []byte, allAsync bool) *sendReading {
	return ix.readingOf(readFile(src), path, allAsync)
}

// readingOf is reading of the tokens fs read (the caller releases them).
func (ix *Index) readingOf(fs *fileSyntax, path string, allAsync bool) *sendReading {
	r := &sendReading{fs: fs, may: make([]bool, len(fs.bodies)), whole: !fs.balanced}
	for i, b := range fs.bodies {
		switch {
		case allAsync || ix == nil || b.root || b.handOff:
			r.may[i] = true
		case b.via >= 0:
			_, r.may[i] = ix.sendFn(path, fs.fns[b.via].key)
		}
	}
	return r
}

// span returns the byte span of body i.
func (r *sendReading) span(i int) (int, int) {
	b := r.fs.bodies[i]
	return int(r.fs.toks[b.open].s), int(r.fs.toks[b.close].e)
}

// awaitAfter reports whether off lies in a body that may have to be Send
// (or a loose span) and that awaits after it: the only place a guard
// taken at off can be held across an await that matters.
func (r *sendReading) awaitAfter(off int) bool {
	if r.whole {
		return true
	}
	awaits := r.fs.awaits
	after := func(end int) bool {
		w := sort.Search(len(awaits), func(i int) bool { return int(awaits[i]) > off })
		return w < len(awaits) && int(awaits[w]) < end
	}
	for i := range r.fs.bodies {
		if !r.may[i] {
			continue
		}
		if s, e := r.span(i); s <= off && off < e && after(e) {
			return true
		}
	}
	for _, l := range r.fs.loose {
		if int(l[0]) <= off && off < int(l[1]) && after(int(l[1])) {
			return true
		}
	}
	return false
}

// guardSite reports whether a guard taken by the call whose name starts
// at off can matter: the call is in a body that may have to be Send with
// an await after it (awaitAfter), and the guard may live to that await
// (stmtMayHold).
func (r *sendReading) guardSite(off int) bool { return r.awaitAfter(off) && r.stmtMayHold(off) }

// stmtMayHold reports whether a guard taken by the call whose name starts
// at off may be held across an await, judged by its statement: the
// statement holds an await after the call (a temporary, or the binding of
// an `if let`, `while let` or `match` scrutinee, lives to the statement's
// end); or it is a `let` whose value is the acquisition itself
// (letValue: what collectGuards binds) and an await follows in the same
// block, where the guard lives; or it assigns (an `=` outside a `let`).
// A call in a block's tail expression lives as long as the statement
// around the block, which is judged as loosely as an assignment. Any
// other guard is a temporary, dropped at the statement's end, or bound
// by a `let` that no await follows before its block ends.
func (r *sendReading) stmtMayHold(off int) bool {
	fs := r.fs
	if r.whole {
		return true
	}
	k := fs.tokenAt(off)
	if k < 0 {
		return true
	}
	name, tail := k, false
	for {
		open := fs.enclosing(k)
		switch {
		case open < 0:
			return true
		case !fs.is(open, '{'):
			k = open // in parentheses or brackets: the statement around them
			continue
		}
		start := fs.stmtStart(k, open)
		end, done := fs.stmtEnd(k, fs.pair[open])
		if r.awaitsIn(off, int(fs.toks[end].s)) {
			return true
		}
		if let, binds := fs.binds(start, k); binds {
			switch {
			case tail:
				return true
			case let:
				// The guard is a `let`'s only when it is the value; it
				// lives to the block's end.
				return fs.letValue(name) && (!done || r.awaitsIn(int(fs.toks[end].s), int(fs.toks[fs.pair[open]].s)))
			}
			// An `if let` or `while let` binds within the statement;
			// an assignment binds no guard a rule follows, but is let
			// through.
			return !fs.word(fs.skipAttrs(start), "if") && !fs.word(fs.skipAttrs(start), "while")
		}
		if done {
			return false
		}
		k, tail = open, true // a tail expression: the statement around the block
	}
}

// letValue reports whether the acquisition whose call's name is token k
// may be the whole value of the `let` around it, as letGuard and
// tupleGuard take one: after the call's arguments and the error handling
// (`.unwrap()`, `.expect(..)`, `.unwrap_or_else(..)`, `.map_err(..)`,
// `.ok()`, `?`), past closing parentheses that group or end a tuple, comes
// the `;`, a let-else's `else`, a match's `{` or a tuple's `,`. A
// method, field, index or operator after it, or a call or macro it is an
// argument of, makes the guard a temporary of the statement.
func (fs *fileSyntax) letValue(k int32) bool {
	j := k + 1
	if !fs.is(j, '(') || fs.pair[j] < j {
		return true // a turbofish, or what the tokens cannot tell
	}
	j = fs.pair[j] + 1
	for {
		switch {
		case fs.is(j, '?'):
			j++
			continue
		case fs.is(j, '.') && fs.is(j+2, '(') && fs.pair[j+2] > j+2 && acqHandlers[fs.ident(j+1)]:
			j = fs.pair[j+2] + 1
			continue
		}
		break
	}
	for {
		switch {
		case fs.is(j, ')') || fs.is(j, ','):
			open := fs.pair[j]
			if fs.is(j, ',') {
				open = fs.enclosing(j)
			}
			if open < 0 || !fs.is(open, '(') || !fs.groups(open) {
				return false // an argument
			}
			j = fs.pair[open] + 1
			continue
		case fs.is(j, ';'), fs.is(j, '{'), fs.word(j, "else"):
			return true
		}
		return false
	}
}

// acqHandlers are the methods of a lock call's error handling that
// guardCall strips.
var acqHandlers = map[string]bool{"unwrap": true, "expect": true, "unwrap_or_else": true, "map_err": true, "ok": true}

// groups reports whether the parenthesis at open groups or makes a tuple
// (the token before it is `=`, `(`, `,`, `&`, `*` or the `mut` of `&mut`)
// rather than holding a call's or macro's arguments.
func (fs *fileSyntax) groups(open int32) bool {
	p := open - 1
	if fs.word(p, "mut") && fs.is(p-1, '&') {
		return true
	}
	return fs.is(p, '=') || fs.is(p, '(') || fs.is(p, ',') || fs.is(p, '&') || fs.is(p, '*')
}

// stmtStart returns the first token of the statement holding token k,
// in the block whose `{` is open: the token after the `;` before it, or
// after the `}` of a block-like expression that an identifier other than
// `else` or `as` follows (as stmtEnd ends one).
func (fs *fileSyntax) stmtStart(k, open int32) int32 {
	start := k
	for q := k - 1; q > open && !fs.is(q, ';'); q-- {
		if fs.is(q, '}') && fs.toks[q+1].kind == tokIdent && !fs.word(q+1, "else") && !fs.word(q+1, "as") {
			break
		}
		if p := fs.pair[q]; p >= 0 && p < q {
			q = p
		}
		start = q
	}
	return start
}

// stmtEnd returns the token that ends the statement holding token k, in
// the block whose `}` is close: its `;`, or the `}` of a block-like
// expression (`if`, `match`, a block) that an identifier other than
// `else` or `as` follows (done); else close, for a tail expression.
func (fs *fileSyntax) stmtEnd(k, close int32) (end int32, done bool) {
	for end = k; end < close; end++ {
		if fs.is(end, ';') {
			return end, true
		}
		if p := fs.pair[end]; p > end {
			end = p
			if fs.is(end, '}') && fs.toks[end+1].kind == tokIdent && !fs.word(end+1, "else") && !fs.word(end+1, "as") {
				return end, true
			}
		}
	}
	return close, false
}

// enclosing returns the index of the innermost open bracket around token
// k, or -1.
func (fs *fileSyntax) enclosing(k int32) int32 { return fs.toks[k].up }

// binds reports whether the statement of tokens [start, k) may bind what
// comes at k: it starts with `let` (after attributes: let), or holds an
// assignment's `=` outside brackets.
func (fs *fileSyntax) binds(start, k int32) (let, binds bool) {
	q := fs.skipAttrs(start)
	if fs.word(q, "let") {
		return true, true
	}
	for ; q < k; q++ {
		if p := fs.pair[q]; p > q {
			q = p
			continue
		}
		if fs.is(q, '=') && !fs.is(q+1, '=') && !fs.is(q+1, '>') && !fs.is(q-1, '=') && !fs.is(q-1, '!') && !fs.is(q-1, '<') && !fs.is(q-1, '>') {
			return false, true
		}
	}
	return false, false
}

// skipAttrs returns the first token at or after q that is not part of an
// outer attribute `#[..]`.
func (fs *fileSyntax) skipAttrs(q int32) int32 {
	for fs.is(q, '#') && fs.is(q+1, '[') && fs.pair[q+1] > 0 {
		q = fs.pair[q+1] + 1
	}
	return q
}

// awaitsIn reports whether an await keyword starts in (from, to).
func (r *sendReading) awaitsIn(from, to int) bool {
	aw := r.fs.awaits
	w := sort.Search(len(aw), func(i int) bool { return int(aw[i]) > from })
	return w < len(aw) && int(aw[w]) < to
}

// rcTrigger is mayTrigger read from the tokens: a body that may have to
// be Send and is an async block spawned, an async fn that takes `self` or
// whose signature spells `Rc`, `Weak` or a struct or type alias of the
// file, or that spells one of the last three in its braces. (An async
// closure, a loose span, is no body the rule looks at.)
func (r *sendReading) rcTrigger() bool {
	fs := r.fs
	if r.whole {
		return rcMayTrigger(fs.src)
	}
	var declared map[string]bool
	for i, b := range fs.bodies {
		switch {
		case !r.may[i]:
		case b.fn < 0:
			if b.spawn == sendSpawn || b.handOff {
				return true
			}
		default:
			if declared == nil {
				declared = declaredTypeNames(fs.src)
			}
			sig := fs.fns[b.fn].sig
			if fs.fns[b.fn].method || spellsRcType(fs.src[sig[0]:sig[1]], declared) {
				return true
			}
		}
		if r.may[i] {
			if declared == nil {
				declared = declaredTypeNames(fs.src)
			}
			if spellsRcType(fs.src[fs.toks[b.open].s:fs.toks[b.close].e], declared) {
				return true
			}
		}
	}
	return false
}

// MayMatch is the package MayMatch narrowed by what the index knows of the
// other files, for the file at path: a lock guard is taken by a
// `.lock()`, `.read()` or `.write()` call in one of the shapes the rules
// accept (see hasAcquisition), or by a call of a guard-returning fn, of
// this file (callsOwnGuardFn) or one the index names, in a shape that can
// match its declaration (see hasGuardFnCall); and that call must sit in
// an async body that may have to be Send, with an await after it
// (sendReading.awaitAfter). rc-arc needs such a body that can trigger it
// (sendReading.rcTrigger). Whitespace and comments may sit between the
// tokens. It is false only when no enabled rule can produce a finding in
// src with this index (or one with fewer guard-returning fns).
func (ix *Index) MayMatch(path string, src []byte, cfg Config) bool {
	if !MayMatch(src, cfg) {
		return false
	}
	if len(cfg.Sites) > 0 {
		return true
	}
	if !ix.mayHoldSite(src, nil, cfg) {
		return false
	}
	r := ix.reading(path, src, cfg.AllAsync)
	defer r.fs.release()
	guards, rc := ix.mayRules(path, src, cfg, r)
	return guards || rc
}

// mayHoldSite reports, from src's bytes alone, whether a reading of its
// tokens may find anything for mayRules or calledKeys: a lock
// acquisition or a call of a guard-returning fn (the file's own, the
// Index's, or one of keys) anywhere, or an Rc of rc-arc. Each of those
// asks the reading only to narrow such a site to the bodies that matter;
// most async files hold none, and then their tokens need no reading.
func (ix *Index) mayHoldSite(src []byte, keys map[string]bool, cfg Config) bool {
	switch {
	case len(cfg.Sites) > 0, cfg.Rules[RuleRcArc] && mayRcWords(src):
		return true
	case len(keys) > 0 && len(calledKeys(src, keys, nil)) > 0:
		return true
	}
	return guardRules(cfg) && ix.mayHoldGuard(src, nil)
}

// mayRules is Index.MayMatch rule by rule, for a file past MayMatch and
// its reading r: whether the guard rules and rc-arc may report in src.
func (ix *Index) mayRules(path string, src []byte, cfg Config, r *sendReading) (guards, rc bool) {
	rc = cfg.Rules[RuleRcArc] && mayRcWords(src) && r.rcTrigger() && r.rcHeldMay(ix, path)
	guards = guardRules(cfg) && ix.mayHoldGuard(src, r.guardSite)
	return guards, rc
}

// MayHoldGuard is Index.MayMatch for the guard rules alone: whether a
// lock guard may be held across an await in src, the file at path, in a
// body that may have to be Send. Where it is false, a run of the file
// finds no guard for mutex-scope or tokio-mutex (PlanCrates probes no
// such file).
func (ix *Index) MayHoldGuard(path string, src []byte, cfg Config) bool {
	if !guardRules(cfg) {
		return false
	}
	if len(cfg.Sites) > 0 {
		return true
	}
	r := ix.reading(path, src, cfg.AllAsync)
	defer r.fs.release()
	return ix.mayHoldGuard(src, r.guardSite)
}

// MayNeedLook reports whether the second look at the file summarized in
// s can let it through: it has an async body that may have to be Send
// under ix and cfg, or spans its reading cannot tell (loose, unbalanced).
// When it is false, Look gives (nil, false) and MayMatch is false, and
// the file need not be read again.
func (ix *Index) MayNeedLook(s *Summary, cfg Config) bool {
	if len(cfg.Sites) > 0 || s.loose || s.unbalanced {
		return true
	}
	for _, b := range s.bodies {
		if cfg.AllAsync || b.root {
			return true
		}
		if b.via >= 0 {
			if _, ok := ix.sendFn(s.Path, s.fns[b.via].key); ok {
				return true
			}
		}
	}
	return false
}

// Look is the schedule's second look at a file past MayMatch, the file at
// path, before the guard-returning fns of other files are known: which
// of keys (the candidate keys of those fns, see GuardFnCandidates) src
// may call in a body that may have to be Send, before an await
// (CalledKeys's rule), and whether ix, with the guard-returning fns it
// has, lets the file through (Index.MayMatch). With the fns of the keys
// called added (AddGuardFns), Index.MayMatch is may, or a called key
// among them: one reading of src gives both.
func (ix *Index) Look(path string, src []byte, keys map[string]bool, cfg Config) (called []string, may bool) {
	if !ix.mayHoldSite(src, keys, cfg) {
		return nil, false
	}
	fs := readFile(src)
	defer fs.release()
	return ix.lookAt(fs, path, src, keys, cfg)
}

// lookAt is Look past mayHoldSite, with src's tokens read into fs.
func (ix *Index) lookAt(fs *fileSyntax, path string, src []byte, keys map[string]bool, cfg Config) (called []string, may bool) {
	r := ix.readingOf(fs, path, cfg.AllAsync)
	if len(keys) > 0 {
		called = calledKeys(src, keys, r.guardSite)
	}
	if !MayMatch(src, cfg) {
		return called, false
	}
	if len(cfg.Sites) > 0 {
		return called, true
	}
	guards, rc := ix.mayRules(path, src, cfg, r)
	return called, guards || rc
}

// Declarers returns the indexes of the files whose candidate keys
// (cands[i], their GuardFnCandidates) a file calls (calls[j], Index.Look's
// first result): the files a run parses for their guard-returning fns.
func Declarers(cands, calls [][]string) []int {
	called := map[string]bool{}
	for _, ns := range calls {
		for _, n := range ns {
			called[n] = true
		}
	}
	var out []int
	for i, c := range cands {
		for _, n := range c {
			if called[n] {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// GuardFn reports whether the Index knows a guard-returning fn by the key
// (see guardDeclKey).
func (ix *Index) GuardFn(key string) bool { return ix.guardDecls[key] != "" }

// AddGuardFns adds the guard-returning fns of the summaries (GuardFns
// alone: the parse of the files that declare the fns a schedule's files
// call) to the Index. It must not be called while the Index is in use.
func (ix *Index) AddGuardFns(sums ...*Summary) {
	for _, s := range sums {
		if s == nil {
			continue
		}
		for n, k := range s.GuardFns {
			ix.guardDecls[n] = k
		}
	}
}

// guardSites returns sendReading.guardSite for src under any Index,
// reading src on the first call.
func guardSites(src []byte) func(int) bool {
	var r *sendReading
	return func(off int) bool {
		if r == nil {
			var none *Index
			r = none.reading("", src, true)
		}
		return r.guardSite(off)
	}
}
