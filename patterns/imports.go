package patterns

import (
	"bytes"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The import fact: every use declaration of a file, read from the tree
// once per pass, and what a name means where it is written. Rules ask it
// instead of reading use declarations (or the file's text) themselves;
// useEditor (imports_edit.go) changes them.

// useLeaf is one binding a use declaration makes: `Mutex` of
// `use std::sync::{Arc, Mutex};`, `M` of `use std::sync::Mutex as M;`,
// the module `sync` of `use std::sync::{self};`, or a glob.
type useLeaf struct {
	decl *sitter.Node // the use_declaration
	// node is the leaf in the use tree: an identifier, scoped_identifier,
	// self, use_as_clause or use_wildcard.
	node *sitter.Node
	// path is the full path without a leading `::` and without white
	// space: "std::sync::Mutex"; for `self` in a list, the list's prefix
	// ("std::sync"); for a glob, the module globbed ("std::sync").
	path  string
	name  string // the last segment of path ("Mutex", "sync")
	local string // the name bound: the alias, or name; "" for a glob
	glob  bool
	scope *sitter.Node // where the declaration sits: source_file, a module's declaration_list or a block
}

// module returns the path of the module the leaf imports from:
// "std::sync" of "std::sync::Mutex".
func (l useLeaf) module() string {
	if l.glob {
		return l.path
	}
	if i := strings.LastIndex(l.path, "::"); i >= 0 {
		return l.path[:i]
	}
	return ""
}

// fileImports is the import fact of one file.
type fileImports struct {
	src    []byte
	root   *sitter.Node
	decls  []*sitter.Node // every use_declaration, in source order
	leaves []useLeaf      // in source order
	// mods are the byte ranges of the bodies of inline modules: a use
	// outside one does not apply inside it.
	mods    [][2]uint32
	byLocal map[string][]int // local name -> indexes into leaves
}

// readImports reads the use declarations of the file at every depth.
// Only subtrees whose text holds `use` or `mod` can hold a declaration or
// a module: the walk visits those alone.
func readImports(src []byte, root *sitter.Node) *fileImports {
	im := &fileImports{src: src, root: root, byLocal: map[string][]int{}}
	uses, mods := findAll(src, []byte("use")), findAll(src, []byte("mod"))
	walkTyped(root, func(n *sitter.Node, typ string, _ *ancestors) bool {
		if !uses.within(n.StartByte(), n.EndByte(), 3) && !mods.within(n.StartByte(), n.EndByte(), 3) {
			return false
		}
		switch typ {
		case "use_declaration":
			im.decls = append(im.decls, n)
			scope := n.Parent()
			if arg := n.ChildByFieldName("argument"); arg != nil {
				for _, l := range useTreeLeaves(src, arg, "") {
					l.decl, l.scope = n, scope
					im.leaves = append(im.leaves, l)
				}
			}
			return false
		case "mod_item":
			if b := n.ChildByFieldName("body"); b != nil {
				im.mods = append(im.mods, [2]uint32{b.StartByte(), b.EndByte()})
			}
		case "line_comment", "block_comment", "string_literal", "raw_string_literal", "char_literal":
			return false
		}
		return true
	})
	for i, l := range im.leaves {
		if !l.glob {
			im.byLocal[l.local] = append(im.byLocal[l.local], i)
		}
	}
	return im
}

// topImports returns the leaves of the use declarations at the file's top
// level alone, without a walk of the tree.
func topImports(src []byte, root *sitter.Node) []useLeaf {
	var out []useLeaf
	for _, c := range namedChildren(root) {
		if c.Type() != "use_declaration" {
			continue
		}
		if arg := c.ChildByFieldName("argument"); arg != nil {
			for _, l := range useTreeLeaves(src, arg, "") {
				l.decl, l.scope = c, root
				out = append(out, l)
			}
		}
	}
	return out
}

// useTreeLeaves returns the leaves of a use tree under prefix (decl and
// scope unset).
func useTreeLeaves(src []byte, n *sitter.Node, prefix string) []useLeaf {
	join := func(a, b string) string {
		b = strings.TrimPrefix(b, "::")
		if a == "" {
			return b
		}
		return a + "::" + b
	}
	last := func(p string) string {
		if i := strings.LastIndex(p, "::"); i >= 0 {
			return p[i+2:]
		}
		return p
	}
	switch n.Type() {
	case "identifier", "scoped_identifier", "crate", "super", "metavariable":
		full := join(prefix, compact(text(src, n)))
		return []useLeaf{{node: n, path: full, name: last(full), local: last(full)}}
	case "self":
		// `{self}` binds the prefix's last segment.
		return []useLeaf{{node: n, path: prefix, name: last(prefix), local: last(prefix)}}
	case "use_as_clause":
		p := n.ChildByFieldName("path")
		full := prefix
		if p != nil && p.Type() != "self" {
			full = join(prefix, compact(text(src, p)))
		}
		return []useLeaf{{node: n, path: full, name: last(full), local: text(src, n.ChildByFieldName("alias"))}}
	case "scoped_use_list":
		pre := prefix
		if p := n.ChildByFieldName("path"); p != nil {
			pre = join(prefix, compact(text(src, p)))
		}
		return useTreeLeaves(src, n.ChildByFieldName("list"), pre)
	case "use_list":
		var out []useLeaf
		for _, c := range namedChildren(n) {
			out = append(out, useTreeLeaves(src, c, prefix)...)
		}
		return out
	case "use_wildcard":
		mod := prefix
		if c := n.NamedChild(0); c != nil {
			mod = join(prefix, compact(text(src, c)))
		}
		return []useLeaf{{node: n, path: mod, glob: true}}
	}
	return nil
}

// applies reports whether a use declaration in scope is in effect at the
// byte range of n: the scope holds n and no inline module between them
// starts a new name space.
func (im *fileImports) applies(scope *sitter.Node, n *sitter.Node) bool {
	if scope == nil {
		return false
	}
	s, e := n.StartByte(), n.EndByte()
	if scope.StartByte() > s || e > scope.EndByte() {
		return false
	}
	for _, m := range im.mods {
		if m[0] <= s && e <= m[1] && scope.StartByte() <= m[0] && m[1] <= scope.EndByte() && (m[0] != scope.StartByte() || m[1] != scope.EndByte()) {
			return false
		}
	}
	return true
}

// resolve returns the full path a use declaration in effect at n binds
// to the name local (the innermost one), and false when none does: the
// name is then a local item, a prelude name, or comes through a glob
// (see globsAt).
func (im *fileImports) resolve(n *sitter.Node, local string) (string, bool) {
	best := -1
	for _, i := range im.byLocal[local] {
		l := im.leaves[i]
		if !im.applies(l.scope, n) {
			continue
		}
		if best < 0 || contains(im.leaves[best].scope, l.scope) {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return im.leaves[best].path, true
}

// globsAt returns the modules glob-imported by declarations in effect
// at n.
func (im *fileImports) globsAt(n *sitter.Node) []string {
	var out []string
	for _, l := range im.leaves {
		if l.glob && im.applies(l.scope, n) {
			out = append(out, l.path)
		}
	}
	return out
}

// importing returns the leaves that import one of the paths (globs
// excluded).
func (im *fileImports) importing(paths ...string) []useLeaf {
	var out []useLeaf
	for _, l := range im.leaves {
		if l.glob {
			continue
		}
		for _, p := range paths {
			if l.path == p {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// boundIn returns the leaves of declarations directly in scope that bind
// the name local.
func (im *fileImports) boundIn(scope *sitter.Node, local string) []useLeaf {
	var out []useLeaf
	for _, i := range im.byLocal[local] {
		if im.leaves[i].scope == scope {
			out = append(out, im.leaves[i])
		}
	}
	return out
}

// locals returns every name bound by a use declaration of the file,
// whatever its scope.
func (im *fileImports) locals() map[string]bool {
	out := make(map[string]bool, len(im.byLocal))
	for k := range im.byLocal {
		out[k] = true
	}
	return out
}

// usesCrate reports whether the file names the crate as a path segment
// anywhere: in a use path (`parking_lot::Mutex`, or a re-export such as
// `deno_core::parking_lot::Mutex`), in a path in code, or as a token of a
// macro's arguments. Comments and strings do not count.
func (im *fileImports) usesCrate(name string) bool {
	if !bytes.Contains(im.src, []byte(name)) {
		return false // a necessary condition: the tree cannot name it
	}
	for _, l := range im.leaves {
		for _, seg := range strings.Split(l.path, "::") {
			if seg == name {
				return true
			}
		}
	}
	found := false
	at := findAll(im.src, []byte(name))
	walkTyped(im.root, func(n *sitter.Node, typ string, up *ancestors) bool {
		if found || !at.within(n.StartByte(), n.EndByte(), len(name)) {
			return false
		}
		switch typ {
		case "use_declaration", "line_comment", "block_comment", "string_literal", "raw_string_literal", "char_literal":
			return false
		case "identifier":
			// A path segment (`parking_lot::Mutex`, `x::parking_lot::Y`)
			// or a token of macro arguments; not a binding of that name.
			if text(im.src, n) == name {
				if p, pt := up.parent(); pt == "scoped_identifier" || pt == "scoped_type_identifier" || pt == "token_tree" || pt == "scoped_use_list" {
					found = p != nil
				}
			}
		}
		return !found
	})
	return found
}

// childrenOf returns all children of n, named or not, in order.
func childrenOf(n *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	c := sitter.NewTreeCursor(n)
	defer c.Close()
	for ok := c.GoToFirstChild(); ok; ok = c.GoToNextSibling() {
		out = append(out, c.CurrentNode())
	}
	return out
}

// imports returns the import fact of the pass, read on first need.
func (fc *fileCtx) imports() *fileImports {
	if fc.imp == nil {
		fc.imp = readImports(fc.src, fc.root)
	}
	return fc.imp
}

// usesParkingLot reports whether the file names parking_lot, whose
// lock() returns the guard itself (no LockResult).
func usesParkingLot(fc *fileCtx) bool {
	if !bytes.Contains(fc.src, []byte("parking_lot")) {
		return false // a necessary condition, checked before the fact is read
	}
	return fc.imports().usesCrate("parking_lot")
}
