package patterns

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"sendfix/rewrite"
)

// Crate mode. When every file of a crate is among the files given (a
// binary crate's main.rs alone, or a whole src/ tree), nothing outside
// the crate can see a lock type except through `pub` items of a library
// crate. The swap then covers the crate: a type alias in one file and
// its lock calls in another move together, fields, parameters, bounds and
// generic arguments of every file with them, and `pub` items of a binary
// crate are no public API.
//
// How sendfix knows a crate is complete: a crate root is found by cargo's
// layout (src/main.rs, src/lib.rs, src/bin/*.rs, src/bin/*/main.rs,
// examples/, tests/, benches/), and its module tree is followed from
// `mod name;` declarations to name.rs or name/mod.rs (in the directory
// cargo uses for them). The crate is complete when every module file is
// among the files given and no module is placed with #[path] or pulled
// in by include!.
//
// The decision is made before the runs (PlanCrates): the files whose run
// may report a finding are probed for the guards that ask for a swap;
// only then is every file of the crate read for its declarations
// (aliases, fields, statics, types, fns) and planned. A family (Mutex,
// RwLock) is swapped when a guard asks for it and every file of the crate
// accepts the swap; otherwise every guard of it gets the refusal, with
// the file it came from. Each file's run then makes its part of the swap.

// Crate is a crate whose every file is among the files given, and, once
// PlanCrates has run, what the tokio-mutex swap decided for it.
type Crate struct {
	Root  string   // the crate root's path, as given
	Files []string // every file of the crate, the root first
	Lib   bool     // a library crate: its `pub` items are visible outside

	shared  *crateShared
	swap    lockFamily                 // the families swapped
	refused map[lockFamily]*refusal    // the families refused, and why (the refusal names its file)
	asked   map[lockFamily]string      // the guard that asked for each family, for messages
	byFile  map[string]*crateFileDecls // declarations of each file
}

// typeSpell is what a declared type spells: std locks of some families,
// or another lock type (parking_lot's, tokio's) as the whole type.
type typeSpell struct {
	std   lockFamily
	other bool
}

// crateFileDecls are the declarations of one file that the others may use.
type crateFileDecls struct {
	path     string
	aliases  map[string]typeSpell
	fields   map[string][]typeSpell
	statics  map[string]typeSpell
	types    map[string]bool      // structs, enums, unions, traits
	mods     map[string]bool      // modules declared (inline or not)
	fns      map[string]bool      // fns and methods not implementing a trait
	returns  map[string]typeSpell // free fns -> what their return type spells
	implFns  map[string]string    // fns implementing a trait -> the trait's last name
	mentions map[string]int       // every name the file writes -> the line it is first written on
}

// crateShared merges the declarations of every file of a crate.
type crateShared struct {
	lib            bool
	aliases        map[string]typeSpell
	fields         map[string][]typeSpell
	statics        map[string]typeSpell
	types          map[string]bool
	mods           map[string]bool
	fns            map[string]bool
	returns        map[string]typeSpell
	foreignImplFns map[string]bool
	mentions       map[string][]mention // name -> where files write it
}

// crateView is what one file's swap sees of its crate.
type crateView struct {
	*crateShared
	crate *Crate
	self  string // the file's path
}

// crateView returns the crate view of the pass's file, or nil when the
// file is not part of a complete crate (or the crate was not planned).
func (fc *fileCtx) crateView() *crateView {
	if fc.idx == nil || fc.idx.crates == nil {
		return nil
	}
	c := fc.idx.crates[filepath.Clean(fc.path)]
	if c == nil || c.shared == nil {
		return nil
	}
	return c.view(fc.path)
}

func (c *Crate) view(self string) *crateView {
	return &crateView{crateShared: c.shared, crate: c, self: filepath.Clean(self)}
}

// mention is where a file first writes a name.
type mention struct {
	file string
	line int
}

