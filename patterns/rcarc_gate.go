package patterns

import (
	"math"
	"slices"
	"strings"
)

// rc-arc's gate on the tokens, past rcTrigger: the rule reports a value a
// Send-required future holds (heldValues: a parameter of a Send-required
// async fn, `self` included, a capture of a spawned block, a local alive
// at an await) whose type the model finds not Send. The model's types
// come from what the fn around the body spells, and from nothing else:
// a binding's declared type, or the type of its value (exprType): a std
// wrapper's constructor, a struct literal or tuple struct, a variant, a
// field of a struct of the file, the declared result of a fn or method of
// the file, `self` (the impl's type), another binding of the fn. A type
// lacks Send only through a leaf: a std type with a rule of its own that
// is not Send or not Sync (Rc, rc::Weak, the cells, the std guards), a
// trait object, a raw pointer, or a definition (of the file, or of its
// crate through the Index) that holds one. So a held value needs the fn
// around a Send-required body (its parameters and body, closures
// included) to spell one of those leaves, or a name that may lead to one:
// a type or alias whose definition spells one, a fn or method whose
// declared result does, or `self`/`Self` in an impl whose header does. (A
// field's type leads to a leaf only when its struct's definition spells
// it, and the struct comes to the value through one of these names.)
// rcHeldMay checks that; it reads words, not types, and takes no `unsafe
// impl Send`, bound or generic argument into account, so it only ever
// lets more files through than the rule reports on.

// notSendLeaves are the std types that lack Send or Sync whatever their
// arguments, and `dyn`: the words a leaf of a lack spells.
var notSendLeaves = func() map[string]bool {
	out := map[string]bool{"Weak": true, "dyn": true}
	for name, r := range stdRules {
		if r == ruleNever || r == ruleCell || r == ruleGuard {
			out[name] = true
		}
	}
	return out
}()

// rcGate is one file's reading for rcHeldMay: which names may lead to a
// type that is not Send, decided on first need.
type rcGate struct {
	fs    *fileSyntax
	ix    *Index
	path  string
	defs  map[string][][2]int32 // the token spans of the file's definitions and `use .. as` aliases, by name
	fns   map[string][][2]int32 // the token spans of the file's fn signatures, by name
	body  map[int32]int32       // a fn's body `{` -> its `fn` token
	names map[string]bool       // the names decided (true: may lead to a leaf)
	busy  map[string]int        // the names being decided, by depth (a cycle adds nothing)
	low   int                   // the least depth of a busy name the deciding reached (decide)
	impls map[int32]bool        // implLeads by the impl body's `{`
}

// rcHeldMay reports whether some body that may have to be Send may hold
// a value whose type the model finds not Send (see above), read from
// what decides those values' types: for an async fn, its parameters and
// its body (not its declared result, which no held value takes: a call
// of the fn is spelled by its name, which fnLeads follows); for an async
// block, its own tokens and the statements before it in its fn that
// mention what it uses (blockPrefix). With no Index (any Index), or
// brackets that do not balance, it is true.
func (r *sendReading) rcHeldMay(ix *Index, path string) bool {
	if ix == nil || r.whole {
		return true
	}
	g := newRCGate(r.fs, ix, path)
	done := map[int32]bool{}
	for i, b := range r.fs.bodies {
		if !r.may[i] {
			continue
		}
		from, to, ok := g.fnAround(b.open)
		if !ok {
			// Not in a fn (a static's initializer): what it may hold
			// comes from the item around it, read whole.
			if from, to, ok = g.itemAround(b.open); !ok || g.spellsLeaf(from, to) {
				return true
			}
			continue
		}
		if b.fn >= 0 {
			if done[from] {
				continue
			}
			done[from] = true
			// From the fn's parameters on: its own name is no value.
			if g.fnSpellsLeaf(from, to) {
				return true
			}
			continue
		}
		if g.spellsLeaf(b.open, b.close) || g.blockPrefix(from, to, b.open) {
			return true
		}
	}
	return false
}

// fnSpellsLeaf reports whether the fn whose tokens are [from, to] (from
// its `fn` to its body's `}`) spells a word that may lead to a leaf in
// its parameters or its body: its declared result and where clause (the
// model takes no bound into account) are left out.
func (g *rcGate) fnSpellsLeaf(from, to int32) bool {
	open := g.fs.pair[to]
	if !g.fs.is(to, '}') || open < 0 {
		return g.spellsLeaf(from+2, to)
	}
	if rfrom, _, ok := g.result([2]int32{from, to}); ok {
		return g.spellsLeaf(from+2, rfrom-3) || g.spellsLeaf(open, to)
	}
	return g.spellsLeaf(from+2, to)
}

