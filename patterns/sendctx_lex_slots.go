package patterns

import (
	"slices"
	"strings"
)

// The token twin of the Send-context model's hand-offs (sendctx_model.go,
// sendctx_handoff.go): where, reading tokens only, the tree's model may
// hand a future to a Send context other than a spawn. The model hands a
// future over only through
//   - a call of a fn of the file (by name: free fn, method, `Type::f`)
//     whose parameter has a Send slot: a type parameter or `impl ..`
//     bounded by Send or a trait of the file implying it, `Fn(..) -> Fut`
//     with such a Fut, a Send box (paramSlot); its bounds are written in
//     the fn's signature or its impl's or trait's header;
//   - `.boxed()` of futures' FutureExt (boxedRecv);
//   - a `let x: T = e;` whose T is a Send box (handoffs.let);
//   - the values returned by a fn declared to return `impl Future + Send`
//     or a Send box (handoffs.results);
// and every type that decides one of those spells `Send`, `BoxFuture`, or
// the name of a trait or type alias of the file whose definition spells
// one of those (through others of the file). The reading takes the token
// ranges where such a hand-off may happen (sendSlots.regions); what lies
// outside them the model hands to nothing but spawns.

// sendSlots is what the token reading knows of a file's Send contexts
// other than spawns.
type sendSlots struct {
	// regions are the token ranges [from, to] (sorted, disjoint) in which
	// the model may hand a future or a maker of futures to a Send context:
	// the arguments of a call of a fn of the file that may go to a Send
	// slot (slotArgs), the receiver of `.boxed()`, the value of a `let`
	// typed with a Send word, the body of a fn whose result spells one.
	regions [][2]int32
	// handed, handedCalls and returnedVals are the token ranges whose
	// names the model may hand over (regionCalls), as found, before they
	// are merged (one may lie in an async block of another): handed,
	// those arguments, [first, last] token, which may hand a fn over as a
	// maker of futures by any name; handedCalls (a typed let's value, a
	// .boxed() receiver) and returnedVals (what a fn with a Send result
	// returns), where a future is handed, whose fns are handed as the
	// callees of calls.
	handed, handedCalls, returnedVals [][2]int32
	// callExprs are the expressions, [first, last] token, of the typed
	// lets' values and the .boxed() receivers; sendBodies the `{` of the
	// bodies of the fns with a Send result, whose returned values
	// returnedVals also holds (regionCalls reads both as the model does).
	callExprs  [][2]int32
	sendBodies []int32
	// traitSend holds "Trait|fn" for each fn signature of a trait of the
	// file that spells a Send word: an async fn implementing it may have
	// to be Send (asyncFnWhy).
	traitSend map[string]bool
	// asyncTrait holds the body braces of the impls and traits an
	// `#[async_trait]` (not `?Send`) is written on.
	asyncTrait map[int32]bool
}

// slotFn is a fn whose signature, or its impl's or trait's header, spells
// a Send word, and a parameter of which may be a Send slot: the impl's
// type or trait's name it is written in ("" for a free fn), whether it
// takes self, and which of its other parameters may be Send slots
// (paramSlots; nil: any).
type slotFn struct {
	owner  string
	method bool
	params []bool
}

// sendWordsSeed are the words every Send slot, Send result and Send box
// the model knows spells, or a trait or alias of the file spelling them.
var sendWordsSeed = []string{"Send", "BoxFuture"}

// lexDef is a trait or type alias of the file: its name and the tokens of
// its definition up to its body's `{` or its `;`.
type lexDef struct {
	name     string
	from, to int32
}

// lexSig is a fn's signature: the tokens from `fn` to the `{` or `;` that
// ends it, the brace of the impl or trait body it is written in (-1), and
// whether it has a body.
type lexSig struct {
	name     string
	from, to int32
	up       int32
	body     bool
	method   bool  // its first parameter is self
	ret      int32 // the token after the `->` of its result type, or -1
	params   int32 // the token after its name: its generics' `<` or its parameters' `(`
}

// lexOwner is an impl or trait body: the impl's type (lastTopIdent) or
// the trait's name, its header's tokens, and whether an `#[async_trait]`
// (asyncTraitAttr's) is written on it.
type lexOwner struct {
	name       string
	from, to   int32
	trait      bool
	asyncTrait bool
}