// mentionedIn returns where another file of the crate writes name
// (`src/main.rs:12`), or "".
func (v *crateView) mentionedIn(name string) string {
	for _, m := range v.mentions[name] {
		if m.file != v.self {
			return fmt.Sprintf("%s:%d", m.file, m.line)
		}
	}
	return ""
}

// swaps returns the families the crate swaps (0 without a crate).
func (v *crateView) swaps() lockFamily {
	if v == nil {
		return 0
	}
	return v.crate.swap
}

// refusal returns why the crate does not swap the family f, or nil when
// it does (or the file stands alone).
func (v *crateView) refusal(f lockFamily) *refusal {
	if v == nil || v.crate.swap.has(f) {
		return nil
	}
	if r := v.crate.refused[f]; r != nil {
		if r.file == v.self {
			c := *r
			c.file = ""
			return &c
		}
		return r
	}
	return refuse(refuseUnresolved, 0, "the crate's swap of %s was not decided before the run (run sendfix again)", f.lockName())
}

// crateCarriers are the proposals of a file that makes its part of the
// crate's swap without a guard of its own asking for it.
func crateCarriers(fc *fileCtx, mine []*guard, plans map[lockFamily]*swapPlan, cv *crateView) []proposal {
	var out []proposal
	for _, f := range cv.crate.swap.each() {
		asked := false
		for _, g := range mine {
			asked = asked || familyOfGuard(g.kind) == f
		}
		p := plans[f]
		if asked || p == nil || p.why != nil || len(p.edits) == 0 {
			continue
		}
		seen := false
		for _, g := range mine {
			seen = seen || plans[familyOfGuard(g.kind)] == p
		}
		if seen {
			continue // another guard's proposal carries these edits
		}
		start := p.edits[0].Start
		for _, e := range p.edits {
			start = min(start, e.Start)
		}
		out = append(out, proposal{f: Finding{
			Rule:    RuleTokioMutex,
			Pos:     Pos{Offset: start},
			Message: fmt.Sprintf("std's %s moves to tokio::sync with the rest of the crate (%s)", f.lockName(), cv.crate.asked[f]),
			Fix:     fmt.Sprintf("switched std's %s to tokio::sync::%s (%s)", f.lockName(), f.lockName(), p.summary(cv)),
		}, edits: p.edits})
	}
	return out
}

// packageDir returns the package folder of a crate root: the folder
// holding its src/, examples/, tests/ or benches/.
func packageDir(root string) string {
	d := path.Dir(filepath.ToSlash(filepath.Clean(root)))
	for {
		switch path.Base(d) {
		case "src", "examples", "tests", "benches":
			return path.Dir(d)
		case ".", "/":
			return d
		}
		d = path.Dir(d)
	}
}

// crateRoot reports whether a path is a crate root by cargo's layout, and
// whether it is a library's.
func crateRoot(p string) (root, lib bool) {
	segs := strings.Split(filepath.ToSlash(filepath.Clean(p)), "/")
	n := len(segs)
	at := func(i int) string {
		if n+i < 0 {
			return ""
		}
		return segs[n+i]
	}
	base := at(-1)
	if !strings.HasSuffix(base, ".rs") {
		return false, false
	}
	switch {
	case at(-2) == "src" && (base == "main.rs" || base == "lib.rs"):
		return true, base == "lib.rs"
	case at(-2) == "bin" && at(-3) == "src":
		return true, false
	case base == "main.rs" && at(-3) == "bin" && at(-4) == "src":
		return true, false
	case at(-2) == "examples" || at(-2) == "tests" || at(-2) == "benches":
		return true, false
	case base == "main.rs" && at(-3) == "examples":
		return true, false
	}
	return false, false
}

// modDecl is an out-of-line module declared in a file: `mod name;`,
// inside the inline modules of path.
type modDecl struct {
	inline []string // the enclosing inline modules' names
	name   string
}

