package patterns

import (
	"bytes"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Guard-returning fns: calls that take a lock through a fn of the given
// files (`fn state(&self) -> MutexGuard<'_, T>`) are acquisitions too.

// importsParkingLot reports whether the file's bytes mention parking_lot:
// the prefilter's necessary condition for usesParkingLot (imports.go),
// which the rules ask.
func importsParkingLot(src []byte) bool {
	return bytes.Contains(src, []byte("parking_lot"))
}

// fileGuardFns returns the guard-returning fns visible to fc: those of the
// file and, through the Index, of the other files given.
func fileGuardFns(fc *fileCtx) *guardFnSet {
	set := &guardFnSet{decls: guardFns(fc.src, fc.root), src: fc.src, root: fc.root}
	if fc.idx != nil {
		for n, k := range fc.idx.guardDecls {
			if set.decls[n] == "" {
				set.decls[n] = k
			}
		}
	}
	return set
}

// A guard-returning fn is matched to calls by the shape of its
// declaration, never by its name alone (names are not resolved, and
// adapters such as lock_api's or tokio's `RwLockReadGuard::map`,
// `downgrade` and `upgrade` share their names with everyday methods).
// guardDeclKey gives the key a declaration is indexed under:
//   - "name" for a free fn: matched by `name(..)` and `path::name(..)`
//     (a lower-case path: a module);
//   - "Type::name" for an associated fn without self in `impl Type`:
//     matched by `Type::name(..)`, and `Self::name(..)` inside an impl of
//     Type;
//   - "Type.name" for a method (a self parameter) of `impl Type` or of
//     `trait Type`: matched by `self.name(..)` and `Self::name(..)` inside
//     an impl of Type, `Type::name(..)`, and `x.name(..)` only when no
//     other guard-returning fn and no other fn of the calling file is
//     called `name` and `name` is not a common std method name
//     (commonMethods).
//
// Fns declared in an impl of a guard type itself (`impl<'a, T>
// RwLockReadGuard<'a, T>`) are adapters of a guard already held, not
// acquisitions, and fns whose guard type is tokio's (a `tokio::` path, or
// the guard type imported from tokio) return a Send guard: neither is
// indexed.
func guardDeclKey(src []byte, fn *sitter.Node, tokioGuards map[string]bool) (key, kind string) {
	rt := fn.ChildByFieldName("return_type")
	if rt == nil {
		return "", ""
	}
	ty := strings.Join(strings.Fields(text(src, rt)), "")
	kind = siteGuardKind(ty)
	if kind == "" || strings.Contains(ty, "tokio::") || tokioGuards[kind] && !strings.Contains(ty, "std::") {
		return "", ""
	}
	name := fnName(src, fn)
	list := fn.Parent()
	if list == nil || list.Type() != "declaration_list" || list.Parent() == nil {
		return name, kind
	}
	owner := list.Parent()
	var tn string
	switch owner.Type() {
	case "impl_item":
		tn = typeBaseName(src, owner.ChildByFieldName("type"))
	case "trait_item":
		tn = text(src, owner.ChildByFieldName("name"))
	default:
		return name, kind
	}
	if tn == "" || strings.HasSuffix(tn, "Guard") {
		return "", ""
	}
	if hasSelfParam(fn) {
		return tn + "." + name, kind
	}
	return tn + "::" + name, kind
}

// tokioGuardImports returns the guard kinds the file imports from tokio
// at its top level (`use tokio::sync::{Mutex, MutexGuard};`): those are
// Send.
func tokioGuardImports(src []byte, root *sitter.Node) map[string]bool {
	var out map[string]bool
	for _, l := range topImports(src, root) {
		if !strings.HasPrefix(l.path, "tokio::") {
			continue
		}
		switch l.local {
		case "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard":
			if out == nil {
				out = map[string]bool{}
			}
			out[l.local] = true
		}
	}
	return out
}

// typeBaseName is the last path segment of a type without its generic
// arguments: `Shared` of `crate::Shared<T>`, or "".
func typeBaseName(src []byte, ty *sitter.Node) string {
	for ty != nil {
		switch ty.Type() {
		case "generic_type":
			ty = ty.ChildByFieldName("type")
		case "scoped_type_identifier":
			ty = ty.ChildByFieldName("name")
		case "type_identifier", "identifier":
			return text(src, ty)
		default:
			return ""
		}
	}
	return ""
}

// hasSelfParam reports whether a function_item takes self.
func hasSelfParam(fn *sitter.Node) bool {
	ps := fn.ChildByFieldName("parameters")
	if ps == nil {
		return false
	}
	for _, p := range namedChildren(ps) {
		if p.Type() == "self_parameter" {
			return true
		}
	}
	return false
}

// commonMethods are method names std, lock_api, parking_lot and tokio
// types declare: `x.name(..)` with one of these names is never taken for
// a guard-returning method of the given files.
var commonMethods = map[string]bool{
	"map": true, "map_err": true, "try_map": true, "and_then": true, "downgrade": true, "upgrade": true,
	"upgradable_read": true, "lock": true, "read": true, "write": true, "try_lock": true, "try_read": true,
	"try_write": true, "get": true, "get_mut": true, "borrow": true, "borrow_mut": true, "as_ref": true,
	"as_mut": true, "deref": true, "deref_mut": true, "clone": true, "take": true, "into_inner": true,
	"unwrap": true, "expect": true, "iter": true, "next": true, "first": true, "last": true, "entry": true,
	"insert": true, "remove": true, "push": true, "pop": true, "load": true, "inner": true, "new": true,
	"default": true, "from": true, "into": true, "leak": true, "unlocked": true, "bump": true,
}

// guardFnSet is the guard-returning fns a file can call: its own and
// those of the other files given, by guardDeclKey.
type guardFnSet struct {
	decls map[string]string
	src   []byte
	root  *sitter.Node
	local map[string]bool // names of the file's fns, built on first need
}

// kind returns the guard type call returns when it calls one of the
// set's fns (see guardDeclKey for what matches), or "".
func (s *guardFnSet) kind(src []byte, call *sitter.Node) string {
	if s == nil || len(s.decls) == 0 {
		return ""
	}
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil {
		return ""
	}
	switch fn.Type() {
	case "identifier":
		return s.decls[text(src, fn)]
	case "scoped_identifier":
		name := text(src, fn.ChildByFieldName("name"))
		p := fn.ChildByFieldName("path")
		if p == nil {
			return s.decls[name] // `::name(..)`
		}
		var path string
		switch p.Type() {
		case "crate", "super", "self":
			return s.decls[name] // a module path
		case "scoped_identifier":
			path = text(src, p.ChildByFieldName("name"))
		default:
			path = typeBaseName(src, p)
		}
		if path == "Self" {
			path = implTypeOf(src, call)
		}
		switch {
		case path == "":
			return ""
		case !isTypeName(path):
			return s.decls[name] // a module path
		case strings.HasSuffix(path, "Guard"):
			return ""
		}
		if k := s.decls[path+"::"+name]; k != "" {
			return k
		}
		return s.decls[path+"."+name]
	case "field_expression":
		name := text(src, fn.ChildByFieldName("field"))
		if recv := unparen(fn.ChildByFieldName("value")); recv != nil && recv.Type() == "self" {
			if t := implTypeOf(src, call); t != "" && s.decls[t+"."+name] != "" {
				return s.decls[t+"."+name]
			}
		}
		if commonMethods[name] {
			return ""
		}
		kind, n := "", 0
		for k, v := range s.decls {
			if k == name || strings.HasSuffix(k, "."+name) || strings.HasSuffix(k, "::"+name) {
				n++
				if strings.HasSuffix(k, "."+name) {
					kind = v
				}
			}
		}
		if n != 1 || kind == "" || s.otherLocal(name) {
			return ""
		}
		return kind
	}
	return ""
}

// otherLocal reports whether the calling file declares a fn called name
// that does not return a guard: then `x.name(..)` may well be that one.
func (s *guardFnSet) otherLocal(name string) bool {
	if s.local == nil {
		s.local = map[string]bool{}
		tg := tokioGuardImports(s.src, s.root)
		walk(s.root, func(n *sitter.Node) bool {
			if n.Type() == "function_signature_item" {
				s.local[fnName(s.src, n)] = true
			}
			if n.Type() == "function_item" {
				if k, _ := guardDeclKey(s.src, n, tg); k == "" {
					s.local[fnName(s.src, n)] = true
				}
			}
			return true
		})
	}
	return s.local[name]
}

// implTypeOf returns the type of the impl (or the trait) n is written in,
// or "".
func implTypeOf(src []byte, n *sitter.Node) string {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "impl_item":
			return typeBaseName(src, p.ChildByFieldName("type"))
		case "trait_item":
			return text(src, p.ChildByFieldName("name"))
		}
	}
	return ""
}

// isTypeName reports whether a path segment names a type (by Rust's
// naming convention: it starts with an upper-case letter).
func isTypeName(s string) bool {
	return s != "" && s[0] >= 'A' && s[0] <= 'Z'
}
