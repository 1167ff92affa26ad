package patterns

import (
	"slices"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// rcUse is a `use` of std::rc, std::sync or std::cell items.
type rcUse struct {
	decl  *sitter.Node
	path  string   // "std::rc"
	names []string // imported names, in order
	list  bool     // written as a {..} group
	arg   *sitter.Node
	plain bool // only plain names (no `as`, `self`, nested paths)
}

// isRcGlob reports whether u is `use std::rc::*;`.
func (r *rcFile) isRcGlob(u *rcUse) bool {
	a := u.decl.ChildByFieldName("argument")
	return a != nil && a.Type() == "use_wildcard" &&
		strings.TrimPrefix(strings.Join(strings.Fields(text(r.src, a)), ""), "::") == "std::rc::*"
}

// stdUses returns the file's imports of the std modules the rule edits.
func (r *rcFile) stdUses() []*rcUse {
	if r.usesCache != nil {
		return r.usesCache
	}
	out := []*rcUse{}
	defer func() { r.usesCache = out }()
	walk(r.fc.root, func(n *sitter.Node) bool {
		if n.Type() != "use_declaration" {
			return n.Type() == "source_file" || n.Type() == "declaration_list" || n.Type() == "mod_item"
		}
		arg := n.ChildByFieldName("argument")
		if arg == nil {
			return false
		}
		u := &rcUse{decl: n, arg: arg, plain: true}
		switch arg.Type() {
		case "scoped_identifier":
			u.path = strings.TrimPrefix(text(r.src, arg.ChildByFieldName("path")), "::")
			u.names = []string{text(r.src, arg.ChildByFieldName("name"))}
		case "scoped_use_list":
			u.path = strings.TrimPrefix(text(r.src, arg.ChildByFieldName("path")), "::")
			u.list = true
			for _, c := range namedChildren(arg.ChildByFieldName("list")) {
				if c.Type() != "identifier" {
					u.plain = false
				}
				u.names = append(u.names, text(r.src, c))
			}
		default:
			u.plain = false
		}
		switch u.path {
		case "std::rc", "std::sync", "std::cell", "std::sync::atomic":
			out = append(out, u)
		default:
			// Another module's Mutex/Arc/Weak: remember the names only.
			out = append(out, &rcUse{decl: n, path: "other", names: strings.FieldsFunc(text(r.src, arg), func(c rune) bool {
				return !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
			})})
		}
		return false
	})
	return out
}

// importNeeds is what the fixed groups need of the imports.
type importNeeds struct {
	arc, mutex, weak bool
	atomics          []string        // atomic types written bare
	ordering         bool            // `Ordering::SeqCst` written bare
	changed, remain  map[string]bool // words some edit changes, words a mention left spells bare
}

// needs gathers what the groups that have a fix need of the imports.
func (r *rcFile) needs(groups []*rcGroup) *importNeeds {
	n := &importNeeds{changed: map[string]bool{}, remain: map[string]bool{}}
	owned := map[*rcMention]bool{}
	for _, g := range groups {
		if g.refused != nil {
			continue
		}
		for m := range g.owned {
			owned[m] = true
			n.changed[m.word] = true
		}
		n.arc = n.arc || g.needArc
		n.mutex = n.mutex || g.needMutex
		n.weak = n.weak || g.weak
		n.ordering = n.ordering || g.ordering && r.seqCst() == seqCst
		for _, a := range g.atomics {
			if !slices.Contains(n.atomics, a) {
				n.atomics = append(n.atomics, a)
			}
		}
	}
	for _, m := range r.mentions {
		if !owned[m] && !m.full {
			n.remain[m.word] = true
		}
	}
	return n
}

// seqCst returns how an edit spells the SeqCst ordering: bare, unless
// the file has an `Ordering` of its own or of another module (std::cmp's).
func (r *rcFile) seqCst() string {
	if r.orderingPath == "" {
		r.orderingPath = seqCst
		if _, ok := r.env().defs["Ordering"]; ok {
			r.orderingPath = "std::sync::atomic::" + seqCst
		}
		for _, u := range r.stdUses() {
			if u.path != "std::sync::atomic" && slices.Contains(u.names, "Ordering") {
				r.orderingPath = "std::sync::atomic::" + seqCst
			}
		}
	}
	return r.orderingPath
}

// imports returns the import edits for every group that has a fix, or
// why none can be made. The edits are the same for every group, so the
// engine accepts them once (identical edits count once).
func (r *rcFile) imports(groups []*rcGroup) ([]rewrite.Edit, *refusal) {
	need := r.needs(groups)
	drops := need.changed["Rc"] || need.changed["RefCell"] || need.changed["Cell"]
	if !need.arc && !need.mutex && !need.weak && len(need.atomics) == 0 && !need.ordering && !drops {
		return nil, nil
	}
	uses := r.stdUses()
	imported := func(path, name string) bool {
		for _, u := range uses {
			if u.path == path && slices.Contains(u.names, name) {
				return true
			}
		}
		return false
	}
	for _, name := range []string{"Arc", "Mutex", "Weak"} {
		for _, u := range uses {
			if u.path == "other" && !imported("std::sync", name) {
				for _, n := range u.names {
					if n == name && (name == "Arc" && need.arc || name == "Mutex" && need.mutex) {
						return nil, refuse(refusePlacement, 0, "`%s` in this file is imported from elsewhere (line %d); not changed", name, lineOf(r.src, int(u.decl.StartByte())))
					}
				}
			}
		}
	}
	if need.weak && need.remain["Weak"] {
		return nil, refuse(refuseShape, 0, "std::rc::Weak stays in use elsewhere in the file, so std::sync::Weak cannot take its name; not changed")
	}
	var add, addAtomic []string
	for _, n := range []struct {
		name string
		on   bool
	}{{"Arc", need.arc}, {"Mutex", need.mutex}, {"Weak", need.weak}} {
		if n.on && !imported("std::sync", n.name) {
			add = append(add, n.name)
		}
	}
	slices.Sort(need.atomics)
	for _, a := range append(append([]string(nil), need.atomics...), "Ordering") {
		if (a != "Ordering" || need.ordering) && !imported("std::sync::atomic", a) {
			addAtomic = append(addAtomic, a)
		}
	}
	nl := r.fc.style.Newline
	var edits []rewrite.Edit
	// Merge into an existing std::sync (std::sync::atomic) import.
	for _, u := range uses {
		switch {
		case len(add) > 0 && u.path == "std::sync" && u.plain:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: "std::sync::{" + strings.Join(mergeNames(u.names, add), ", ") + "}"})
			add = nil
		case len(addAtomic) > 0 && u.path == "std::sync::atomic" && u.plain:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: "std::sync::atomic::{" + strings.Join(mergeNames(u.names, addAtomic), ", ") + "}"})
			addAtomic = nil
		}
	}
	for _, u := range uses {
		if u.path != "std::rc" && u.path != "std::cell" {
			continue
		}
		var keep []string
		for _, n := range u.names {
			drop := u.path == "std::rc" && (n == "Rc" && need.changed["Rc"] && !need.remain["Rc"] || n == "Weak" && need.weak) ||
				u.path == "std::cell" && (n == "RefCell" || n == "Cell") && need.changed[n] && !need.remain[n]
			if !drop {
				keep = append(keep, n)
			}
		}
		if len(keep) == len(u.names) {
			continue
		}
		if !u.plain {
			return nil, refuse(refuseShape, 0, "the import at line %d is too complex to rewrite; not changed", lineOf(r.src, int(u.decl.StartByte())))
		}
		switch {
		case len(keep) > 0:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: usePath(u.path, keep)})
		case u.path == "std::rc" && len(add) > 0:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: usePath("std::sync", add)})
			add = nil
			if len(addAtomic) > 0 {
				// rustfmt orders std::sync::atomic before std::sync::Arc.
				at := lineStart(r.src, int(u.decl.StartByte()))
				indent := string(r.src[at:u.decl.StartByte()])
				edits = append(edits, rewrite.Edit{Start: at, End: at, New: indent + "use " + usePath("std::sync::atomic", addAtomic) + ";" + nl})
				addAtomic = nil
			}
		default:
			edits = append(edits, r.removeUse(u))
		}
	}
	// In rustfmt's order: the module `atomic` before the types.
	var lines []string
	if len(addAtomic) > 0 {
		lines = append(lines, "use "+usePath("std::sync::atomic", addAtomic)+";")
	}
	if len(add) > 0 {
		lines = append(lines, "use "+usePath("std::sync", add)+";")
	}
	if len(lines) > 0 {
		at, indent := r.newUseAt(uses)
		edits = append(edits, rewrite.Edit{Start: at, End: at, New: indent + strings.Join(lines, nl+indent) + nl})
	}
	return edits, nil
}

