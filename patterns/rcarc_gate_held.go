package patterns

// What rcHeldMay reads of a body: the bindings the rule may hold
// (heldValues) and, of each, the tokens its type comes from as the model
// types it (spellingType, exprType). The rule holds a value of a body
// only through a binding it tracks: a parameter of the fn (of an async
// fn, every one; of the fn around a spawned block, those the block
// captures), or a `let` of a plain name (a pattern's, a condition's and
// a closure parameter's are not tracked). A binding's type is the one it
// declares, or its value's, and exprType gives a value a type only
// through a few shapes; whatever else a value is, its type is opaque, and
// the words it spells lead nowhere.

// heldPart is a binding of a fn that a body may hold: its name ("" for
// the fn's parameters, read together) and the token spans its type comes
// from, which spell types only when typed.
type heldPart struct {
	name  string
	spans [][2]int32
	typed bool
}

// partLeaf reports whether the part's type may lead to a leaf.
func (g *rcGate) partLeaf(p heldPart) bool {
	for _, s := range p.spans {
		if p.typed && g.typeLeaf(s[0], s[1]) || !p.typed && g.spellsLeaf(s[0], s[1]) {
			return true
		}
	}
	return false
}

// paramsPart returns the part of the parameters of the fn whose `fn` is
// token fn and whose body's `}` is token to (up to its declared result).
func (g *rcGate) paramsPart(fn, to int32) heldPart {
	end := g.fs.pair[to] - 1
	if rfrom, _, ok := g.result([2]int32{fn, to}); ok {
		end = rfrom - 3
	}
	return heldPart{spans: [][2]int32{{fn + 2, end}}, typed: true}
}

// lets calls f with the part of each `let NAME` statement in tokens
// (from, to): from `let` to the `;` that ends it, or the bracket around
// it that closes first.
func (g *rcGate) lets(from, to int32, f func(p heldPart)) {
	fs := g.fs
	for k := from + 1; k < to; k++ {
		if !fs.word(k, "let") || fs.word(k-1, "if") || fs.word(k-1, "while") || fs.is(k-1, '&') || fs.is(k-1, '|') {
			continue // a condition's let: not tracked
		}
		n := k + 1
		for fs.word(n, "mut") || fs.word(n, "ref") {
			n++
		}
		name := fs.ident(n)
		if name == "" || name == "_" || !(fs.is(n+1, ':') || fs.is(n+1, '=') || fs.is(n+1, ';')) {
			continue // a pattern's bindings, or none: not tracked
		}
		end := n
		for end < to && !(fs.is(end, ';') && fs.toks[end].up == fs.toks[k].up) && fs.pair[fs.toks[k].up] != end {
			if q := fs.pair[end]; q > end {
				end = q
			}
			end++
		}
		p := heldPart{name: name}
		eq := fs.letEq(n + 1)
		if eq >= end {
			eq = -1
		}
		switch {
		case fs.is(n+1, ':'):
			// Declared: the value's type is no matter.
			last := end - 1
			if eq >= 0 {
				last = eq - 1
			}
			p.spans, p.typed = [][2]int32{{n + 2, last}}, true
		case eq >= 0:
			g.valueSpans(eq+1, end-1, func(a, b int32) { p.spans = append(p.spans, [2]int32{a, b}) })
		}
		f(p)
	}
}