// crateParser parses files for the crate steps; not safe for concurrent use.
type crateParser struct {
	p *sitter.Parser
}

// modDecls returns the out-of-line modules a file declares, and false
// when its module tree cannot be followed (a #[path] attribute, an
// include!).
func modDecls(src []byte, root *sitter.Node) ([]modDecl, bool) {
	var out []modDecl
	ok := true
	var visit func(n *sitter.Node, inline []string)
	visit = func(n *sitter.Node, inline []string) {
		var prev *sitter.Node
		for _, c := range namedChildren(n) {
			switch c.Type() {
			case "mod_item":
				name := text(src, c.ChildByFieldName("name"))
				if prev != nil && prev.Type() == "attribute_item" && strings.Contains(compact(text(src, prev)), "path=") {
					ok = false
				}
				if body := c.ChildByFieldName("body"); body != nil {
					visit(body, append(append([]string(nil), inline...), name))
				} else {
					out = append(out, modDecl{inline: inline, name: name})
				}
			}
			if !isComment(c) {
				prev = c
			}
		}
	}
	visit(root, nil)
	// include! pulls in code sendfix does not see.
	walk(root, func(n *sitter.Node) bool {
		if n.Type() == "macro_invocation" {
			if m := compact(text(src, n.ChildByFieldName("macro"))); m == "include" || m == "std::include" || m == "core::include" {
				ok = false
			}
		}
		return ok
	})
	return out, ok
}

// moduleFiles returns the candidate files of a module declared in file f.
func moduleFiles(f string, isRoot bool, d modDecl) []string {
	dir := path.Dir(f)
	base := path.Base(f)
	if !isRoot && base != "mod.rs" {
		dir = path.Join(dir, strings.TrimSuffix(base, ".rs"))
	}
	p := path.Join(append(append([]string{dir}, d.inline...), d.name)...)
	return []string{p + ".rs", path.Join(p, "mod.rs")}
}

// FindCrates returns the crates among paths whose every module file is
// among paths too. Only roots whose package folder (the folder of their
// src/) near accepts are followed (nil: all). read returns a file's bytes
// (the command's reader; the package does no I/O). Roots are found by
// cargo's layout; a crate whose tree cannot be followed is not returned.
func FindCrates(paths []string, near func(pkg string) bool, read func(string) ([]byte, error)) []*Crate {
	given := map[string]string{} // clean slash path -> as given
	var roots []string
	for _, p := range paths {
		c := filepath.ToSlash(filepath.Clean(p))
		given[c] = p
		if r, _ := crateRoot(p); r {
			roots = append(roots, c)
		}
	}
	sort.Strings(roots)
	cp := &crateParser{p: sitter.NewParser()}
	cp.p.SetLanguage(rust.GetLanguage())
	defer cp.p.Close()
	var out []*Crate
	for _, r := range roots {
		if near != nil && !near(packageDir(r)) {
			continue
		}
		_, lib := crateRoot(r)
		c := &Crate{Root: given[r], Lib: lib}
		if cp.follow(r, true, given, read, c, map[string]bool{}) {
			out = append(out, c)
		}
	}
	return out
}

// follow adds file f and its module files to c; false when one is not
// among the files given or the tree cannot be followed.
func (cp *crateParser) follow(f string, isRoot bool, given map[string]string, read func(string) ([]byte, error), c *Crate, seen map[string]bool) bool {
	if seen[f] {
		return true
	}
	seen[f] = true
	c.Files = append(c.Files, given[f])
	src, err := read(given[f])
	if err != nil {
		return false
	}
	if !bytes.Contains(src, []byte("mod")) && !bytes.Contains(src, []byte("include")) {
		return true // no module can be declared
	}
	tree, err := cp.p.ParseCtx(context.Background(), nil, bytes.TrimPrefix(src, bom))
	if err != nil {
		return false
	}
	defer tree.Close()
	ds, ok := modDecls(bytes.TrimPrefix(src, bom), tree.RootNode())
	if !ok {
		return false
	}
	for _, d := range ds {
		found := ""
		for _, cand := range moduleFiles(f, isRoot, d) {
			if _, ok := given[cand]; ok {
				found = cand
				break
			}
		}
		if found == "" || !cp.follow(found, false, given, read, c, seen) {
			return false
		}
	}
	return true
}