// removeUse returns the edit that deletes a use declaration, with its line
// when nothing else is on it.
func (r *rcFile) removeUse(u *rcUse) rewrite.Edit {
	s, e := int(u.decl.StartByte()), int(u.decl.EndByte())
	ls, le := lineStart(r.src, s), lineEnd(r.src, e)
	if strings.TrimSpace(string(r.src[ls:s])) != "" || strings.TrimSpace(string(r.src[e:le])) != "" {
		return rewrite.Edit{Start: s, End: e}
	}
	end := le
	if end < len(r.src) {
		end = le + len(r.fc.style.Newline)
		if r.src[le] == '\n' {
			end = le + 1
		}
	}
	return rewrite.Edit{Start: ls, End: end}
}

// newUseAt returns where a new use line goes, and its indentation: after
// the std::rc import (kept), else before the first item of the file.
func (r *rcFile) newUseAt(uses []*rcUse) (int, string) {
	for _, u := range uses {
		if u.path == "std::rc" || r.isRcGlob(u) {
			e := lineEnd(r.src, int(u.decl.EndByte()))
			if e < len(r.src) {
				at := e + 1
				if r.src[e] == '\r' {
					at = e + 2
				}
				return at, string(r.src[lineStart(r.src, int(u.decl.StartByte())):u.decl.StartByte()])
			}
			break
		}
	}
	if r.fc.root.NamedChildCount() == 0 {
		return 0, ""
	}
	first := r.fc.root.NamedChild(0)
	for i := 0; i < int(r.fc.root.NamedChildCount()); i++ {
		c := r.fc.root.NamedChild(i)
		if c.Type() != "line_comment" && c.Type() != "block_comment" && c.Type() != "inner_attribute_item" {
			first = c
			break
		}
	}
	return lineStart(r.src, int(first.StartByte())), ""
}