// blockPrefix reports whether what an async block at open uses may take
// a type that leads to a leaf from the tokens of its fn before it (fn is
// the fn's `fn` token, to its body's `}`). The rule holds a value of the
// block's fn only through a binding it tracks: a parameter of the fn, or
// a `let` of a plain name (a pattern's and a closure parameter's are
// not); its type is the one the binding spells or its value's
// (exprType), which names the bindings it is computed from in turn. So
// the parts read are the fn's parameters (up to its declared result) and
// the `let NAME` statements before the block, each when it binds a word
// the block uses (a word of a string literal in the block counts, as a
// format string may capture it) or one a part read uses; they are read
// as spellsLeaf reads tokens. A word after `.` or `::`, or before `::`,
// is no binding's name and is not taken for one.
func (g *rcGate) blockPrefix(fn, to, open int32) bool {
	fs := g.fs
	used := map[string]bool{}
	g.uses(open, fs.pair[open]+1, used)
	body := fs.pair[to]
	if !fs.is(to, '}') || body < 0 || body > open {
		return true
	}
	params := body
	if rfrom, _, ok := g.result([2]int32{fn, to}); ok {
		params = rfrom - 2
	}
	type part struct {
		from, to int32
		name     string // the let's name; "" for the parameters
	}
	parts := []part{{fn + 2, params, ""}}
	for k := body + 1; k < open; k++ {
		if !fs.word(k, "let") {
			continue
		}
		n := k + 1
		if fs.word(n, "mut") || fs.word(n, "ref") {
			n++
		}
		name := fs.ident(n)
		if name == "" || name == "_" || !(fs.is(n+1, ':') || fs.is(n+1, '=') || fs.is(n+1, ';')) {
			continue // a pattern's bindings, or none: not tracked
		}
		end := n
		for end < open && !(fs.is(end, ';') && fs.toks[end].up == fs.toks[k].up) && fs.pair[fs.toks[k].up] != end {
			end++
		}
		parts = append(parts, part{k, end, name})
	}
	counted := make([]bool, len(parts))
	for grew := true; grew; {
		grew = false
		for i, p := range parts {
			if counted[i] || p.name != "" && !used[p.name] || p.name == "" && !g.mentions([2]int32{p.from, p.to}, used) {
				continue
			}
			counted[i], grew = true, true
			g.uses(p.from, p.to, used)
		}
	}
	for i, p := range parts {
		if counted[i] && g.spellsLeaf(p.from, p.to-1) {
			return true
		}
	}
	return false
}

// uses adds to used the words of tokens [from, to) that may name a
// binding (not after `.` or `::`, not before `::`), and the words of
// their string literals.
func (g *rcGate) uses(from, to int32, used map[string]bool) {
	fs := g.fs
	for k := from; k < to; k++ {
		switch t := fs.toks[k]; t.kind {
		case tokIdent:
			if !fs.is(k-1, '.') && !fs.colons(k-1) && !(fs.is(k+1, ':') && fs.is(k+2, ':')) {
				used[fs.ident(k)] = true
			}
		case tokLit:
			eachWord(fs.src[t.s:t.e], func(i, j int) bool {
				used[string(fs.src[int(t.s)+i:int(t.s)+j])] = true
				return true
			})
		}
	}
}

// mentions reports whether the tokens [sg[0], sg[1]) hold an identifier of
// used.
func (g *rcGate) mentions(sg [2]int32, used map[string]bool) bool {
	for k := sg[0]; k < sg[1]; k++ {
		if g.fs.toks[k].kind == tokIdent && used[g.fs.ident(k)] {
			return true
		}
	}
	return false
}

