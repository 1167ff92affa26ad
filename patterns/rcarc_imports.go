package patterns

import (
	"fmt"
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
	var out []*rcUse
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
		case "std::rc", "std::sync", "std::cell":
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

// imports returns the import edits for converting every group that has a
// fix, or why none can be made. The edits are the same for every group, so
// the engine accepts them once (identical edits count once).
func (r *rcFile) imports(groups []*rcGroup) ([]rewrite.Edit, string) {
	owned := map[*rcMention]bool{}
	needArc, needMutex, needWeak := false, false, false
	for _, g := range groups {
		if g.reason != "" {
			continue
		}
		for m := range g.owned {
			owned[m] = true
		}
		needArc = needArc || g.needArc
		needMutex = needMutex || g.needMutex
		needWeak = needWeak || g.weak
	}
	if !needArc && !needMutex && !needWeak {
		return nil, ""
	}
	remain := map[string]bool{}
	for _, m := range r.mentions {
		if !owned[m] && !m.full {
			remain[m.word] = true
		}
	}
	uses := r.stdUses()
	imported := func(path, name string) bool {
		for _, u := range uses {
			if u.path == path {
				for _, n := range u.names {
					if n == name {
						return true
					}
				}
			}
		}
		return false
	}
	for _, name := range []string{"Arc", "Mutex", "Weak"} {
		for _, u := range uses {
			if u.path == "other" && !imported("std::sync", name) {
				for _, n := range u.names {
					if n == name && (name == "Arc" && needArc || name == "Mutex" && needMutex) {
						return nil, fmt.Sprintf("`%s` in this file is imported from elsewhere (line %d); not changed", name, lineOf(r.src, int(u.decl.StartByte())))
					}
				}
			}
		}
	}
	if needWeak && remain["Weak"] {
		return nil, "std::rc::Weak stays in use elsewhere in the file, so std::sync::Weak cannot take its name; not changed"
	}
	var add []string
	if needArc && !imported("std::sync", "Arc") {
		add = append(add, "Arc")
	}
	if needMutex && !imported("std::sync", "Mutex") {
		add = append(add, "Mutex")
	}
	if needWeak && !imported("std::sync", "Weak") {
		add = append(add, "Weak")
	}
	nl := r.fc.style.Newline
	var edits []rewrite.Edit
	// Merge into an existing std::sync import.
	for _, u := range uses {
		if len(add) == 0 || u.path != "std::sync" || !u.plain {
			continue
		}
		names := mergeNames(u.names, add)
		edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: "std::sync::{" + strings.Join(names, ", ") + "}"})
		add = nil
	}
	for _, u := range uses {
		if u.path != "std::rc" && u.path != "std::cell" {
			continue
		}
		var keep []string
		for _, n := range u.names {
			drop := u.path == "std::rc" && (n == "Rc" && needArc && !remain["Rc"] || n == "Weak" && needWeak) ||
				u.path == "std::cell" && n == "RefCell" && needMutex && !remain["RefCell"]
			if !drop {
				keep = append(keep, n)
			}
		}
		if len(keep) == len(u.names) {
			continue
		}
		if !u.plain {
			return nil, fmt.Sprintf("the import at line %d is too complex to rewrite; not changed", lineOf(r.src, int(u.decl.StartByte())))
		}
		switch {
		case len(keep) > 0:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: usePath(u.path, keep)})
		case u.path == "std::rc" && len(add) > 0:
			edits = append(edits, rewrite.Edit{Start: int(u.arg.StartByte()), End: int(u.arg.EndByte()), New: usePath("std::sync", add)})
			add = nil
		default:
			s, e := int(u.decl.StartByte()), int(u.decl.EndByte())
			ls, le := lineStart(r.src, s), lineEnd(r.src, e)
			if strings.TrimSpace(string(r.src[ls:s])) != "" || strings.TrimSpace(string(r.src[e:le])) != "" {
				edits = append(edits, rewrite.Edit{Start: s, End: e})
				continue
			}
			end := le
			if end < len(r.src) {
				end = le + len(nl)
				if r.src[le] == '\n' {
					end = le + 1
				}
			}
			edits = append(edits, rewrite.Edit{Start: ls, End: end})
		}
	}
	if len(add) > 0 {
		// A new line after the std::rc import (kept), else before the
		// first item of the file.
		at, indent := -1, ""
		for _, u := range uses {
			if u.path == "std::rc" || r.isRcGlob(u) {
				e := lineEnd(r.src, int(u.decl.EndByte()))
				if e < len(r.src) {
					at = e + 1
					if r.src[e] == '\r' {
						at = e + 2
					}
				}
				indent = string(r.src[lineStart(r.src, int(u.decl.StartByte())):u.decl.StartByte()])
				break
			}
		}
		if at < 0 {
			at = 0
			if r.fc.root.NamedChildCount() > 0 {
				first := r.fc.root.NamedChild(0)
				for i := 0; i < int(r.fc.root.NamedChildCount()); i++ {
					c := r.fc.root.NamedChild(i)
					if c.Type() != "line_comment" && c.Type() != "block_comment" && c.Type() != "inner_attribute_item" {
						first = c
						break
					}
				}
				at = lineStart(r.src, int(first.StartByte()))
			}
		}
		edits = append(edits, rewrite.Edit{Start: at, End: at, New: indent + "use " + usePath("std::sync", add) + ";" + nl})
	}
	return edits, ""
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
