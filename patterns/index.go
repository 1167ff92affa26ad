package patterns

import (
	"path"
	"slices"
	"strings"
)

// Index holds the cross-file facts the rules need: which async fns run in
// a Send-required future, and which fns return lock guards.
//
// An async fn is known by its crate, its module, the impl type (or trait)
// it is written in and its name. A call is matched to the fns it may call
// by its path, as rustc resolves it where the syntax allows: `name(..)` to
// a fn of the caller's module or one a `use` brings in (a glob's module
// included), `a::b::name(..)` through `crate`, `self`, `super`, the
// caller's modules and imports, `Type::name(..)` and `Self::name(..)` to
// the type's impls, `self.name(..)` to the methods of the impl's type (or
// the trait's). A method call on a receiver of unknown type,
// `x.name(..)`, is matched only when one fn alone is a method called
// name, and the calling file spells its impl's type. When more than one
// fn may be meant, or the path leads outside the given files, the Send
// requirement is not propagated: no finding rests on a name shared by
// several fns.
type Index struct {
	guardDecls map[string]string     // the guard-returning fns by guardDeclKey
	types      map[string][]*typeDef // the files' type definitions, by name (see typeDefs)
	files      map[string]*ixFile
	fns        []ixFn
	send       []bool
	why        []string
	byName     map[string][]int32 // async fns by name
	// Calls counts the calls (awaited or spawned, carrying a Send
	// requirement) by how they were matched: precise (one fn), ambiguous
	// (several; not propagated), none (no fn of the given files).
	Calls struct{ Precise, Ambiguous, None int }
	// amb says, for an async fn, which ambiguous call would have made it
	// Send-required, or also would have (index_ambig.go).
	amb map[int32]ambNote
	// crates are the complete crates among the files given, by file
	// (tokiomutex_crate.go's AddCrates).
	crates map[string]*Crate
	// callers are, for each fn, the fns that await a call matched to it
	// (one of several, for an ambiguous call): the edges Send
	// requirements and ambiguity notes follow, reversed (SeedReach).
	callers [][]int32
	// typesLater are, by crate, the files whose type definitions are
	// read when a type they may declare is first asked for
	// (SummarizeLater, types_later.go). The map is not changed past
	// NewIndex; the runs ask at once.
	typesLater map[string]*crateTypes
}

// ixFile is where a file's fns sit.
type ixFile struct {
	crate string           // the crate's root folder
	mod   string           // the file's module in its crate, "a::b"
	keys  map[string]int32 // fnKey -> fn
	// hand: for a file still to be parsed for its hand-offs
	// (Summary.handLater), the async fns its slot regions' calls may
	// mean as this Index matches them (precisely, or as one of an
	// ambiguous call's); handAny when any fn may be meant.
	hand    []int32
	handAny bool
	sum     *Summary
}

// ixFn is one fn: the declarations of a crate's module and impl type that
// share a name (cfg variants) are one.
type ixFn struct {
	crate, mod, owner, name string
	async, method           bool
}

// NewIndex builds the index from the summaries of every file given (nil
// summaries are skipped).
func NewIndex(sums ...*Summary) *Index {
	ix := &Index{guardDecls: map[string]string{}, types: map[string][]*typeDef{}, files: map[string]*ixFile{}, byName: map[string][]int32{}}
	nfns, ntypes := 0, 0
	for _, s := range sums {
		if s != nil {
			nfns, ntypes = nfns+len(s.fns), ntypes+len(s.types)
		}
	}
	b := &ixBuild{ix: ix, byKey: make(map[key4]int32, nfns), modules: map[key2]bool{}, types: make(map[key2]bool, ntypes),
		byOwner: make(map[key3][]int32, nfns/2), byTrait: map[key2][]int32{}, methods: make(map[string][]int32, nfns/2),
		free: make(map[key2][]int32, nfns/2)}
	ix.fns = make([]ixFn, 0, nfns)
	// A file may come twice: its tokens' summary, and its guard fns'.
	var live []*Summary
	seen := map[string]bool{}
	for _, s := range sums {
		if s == nil {
			continue
		}
		for n, k := range s.GuardFns {
			ix.guardDecls[n] = k
		}
		for n, ds := range s.typeDefs {
			ix.types[n] = append(ix.types[n], ds...)
		}
		if !seen[s.Path] || len(s.fns)+len(s.calls) > 0 {
			seen[s.Path] = true
			live = append(live, s)
		}
	}
	crates := placeFiles(live)
	for i, s := range live {
		f := ix.files[s.Path]
		if f == nil {
			f = &ixFile{crate: crates[i][0], mod: crates[i][1], keys: make(map[string]int32, len(s.fns))}
			ix.files[s.Path] = f
		}
		f.sum = s
		if s.reread != nil {
			if ix.typesLater == nil {
				ix.typesLater = map[string]*crateTypes{}
			}
			ct := ix.typesLater[f.crate]
			if ct == nil {
				ct = &crateTypes{}
				ix.typesLater[f.crate] = ct
			}
			ct.files = append(ct.files, typesLater{path: s.Path, read: s.reread, tokens: s.tokens, types: s.types})
		}
		b.declare(f)
	}
	ix.send = make([]bool, len(ix.fns))
	ix.why = make([]string, len(ix.fns))
	for _, s := range live {
		if s.handLater {
			b.handed(ix.files[s.Path])
		}
	}
	b.propagate(live)
	for _, f := range ix.files {
		f.sum = nil // the summaries are not needed past the build
	}
	return ix
}