// newRCGate indexes the definitions, aliases and fns of fs by name.
func newRCGate(fs *fileSyntax, ix *Index, path string) *rcGate {
	g := &rcGate{fs: fs, ix: ix, path: path, defs: map[string][][2]int32{}, fns: map[string][][2]int32{},
		body: map[int32]int32{}, names: map[string]bool{}, busy: map[string]int{}, impls: map[int32]bool{}}
	n := int32(len(fs.toks))
	for k := int32(0); k+1 < n; k++ {
		if fs.toks[k].kind != tokIdent {
			continue
		}
		switch w := fs.text(k); w {
		case "struct", "enum", "union", "type", "trait":
			if fs.is(k-1, '.') || fs.colons(k-1) {
				continue
			}
			if name := fs.ident(k + 1); name != "" {
				end, _ := g.itemEnd(k)
				g.defs[name] = append(g.defs[name], [2]int32{k + 2, end})
			}
		case "fn":
			if name := fs.ident(k + 1); name != "" {
				end, open := g.itemEnd(k)
				g.fns[name] = append(g.fns[name], [2]int32{k, end})
				if open >= 0 {
					g.body[open] = k
				}
			}
		case "as":
			// `use a::Rc as Shared;`: Shared is what Rc is.
			if alias := fs.ident(k + 1); alias != "" && k > 0 && fs.toks[k-1].kind == tokIdent {
				g.defs[alias] = append(g.defs[alias], [2]int32{k - 1, k})
			}
		}
	}
	return g
}

// itemEnd returns where the item whose keyword is token k ends: its
// first `;` at its level, or the `}` of its first `{` at its level
// (open: that `{`, for a fn its body; -1 when a `;` comes first).
func (g *rcGate) itemEnd(k int32) (end, open int32) {
	fs := g.fs
	up := fs.toks[k].up
	for j := k + 1; j < int32(len(fs.toks)); j++ {
		if fs.toks[j].up != up {
			if fs.toks[j].up < k {
				return j, -1 // the bracket around the item closed
			}
			continue
		}
		switch {
		case fs.is(j, ';'):
			return j, -1
		case fs.is(j, '{') && fs.pair[j] > j:
			return fs.pair[j], j
		}
	}
	return int32(len(fs.toks)), -1
}

// fnAround returns the token span of the innermost fn whose body holds
// the bracket at open (an async fn's body is its own), signature
// included; ok is false when no fn does.
func (g *rcGate) fnAround(open int32) (from, to int32, ok bool) {
	for k := open; k >= 0; k = g.fs.toks[k].up {
		if fn, found := g.body[k]; found && g.fs.is(k, '{') {
			return fn, g.fs.pair[k], true
		}
	}
	return 0, 0, false
}

// itemAround returns the token span of the top-level item whose
// brackets hold the bracket at open: from the token after the `;`, `}`
// or `]` before its outermost bracket (an attribute's `]` ends nothing
// of it, but its tokens name no value) to that bracket's close; ok is
// false when the reading cannot tell (brackets that do not balance).
func (g *rcGate) itemAround(open int32) (from, to int32, ok bool) {
	fs := g.fs
	top := open
	for k := open; k >= 0; k = fs.toks[k].up {
		top = k
	}
	if fs.pair[top] < top {
		return 0, 0, false
	}
	from = top
	for from > 0 {
		prev := from - 1
		if p := fs.pair[prev]; p >= 0 && p < prev {
			if fs.is(prev, '}') {
				break
			}
			from = p
			continue
		}
		if fs.is(prev, ';') {
			break
		}
		from = prev
	}
	return from, fs.pair[top], true
}

// spellsLeaf reports whether tokens [from, to] spell a raw pointer type
// or a word that may lead to a type that is not Send.
func (g *rcGate) spellsLeaf(from, to int32) bool {
	fs := g.fs
	for k := from; k <= to && int(k) < len(fs.toks); k++ {
		switch {
		case fs.is(k, '*') && (fs.word(k+1, "const") || fs.word(k+1, "mut")):
			return true
		case fs.toks[k].kind != tokIdent:
		case fs.word(k, "self") || fs.word(k, "Self"):
			if g.implLeads(k) {
				return true
			}
		case fs.word(k, "dyn"):
			end, sendSync := fs.dynSendSync(k)
			if !sendSync {
				return true
			}
			k = end // the model walks no further into a trait object
		default:
			if g.leads(fs.ident(k)) || g.callLeads(k) {
				return true
			}
		}
	}
	return false
}

