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
// crate through the Index) that holds one; the model walks the generic
// arguments of a std type or of a type it has a definition of, and of no
// other (walksArgs). So a held value needs the tokens its type comes from
// (rcarc_gate_held.go: a parameter's or a let's declared type, the parts
// of a let's value exprType reads) to spell one of those leaves, or a
// name that may lead to one: a type or alias whose definition spells one,
// a fn or method whose declared result does, or `self`/`Self` in an impl
// whose type does. (A field's type leads to a leaf only when its struct's
// definition spells it, and the struct comes to the value through one of
// these names.) rcHeldMay checks that; it reads words, not types, and
// takes no `unsafe impl Send` or bound into account, so it only ever lets
// more files through than the rule reports on.

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
	defs  map[string][]gateDef  // the file's definitions and `use .. as` aliases, by name
	fns   map[string][][2]int32 // the token spans of the file's fn signatures, by name
	body  map[int32]int32       // a fn's body `{` -> its `fn` token
	names map[string]bool       // the names decided (true: may lead to a leaf)
	busy  map[string]int        // the names being decided, by depth (a cycle adds nothing)
	low   int                   // the least depth of a busy name the deciding reached (decide)
	impls map[int32]bool        // implLeads by the impl body's `{`
	known map[string]bool       // walksArgs by name
}

// gateDef is a definition's token span; types when it holds types only
// (a struct's, enum's, union's or alias's), not a trait's bodies.
type gateDef struct {
	from, to int32
	types    bool
}

// rcHeldMay reports whether some body that may have to be Send may hold
// a value whose type the model finds not Send (see above), read from
// what decides those values' types: for an async fn, its parameters and
// the lets of its body (fnHeldMay); for an async block, its own lets and
// the bindings of its fn it uses (blockHeldMay). With no Index (any
// Index), or brackets that do not balance, it is true.
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
			if g.fnHeldMay(from, to) {
				return true
			}
			continue
		}
		if g.blockHeldMay(from, to, b.open) {
			return true
		}
	}
	return false
}

