package patterns

import (
	"bytes"
	"regexp"
	"sort"
	"unicode/utf8"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// SiteKind says what the compiler reported at a Site.
type SiteKind int

const (
	// SiteHeld: a value of a non-Send type is alive across an await
	// ("future is not `Send` as this value is used across an await").
	// Line and Col name the binding or the temporary's expression.
	SiteHeld SiteKind = iota + 1
	// SiteCaptured: an async block captures a value of a non-Send type
	// ("captured value is not `Send`"). Line and Col name the captured use.
	SiteCaptured
	// SiteBody: an async body must be Send and holds a value of Type
	// somewhere, with no binding named (rustc's E0277 form for an async fn
	// of another crate). Line and Col name the start of the body.
	SiteBody
)

// Site is one place where the compiler reported a future that must be Send
// and is not. Lines and columns are 1-based, columns counted in characters,
// as in rustc's JSON spans, in the file's original bytes (as passed to
// Engine.Run). The async body holding the site is treated as Send-required
// whatever the syntactic analysis says.
type Site struct {
	Path      string // the path given to Engine.Run
	Kind      SiteKind
	Line, Col int
	// Type is the non-Send type as rustc names it in its "has type `X`"
	// label, such as "std::sync::MutexGuard<'_, u64>".
	Type string
	// AwaitLine and AwaitCol locate the await (SiteHeld only; 0 otherwise).
	AwaitLine, AwaitCol int
	// Inner is the type rustc's help names as the one that is not Send
	// (or not Sync) when it differs from Type: for "within `Node`, the
	// trait `Send` is not implemented for `std::rc::Weak<u32>`" it is
	// "std::rc::Weak<u32>". Its help may name a type deep inside a std
	// type (`*mut ()` for a guard): trust it only beside Struct.
	Inner string
	// Struct is the type of the program that holds Inner, as rustc
	// spells it: the "within `Node`" of its help, or else a Type that is
	// not a std type (the `Node` of "has type `&Node`", references
	// stripped). "" when rustc names no such type. rustc never names the
	// field: a rule finds the fields of Struct whose type spells Inner
	// (rc-arc changes that field and what flows into it).
	Struct string
}

// siteAt is a Site resolved to byte offsets in the current pass's source
// (BOM excluded); -1 when it does not resolve.
type siteAt struct {
	Site
	off, await int
}

const siteWhy = "rustc reports this future must be Send"

// guardTypeName matches the guard types a site may name, with or without
// a path; the submatch is the kind used by guard.kind.
var guardTypeName = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*::)*(MutexGuard|RwLockReadGuard|RwLockWriteGuard)\b`)

// siteGuardKind returns the guard kind a site's type names, or "".
func siteGuardKind(ty string) string {
	if m := guardTypeName.FindStringSubmatch(ty); m != nil {
		return m[1]
	}
	return ""
}

// markSites resolves the sites of cfg that belong to path, in the
// coordinates of the current pass (orig passed through passes), stores
// them in fc.sites and marks the async bodies holding them as
// Send-required.
func markSites(fc *fileCtx, sites []Site, orig []byte, prefix int, passes [][]rewrite.Edit) {
	fc.sites = nil
	for _, s := range sites {
		if s.Path != fc.path {
			continue
		}
		a := siteAt{Site: s, off: -1, await: -1}
		if off, ok := lineColOffset(orig, prefix, s.Line, s.Col); ok {
			a.off = forward(off, passes)
		}
		if s.AwaitLine > 0 {
			if off, ok := lineColOffset(orig, prefix, s.AwaitLine, s.AwaitCol); ok {
				a.await = forward(off, passes)
			}
		}
		if a.off < 0 {
			continue
		}
		fc.sites = append(fc.sites, a)
		at := a.off
		if a.await >= 0 {
			// The future that is not Send is the one the await belongs to.
			at = a.await
		}
		if b := innermostBody(fc.bodies, at); b != nil && !b.send {
			b.send, b.why = true, siteWhy
		}
	}
}

// innermostBody returns the async body whose block holds off, preferring
// the innermost one.
func innermostBody(bodies []*asyncBody, off int) *asyncBody {
	var best *asyncBody
	for _, b := range bodies {
		if int(b.block.StartByte()) <= off && off < int(b.block.EndByte()) {
			if best == nil || contains(best.block, b.block) {
				best = b
			}
		}
	}
	return best
}

// lineColOffset converts a 1-based line and character column of the file
// (BOM included in orig, prefix its length) to an offset in the file
// without its BOM.
func lineColOffset(orig []byte, prefix, line, col int) (int, bool) {
	if line < 1 || col < 1 {
		return 0, false
	}
	off := prefix // rustc does not count a BOM
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(orig[off:], '\n')
		if i < 0 {
			return 0, false
		}
		off += i + 1
	}
	for c := 1; c < col; c++ {
		if off >= len(orig) || orig[off] == '\n' {
			return 0, false
		}
		_, n := utf8.DecodeRune(orig[off:])
		off += n
	}
	return off - prefix, true
}

// forward maps an offset of the original source through the edits of
// every pass. An offset inside replaced text maps to the start of its
// replacement; text inserted at the offset goes before it.
func forward(off int, passes [][]rewrite.Edit) int {
	for _, edits := range passes {
		delta := 0
		inside := false
		for _, e := range edits { // sorted: each pass's edits are normalized
			if e.Start > off {
				break
			}
			if off < e.End {
				off, inside = e.Start+delta, true
				break
			}
			delta += len(e.New) - (e.End - e.Start)
		}
		if !inside {
			off += delta
		}
	}
	return off
}

// siteGuards returns the guards only the compiler knows: a `let g =
// <value>;` in a Send-required body whose binding a SiteHeld site names
// (a guard returned by a method, perhaps of another crate, or any other
// value rustc says is not Send: a `watch::Ref`, a `RefMut`, an `Rc`, a
// `Box<dyn Trait>`; scoping ends its life before the await whatever its
// type), and, for a SiteBody site, a `let g = x.m(..);` where m is a fn
// of this file declared to return that guard type. Guards already in
// found are skipped. A site guard's recv is nil: the Mutex is not visible.
func siteGuards(fc *fileCtx, found []*guard) []*guard {
	if len(fc.sites) == 0 {
		return nil
	}
	var out []*guard
	add := func(decl *sitter.Node, kind string) {
		for _, g := range found {
			if g.decl.Equal(decl) {
				return
			}
		}
		for _, g := range out {
			if g.decl.Equal(decl) {
				return
			}
		}
		if g := siteGuard(fc, decl, kind); g != nil {
			out = append(out, g)
		}
	}
	var fns *guardFnSet // guard-returning fns of this file
	for _, s := range fc.sites {
		kind := siteGuardKind(s.Type)
		if kind == "" && (s.Kind != SiteHeld || s.Type == "") {
			continue
		}
		switch s.Kind {
		case SiteHeld:
			if kind == "" {
				// Not a lock guard: the type as rustc names it.
				kind = s.Type
			}
			if decl := letAt(fc.root, s.off); decl != nil && bindsAt(decl, s.off) {
				add(decl, kind)
			}
		case SiteBody:
			if fns == nil {
				fns = &guardFnSet{decls: guardFns(fc.src, fc.root), src: fc.src, root: fc.root}
			}
			b := innermostBody(fc.bodies, s.off)
			if b == nil {
				continue
			}
			walk(b.block, func(n *sitter.Node) bool {
				if n != b.block && isFutureBoundary(n) {
					return false
				}
				if n.Type() == "let_declaration" {
					if v := unparen(n.ChildByFieldName("value")); v != nil && v.Type() == "call_expression" && fns.kind(fc.src, v) == kind {
						add(n, kind)
					}
				}
				return true
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].decl.StartByte() < out[j].decl.StartByte() })
	return out
}

// siteGuard builds and traces the guard bound by decl, or returns nil when
// decl is not a plain `let name = <value>;` statement of a Send-required
// body (a call, for a lock guard) or the guard is not alive at an await.
func siteGuard(fc *fileCtx, decl *sitter.Node, kind string) *guard {
	if decl.ChildByFieldName("alternative") != nil {
		return nil
	}
	pat := decl.ChildByFieldName("pattern")
	if pat != nil && pat.Type() == "mut_pattern" && pat.NamedChildCount() == 1 {
		pat = pat.NamedChild(0)
	}
	val := unparen(decl.ChildByFieldName("value"))
	if pat == nil || pat.Type() != "identifier" || val == nil || siteGuardKind(kind) != "" && val.Type() != "call_expression" {
		return nil
	}
	block := decl.Parent()
	if block == nil || block.Type() != "block" {
		return nil
	}
	b := innermostBody(fc.bodies, int(decl.StartByte()))
	if b == nil || !b.send {
		return nil
	}
	stmts := statements(block)
	at := -1
	for i, s := range stmts {
		if s.Equal(decl) {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	g := &guard{name: text(fc.src, pat), kind: kind, decl: decl, lock: val,
		block: block, body: b, stmts: stmts, at: at, bind: pat}
	if !g.trace(fc) {
		return nil
	}
	return g
}

// bindsAt reports whether off lies in decl before the end of its pattern
// (rustc's span of a held binding starts at `mut`): a site in the value is
// a temporary of that expression, not the binding.
func bindsAt(decl *sitter.Node, off int) bool {
	pat := decl.ChildByFieldName("pattern")
	return pat != nil && int(decl.StartByte()) <= off && off < int(pat.EndByte())
}

// letAt returns the innermost let_declaration that holds off.
func letAt(root *sitter.Node, off int) *sitter.Node {
	var best *sitter.Node
	walk(root, func(n *sitter.Node) bool {
		if int(n.StartByte()) > off || int(n.EndByte()) <= off {
			return false
		}
		if n.Type() == "let_declaration" {
			best = n
		}
		return true
	})
	return best
}

// guardFns maps the fns of the file whose declared return type is a lock
// guard, by guardDeclKey, to that guard's kind.
func guardFns(src []byte, root *sitter.Node) map[string]string {
	out := map[string]string{}
	var tokioGuards map[string]bool
	// Only subtrees whose text holds "Guard" can declare one: the walk
	// visits those alone instead of the whole tree.
	at := findAll(src, kwGuard)
	if len(at) == 0 {
		return out
	}
	walk(root, func(n *sitter.Node) bool {
		if !at.within(n.StartByte(), n.EndByte(), len(kwGuard)) {
			return false
		}
		if n.Type() == "function_item" && n.ChildByFieldName("return_type") != nil {
			if tokioGuards == nil {
				tokioGuards = tokioGuardImports(src, root)
			}
			if key, k := guardDeclKey(src, n, tokioGuards); key != "" {
				out[key] = k
			}
		}
		return true
	})
	return out
}