// dynSendSync reads the bounds of the trait object whose `dyn` is token
// k: it returns their last token, and whether Send and Sync are among
// them (as the last segment of a bound outside the principal trait's
// arguments), when the object implements both whatever the model asks of
// it (lackWalk.dynHas). A bound list holding `->` (`dyn Fn() -> T + Send`,
// where the parser may give the `+ Send` to the result) is never taken
// for one.
func (fs *fileSyntax) dynSendSync(k int32) (end int32, sendSync bool) {
	depth, send, sync := 0, false, false
	j := k + 1
	for ; int(j) < len(fs.toks); j++ {
		switch {
		case fs.is(j, '-') && fs.is(j+1, '>'):
			return j, false
		case fs.is(j, '<'):
			depth++
		case fs.is(j, '>'):
			if depth == 0 {
				return j - 1, send && sync
			}
			depth--
		case fs.is(j, '(') || fs.is(j, '['):
			if fs.pair[j] < j {
				return j, false
			}
			j = fs.pair[j]
		case fs.is(j, ',') || fs.is(j, ')') || fs.is(j, ']') || fs.is(j, ';') || fs.is(j, '=') || fs.is(j, '{') || fs.is(j, '}'):
			if depth == 0 {
				return j - 1, send && sync
			}
		case depth == 0 && fs.toks[j].kind == tokIdent && (fs.is(j-1, '+') || fs.colons(j-1) || j == k+1) && (fs.is(j+1, '+') || fs.is(j+1, '>') || fs.is(j+1, ',') || fs.is(j+1, ')') || fs.is(j+1, ';')):
			send = send || fs.word(j, "Send")
			sync = sync || fs.word(j, "Sync")
		}
	}
	return j - 1, false
}

// leads reports whether the type name w may lead to a leaf: it is one, or
// a definition of the file or alias spells one (or a name that leads to
// one), or a definition of the crate holds one.
func (g *rcGate) leads(w string) bool {
	if notSendLeaves[w] {
		return true
	}
	return g.decide(w, func() bool {
		for _, s := range g.defs[w] {
			if g.spellsLeaf(s[0], s[1]) {
				return true
			}
		}
		return g.crateLeads(w)
	})
}

// decide returns the answer for key: the one kept, or f's, key busy
// meanwhile (a cycle back to a busy key adds nothing). A false answer
// reached through a key still being decided around it is not kept: that
// key may yet lead to a leaf (A holds B and an Rc, B holds A: B is
// decided while A is busy).
func (g *rcGate) decide(key string, f func() bool) bool {
	if v, ok := g.names[key]; ok {
		return v
	}
	if d, ok := g.busy[key]; ok {
		g.low = min(g.low, d)
		return false
	}
	d := len(g.busy)
	g.busy[key] = d
	saved := g.low
	g.low = math.MaxInt
	v := f()
	delete(g.busy, key)
	if v || g.low >= d {
		g.names[key] = v
		g.low = saved
	} else {
		g.low = min(saved, g.low)
	}
	return v
}

// crateLeads reports whether a definition of w in another file of the
// crate (as the Index read it) names a leaf or a type that leads to one.
// Only leads calls it, with w busy, so a cycle through the crate's
// definitions ends there.
func (g *rcGate) crateLeads(w string) bool {
	for _, d := range g.ix.typeDefs(g.path, w) {
		generic := map[string]bool{}
		for _, p := range d.generics {
			generic[p] = true
		}
		types := []*ty{d.alias}
		for _, f := range d.fields {
			types = append(types, f.t)
		}
		for _, t := range types {
			if g.tyLeads(t, generic) {
				return true
			}
		}
	}
	return false
}

// tyLeads reports whether t (of a crate definition) holds a raw pointer,
// a trait object, or a name that leads to a leaf.
func (g *rcGate) tyLeads(t *ty, generic map[string]bool) bool {
	if t == nil {
		return false
	}
	switch t.kind {
	case tyPtr:
		return true
	case tyDyn:
		return !slices.Contains(t.bounds, "Send") || !slices.Contains(t.bounds, "Sync")
	case tyPath:
		if !generic[t.name] && (g.leads(t.name) || strings.HasSuffix(t.path, "rc::Weak")) {
			return true
		}
	}
	for _, a := range t.args {
		if g.tyLeads(a, generic) {
			return true
		}
	}
	return false
}