// AddCrates registers crates in the index, by file, for the engines the
// index is given to.
func (ix *Index) AddCrates(cs ...*Crate) {
	if ix.crates == nil {
		ix.crates = map[string]*Crate{}
	}
	for _, c := range cs {
		for _, f := range c.Files {
			ix.crates[filepath.Clean(f)] = c
		}
	}
}

// PlanCrates finds the complete crates among paths that may need the
// tokio-mutex swap and decides it for each (see crate mode above). Only
// files mayHold accepts (nil: all) can hold a guard that asks for a swap;
// they are probed first, and only the crates around a file that asks are
// looked for (FindCrates). The crates are registered in idx; the result
// is the files whose run the decisions change: every file of a crate
// that swaps (the command's plan may have said they need no run). cfg and
// idx are those the runs will use; read returns a file's bytes.
func PlanCrates(cfg Config, idx *Index, paths []string, mayHold func(path string) bool, read func(string) ([]byte, error)) []string {
	if !cfg.Rules[RuleTokioMutex] || cfg.AllAsync {
		return nil
	}
	e := NewEngine(cfg, idx)
	defer e.Close()
	var dirs []string // folders of the files that ask
	for _, p := range paths {
		if mayHold != nil && !mayHold(p) {
			continue
		}
		raw, err := read(p)
		if err != nil || !mayAcquire(raw) || !idx.MayHoldGuard(p, raw, cfg) {
			continue
		}
		if pr := e.probe(p, raw); pr != nil {
			if pr.wants() != 0 {
				dirs = append(dirs, path.Dir(filepath.ToSlash(filepath.Clean(p)))+"/")
			}
			pr.tree.Close()
		}
	}
	if len(dirs) == 0 {
		return nil
	}
	near := func(pkg string) bool {
		for _, d := range dirs {
			if pkg == "." || strings.HasPrefix(d, pkg+"/") {
				return true
			}
		}
		return false
	}
	crates := FindCrates(paths, near, read)
	idx.AddCrates(crates...)
	var out []string
	for _, c := range crates {
		if e.planCrate(c, mayHold, read) {
			out = append(out, c.Files...)
		}
	}
	return out
}

// probed is one file of a crate, parsed, with the guards that ask for a swap.
type probed struct {
	path  string
	src   []byte
	tree  *sitter.Tree
	fc    *fileCtx
	asked []*guard
}

// probe parses a file and runs the guard rules on it as the first pass
// of its run would.
func (e *Engine) probe(path string, raw []byte) *probed {
	if e.tooLarge(raw) {
		return nil
	}
	prefix := 0
	if bytes.HasPrefix(raw, bom) {
		prefix = len(bom)
	}
	src := raw[prefix:]
	tree, err := e.parse(src)
	if err != nil {
		return nil
	}
	fc := &fileCtx{path: path, src: src, root: tree.RootNode(), style: rewrite.DetectStyle(raw), cfg: e.cfg, idx: e.idx}
	fc.bodies = findBodies(path, src, fc.root, e.idx, e.cfg.AllAsync)
	markSites(fc, e.cfg.Sites, raw, prefix, nil)
	pr := &probed{path: path, src: src, tree: tree, fc: fc}
	if e.cfg.Rules[RuleMutexScope] {
		runMutexScope(fc)
		pr.asked = append(fc.held[:len(fc.held):len(fc.held)], fc.heldTemps...)
	} else {
		pr.asked = findGuards(fc)
	}
	return pr
}