// valueSpans calls emit with the token spans of the expression [a, b]
// whose words may give its type as exprType reads it:
//   - `e?`, `&e`, `(e)`, `e.clone()`, `e.borrow()`: e's;
//   - `e.f`, a field: e's (the struct's definition spells the field's
//     type);
//   - `e.m(..)`: e's and m's result, when a fn named m lies in an impl of
//     the file (the result of none is opaque);
//   - `P::f(..)`: a std wrapper's constructor all its tokens; else `P::f`
//     itself when a fn named f lies in an impl of the file, or P when the
//     file declares it (a variant); else opaque;
//   - `f(..)`: f, when the file declares a fn or a tuple struct of that
//     name; else opaque;
//   - `P { .. }`: P;
//   - `e.await`, a block, `if`, `match`, a loop, a macro, an index, `!e`:
//     opaque
//     (exprType reads none of them);
//   - a name or path: itself;
//   - anything else (an operator, a cast, a literal): all its tokens.
func (g *rcGate) valueSpans(a, b int32, emit func(a, b int32)) {
	fs := g.fs
	for a < b && fs.is(a, '(') && fs.pair[a] == b {
		if len(fs.listItems(a, false)) > 1 || fs.is(b-1, ',') {
			return // a tuple: opaque
		}
		a, b = a+1, b-1
	}
	if a > b {
		return
	}
	if p := fs.pair[b]; p > a && p < b && fs.is(p-1, '!') && (fs.is(b, ')') || fs.is(b, ']') || fs.is(b, '}')) {
		return // a macro (or a `!` of a group): opaque
	}
	switch {
	case fs.is(a, '&'):
		a++
		if fs.is(a, '&') {
			a++
		}
		if fs.word(a, "mut") {
			a++
		}
		g.valueSpans(a, b, emit)
		return
	case fs.is(b, '?'):
		g.valueSpans(a, b-1, emit)
		return
	case fs.is(b, '}'):
		open := fs.pair[b]
		switch {
		case open < a || open == a:
			return // a block: opaque
		case fs.toks[a].kind == tokIdent && g.blockKeyword(fs.text(a)):
			return // if, match, loop, unsafe, async ..: opaque
		case fs.toks[open-1].kind == tokIdent && fs.postfixStart(open-1) == a:
			emit(a, open-1) // a struct literal: its type's path
			return
		}
		emit(a, b)
		return
	case fs.is(b, ']') && fs.pair[b] > a:
		if fs.postfixStart(b) == a {
			return // an index: opaque
		}
		emit(a, b)
		return
	}
	if fs.postfixStart(b) != a {
		emit(a, b) // an operator, a cast, a literal: read whole
		return
	}
	switch {
	case fs.word(b, "await") && fs.is(b-1, '.'):
		return // opaque
	case fs.toks[b].kind == tokIdent:
		if fs.is(b-1, '.') {
			g.valueSpans(a, b-2, emit) // a field: the receiver's struct
			return
		}
		emit(a, b) // a name or a path
		return
	case !fs.is(b, ')') || fs.pair[b] < a:
		emit(a, b)
		return
	}
	open := fs.pair[b]
	name := fs.calleeName(open - 1)
	if name < a {
		emit(a, b) // a closure's call
		return
	}
	w := fs.ident(name)
	switch {
	case fs.is(name-1, '.'):
		through := w == "clone" && open+1 == b || w == "borrow" || w == "borrow_mut"
		if through || g.implFn(w) {
			g.valueSpans(a, name-2, emit)
		}
		if g.implFn(w) {
			emit(name, name)
		}
	case fs.colons(name - 1):
		seg := name - 3
		if fs.is(seg, '>') { // `Rc::<T>::new`
			if o := fs.angleOpen(seg); o > a && fs.colons(o-1) {
				seg = o - 3
			}
		}
		word := fs.ident(seg)
		switch {
		case stdRules[word] != ruleNone || word == "Weak":
			emit(a, b)
		case g.implFn(w):
			emit(a, name)
		case len(g.defs[word]) > 0 || word == "Self":
			emit(seg, seg)
		}
	default:
		if len(g.defs[w]) > 0 || len(g.fns[w]) > 0 {
			emit(name, name)
		}
	}
}

// blockKeyword reports whether w starts an expression exprType reads as
// opaque whose last token is a `}`.
func (g *rcGate) blockKeyword(w string) bool {
	switch w {
	case "if", "match", "loop", "while", "for", "unsafe", "async", "const", "move", "static":
		return true
	}
	return false
}

// implFn reports whether a fn named w lies in an impl of the file (a
// method's result, as resultOf reads one).
func (g *rcGate) implFn(w string) bool {
	for _, s := range g.fns[w] {
		if in, _ := g.implOf(s[0]); in {
			return true
		}
	}
	return false
}

// fnHeldMay reports whether the async fn whose `fn` is token fn and whose
// body's `}` is token to may hold a value whose type leads to a leaf: a
// parameter, or a `let` of its body.
func (g *rcGate) fnHeldMay(fn, to int32) bool {
	fs := g.fs
	open := fs.pair[to]
	if !fs.is(to, '}') || open < 0 {
		return g.spellsLeaf(fn+2, to)
	}
	if g.partLeaf(g.paramsPart(fn, to)) {
		return true
	}
	found := false
	g.lets(open, to, func(p heldPart) { found = found || g.partLeaf(p) })
	return found
}

// blockHeldMay reports whether the async block at open, in the fn whose
// `fn` is token fn and whose body's `}` is token to, may hold a value
// whose type leads to a leaf: a `let` of the block, or a binding of the
// fn it uses (its parameters, its lets before the block), each read when
// the block uses its name (a word of a string literal counts, as a
// format string may capture it), or a part read uses it in turn (uses:
// a word after a field's `.` or after `::` is no binding's name).
func (g *rcGate) blockHeldMay(fn, to, open int32) bool {
	fs := g.fs
	body := fs.pair[to]
	if !fs.is(to, '}') || body < 0 || body > open {
		return true
	}
	close := fs.pair[open]
	found := false
	g.lets(open, close, func(p heldPart) { found = found || g.partLeaf(p) })
	if found {
		return true
	}
	used := map[string]bool{}
	g.uses(open, close+1, used)
	parts := []heldPart{g.paramsPart(fn, to)}
	g.lets(body, open, func(p heldPart) { parts = append(parts, p) })
	counted := make([]bool, len(parts))
	for grew := true; grew; {
		grew = false
		for i, p := range parts {
			if counted[i] || p.name != "" && !used[p.name] || p.name == "" && !g.mentions([2]int32{p.spans[0][0], p.spans[0][1] + 1}, used) {
				continue
			}
			counted[i], grew = true, true
			for _, s := range p.spans {
				g.uses(s[0], s[1]+1, used)
			}
		}
	}
	for i, p := range parts {
		if counted[i] && g.partLeaf(p) {
			return true
		}
	}
	return false
}