// readSendSlots reads the file's Send contexts from its tokens.
func (fs *fileSyntax) readSendSlots() *sendSlots {
	ss := &sendSlots{}
	seed := false
	for _, w := range sendWordsSeed {
		seed = seed || hasWord(fs.src, []byte(w))
	}
	// `.boxed()` of futures' FutureExt requires Send with no Send word
	// spelled.
	futures := hasWord(fs.src, []byte("boxed")) && fs.futureExtImported()
	if !seed && !futures && !hasWord(fs.src, []byte("async_trait")) {
		return ss // no word of a Send bound: the model reads no slot
	}
	var defs []lexDef
	var sigs []lexSig
	owners := map[int32]lexOwner{} // impl or trait body brace -> what it is
	n := int32(len(fs.toks))
	for k := int32(0); k < n; k++ {
		if fs.toks[k].kind != tokIdent {
			continue
		}
		switch fs.text(k) {
		case "fn":
			name, next := fs.itemName(k + 1)
			if name == "" {
				continue
			}
			if end := fs.headerEnd(next); end >= 0 {
				sigs = append(sigs, lexSig{name, k, end, fs.toks[k].up, fs.is(end, '{'), fs.takesSelf(next), fs.resultType(next, end), next})
			}
		case "trait":
			name, next := fs.itemName(k + 1)
			if name == "" {
				continue
			}
			if end := fs.headerEnd(next); end >= 0 {
				defs = append(defs, lexDef{name, k, end})
				if fs.is(end, '{') {
					owners[end] = lexOwner{name, k, end, true, fs.asyncTraitAttr(k)}
				}
			}
		case "type":
			if name := fs.ident(k + 1); name != "" {
				if end := fs.headerEnd(k + 2); end >= 0 {
					defs = append(defs, lexDef{name, k, end})
				}
			}
		case "impl":
			if end := fs.headerEnd(k + 1); fs.is(end, '{') {
				from, to := int(fs.toks[k].e), int(fs.toks[end].s)
				if f := topFor(fs.src[from:to]); f >= 0 {
					from += f + len("for")
				}
				owners[end] = lexOwner{lastTopIdent(fs.src[from:to]), k, end, false, fs.asyncTraitAttr(k)}
			}
		}
	}
	words := map[string]bool{}
	for _, w := range sendWordsSeed {
		words[w] = true
	}
	// A trait or alias whose definition spells a Send word: to a fixed
	// point, for those defined through others.
	for changed := true; changed; {
		changed = false
		for _, d := range defs {
			if !words[d.name] && fs.spellsAny(d.from, d.to, words) {
				words[d.name], changed = true, true
			}
		}
	}
	ss.asyncTrait = map[int32]bool{}
	for brace, o := range owners {
		if o.asyncTrait {
			ss.asyncTrait[brace] = true
		}
	}
	slots := map[string][]slotFn{}
	var regions, handed, calls, exprs, rets [][2]int32
	var bodies []int32
	for _, s := range sigs {
		o, owned := owners[s.up]
		if !fs.spellsAny(s.from, s.to, words) && (!owned || !fs.spellsAny(o.from, o.to, words)) {
			continue
		}
		if ps := fs.paramSlots(s, o, owned, words); ps == nil || slices.Contains(ps, true) {
			slots[s.name] = append(slots[s.name], slotFn{o.name, s.method, ps})
		}
		if s.ret < 0 || !fs.sendWordIn(s.ret, fs.resultEnd(s), words) {
			continue // no Send result
		}
		if s.body && fs.pair[s.to] > s.to {
			regions = append(regions, [2]int32{s.to, fs.pair[s.to]})
			bodies = append(bodies, s.to)
			rets = append(rets, fs.returned(s.to)...)
		}
		if owned && o.trait {
			if ss.traitSend == nil {
				ss.traitSend = map[string]bool{}
			}
			ss.traitSend[o.name+"|"+s.name] = true
		}
	}
	for k := int32(0); k < n; k++ {
		if fs.toks[k].kind != tokIdent {
			continue
		}
		w := fs.ident(k)
		switch {
		case w == "let":
			if r, ok := fs.sendLet(k, words); ok {
				regions, calls = append(regions, r), append(calls, r)
				exprs = append(exprs, [2]int32{r[0] + 1, r[1] - 1})
			}
		case w == "boxed" && futures && fs.is(k-1, '.') && fs.is(k+1, '('):
			r := [2]int32{fs.exprStart(k - 1), k}
			regions, calls = append(regions, r), append(calls, r)
			exprs = append(exprs, [2]int32{fs.postfixStart(k - 2), k - 2})
		case slots[w] != nil && !fs.word(k-1, "fn"):
			fns := fs.slotCallees(k, slots[w])
			open := k + 1
			if fs.colons(open+1) && fs.is(open+2, '<') {
				open = fs.angleClose(open+2) + 1 // a turbofish
			}
			if len(fns) > 0 && fs.is(open, '(') && fs.pair[open] > open {
				args := fs.slotArgs(k, open, fns)
				regions, handed = append(regions, args...), append(handed, args...)
			}
		}
	}
	ss.handed, ss.handedCalls, ss.callExprs = handed, calls, exprs
	ss.returnedVals, ss.sendBodies = rets, bodies
	ss.regions = mergeRanges(regions)
	return ss
}