// importedFrom returns the module a bare name is imported from by a `use`
// of the file (`tokio::sync` for `use tokio::sync::Mutex;`), or "".
// The type walk asks it for every name it meets: the answers are kept.
func (r *rcFile) importedFrom(name string) string {
	if m, ok := r.imported[name]; ok {
		return m
	}
	m := r.importedFromUses(name)
	if r.imported == nil {
		r.imported = map[string]string{}
	}
	r.imported[name] = m
	return m
}

func (r *rcFile) importedFromUses(name string) string {
	for _, u := range r.stdUses() {
		a := u.decl.ChildByFieldName("argument")
		if a == nil {
			continue
		}
		switch a.Type() {
		case "scoped_identifier":
			if text(r.src, a.ChildByFieldName("name")) == name {
				return strings.TrimPrefix(strings.Join(strings.Fields(text(r.src, a.ChildByFieldName("path"))), ""), "::")
			}
		case "scoped_use_list":
			for _, c := range namedChildren(a.ChildByFieldName("list")) {
				if c.Type() == "identifier" && text(r.src, c) == name {
					return strings.TrimPrefix(strings.Join(strings.Fields(text(r.src, a.ChildByFieldName("path"))), ""), "::")
				}
			}
		}
	}
	return ""
}

// usePath renders `path::Name` or `path::{A, B}`.
func usePath(path string, names []string) string {
	if len(names) == 1 {
		return path + "::" + names[0]
	}
	return path + "::{" + strings.Join(names, ", ") + "}"
}

// mergeNames inserts each added name before the first existing name that
// sorts after it, keeping the existing order otherwise.
func mergeNames(have, add []string) []string {
	out := append([]string(nil), have...)
	for _, a := range add {
		i := 0
		for i < len(out) && out[i] < a {
			i++
		}
		out = append(out[:i], append([]string{a}, out[i:]...)...)
	}
	return out
}