// mayAcquire is the necessary condition for a file to hold a guard that
// asks for a swap: the prefilter's lock acquisition.
func mayAcquire(src []byte) bool {
	pl := importsParkingLot(src)
	for _, m := range lockMethods {
		if hasAcquisition(src, m, pl, nil) {
			return true
		}
	}
	return false
}

// wants returns the families the probed file's guards ask to swap (their
// receivers not yet resolved).
func (pr *probed) wants() lockFamily {
	var want lockFamily
	for _, g := range pr.asked {
		if swappable(pr.fc, g) && (g.body == nil || g.body.why != "--all-async") {
			want |= familyOfGuard(g.kind)
		}
	}
	return want
}

// planCrate makes the crate's decision; it reports whether the crate
// swaps a family.
func (e *Engine) planCrate(c *Crate, mayHold func(string) bool, read func(string) ([]byte, error)) bool {
	files := map[string]*probed{}
	defer func() {
		for _, pr := range files {
			pr.tree.Close()
		}
	}()
	load := func(f string) *probed {
		if pr, ok := files[f]; ok {
			return pr
		}
		raw, err := read(f)
		var pr *probed
		if err == nil {
			pr = e.probe(f, raw)
		}
		if pr != nil {
			files[f] = pr
		}
		return pr
	}
	// Guards that may ask: only files that may hold a finding have any.
	var want lockFamily
	for _, f := range c.Files {
		if mayHold != nil && !mayHold(f) {
			continue
		}
		pr := load(f)
		if pr == nil {
			return false
		}
		want |= pr.wants()
	}
	if want == 0 {
		return false
	}
	// Every file's declarations, in two rounds so that an alias of an
	// alias in another file is seen.
	var all []*probed
	for _, f := range c.Files {
		pr := load(f)
		if pr == nil {
			return false
		}
		all = append(all, pr)
	}
	c.byFile = map[string]*crateFileDecls{}
	for round := 0; round < 2; round++ {
		for _, pr := range all {
			pr.fc.idx = e.idx
			c.byFile[filepath.Clean(pr.path)] = declsOf(pr.fc, c.viewOrNil(pr.path))
		}
		c.merge()
	}
	// The guards that ask, resolved with the crate's facts.
	c.asked = map[lockFamily]string{}
	want = 0
	for _, pr := range all {
		for _, g := range pr.asked {
			f := familyOfGuard(g.kind)
			if !swappable(pr.fc, g) || f == 0 || want.has(f) {
				continue
			}
			pl := newPlan(pr.fc, f, c.view(pr.path))
			if pl.recvIsStd(g.recv) {
				want |= f
				c.asked[f] = fmt.Sprintf("guard `%s` at %s:%d is held across an await", g.name, pr.path, lineOf(pr.src, int(g.lock.StartByte())))
			}
		}
	}
	if want == 0 {
		return false
	}
	c.refused = map[lockFamily]*refusal{}
	try := func(fams lockFamily) *refusal {
		for _, pr := range all {
			if pl := planSwap(pr.fc, fams, c.view(pr.path)); pl.why != nil {
				return pl.why.in(filepath.Clean(pr.path))
			}
		}
		return nil
	}
	if why := try(want); why == nil {
		c.swap = want
		return true
	} else if len(want.each()) == 1 {
		c.refused[want] = why
		return false
	}
	for _, f := range want.each() {
		if why := try(f); why != nil {
			c.refused[f] = why
		} else if c.swap == 0 {
			c.swap = f // one family alone; the other stays std
		} else {
			c.refused[f] = refuse(refuseInternal, 0, "std's %s and %s cannot move together", c.swap.lockName(), f.lockName())
		}
	}
	return c.swap != 0
}

// viewOrNil is the crate view once declarations are merged.
func (c *Crate) viewOrNil(p string) *crateView {
	if c.shared == nil {
		return nil
	}
	return c.view(p)
}