// placeFiles returns each file's crate (its root folder) and module. A
// crate's root is the nearest folder holding a lib.rs or main.rs of the
// given files; a file of tests/, benches/, examples/ or src/bin/, or a
// build.rs, is a crate of its own; with no root in sight, the nearest
// `src` folder, else the file's folder, stands for one.
func placeFiles(sums []*Summary) [][2]string {
	roots := map[string]bool{}
	for _, s := range sums {
		p := path.Clean(toSlash(s.Path))
		if b := path.Base(p); b == "lib.rs" || b == "main.rs" {
			roots[path.Dir(p)] = true
		}
	}
	out := make([][2]string, len(sums))
	for i, s := range sums {
		p := path.Clean(toSlash(s.Path))
		dir, base := path.Dir(p), path.Base(p)
		switch pd := path.Base(dir); {
		case base == "build.rs", pd == "tests", pd == "benches", pd == "examples", pd == "bin" && path.Base(path.Dir(dir)) == "src":
			out[i] = [2]string{p, ""}
			continue
		}
		root := ""
		for d := dir; ; d = path.Dir(d) {
			if roots[d] {
				root = d
				break
			}
			if d == "." || d == "/" || path.Dir(d) == d {
				break
			}
		}
		if root == "" {
			root = dir
			for d := dir; d != "." && d != "/" && path.Dir(d) != d; d = path.Dir(d) {
				if path.Base(d) == "src" {
					root = d
					break
				}
			}
		}
		rel := strings.TrimSuffix(strings.TrimPrefix(p, root+"/"), ".rs")
		if root == "." {
			rel = strings.TrimSuffix(p, ".rs")
		}
		segs := strings.Split(rel, "/")
		switch last := segs[len(segs)-1]; {
		case len(segs) == 1 && (last == "lib" || last == "main"):
			segs = nil
		case last == "mod":
			segs = segs[:len(segs)-1]
		}
		out[i] = [2]string{root, strings.Join(segs, "::")}
	}
	return out
}

// toSlash turns a Windows path's separators into slashes.
func toSlash(p string) string { return strings.ReplaceAll(p, "\\", "/") }

// ixBuild holds the lookup tables of NewIndex. Keys are structs of
// strings, which cost no concatenation.
type ixBuild struct {
	ix      *Index
	byKey   map[key4]int32     // crate, mod, owner, name -> fn
	modules map[key2]bool      // crate, mod of every module
	types   map[key2]bool      // crate, name of every declared type
	byOwner map[key3][]int32   // crate, owner, name -> fns of that impl type
	byTrait map[key2][]int32   // trait, name -> fns of impls of that trait
	methods map[string][]int32 // name -> methods, any crate
	free    map[key2][]int32   // crate, name -> free fns
	edges   [][]int32          // by fn: the fns it awaits
	many    []int32            // the fns of the last call resolve found ambiguous
	amb     []ambCall          // the ambiguous calls that carry a Send requirement
}

type (
	key2 struct{ a, b string }
	key3 struct{ a, b, c string }
	key4 struct{ a, b, c, d string }
)

// join joins module path segments, skipping empty ones.
func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "::")
}

