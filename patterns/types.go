package patterns

import (
	"bytes"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Send and Sync by containment, as rustc computes the auto traits: a
// struct, enum or union is Send when every field is (unless an `unsafe
// impl Send` says so), a type alias is what it names, and the standard
// types follow their own rules (`Rc` is neither; `RefCell<T>` is Send
// when T is and never Sync; `Arc<T>` is both when T is both; `&T` is Send
// when T is Sync; `dyn Trait` is Send only when a bound or a supertrait
// says so). The model reads types as spelled: a type it cannot see into
// (another crate's, a generic parameter, a projection) is taken to be
// Send and Sync, so that code that compiles gets no finding. What it finds
// is a lack: the type that lacks the trait on its own (an `Rc<Config>`, a
// `dyn FnMut(u32)`) and the way to it ("field `config` of `Client`"), as
// rustc's "within `Client`, the trait `Send` is not implemented for
// `Rc<Config>`" says.

// autoTrait is Send or Sync.
type autoTrait uint8

const (
	traitSend autoTrait = iota + 1
	traitSync
)

func (t autoTrait) String() string {
	if t == traitSync {
		return "Sync"
	}
	return "Send"
}

// tyKind says what shape a ty has.
type tyKind uint8

const (
	tyOpaque tyKind = iota // the model cannot see into it: taken as Send and Sync
	tyPath                 // a named type and its generic arguments: `Rc<Config>`, `u32`, `T`
	tyRef                  // `&T`: args[0] is T
	tyRefMut               // `&mut T`
	tyPtr                  // `*const T`, `*mut T`: neither Send nor Sync
	tyDyn                  // `dyn A + B`
	tyElems                // a tuple, array or slice: as its elements
)

// ty is a type as spelled, lowered to what Send and Sync depend on.
type ty struct {
	kind   tyKind
	name   string   // tyPath: the last path segment; tyDyn: the principal trait's
	path   string   // tyPath: the path without generics or spaces (`std::rc::Rc`)
	args   []*ty    // the generic type arguments, the referent, the elements
	bounds []string // tyDyn: the last segment of every bound (`Send`, `Any`, `FnMut`)
	text   string   // as spelled, white space compacted, for messages
	// node is where the type is spelled in the file being analysed (nil
	// for a type of another file); for tyPath, node is the name (`Rc` or
	// `std::rc::Rc` of `Rc<T>`), otherwise the whole type.
	node *sitter.Node
}

// at returns the start of t's node in the file, or -1.
func (t *ty) at() int {
	if t == nil || t.node == nil {
		return -1
	}
	return int(t.node.StartByte())
}

// stdPathPrefixes are the module paths whose types the std table describes
// (tokio's and parking_lot's locks have the auto traits of std's).
var stdPathPrefixes = []string{"std::", "core::", "alloc::", "tokio::sync::", "parking_lot::"}

// lowerType returns the ty a type node spells. self is the type `Self`
// stands for (nil outside an impl).
func lowerType(src []byte, n *sitter.Node, self *ty) *ty {
	if n == nil {
		return &ty{kind: tyOpaque}
	}
	t := &ty{text: compactText(src, n), node: n}
	switch n.Type() {
	case "type_identifier", "scoped_type_identifier", "scoped_identifier", "identifier":
		t.kind = tyPath
		t.path = strings.TrimPrefix(strings.Join(strings.Fields(text(src, n)), ""), "::")
		t.name = lastSegment(t.path)
		if t.path == "Self" && self != nil {
			return self
		}
		if strings.Contains(t.path, "<") || strings.Contains(t.path, ">") {
			t.kind = tyOpaque // a qualified path (`<T as Tr>::Out`)
		}
	case "generic_type":
		base := lowerType(src, n.ChildByFieldName("type"), self)
		if base.kind != tyPath {
			return &ty{kind: tyOpaque, text: t.text, node: n}
		}
		t.kind, t.path, t.name, t.node = tyPath, base.path, base.name, base.node
		if ta := n.ChildByFieldName("type_arguments"); ta != nil {
			for _, a := range namedChildren(ta) {
				switch a.Type() {
				case "lifetime", "line_comment", "block_comment", "type_binding", "integer_literal", "block":
					continue
				}
				t.args = append(t.args, lowerType(src, a, self))
			}
		}
	case "reference_type":
		t.kind = tyRef
		for i := 0; i < int(n.ChildCount()); i++ {
			if n.Child(i).Type() == "mutable_specifier" {
				t.kind = tyRefMut
			}
		}
		t.args = []*ty{lowerType(src, n.ChildByFieldName("type"), self)}
	case "pointer_type":
		t.kind = tyPtr
	case "dynamic_type", "bounded_type":
		t.kind = tyDyn
		dynBounds(src, n, t)
		if t.name == "" {
			t.kind = tyOpaque // `impl A + B` bounded, or no trait at all
		}
	case "tuple_type":
		t.kind = tyElems
		for _, c := range namedChildren(n) {
			t.args = append(t.args, lowerType(src, c, self))
		}
	case "array_type":
		t.kind = tyElems
		t.args = []*ty{lowerType(src, n.ChildByFieldName("element"), self)}
	default:
		// primitive, unit, never, fn pointers (Send and Sync);
		// `impl Trait` (its auto traits leak from the hidden type, which
		// the syntax does not show); qualified paths, macros.
		t.kind = tyOpaque
	}
	return t
}

// dynBounds fills a tyDyn from a `dyn A + B + 'a` type: the principal
// trait (the first bound that is not an auto trait or a lifetime) and
// every bound's last segment.
func dynBounds(src []byte, n *sitter.Node, t *ty) {
	var add func(b *sitter.Node)
	add = func(b *sitter.Node) {
		switch b.Type() {
		case "bounded_type":
			for _, c := range namedChildren(b) {
				add(c)
			}
		case "dynamic_type":
			add(b.ChildByFieldName("trait"))
		case "function_type":
			add(b.ChildByFieldName("trait"))
		case "generic_type":
			add(b.ChildByFieldName("type"))
		case "type_identifier", "scoped_type_identifier":
			p := strings.Join(strings.Fields(text(src, b)), "")
			name := lastSegment(p)
			t.bounds = append(t.bounds, name)
			if t.name == "" && name != "Send" && name != "Sync" {
				t.name = name
			}
		}
	}
	if n.Type() == "bounded_type" && !isDynBounded(n) {
		return // `impl A + B` or a lifetime bound alone
	}
	add(n)
}

// isDynBounded reports whether a bounded_type is a trait object with
// extra bounds (`dyn A + Send`), not `impl A + B`.
func isDynBounded(n *sitter.Node) bool {
	for c := n; c != nil; {
		if c.Type() == "dynamic_type" {
			return true
		}
		if c.Type() != "bounded_type" || c.NamedChildCount() == 0 {
			return false
		}
		c = c.NamedChild(0)
	}
	return false
}

// lastSegment returns the last segment of a path: `Rc` of `std::rc::Rc`.
func lastSegment(path string) string {
	if i := strings.LastIndex(path, "::"); i >= 0 {
		return path[i+2:]
	}
	return path
}

// typeDef is a struct, enum, union, type alias or trait definition, as far
// as Send and Sync depend on it.
type typeDef struct {
	name     string
	kind     string   // "struct" (also enums and unions), "alias", "trait"
	generics []string // the type parameters' names, in order
	fields   []typeField
	alias    *ty      // kind "alias": the type it names
	supers   []string // kind "trait": the last segment of each supertrait
	// send and sync are set when an `unsafe impl Send` (Sync) for the
	// type is written: the fields do not decide then.
	send, sync bool
	node       *sitter.Node // the item, in the file being analysed (nil elsewhere)
	path       string       // the file that defines it, for a type of another file
	// cfg is set for a definition under a `#[cfg(..)]` (on the item or a
	// module around it; `#[cfg(test)]` excepted): another configuration
	// may define the name otherwise, or re-export a std item under it
	// (`pub use core::marker::Send as MaybeSend;`), so it proves nothing
	// is lacking.
	cfg bool
}

// typeField is a field of a struct, or of an enum's variant.
type typeField struct {
	name string // `config`, `0` for a tuple field, `Variant.x` in an enum
	t    *ty
}

// fileTypeDefs returns the type definitions written at the top of a file
// or in its modules (not those inside fns), and records `unsafe impl Send`
// and `unsafe impl Sync` on them. Only the items are visited, not their
// bodies.
func fileTypeDefs(src []byte, root *sitter.Node) map[string][]*typeDef {
	defs := map[string][]*typeDef{}
	var impls []autoImpl
	walk(root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "source_file", "declaration_list":
			return true
		case "mod_item":
			return n.ChildByFieldName("body") != nil
		case "struct_item", "union_item", "enum_item", "type_item", "trait_item":
			if d := lowerDef(src, n); d != nil {
				d.cfg = cfgGated(src, n)
				defs[d.name] = append(defs[d.name], d)
			}
		case "impl_item":
			tr := n.ChildByFieldName("trait")
			if tr == nil || !strings.HasPrefix(text(src, n), "unsafe") {
				return false
			}
			name := text(src, tr)
			name = lastSegment(name)
			if name == "Send" || name == "Sync" {
				if self := lowerType(src, n.ChildByFieldName("type"), nil); self.kind == tyPath {
					impls = append(impls, autoImpl{self.name, map[string]autoTrait{"Send": traitSend, "Sync": traitSync}[name]})
				}
			}
		}
		return false
	})
	markImpls(defs, impls)
	return defs
}