// merge combines the files' declarations into the crate's.
func (c *Crate) merge() {
	s := &crateShared{lib: c.Lib, aliases: map[string]typeSpell{}, fields: map[string][]typeSpell{},
		statics: map[string]typeSpell{}, types: map[string]bool{}, mods: map[string]bool{},
		fns: map[string]bool{}, returns: map[string]typeSpell{}, foreignImplFns: map[string]bool{}, mentions: map[string][]mention{}}
	var paths []string
	for p := range c.byFile {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		d := c.byFile[p]
		for k, v := range d.aliases {
			old := s.aliases[k]
			s.aliases[k] = typeSpell{std: old.std | v.std, other: old.other || v.other}
		}
		for k, v := range d.fields {
			s.fields[k] = append(s.fields[k], v...)
		}
		for k, v := range d.statics {
			old := s.statics[k]
			s.statics[k] = typeSpell{std: old.std | v.std, other: old.other || v.other}
		}
		for k := range d.types {
			s.types[k] = true
		}
		for k := range d.mods {
			s.mods[k] = true
		}
		for k := range d.fns {
			s.fns[k] = true
		}
		for k, v := range d.returns {
			old := s.returns[k]
			s.returns[k] = typeSpell{std: old.std | v.std, other: old.other || v.other}
		}
		for k, line := range d.mentions {
			s.mentions[k] = append(s.mentions[k], mention{file: p, line: line})
		}
	}
	for _, p := range paths {
		for fn, tr := range c.byFile[p].implFns {
			if !s.types[tr] {
				s.foreignImplFns[fn] = true
			}
		}
	}
	c.shared = s
}

// declsOf reads the declarations of a file that the other files of its
// crate may use.
func declsOf(fc *fileCtx, cv *crateView) *crateFileDecls {
	src := fc.src
	d := &crateFileDecls{path: fc.path, aliases: map[string]typeSpell{}, fields: map[string][]typeSpell{},
		statics: map[string]typeSpell{}, types: map[string]bool{}, mods: map[string]bool{},
		fns: map[string]bool{}, returns: map[string]typeSpell{}, implFns: map[string]string{}, mentions: map[string]int{}}
	p := newPlan(fc, famAll, cv)
	spell := func(ty *sitter.Node) typeSpell {
		var s typeSpell
		for _, f := range famAll.each() {
			p.fams = f
			if p.mentionsStd(ty, 0) {
				s.std |= f
			}
		}
		p.fams = famAll
		s.other = s.std == 0 && p.otherType(ty, 0)
		return s
	}
	for name, ty := range p.aliases {
		d.aliases[name] = spell(ty)
	}
	for name, tys := range p.fields {
		for _, ty := range tys {
			d.fields[name] = append(d.fields[name], spell(ty))
		}
	}
	for name, ty := range p.statics {
		d.statics[name] = spell(ty)
	}
	for name := range p.local {
		d.types[name] = true
	}
	for name := range p.localMods {
		d.mods[name] = true
	}
	for name, fns := range p.fns {
		for _, fn := range fns {
			if tr := implTrait(fn); tr != nil {
				d.implFns[name] = typeBaseName(src, tr)
			} else {
				d.fns[name] = true
			}
			if rt := fn.ChildByFieldName("return_type"); rt != nil && !hasSelfParam(fn) {
				r := spell(rt)
				old := d.returns[name]
				d.returns[name] = typeSpell{std: old.std | r.std, other: old.other || r.other}
			}
		}
	}
	walk(fc.root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "mod_item":
			d.mods[text(src, n.ChildByFieldName("name"))] = true
		case "identifier", "field_identifier", "type_identifier":
			if nm := text(src, n); d.mentions[nm] == 0 {
				d.mentions[nm] = int(n.StartPoint().Row) + 1
			}
		case "line_comment", "block_comment", "string_literal", "raw_string_literal":
			return false
		}
		return true
	})
	return d
}