// uses adds to used the words of tokens [from, to) that may name a
// binding (not after a single `.` or after `::`), and the words of their
// string literals.
func (g *rcGate) uses(from, to int32, used map[string]bool) {
	fs := g.fs
	for k := from; k < to; k++ {
		switch t := fs.toks[k]; t.kind {
		case tokIdent:
			// After `..` (a range's end, a struct update) a word is a
			// value; before `::` it may be a binding the model resolves
			// as a path's head.
			if !fs.is(k-1, '.') && !fs.colons(k-1) || fs.is(k-2, '.') && fs.joined(k-2, k-1) {
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
	g := &rcGate{fs: fs, ix: ix, path: path, defs: map[string][]gateDef{}, fns: map[string][][2]int32{},
		body: map[int32]int32{}, names: map[string]bool{}, busy: map[string]int{}, impls: map[int32]bool{}, known: map[string]bool{}}
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
				g.defs[name] = append(g.defs[name], gateDef{k + 2, end, w != "trait"})
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
				g.defs[alias] = append(g.defs[alias], gateDef{k - 1, k, false})
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
	angles := 0 // a const generic's `{ .. }` (`Foo<{ 1 }>`) is no body
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
		case fs.is(j, '<'):
			angles++
		case fs.is(j, '>') && !fs.is(j-1, '-') && angles > 0:
			angles--
		case fs.is(j, '{') && fs.pair[j] > j && angles == 0:
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
func (g *rcGate) spellsLeaf(from, to int32) bool { return g.spells(from, to, false) }

// typeLeaf is spellsLeaf of tokens that spell types only (a definition's,
// a signature's): there a name followed by `<` has generic arguments,
// which the model walks only when it knows the type (walksArgs).
func (g *rcGate) typeLeaf(from, to int32) bool { return g.spells(from, to, true) }

// spells is spellsLeaf, of types when types is set (typeLeaf).
func (g *rcGate) spells(from, to int32, types bool) bool {
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
			end, leaf := g.dynLeaf(k)
			if leaf {
				return true
			}
			k = end // the model walks no further into a trait object
		default:
			w := fs.ident(k)
			leaf := notSendLeaves[w]
			if leaf && fs.colons(k-1) {
				leaf = pathLeaf(fs.namePath(k), w)
			}
			if leaf || g.defsLead(w) || g.callLeads(k) {
				return true
			}
			if types && fs.is(k+1, '<') && !g.walksArgs(w) {
				k = fs.angleClose(k + 1)
			}
		}
	}
	return false
}

// walksArgs reports whether the model may walk the generic arguments of
// a type whose path ends in name (lackWalk.path): a std type it has a
// rule for (by its name, whatever its path), or a type of the file or
// its crate, whose parameters the arguments stand for. Any other type
// is opaque to it, its arguments with it (`mpsc::Sender<Rc<T>>`).
func (g *rcGate) walksArgs(name string) bool {
	if v, ok := g.known[name]; ok {
		return v
	}
	v := stdRules[name] != ruleNone || tokioRules[name] != ruleNone || name == "Weak" || len(g.defs[name]) > 0 || len(g.ix.typeDefs(g.path, name)) > 0
	g.known[name] = v
	return v
}

// dynBounds reads the bounds of the trait object whose `dyn` is token k:
// it returns their last token and the last segment of each bound outside
// the principal trait's arguments (not a lifetime's, not a `for<..>`'s);
// ok is false for a bound list holding `->` (`dyn Fn() -> T + Send`,
// where the parser may give the `+ Send` to the result), or one that does
// not end, which is never taken to implement anything.
func (fs *fileSyntax) dynBounds(k int32) (end int32, names []string, ok bool) {
	depth := 0
	j := k + 1
	for ; int(j) < len(fs.toks); j++ {
		switch {
		case fs.is(j, '-') && fs.is(j+1, '>'):
			return j, nil, false
		case fs.is(j, '<'):
			depth++
		case fs.is(j, '>'):
			if depth == 0 {
				return j - 1, names, true
			}
			depth--
		case fs.is(j, '(') || fs.is(j, '['):
			if fs.pair[j] < j {
				return j, nil, false
			}
			j = fs.pair[j]
		case fs.is(j, ',') || fs.is(j, ')') || fs.is(j, ']') || fs.is(j, ';') || fs.is(j, '=') || fs.is(j, '{') || fs.is(j, '}'):
			if depth == 0 {
				return j - 1, names, true
			}
		case depth == 0 && fs.word(j, "for") && fs.is(j+1, '<'):
			j = fs.angleClose(j + 1) // `for<'a>`: its lifetimes
		case depth == 0 && fs.toks[j].kind == tokIdent && (fs.is(j-1, '+') || fs.colons(j-1) || j == k+1 || fs.is(j-1, '>') && fs.word(k+1, "for")) && !fs.colons(j+2):
			names = append(names, fs.ident(j))
		}
	}
	return j - 1, nil, false
}

// dynLeaf reports whether the trait object whose `dyn` is token k may
// lack Send or Sync as the model reads it (lackWalk.dynHas), and the last
// token of its bounds: not when both are among its bounds, nor when a
// bound is a trait the model does not see (not std's, defined neither in
// the file nor in its crate), which may have them as supertraits.
func (g *rcGate) dynLeaf(k int32) (end int32, leaf bool) {
	end, names, ok := g.fs.dynBounds(k)
	return end, !ok || g.boundsLack(names)
}

// boundsLack reports whether a trait object with the bounds names (their
// last segments) may lack Send or Sync (dynLeaf).
func (g *rcGate) boundsLack(names []string) bool {
	if slices.Contains(names, "Send") && slices.Contains(names, "Sync") {
		return false
	}
	for _, n := range names {
		if !stdTraits[n] && !g.walksArgs(n) {
			return false // a trait the model does not see
		}
	}
	return true
}

// leads reports whether the type name w may lead to a leaf: it is one, or
// a definition of the file or alias spells one (or a name that leads to
// one), or a definition of the crate holds one.
func (g *rcGate) leads(w string) bool { return notSendLeaves[w] || g.defsLead(w) }

// pathLeaf reports whether the leaf word w (of notSendLeaves), spelled
// with path (its segments joined by `::`, or w alone), is a leaf as the
// model reads the path (typeEnv.rule): `tokio::sync::OnceCell` and
// `std::sync::Weak` are not, and a path out of std names no std type.
func pathLeaf(path, w string) bool {
	if !notSendLeaves[w] {
		return false
	}
	if w == "dyn" || !strings.Contains(path, "::") {
		return true
	}
	r := (&typeEnv{}).rule(path, w)
	return r == ruleNever || r == ruleCell || r == ruleGuard
}

// namePath returns the path whose last segment is the identifier at k,
// its names joined by `::`, without a leading `::` (the model trims it)
// or any segment that is no name.
func (fs *fileSyntax) namePath(k int32) string {
	segs := []string{fs.ident(k)}
	for q := k; fs.colons(q-1) && fs.identBytes(q-3) != nil; q -= 3 {
		segs = append([]string{fs.ident(q - 3)}, segs...)
	}
	return strings.Join(segs, "::")
}

// defsLead reports whether a definition of the type name w in the file
// (an alias included) or in its crate may lead to a leaf.
func (g *rcGate) defsLead(w string) bool {
	return g.decide(w, func() bool {
		for _, d := range g.defs[w] {
			if g.spells(d.from, d.to, d.types) {
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
		return g.boundsLack(t.bounds)
	case tyPath:
		if !generic[t.name] && (pathLeaf(t.path, t.name) || g.defsLead(t.name) || strings.HasSuffix(t.path, "rc::Weak")) {
			return true
		}
		if !generic[t.name] && !g.walksArgs(t.name) {
			return false
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
			if from, to, ok := g.result(s); ok && g.typeLeaf(from, to) {
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
	k := s[0] + 2
	if fs.is(k, '<') {
		k = fs.angleClose(k) + 1 // generics: a `Fn() -> u8` bound's arrow is no result
	}
	for ; k < end; k++ {
		if fs.toks[k].up == up && fs.is(k, '-') && fs.is(k+1, '>') && fs.toks[k].e == fs.toks[k+1].s {
			return k + 2, end, true
		}
	}
	return 0, 0, false
}

// implLeads reports whether `self` or `Self` at token k may have a type
// that leads to a leaf: the type of an impl around it (its header past
// `for`, as typeLeaf reads types) spells one. In no impl, the model takes
// them for opaque.
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
				v = g.typeLeaf(g.implType(from, open), open-1)
				g.impls[open] = v
			}
			return v
		}
	}
	return false
}

// implType returns the first token of the type an impl's header
// (tokens [from, open)) implements for: past its `for` (not a `for<..>`
// of a bound), or from when there is none. What `Self` stands for is
// that type (implSelf), not the trait.
func (g *rcGate) implType(from, open int32) int32 {
	fs := g.fs
	for j := from; j < open; j++ {
		if fs.toks[j].up == fs.toks[open].up && fs.word(j, "for") && !fs.is(j+1, '<') {
			return j + 1
		}
		if fs.word(j, "where") {
			break
		}
	}
	return from
}

// header returns the first token of the header of the bracket at open:
// the tokens at its level before it, back to the end of the item before.
func (g *rcGate) header(open int32) int32 {
	fs := g.fs
	from := open
	angles := 0 // a const generic's `{ .. }` (`impl Job<{ 1 }>`) ends nothing
	for j := open - 1; j >= 0; j-- {
		if p := fs.pair[j]; p >= 0 && p < j {
			// A group before: the header's, or the end of the item before.
			if fs.toks[p].up != fs.toks[open].up || fs.is(j, '}') && angles == 0 {
				break
			}
			from, j = p, p
			continue
		}
		if fs.toks[j].up != fs.toks[open].up || fs.is(j, ';') {
			break
		}
		switch {
		case fs.is(j, '>') && !fs.is(j-1, '-'):
			angles++
		case fs.is(j, '<') && angles > 0:
			angles--
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