// declare adds a file's modules, types and fns.
func (b *ixBuild) declare(f *ixFile) {
	s := f.sum
	b.modules[key2{f.crate, ""}] = true
	for m := f.mod; m != ""; m = parentMod(m) {
		b.modules[key2{f.crate, m}] = true
	}
	for _, m := range s.mods {
		b.modules[key2{f.crate, join(f.mod, m)}] = true
	}
	for _, t := range s.types {
		b.types[key2{f.crate, t}] = true
	}
	for _, fn := range s.fns {
		mod := join(f.mod, fn.mods)
		key := key4{f.crate, mod, fn.owner, fn.name}
		id, ok := b.byKey[key]
		if !ok {
			id = int32(len(b.ix.fns))
			b.ix.fns = append(b.ix.fns, ixFn{crate: f.crate, mod: mod, owner: fn.owner, name: fn.name, async: fn.async, method: fn.method})
			b.byKey[key] = id
			if fn.owner == "" {
				k := key2{f.crate, fn.name}
				b.free[k] = append(b.free[k], id)
			} else {
				k := key3{f.crate, fn.owner, fn.name}
				b.byOwner[k] = append(b.byOwner[k], id)
			}
			if fn.trait != "" {
				k := key2{fn.trait, fn.name}
				b.byTrait[k] = append(b.byTrait[k], id)
			}
			if fn.method {
				b.methods[fn.name] = append(b.methods[fn.name], id)
			}
			if fn.async {
				b.ix.byName[fn.name] = append(b.ix.byName[fn.name], id)
			}
		}
		// An async declaration makes the fn async (a cfg variant may be
		// written as a sync fn returning a future).
		b.ix.fns[id].async = b.ix.fns[id].async || fn.async
		f.keys[fn.key] = id
	}
}

// propagate resolves every call and marks the fns that must be Send:
// those spawned or awaited from a spawned task, then, breadth first, those
// awaited from a fn that must be Send (so each reason names the shortest
// chain).
func (b *ixBuild) propagate(sums []*Summary) {
	ix := b.ix
	b.edges = make([][]int32, len(ix.fns))
	ix.callers = make([][]int32, len(ix.fns))
	type item struct {
		fn   int32
		from int32 // the Send-required fn awaiting it; -1 with why
		why  string
	}
	var work []item
	for _, s := range sums {
		f := ix.files[s.Path]
		for _, c := range s.calls {
			to := b.resolve(f, c.lexCall)
			switch {
			case to < -1:
				ix.Calls.Ambiguous++
				b.ambiguous(s, f, c)
				continue
			case to < 0:
				ix.Calls.None++
				continue
			}
			ix.Calls.Precise++
			if !ix.fns[to].async {
				continue // a sync fn returning a future: its body runs before
			}
			switch c.kind {
			case fromSpawn:
				why := c.why
				if why == "" {
					why = "its future is spawned"
				}
				work = append(work, item{to, -1, why})
			case fromSpawned:
				work = append(work, item{to, -1, "it is awaited from a spawned task"})
			default:
				from := f.keys[s.fns[c.from].key]
				b.edges[from] = append(b.edges[from], to)
				ix.callers[to] = append(ix.callers[to], from)
			}
		}
	}
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		if ix.send[it.fn] {
			continue
		}
		why := it.why
		if it.from >= 0 {
			why = "it is awaited from `" + ix.fns[it.from].name + "`, which must be Send"
		}
		ix.send[it.fn], ix.why[it.fn] = true, why
		next := b.edges[it.fn]
		slices.Sort(next)
		for _, c := range next {
			if !ix.send[c] {
				work = append(work, item{c, it.fn, ""})
			}
		}
	}
	b.noteAmbiguous()
}

// sendFn reports whether the async fn of the file at path with the given
// fnKey must be Send, and why.
func (ix *Index) sendFn(path, key string) (why string, ok bool) {
	f := ix.files[path]
	if f == nil {
		return "", false
	}
	id, known := f.keys[key]
	if !known || !ix.send[id] {
		return "", false
	}
	return ix.why[id], true
}

// SendRequired reports whether an async fn called name runs inside a
// Send-required future (any of them, when several share the name).
func (ix *Index) SendRequired(name string) bool { return ix.Why(name) != "" }

// Why says why an async fn called name must be Send ("its future is
// spawned", "it is awaited from `serve`, which must be Send"), or "".
func (ix *Index) Why(name string) string {
	for _, id := range ix.byName[name] {
		if ix.send[id] {
			return ix.why[id]
		}
	}
	return ""
}

// Declared returns how many async fns of that name were seen (by crate,
// module and impl type).
func (ix *Index) Declared(name string) int { return len(ix.byName[name]) }

// Ambiguous reports whether more than one async fn of that name was seen.
func (ix *Index) Ambiguous(name string) bool { return ix.Declared(name) > 1 }
