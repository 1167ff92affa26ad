package patterns

import (
	"slices"
	"strings"
)

// How a call is matched to the fn it calls (see Index): resolve returns a
// fn, or one of these.
const (
	noFn    = -1 // no fn of the given files: outside them, or not found
	manyFns = -2 // several fns may be meant
)

// resolve returns the fn that call c of file f calls (see Index).
func (b *ixBuild) resolve(f *ixFile, c lexCall) int32 {
	name := c.shape.name()
	switch c.shape.kind {
	case callSelf:
		return b.inImpl(f, c, name)
	case callRecv:
		return b.byReceiver(f, name)
	case callBare:
		return b.bare(f, c.mods, name)
	}
	segs := c.shape.segs
	if len(segs) == 2 && segs[0] == "Self" {
		return b.inImpl(f, c, name)
	}
	return b.inPlace(b.place(f, c.mods, segs[:len(segs)-1], 0), name)
}

// oneOf returns the only fn of ids, noFn when there is none, manyFns when
// there are several (then b.many holds them, for the ambiguity notes).
func (b *ixBuild) oneOf(ids []int32) int32 {
	switch len(ids) {
	case 0:
		return noFn
	case 1:
		return ids[0]
	}
	b.many = ids
	return manyFns
}

// inImpl resolves `self.name(..)` and `Self::name(..)`: a fn of the impl
// type's impls in the crate, else the default method of the impl's trait;
// in a trait's own body, the trait's fns and those of its impls.
func (b *ixBuild) inImpl(f *ixFile, c lexCall, name string) int32 {
	if c.owner == "" {
		return noFn
	}
	ids := b.byOwner[key3{f.crate, c.owner, name}]
	switch {
	case c.trait == c.owner: // in the trait: any impl may be meant
		ids = append(append([]int32(nil), ids...), b.byTrait[key2{c.owner, name}]...)
	case len(ids) == 0 && c.trait != "":
		ids = b.byOwner[key3{f.crate, c.trait, name}]
	}
	return b.oneOf(ids)
}

// byReceiver resolves `x.name(..)`, the receiver's type unknown: the only
// method called name of the given files, when the calling file spells its
// impl's type.
func (b *ixBuild) byReceiver(f *ixFile, name string) int32 {
	ids := b.methods[name]
	if len(ids) != 1 {
		return b.oneOf(ids)
	}
	if !f.sum.spells(b.ix.fns[ids[0]].owner) {
		return noFn
	}
	return ids[0]
}

// bare resolves `name(..)` in the inline modules mods of file f: a fn of
// that module, else the fn an import names, else one a glob import of a
// module of the given files brings in.
func (b *ixBuild) bare(f *ixFile, mods, name string) int32 {
	if id, ok := b.byKey[key4{f.crate, join(f.mod, mods), "", name}]; ok {
		return id
	}
	if u := f.sum.useOf(mods, name); u != nil {
		p := u.path
		return b.inPlace(b.place(f, u.mods, p[:len(p)-1], 1), p[len(p)-1])
	}
	var ids []int32
	for _, u := range f.sum.uses {
		if !u.glob || u.mods != mods {
			continue
		}
		pl := b.place(f, u.mods, u.path, 1)
		if pl.known && pl.typ == "" && pl.tail == "" {
			if id, ok := b.byKey[key4{pl.crate, pl.mod, "", name}]; ok && !containsID(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return b.oneOf(ids)
}

func containsID(ids []int32, id int32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// place is where a path leads among the given files: a module of a crate,
// or a type (typ) of it. tail is the rest of a path whose modules are not
// among the given files (a re-export's path, a module of another layout),
// mod then its longest known prefix.
type place struct {
	crate, mod, typ, tail string
	known                 bool
}

// place resolves the module path prefix as written in the inline modules
// mods of file f.
func (b *ixBuild) place(f *ixFile, mods string, prefix []string, depth int) place {
	if depth > 4 || len(prefix) == 0 {
		return place{}
	}
	scope := join(f.mod, mods)
	first, rest := prefix[0], prefix[1:]
	var base string
	switch first {
	case "::":
		return place{} // another crate
	case "crate":
	case "self":
		base = scope
	case "super":
		base = parentMod(scope)
		for len(rest) > 0 && rest[0] == "super" {
			base, rest = parentMod(base), rest[1:]
		}
	default:
		if u := f.sum.useOf(mods, first); u != nil {
			p := append(append([]string(nil), u.path...), rest...)
			return b.place(f, u.mods, p, depth+1)
		}
		switch {
		case b.modules[key2{f.crate, join(scope, first)}]:
			base = join(scope, first)
		case len(rest) == 0 && b.types[key2{f.crate, first}] && (f.sum.declares(first) || f.sum.hasGlob(mods)):
			return place{crate: f.crate, mod: scope, typ: first, known: true}
		default:
			return place{} // another crate, or a name the syntax cannot place
		}
	}
	for i, seg := range rest {
		next := join(base, seg)
		if b.modules[key2{f.crate, next}] {
			base = next
			continue
		}
		if i == len(rest)-1 && b.types[key2{f.crate, seg}] {
			return place{crate: f.crate, mod: base, typ: seg, known: true}
		}
		return place{crate: f.crate, mod: base, tail: strings.Join(rest[i:], "::"), known: true}
	}
	return place{crate: f.crate, mod: base, known: true}
}

// parentMod returns the module a module path is declared in.
func parentMod(m string) string {
	if i := strings.LastIndex(m, "::"); i >= 0 {
		return m[:i]
	}
	return ""
}

// inPlace returns the fn called name at pl: the type's, the module's; or,
// when the module does not declare it (a `pub use` re-export) or the path
// leaves the known modules, the only free fn called name in a module
// below the longest known prefix.
func (b *ixBuild) inPlace(pl place, name string) int32 {
	if !pl.known {
		return noFn
	}
	if pl.typ != "" {
		return b.oneOf(b.byOwner[key3{pl.crate, pl.typ, name}])
	}
	if pl.tail == "" {
		if id, ok := b.byKey[key4{pl.crate, pl.mod, "", name}]; ok {
			return id
		}
	}
	var ids []int32
	for _, id := range b.free[key2{pl.crate, name}] {
		if m := b.ix.fns[id].mod; pl.mod == "" || m == pl.mod || strings.HasPrefix(m, pl.mod+"::") {
			ids = append(ids, id)
		}
	}
	return b.oneOf(ids)
}

// useOf returns the import of alias in the inline modules mods, or nil.
func (s *Summary) useOf(mods, alias string) *lexUse {
	for i := range s.uses {
		if u := &s.uses[i]; !u.glob && u.alias == alias && u.mods == mods {
			return u
		}
	}
	return nil
}

// hasGlob reports whether the inline modules mods import with a glob.
func (s *Summary) hasGlob(mods string) bool {
	for _, u := range s.uses {
		if u.glob && u.mods == mods {
			return true
		}
	}
	return false
}

// declares reports whether the file declares a type or trait called name.
func (s *Summary) declares(name string) bool {
	for _, t := range s.types {
		if t == name {
			return true
		}
	}
	return false
}

// spells reports whether the file may hold the identifier w (one
// starting with an upper-case letter).
func (s *Summary) spells(w string) bool {
	_, found := slices.BinarySearch(s.words, wordHash([]byte(w)))
	return found
}