// callLeads reports whether the name at token k may call a fn of the
// file whose declared result spells a word that may lead to a leaf, as
// callType resolves a call to a fn of the file: `name(..)` (or with a
// turbofish) to the free fns called name (in no impl), `Type::name(..)`
// to those of the impls of Type, `x.name(..)` and `Self::name(..)` to
// those of any impl. A name no `(` or turbofish follows calls nothing,
// and a call awaited right away (`f(..).await`) gives exprType nothing.
func (g *rcGate) callLeads(k int32) bool {
	fs := g.fs
	w := fs.ident(k)
	spans := g.fns[w]
	if len(spans) == 0 || !fs.is(k+1, '(') && !(fs.is(k+1, ':') && fs.is(k+2, ':') && fs.is(k+3, '<')) {
		return false
	}
	if c := fs.pair[k+1]; fs.is(k+1, '(') && c > k && fs.is(c+1, '.') && fs.word(c+2, "await") {
		return false // an awaited call's value has no type the model reads
	}
	inImpl, owner := false, ""
	switch {
	case fs.colons(k - 1):
		inImpl = true
		if fs.toks[k-3].kind == tokIdent && !fs.word(k-3, "Self") {
			owner = fs.ident(k - 3)
		}
	case fs.is(k-1, '.'):
		inImpl = true
	}
	key := "fn " + w + "|" + owner
	if inImpl {
		key += "|impl"
	}
	return g.decide(key, func() bool {
		for _, s := range spans {
			in, o := g.implOf(s[0])
			if in != inImpl || owner != "" && o != "" && o != owner {
				continue
			}
			if from, to, ok := g.result(s); ok && g.spellsLeaf(from, to) {
				return true
			}
		}
		return false
	})
}

// implOf reports whether the fn whose `fn` is token k lies in an impl
// (at any depth, as fnImpl takes the nearest impl around a fn), and the
// impl's type's name ("" when the tokens cannot tell).
func (g *rcGate) implOf(k int32) (bool, string) {
	fs := g.fs
	for open := fs.toks[k].up; open >= 0; open = fs.toks[open].up {
		if !fs.is(open, '{') {
			continue
		}
		from := g.header(open)
		if !g.implKeyword(from, open) {
			continue
		}
		h := fs.src[fs.toks[from].s:fs.toks[open].s]
		if f := topFor(h); f >= 0 {
			h = h[f+len("for"):]
		}
		return true, lastTopIdent(h)
	}
	return false, ""
}

// result returns the token span of the declared result of the fn whose
// span (from `fn` to its body's `}` or its `;`) is s: from its `->` to
// the body's `{` (a where clause included); ok is false for none.
func (g *rcGate) result(s [2]int32) (from, to int32, ok bool) {
	fs := g.fs
	end := s[1]
	if fs.is(end, '}') && fs.pair[end] >= 0 {
		end = fs.pair[end]
	}
	up := fs.toks[s[0]].up
	for k := s[0] + 2; k < end; k++ {
		if fs.toks[k].up == up && fs.is(k, '-') && fs.is(k+1, '>') && fs.toks[k].e == fs.toks[k+1].s {
			return k + 2, end, true
		}
	}
	return 0, 0, false
}

// implLeads reports whether `self` or `Self` at token k may have a type
// that leads to a leaf: the header of an impl around it spells one. In no
// impl, the model takes them for opaque.
func (g *rcGate) implLeads(k int32) bool {
	fs := g.fs
	for open := fs.toks[k].up; open >= 0; open = fs.toks[open].up {
		if !fs.is(open, '{') {
			continue
		}
		from := g.header(open)
		if g.implKeyword(from, open) {
			v, ok := g.impls[open]
			if !ok {
				g.impls[open] = false // a cycle adds nothing
				v = g.spellsLeaf(from, open-1)
				g.impls[open] = v
			}
			return v
		}
	}
	return false
}

// header returns the first token of the header of the bracket at open:
// the tokens at its level before it, back to the end of the item before.
func (g *rcGate) header(open int32) int32 {
	fs := g.fs
	from := open
	for j := open - 1; j >= 0 && fs.toks[j].up == fs.toks[open].up; j-- {
		if fs.is(j, ';') || fs.is(j, '}') {
			break
		}
		if p := fs.pair[j]; p >= 0 && p < j {
			j = p
		}
		from = j
	}
	return from
}

// implKeyword reports whether tokens [from, open) hold the keyword `impl`
// at their level (after attributes or `default`).
func (g *rcGate) implKeyword(from, open int32) bool {
	fs := g.fs
	for j := from; j < open; j++ {
		if fs.toks[j].up != fs.toks[open].up {
			continue
		}
		if fs.word(j, "impl") {
			return true
		}
		if fs.word(j, "fn") || fs.word(j, "mod") || fs.word(j, "trait") {
			return false
		}
	}
	return false
}