// cfgGated reports whether item n, or a module around it, carries a
// `#[cfg(..)]` attribute other than `#[cfg(test)]`.
func cfgGated(src []byte, n *sitter.Node) bool {
	for ; n != nil; n = n.Parent() {
		if n.Type() == "source_file" {
			return false
		}
		if n.Type() != "mod_item" && n.Type() != "declaration_list" && n.Parent() != nil && n.Parent().Type() != "source_file" && n.Parent().Type() != "declaration_list" {
			continue
		}
		for a := n.PrevSibling(); a != nil; a = a.PrevSibling() {
			if t := a.Type(); t == "line_comment" || t == "block_comment" {
				continue
			} else if t != "attribute_item" {
				break
			}
			if attr := strings.Join(strings.Fields(text(src, a)), ""); strings.HasPrefix(attr, "#[cfg(") && attr != "#[cfg(test)]" {
				return true
			}
		}
	}
	return false
}

// autoImpl is an `unsafe impl Send` (or Sync) for the type called name.
type autoImpl struct {
	name  string
	trait autoTrait
}

// markImpls records the unsafe impls of Send and Sync on the definitions
// of their types.
func markImpls(defs map[string][]*typeDef, impls []autoImpl) {
	for _, im := range impls {
		for _, d := range defs[im.name] {
			if im.trait == traitSend {
				d.send = true
			} else {
				d.sync = true
			}
		}
	}
}