// futureExtImported reports whether the file may import futures'
// FutureExt as boxedRecv asks: `FutureExt` by a path starting with
// `futures` (futures_util's too), or a glob of such a path. Another
// crate's re-export (`deno_core::futures::FutureExt`) the model does not
// take for it.
func (fs *fileSyntax) futureExtImported() bool {
	for _, u := range fs.uses {
		p := strings.TrimPrefix(strings.Join(u.path, "::"), "::")
		if (u.glob || u.alias == "FutureExt") && strings.HasPrefix(p, "futures") {
			return true
		}
	}
	return false
}

// spellsAny reports whether a token in [from, to] is an identifier of
// words (a raw identifier's without its `r#`).
func (fs *fileSyntax) spellsAny(from, to int32, words map[string]bool) bool {
	for k := from; k <= to && int(k) < len(fs.toks); k++ {
		if w := fs.identBytes(int32(k)); w != nil && words[string(w)] { // no allocation for the lookup
			return true
		}
	}
	return false
}

// sendLet returns the tokens of the value of the `let` at k when its type
// spells one of words: `let x: BoxFuture<'_, ()> = <value>;`. A `let` of
// a condition (`if let`, `while let`, a let chain) has no type.
func (fs *fileSyntax) sendLet(k int32, words map[string]bool) ([2]int32, bool) {
	if fs.word(k-1, "if") || fs.word(k-1, "while") || fs.is(k-1, '&') || fs.is(k-1, '|') {
		return [2]int32{}, false
	}
	eq := fs.letEq(k + 1)
	if eq < 0 || !fs.spellsAny(k, eq, words) {
		return [2]int32{}, false
	}
	end := eq
	for ; int(end+1) < len(fs.toks); end++ {
		if p := fs.pair[end+1]; p > end+1 {
			end = p - 1
			continue
		} else if p >= 0 || fs.is(end+1, ';') {
			break
		}
	}
	return [2]int32{eq, end + 1}, true
}

// letEq returns the `=` of the let whose pattern starts at token k (at
// its level, outside a type's angle brackets, not part of `==`, `=>`,
// `<=`, `!=`), or -1 when a `;` or the bracket around comes first: no
// value.
func (fs *fileSyntax) letEq(k int32) int32 {
	angles := 0
	for q := k; int(q) < len(fs.toks); q++ {
		if p := fs.pair[q]; p > q {
			q = p
			continue
		} else if p >= 0 || fs.is(q, ';') {
			return -1
		}
		switch {
		case fs.is(q, '<'):
			angles++
		case fs.is(q, '>') && !fs.is(q-1, '-'):
			angles--
		case fs.is(q, '=') && angles <= 0 && !fs.compoundEq(q):
			return q
		}
	}
	return -1
}

// compoundEq reports whether the `=` at token k is part of `==`, `=>`,
// `<=` or `!=`, not a let's `=`: one written right against it (`let
// x=(y)`, `Box<T>= v`, where the `>` closes the type) is.
func (fs *fileSyntax) compoundEq(k int32) bool {
	if fs.joined(k, k+1) && (fs.is(k+1, '=') || fs.is(k+1, '>')) {
		return true
	}
	return fs.joined(k-1, k) && (fs.is(k-1, '=') || fs.is(k-1, '<') || fs.is(k-1, '!'))
}

// joined reports whether tokens j and k exist and are punctuation
// written with nothing between them (`=>`, `==`, `>=`).
func (fs *fileSyntax) joined(j, k int32) bool {
	return j >= 0 && int(k) < len(fs.toks) && fs.toks[j].kind == tokPunct && fs.toks[k].kind == tokPunct && fs.toks[j].e == fs.toks[k].s
}

// exprStart returns the first token of the statement, argument or
// element whose tokens end before k: back over the tokens of the same
// group to a `;` or `,` (not one inside angle brackets), or to the
// group's open bracket. The expression
// ending at k (a receiver) starts there or later.
func (fs *fileSyntax) exprStart(k int32) int32 {
	q := k - 1
	angles := 0 // a turbofish's `<..>` (`err::<(), _>(e)`): its `,` ends nothing
	for ; q >= 0; q-- {
		if p := fs.pair[q]; p >= 0 && p < q {
			q = p // a group before: part of the expression
			continue
		} else if p > q || fs.is(q, ';') || fs.is(q, ',') && angles <= 0 {
			break
		}
		switch {
		case fs.is(q, '>') && !fs.is(q-1, '-') && !fs.is(q-1, '='):
			angles++
		case fs.is(q, '<'):
			angles--
		}
	}
	return q + 1
}

