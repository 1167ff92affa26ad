package patterns

import "strings"

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
	busy  map[string]bool       // the names being decided (a cycle adds nothing)
	impls map[int32]bool        // implLeads by the impl body's `{`
}

// rcHeldMay reports whether some body that may have to be Send lies in a
// fn that spells a word that may lead to a type the model finds not Send
// (see above). With no Index (any Index), or brackets that do not
// balance, it is true.
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
			return true // not in a fn: whatever the file spells
		}
		if done[from] {
			continue
		}
		done[from] = true
		// From the fn's parameters on: its own name is no value.
		if g.spellsLeaf(from+2, to) {
			return true
		}
	}
	return false
}

// newRCGate indexes the definitions, aliases and fns of fs by name.
func newRCGate(fs *fileSyntax, ix *Index, path string) *rcGate {
	g := &rcGate{fs: fs, ix: ix, path: path, defs: map[string][][2]int32{}, fns: map[string][][2]int32{},
		body: map[int32]int32{}, names: map[string]bool{}, busy: map[string]bool{}, impls: map[int32]bool{}}
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
		default:
			w := fs.ident(k)
			if g.leads(w) || g.fnLeads(w) {
				return true
			}
		}
	}
	return false
}

// leads reports whether the type name w may lead to a leaf: it is one, or
// a definition of the file or alias spells one (or a name that leads to
// one), or a definition of the crate holds one.
func (g *rcGate) leads(w string) bool {
	if notSendLeaves[w] {
		return true
	}
	if v, ok := g.names[w]; ok || g.busy[w] {
		return v
	}
	g.busy[w] = true
	v := false
	for _, s := range g.defs[w] {
		if g.spellsLeaf(s[0], s[1]) {
			v = true
			break
		}
	}
	v = v || g.crateLeads(w)
	delete(g.busy, w)
	g.names[w] = v
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
	case tyPtr, tyDyn:
		return true
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

// fnLeads reports whether the file has a fn called w whose signature
// spells a word that may lead to a leaf: its declared result may be one.
func (g *rcGate) fnLeads(w string) bool {
	spans := g.fns[w]
	if len(spans) == 0 {
		return false
	}
	key := "fn " + w
	if v, ok := g.names[key]; ok || g.busy[key] {
		return v
	}
	g.busy[key] = true
	v := false
	for _, s := range spans {
		if from, to, ok := g.result(s); ok && g.spellsLeaf(from, to) {
			v = true
			break
		}
	}
	delete(g.busy, key)
	g.names[key] = v
	return v
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
		// The header: the tokens at the bracket's level before it, back
		// to the end of the item before.
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