// lowerDef returns the typeDef of an item node, or nil.
func lowerDef(src []byte, n *sitter.Node) *typeDef {
	d := &typeDef{name: text(src, n.ChildByFieldName("name")), kind: "struct", node: n}
	if d.name == "" {
		return nil
	}
	if tp := n.ChildByFieldName("type_parameters"); tp != nil {
		for _, p := range namedChildren(tp) {
			switch p.Type() {
			case "type_identifier":
				d.generics = append(d.generics, text(src, p))
			case "constrained_type_parameter":
				d.generics = append(d.generics, text(src, p.ChildByFieldName("left")))
			case "optional_type_parameter":
				d.generics = append(d.generics, text(src, p.ChildByFieldName("name")))
			}
		}
	}
	self := &ty{kind: tyPath, name: d.name, path: d.name}
	for _, g := range d.generics {
		self.args = append(self.args, &ty{kind: tyPath, name: g, path: g})
	}
	fieldsOf := func(prefix string, body *sitter.Node) {
		if body == nil {
			return
		}
		i := 0
		for c := 0; c < int(body.NamedChildCount()); c++ {
			f := body.NamedChild(c)
			switch {
			case f.Type() == "field_declaration":
				d.fields = append(d.fields, typeField{prefix + text(src, f.ChildByFieldName("name")), lowerType(src, f.ChildByFieldName("type"), self)})
			case body.Type() == "ordered_field_declaration_list" && f.Type() != "visibility_modifier" &&
				f.Type() != "attribute_item" && f.Type() != "line_comment" && f.Type() != "block_comment":
				d.fields = append(d.fields, typeField{prefix + strconv.Itoa(i), lowerType(src, f, self)})
				i++
			}
		}
	}
	switch n.Type() {
	case "struct_item", "union_item":
		fieldsOf("", n.ChildByFieldName("body"))
	case "enum_item":
		if body := n.ChildByFieldName("body"); body != nil {
			for _, v := range namedChildren(body) {
				if v.Type() == "enum_variant" {
					fieldsOf(text(src, v.ChildByFieldName("name"))+".", v.ChildByFieldName("body"))
				}
			}
		}
	case "type_item":
		d.kind = "alias"
		d.alias = lowerType(src, n.ChildByFieldName("type"), nil)
	case "trait_item":
		d.kind = "trait"
		if b := n.ChildByFieldName("bounds"); b != nil {
			for _, c := range namedChildren(b) {
				if c.Type() == "generic_type" {
					c = c.ChildByFieldName("type")
				}
				if c != nil && (c.Type() == "type_identifier" || c.Type() == "scoped_type_identifier") {
					p := text(src, c)
					d.supers = append(d.supers, lastSegment(p))
				}
			}
		}
	}
	return d
}

// typeDefs returns the definitions of a type name in the files the Index
// was built from that belong to the crate of the file at path (not that
// file's own, which the rule reads from its tree).
func (ix *Index) typeDefs(path, name string) []*typeDef {
	var out []*typeDef
	for _, d := range ix.types[name] {
		if d.path != path && ix.sameCrate(path, d.path) {
			out = append(out, d)
		}
	}
	if f := ix.files[path]; f != nil {
		if ct := ix.typesLater[f.crate]; ct != nil {
			out = ct.defsOf(name, path, out)
		}
	}
	return out
}

// sameCrate reports whether two files belong to one crate, as the Index
// placed them.
func (ix *Index) sameCrate(a, b string) bool {
	fa, fb := ix.files[a], ix.files[b]
	return fa != nil && fb != nil && fa.crate == fb.crate
}

// mayDeclareNotSend reports whether src spells a word that may make a
// type it declares not Send or not Sync: a std type with a rule of its
// own, a raw pointer, a trait object. The Index reads the definitions of
// these files only.
func mayDeclareNotSend(src []byte) bool {
	for _, w := range notSendWords {
		if hasWord(src, w) {
			return true
		}
	}
	return bytes.Contains(src, []byte("*const")) || bytes.Contains(src, []byte("*mut"))
}

// notSendWords are the names of the types mayDeclareNotSend looks for.
var notSendWords = [][]byte{[]byte("Rc"), []byte("Weak"), []byte("RefCell"), []byte("Cell"), []byte("UnsafeCell"),
	[]byte("OnceCell"), []byte("NonNull"), []byte("dyn"), []byte("MutexGuard")}