// mergeRanges sorts ranges and merges those that overlap.
func mergeRanges(rs [][2]int32) [][2]int32 {
	if len(rs) == 0 {
		return nil
	}
	slices.SortFunc(rs, func(a, b [2]int32) int { return int(a[0] - b[0]) })
	out := rs[:1]
	for _, r := range rs[1:] {
		if last := &out[len(out)-1]; r[0] <= last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

// within reports whether token k lies in one of the regions.
func (ss *sendSlots) within(k int32) bool {
	i, _ := slices.BinarySearchFunc(ss.regions, k, func(r [2]int32, k int32) int { return int(r[0] - k) })
	// regions[i-1] is the last starting before k (or at it, when i finds it).
	if i < len(ss.regions) && ss.regions[i][0] == k {
		return true
	}
	return i > 0 && ss.regions[i-1][1] >= k
}

// namesWithin sets true the names (keys of names) that occur as an
// identifier in a region, other than as the callee of a call awaited
// right there: the model hands a fn over as the callee of a call handed
// over or as a path, never as an awaited call (its awaits reach the
// Index as the handed body's).
func (fs *fileSyntax) namesWithin(ss *sendSlots, names map[string]bool) {
	if len(names) == 0 {
		return
	}
	for _, r := range ss.regions {
		for k := r[0]; k <= r[1] && int(k) < len(fs.toks); k++ {
			w := fs.identBytes(k)
			if w == nil {
				continue
			}
			if open := k + 1; fs.is(open, '(') && fs.pair[open] > open && fs.awaitedAfter(open) {
				continue // `name(..).await`: awaited, not handed over
			}
			if seen, ok := names[string(w)]; ok && !seen {
				names[string(w)] = true
			}
		}
	}
}

// awaitedAfter reports whether the call whose arguments open at the `(`
// open is awaited right there (`name(..).await`): its future is not
// handed over (namesWithin, regionWords).
func (fs *fileSyntax) awaitedAfter(open int32) bool {
	return fs.is(fs.pair[open]+1, '.') && fs.word(fs.pair[open]+2, "await")
}

// regionCalls returns the calls the parse (handoffCalls) may hand over
// from the slot regions, each once, shaped as the parse shapes them
// (shapeAt: `name`, `a::b::name`, `self.name`, `x.name`; its modules and
// impl or trait from scopeAt, as resolve reads them: lexCall.matched),
// so that the Index matches them to the fns it would match the parse's
// to. Each region is read as the model hands it over: an argument of a
// slot call, a typed let's value and a `.boxed()` receiver by
// handedExpr, the body of a fn with a Send result by what it returns
// (returnedBy). Where that reading cannot tell (an operator, a macro, an
// async closure), every name in the region counts: where a future is
// handed, a name followed by its arguments (or a turbofish and its
// arguments); an argument may hand a fn by any name. An async block is
// handed as a block, and what it awaits reaches the Index as its calls.
// It is not nil.
func (fs *fileSyntax) regionCalls(ss *sendSlots) handRead {
	hr := handRead{calls: []lexCall{}, names: map[string]bool{}, blocks: map[int32]bool{}}
	seen := map[string]bool{}
	emit := func(k int32) {
		if fs.is(k, '{') {
			hr.blocks[k] = true // an async block handed over
			return
		}
		hr.names[fs.ident(k)] = true
		c := lexCall{body: -1, shape: fs.shapeAt(k), line: -1}
		for i, seg := range c.shape.segs {
			c.shape.segs[i] = strings.TrimPrefix(seg, "r#")
		}
		c.mods, c.owner, c.trait = fs.scopeAt(k)
		c = c.matched()
		if id := callText(c.shape) + "|" + c.mods + "|" + c.owner + "|" + c.trait; !seen[id] {
			seen[id] = true
			hr.calls = append(hr.calls, c)
		}
	}
	words := func(r [2]int32, callees bool) {
		hr.words = append(hr.words, r)
		for k := r[0]; k <= r[1] && int(k) < len(fs.toks); k++ {
			if fs.word(k, "async") {
				open := k + 1
				if fs.word(open, "move") {
					open++
				}
				if fs.is(open, '{') && fs.pair[open] > open {
					k = fs.pair[open]
					continue
				}
			}
			if fs.identBytes(k) == nil {
				continue
			}
			open := k + 1
			if fs.colons(open+1) && fs.is(open+2, '<') {
				open = fs.angleClose(open+2) + 1 // a turbofish
			}
			args := fs.is(open, '(') && fs.pair[open] > open
			if callees && !args {
				continue
			}
			if args && fs.awaitedAfter(open) {
				continue // `name(..).await`: awaited, not handed over
			}
			emit(k)
		}
	}
	// An async closure (a loose span) is syntax the parser does not know:
	// the expressions that hold one are read by their names.
	sure := func(a, b int32) bool {
		for _, l := range fs.loose {
			if a <= b && l[0] < fs.toks[b].e && fs.toks[a].s < l[1] {
				return false
			}
		}
		return true
	}
	for _, a := range ss.handed {
		if !sure(a[0], a[1]) || !fs.handedExpr(a[0], a[1], emit) {
			words(a, false)
		}
	}
	for i, e := range ss.callExprs {
		if !sure(e[0], e[1]) || !fs.handedExpr(e[0], e[1], emit) {
			words(ss.handedCalls[i], true)
		}
	}
	for _, open := range ss.sendBodies {
		if sure(open, fs.pair[open]) && fs.returnedBy(open, emit) {
			continue
		}
		for _, r := range ss.returnedVals { // those of this body
			if r[0] >= open && r[1] <= fs.pair[open] {
				words(r, true)
			}
		}
	}
	return hr
}

// handRead is what regionCalls reads of the slot regions: the calls
// they may hand over; the names those calls and paths spell (the fns of
// the file and the `let` bindings of async blocks the model hands over
// by name); the `{` of the async blocks handed over as blocks; and the
// ranges read by their words, where any of those may be.
type handRead struct {
	calls  []lexCall
	names  map[string]bool
	blocks map[int32]bool
	words  [][2]int32
}

// argsOf returns the arguments, [first, last] token, of the call whose
// `(` is token open: its tokens split at the commas outside brackets.
func (fs *fileSyntax) argsOf(open int32) [][2]int32 {
	var out [][2]int32
	from := open + 1
	for k := open + 1; k <= fs.pair[open]; k++ {
		if p := fs.pair[k]; p > k {
			k = p
			continue
		}
		if fs.is(k, ',') || k == fs.pair[open] {
			if k > from {
				out = append(out, [2]int32{from, k - 1})
			}
			from = k + 1
		}
	}
	return out
}

// handedExpr reads the expression of tokens [a, b] as the model hands a
// future or a maker of futures over (handoffs.hand): a call hands its
// callee (a `Box::pin(x)` or `Box::new(x)` what x hands), a name or a
// path itself; a call whose callee is no name, nothing. It calls emit with
// the name token of each, and returns false when the expression is of
// another shape (a block, a closure, an operator, a macro), which it does
// not follow: the caller then takes every name in it.
func (fs *fileSyntax) handedExpr(a, b int32, emit func(int32)) bool {
	for a < b && fs.is(a, '(') && fs.pair[a] == b {
		if len(fs.argsOf(a)) > 1 || fs.is(b-1, ',') {
			return true // a tuple: the model hands none of its elements
		}
		a, b = a+1, b-1
	}
	if a > b || int(b) >= len(fs.toks) {
		return a > b
	}
	switch {
	case fs.is(a, '&'), fs.is(a, '*'), fs.is(a, '!'), fs.is(a, '-'):
		return true // a reference, a dereference, a negation: no call or path
	case fs.word(a, "async"):
		if open := a + 1 + b2i(fs.word(a+1, "move")); fs.is(open, '{') && fs.pair[open] == b {
			emit(open) // an async block, handed as a block
			return true
		}
	}
	if body := fs.closureBody(a, b); body > 0 {
		// A closure hands what its body returns (returnedValues).
		if fs.is(body, '{') && fs.pair[body] == b {
			return fs.returnedBy(body, emit)
		}
		return fs.tailsOf(body, b, emit)
	}
	angles := 0 // in a qualified path's `<T as Trait>` or a turbofish
	for k := a; k <= b; k++ {
		if p := fs.pair[k]; p > k {
			if !fs.is(k, '(') && !fs.is(k, '[') {
				return false
			}
			k = p
			continue
		} else if p >= 0 {
			return false
		}
		switch t := fs.toks[k]; {
		case fs.is(k, '<'):
			angles++
		case fs.is(k, '>'):
			angles--
		case fs.word(k, "as"):
			if angles == 0 {
				return true // a cast (or an operator around one): no call or path
			}
		case t.kind == tokIdent:
			if keywords[fs.text(k)] && !fs.word(k, "self") && !fs.word(k, "Self") && !fs.word(k, "crate") && !fs.word(k, "super") && !fs.word(k, "await") {
				return false
			}
		case t.kind != tokPunct:
			// a literal: a receiver (`"a".to_owned()`), a tuple field (`self.0`)
		default:
			switch fs.src[t.s] {
			case '.', ':', '<', '>':
			default:
				return false
			}
		}
	}
	switch {
	case fs.is(b, ')'):
		open := fs.pair[b]
		n := fs.calleeName(open - 1)
		if n < a {
			return true // the callee is no name: the model hands no fn
		}
		if sh := fs.shapeAt(n); sh.kind == callPath && isBoxNew(sh.segs) {
			if args := fs.argsOf(open); len(args) == 1 {
				return fs.handedExpr(args[0][0], args[0][1], emit)
			}
			return false
		}
		emit(n)
		return true
	case fs.toks[b].kind == tokIdent:
		emit(b)
		return true
	}
	return false
}

// returnedBy calls emit with what the body whose `{` is open hands over
// as the model reads its values (returnedValues): the tails of its last
// expression and of each `return`'s operand. It is false where the
// reading cannot tell.
func (fs *fileSyntax) returnedBy(open int32, emit func(int32)) bool {
	close := fs.pair[open]
	if !fs.tailsOf(open, close, emit) {
		return false
	}
	for _, r := range fs.returned(open) {
		if !fs.word(r[0], "return") {
			continue
		}
		end := r[0] + 1 // the operand ends at a `,` too (`=> return x,`)
		for ; end < r[1] && !fs.is(end, ','); end++ {
			if p := fs.pair[end]; p > end {
				end = p
			}
		}
		if !fs.tailsOf(r[0]+1, end-1, emit) {
			return false
		}
	}
	return true
}

// tailsOf calls emit with what the expression of tokens [a, b] hands
// over through its tails (the model's tails): a block's last expression
// (past the statements written as blocks before it), each branch of an
// `if`, each arm of a `match`, else the expression itself (handedExpr).
// It is false where the reading cannot tell.
func (fs *fileSyntax) tailsOf(a, b int32, emit func(int32)) bool {
	for a < b && fs.is(a, '(') && fs.pair[a] == b && len(fs.argsOf(a)) == 1 && !fs.is(b-1, ',') {
		a, b = a+1, b-1
	}
	switch {
	case a > b:
		return true
	case fs.is(a, '{') && fs.pair[a] == b:
		s := b // the tail: past the last `;` and the block statements
		for k := b - 1; k > a; k-- {
			if p := fs.pair[k]; p >= 0 && p < k {
				k = p
				continue
			}
			if fs.is(k, ';') {
				break
			}
			s = k
		}
		if s >= b {
			return true // no tail: the block ends with a statement
		}
		for s < b-1 {
			if fs.is(s, '#') && fs.is(s+1, '[') && fs.pair[s+1] > s+1 {
				s = fs.pair[s+1] + 1 // an attribute on the statement after it
				continue
			}
			end := fs.blockStmtEnd(s, b-1)
			if end < 0 || end >= b-1 || fs.is(end+1, '.') || fs.is(end+1, '?') {
				break
			}
			s = end + 1
		}
		if fs.word(s, "let") || fs.word(s, "fn") || fs.word(s, "use") || fs.word(s, "struct") || fs.word(s, "impl") {
			return false
		}
		return fs.tailsOf(s, b-1, emit)
	case fs.word(a, "if"):
		for k := a; ; {
			open := fs.firstBrace(k+1, b)
			if open < 0 || !fs.tailsOf(open, fs.pair[open], emit) {
				return false
			}
			end := fs.pair[open]
			switch {
			case end == b:
				return true
			case !fs.word(end+1, "else"):
				return false
			case fs.word(end+2, "if"):
				k = end + 2
			case fs.is(end+2, '{') && fs.pair[end+2] == b:
				return fs.tailsOf(end+2, b, emit)
			default:
				return false
			}
		}
	case (fs.word(a, "loop") || fs.word(a, "while") || fs.word(a, "for") || fs.word(a, "unsafe")) && fs.blockStmtEnd(a, b) == b:
		return true // a loop's or an unsafe block's value: the model hands none
	case fs.word(a, "match"):
		open := fs.firstBrace(a+1, b)
		if open < 0 || fs.pair[open] != b {
			return false
		}
		for k := open + 1; k < b; k++ {
			if p := fs.pair[k]; p > k {
				k = p
				continue
			}
			if !fs.is(k, '=') || !fs.is(k+1, '>') || !fs.joined(k, k+1) {
				continue
			}
			from, to := k+2, k+2 // the arm's value
			if fs.is(from, '{') && fs.pair[from] > from {
				to = fs.pair[from]
			} else {
				for to = from; to < b && !fs.is(to, ','); to++ {
					if p := fs.pair[to]; p > to {
						to = p
					}
				}
				to--
			}
			if !fs.tailsOf(from, to, emit) {
				return false
			}
			k = to
		}
		return true
	}
	return fs.handedExpr(a, b, emit)
}

// firstBrace returns the first `{` in [k, b] outside other brackets: the
// body of an `if`, a `match`, a loop (a condition holds no struct
// literal), or -1.
func (fs *fileSyntax) firstBrace(k, b int32) int32 {
	for ; k <= b; k++ {
		if fs.is(k, '{') && fs.pair[k] > k {
			return k
		}
		if p := fs.pair[k]; p > k {
			k = p
		}
	}
	return -1
}

// blockStmtEnd returns the closing brace of the expression written as a
// block that starts at token a (`if .. {} else {}`, `match .. {}`, a
// loop, `unsafe {}`, `{}`), within [a, b]; -1 when a starts none.
func (fs *fileSyntax) blockStmtEnd(a, b int32) int32 {
	body := func(k int32) int32 { // the close of the first `{..}` from k
		if open := fs.firstBrace(k, b); open >= 0 {
			return fs.pair[open]
		}
		return -1
	}
	switch {
	case fs.is(a, '{') && fs.pair[a] > a:
		return fs.pair[a]
	case fs.word(a, "if"):
		end := body(a + 1)
		for end > 0 && fs.word(end+1, "else") {
			if fs.word(end+2, "if") {
				end = body(end + 3)
			} else {
				end = body(end + 2)
			}
		}
		return end
	case fs.word(a, "match"), fs.word(a, "for"), fs.word(a, "while"), fs.word(a, "loop"), fs.word(a, "unsafe"):
		return body(a + 1)
	}
	return -1
}

// closureBody returns the first token of the body of the closure that
// tokens [a, b] spell (`|x| body`, `move || body`), or -1: not a
// closure, or one with a declared result.
func (fs *fileSyntax) closureBody(a, b int32) int32 {
	if fs.word(a, "move") {
		a++
	}
	if !fs.is(a, '|') {
		return -1
	}
	end := a + 1 // the `|` that closes the parameters
	if !fs.joined(a, end) || !fs.is(end, '|') {
		for end = a + 1; end <= b && !fs.is(end, '|'); end++ {
			if p := fs.pair[end]; p > end {
				end = p
			}
		}
	}
	if end >= b || fs.is(end+1, '-') {
		return -1
	}
	return end + 1
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// isBoxNew reports whether a path is one of boxArg's: `Box::pin`,
// `Box::new`, through `std::boxed` or not.
func isBoxNew(segs []string) bool {
	switch strings.Join(segs, "::") {
	case "Box::pin", "Box::new", "std::boxed::Box::pin", "std::boxed::Box::new":
		return true
	}
	return false
}

// postfixStart returns the first token of the postfix expression that
// ends at token end (a method call's receiver): back over names, `.`,
// `::`, a turbofish and the groups of calls and indexes.
func (fs *fileSyntax) postfixStart(end int32) int32 {
	q := end
	for q >= 0 {
		switch {
		case fs.is(q, ')') || fs.is(q, ']'):
			if fs.pair[q] < 0 || fs.pair[q] > q {
				return q + 1
			}
			q = fs.pair[q] - 1
		case fs.is(q, '}') && q == end && fs.pair[q] >= 0 && fs.pair[q] < q:
			// an async block's receiver (`async {..}.boxed()`)
			switch open := fs.pair[q]; {
			case fs.word(open-1, "async"):
				return open - 1
			case fs.word(open-1, "move") && fs.word(open-2, "async"):
				return open - 2
			}
			return q + 1
		case fs.is(q, '>') && fs.angleOpen(q) > 0 && fs.colons(fs.angleOpen(q)-1):
			q = fs.angleOpen(q) - 3 // a turbofish: the name before it
		case fs.toks[q].kind == tokIdent:
			switch {
			case fs.colons(q - 1):
				q -= 3
			case fs.is(q-1, '.'):
				q -= 2
			default:
				return q
			}
		default:
			return q + 1
		}
	}
	return 0
}

// returned returns the token ranges of what the body whose `{` is token
// open may return, as the model reads them (returnedValues): its tail,
// from past the last `;` of the block to its `}` (an `if` or `match`
// there whole, with every arm), and each `return`'s operand, to the `;`
// or bracket that ends it. Tails of nested blocks lie within.
func (fs *fileSyntax) returned(open int32) [][2]int32 {
	close := fs.pair[open]
	tail := open
	var out [][2]int32
	for k := open + 1; k < close; k++ {
		if p := fs.pair[k]; p > k {
			k = p // a group: its own statements and returns are read below
			continue
		}
		if fs.is(k, ';') {
			tail = k
		}
	}
	out = append(out, [2]int32{tail, close})
	for k := open + 1; k < close; k++ {
		if !fs.word(k, "return") {
			continue
		}
		end := k + 1
		for ; end < close; end++ {
			if p := fs.pair[end]; p > end {
				end = p
				continue
			} else if p >= 0 || fs.is(end, ';') {
				break
			}
		}
		out = append(out, [2]int32{k, end})
	}
	return out
}

// resultType returns the token after the `->` of a fn signature whose
// parameters (generics first) start at token k and whose header ends at
// end, or -1 when it declares no result.
func (fs *fileSyntax) resultType(k, end int32) int32 {
	if fs.is(k, '<') {
		k = fs.angleClose(k) + 1
	}
	if !fs.is(k, '(') || fs.pair[k] < k {
		return -1
	}
	k = fs.pair[k] + 1
	if fs.is(k, '-') && fs.is(k+1, '>') && k+2 <= end {
		return k + 2
	}
	return -1
}

// slotCallees returns the fns of fns the identifier at k, followed by
// its arguments, may call as callSlots resolves a call: `x.f(..)` a
// method; `Self::f(..)` a fn of an impl or trait; `self::f`,
// `crate::..::f`, `super::f`, `module::f` for a module of the file, and a
// bare `f(..)` a free fn; `Type::f(..)` a fn of Type's impls or of the
// trait Type; a longer path from `self`, `crate` or `super` a free fn
// (or one of its last type's). Other paths name no fn of the file.
func (fs *fileSyntax) slotCallees(k int32, fns []slotFn) []slotFn {
	match := func(ok func(f slotFn) bool) []slotFn {
		var out []slotFn
		for _, f := range fns {
			if ok(f) {
				out = append(out, f)
			}
		}
		return out
	}
	switch {
	case fs.is(k-1, '.'):
		return match(func(f slotFn) bool { return f.method })
	case !fs.colons(k - 1):
		return match(func(f slotFn) bool { return f.owner == "" })
	}
	seg := fs.ident(k - 3)
	if segs := fs.pathBefore(k); len(segs) > 2 {
		switch segs[0] {
		case "self", "crate", "super":
			// callSlots reads the first segment: the file's free fns.
			return match(func(f slotFn) bool { return f.owner == "" || isTypeName(seg) && f.owner == seg })
		}
	}
	switch {
	case seg == "":
		return fns // `<T as Trait>::f`, a generic type: any
	case seg == "Self":
		return match(func(f slotFn) bool { return f.owner != "" })
	case seg == "self" || seg == "crate" || seg == "super" || fs.isMod(seg):
		return match(func(f slotFn) bool { return f.owner == "" })
	case isTypeName(seg):
		return match(func(f slotFn) bool { return f.owner == seg })
	}
	return nil
}

// isMod reports whether name is the name of an inline module of the file.
func (fs *fileSyntax) isMod(name string) bool {
	for _, m := range fs.mods {
		if m == name || strings.HasSuffix(m, "::"+name) {
			return true
		}
	}
	return false
}

// asyncTraitAttr reports whether the attributes before the impl or trait
// keyword at k hold an `#[async_trait]` that sendModel.asyncTraitAttr
// takes: its path `async_trait`, `async_trait::async_trait` or
// `::async_trait::async_trait`, its arguments without `Send`.
func (fs *fileSyntax) asyncTraitAttr(k int32) bool {
	q := k - 1
	for q >= 0 {
		switch {
		case fs.word(q, "pub") || fs.word(q, "unsafe") || fs.word(q, "default") || fs.word(q, "auto"):
			q--
		case fs.is(q, ')') && fs.pair[q] >= 0 && fs.word(fs.pair[q]-1, "pub"):
			q = fs.pair[q] - 1 // pub(crate)
		case fs.is(q, ']') && fs.pair[q] > 0 && fs.is(fs.pair[q]-1, '#'):
			open := fs.pair[q]
			if fs.asyncTraitPath(open+1, q) {
				return true
			}
			q = open - 2
		default:
			return false
		}
	}
	return false
}

// asyncTraitPath reports whether the attribute tokens [k, end) are an
// async_trait path, with arguments that do not spell `Send`.
func (fs *fileSyntax) asyncTraitPath(k, end int32) bool {
	var path strings.Builder
	for ; k < end && !fs.is(k, '('); k++ {
		path.WriteString(fs.text(k))
	}
	switch path.String() {
	case "async_trait", "async_trait::async_trait", "::async_trait::async_trait":
	default:
		return false
	}
	if k < end && fs.pair[k] > k {
		for q := k; q < fs.pair[k]; q++ {
			if fs.word(q, "Send") {
				return false
			}
		}
	}
	return true
}
