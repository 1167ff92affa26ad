package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// useEditor plans the edits of a file's use declarations: leaves dropped
// and names imported, merged into the declarations already there. It is
// the one use-list editor of the rules: calls record what is wanted,
// edits computes the edits of all of them together (several changes to
// one list must be made as one).
//
//	ed := newUseEditor(fc.imports(), fc.style)
//	ed.move(leaf, "tokio::sync")      // `use std::sync::{Arc, Mutex};` -> `use std::sync::Arc;` + `use tokio::sync::Mutex;`
//	ed.add(scope, "std::sync", "Arc", near)
//	edits := ed.edits()
//
// What edits does, per scope and module of the names added:
//   - a name the scope already imports from that module is not imported
//     again (E0252);
//   - the names go into a `use module::{..};` of the scope (appended), or
//     extend a `use module::Item;` of the scope to `use module::{Item, ..};`;
//   - otherwise, when a declaration the names were moved out of is left
//     empty, it becomes `use module::Name;` in place (its visibility and
//     attributes stay); else a new declaration goes on the line after
//     near (or after the scope's last use declaration, or before its
//     first item), with near's visibility.
//
// Dropped leaves leave their list with their commas; a single-line list
// left with one item loses its braces; an emptied declaration goes with
// its line.
type useEditor struct {
	im    *fileImports
	style rewrite.Style
	drops map[*sitter.Node]bool // leaf nodes to drop
	adds  []useAdd
}

// useAdd is one name to import: `module::item` (item may be `Name as
// Alias`) in scope, placed near a declaration when a new one is needed.
type useAdd struct {
	scope  *sitter.Node
	module string
	item   string
	near   *sitter.Node
}

func newUseEditor(im *fileImports, style rewrite.Style) *useEditor {
	return &useEditor{im: im, style: style, drops: map[*sitter.Node]bool{}}
}

// drop removes a leaf from its declaration.
func (ed *useEditor) drop(l useLeaf) { ed.drops[l.node] = true }

// add imports module::item in scope (item is `Name` or `Name as Alias`).
func (ed *useEditor) add(scope *sitter.Node, module, item string, near *sitter.Node) {
	ed.adds = append(ed.adds, useAdd{scope: scope, module: module, item: item, near: near})
}

// move drops a leaf and imports the same name, under the same alias,
// from module in the leaf's scope.
func (ed *useEditor) move(l useLeaf, module string) {
	ed.drop(l)
	item := l.name
	if l.local != l.name {
		item += " as " + l.local
	}
	ed.add(l.scope, module, item, l.decl)
}

// itemLocal is the name an item of an add binds.
func itemLocal(item string) string {
	if i := strings.Index(item, " as "); i >= 0 {
		return strings.TrimSpace(item[i+4:])
	}
	return item
}

// itemName is the imported name of an add's item.
func itemName(item string) string {
	if i := strings.Index(item, " as "); i >= 0 {
		return strings.TrimSpace(item[:i])
	}
	return item
}

// edits returns the edits of every drop and add.
func (ed *useEditor) edits() []rewrite.Edit {
	src := ed.im.src
	var out []rewrite.Edit
	// Declarations left empty by the drops.
	emptied := map[*sitter.Node]bool{}
	for _, d := range ed.im.decls {
		all, any := true, false
		for _, l := range ed.im.leaves {
			if l.decl != d {
				continue
			}
			if ed.drops[l.node] {
				any = true
			} else {
				all = false
			}
		}
		if any && all {
			emptied[d] = true
		}
	}
	// Adds, grouped by scope and module, in order of first appearance.
	type group struct {
		scope  *sitter.Node
		module string
		items  []string
		near   *sitter.Node
	}
	var groups []*group
	for _, a := range ed.adds {
		var g *group
		for _, x := range groups {
			if x.scope == a.scope && x.module == a.module {
				g = x
			}
		}
		if g == nil {
			g = &group{scope: a.scope, module: a.module, near: a.near}
			groups = append(groups, g)
		}
		dup := false
		for _, it := range g.items {
			dup = dup || it == a.item
		}
		for _, l := range ed.im.boundIn(a.scope, itemLocal(a.item)) {
			if !ed.drops[l.node] && l.path == a.module+"::"+itemName(a.item) {
				dup = true // already imported here (E0252 otherwise)
			}
		}
		if !dup {
			g.items = append(g.items, a.item)
		}
	}
	replaced := map[*sitter.Node]bool{}
	for _, g := range groups {
		if len(g.items) == 0 {
			continue
		}
		if e, ok := ed.extend(g.scope, g.module, g.items); ok {
			out = append(out, e)
			continue
		}
		line := useLine(g.module, g.items)
		// An emptied declaration of the scope takes the names in place.
		var in *sitter.Node
		if g.near != nil && emptied[g.near] && !replaced[g.near] {
			in = g.near
		}
		for _, d := range ed.im.decls {
			if in == nil && emptied[d] && !replaced[d] && d.Parent() == g.scope {
				in = d
			}
		}
		if in != nil {
			replaced[in] = true
			arg := in.ChildByFieldName("argument")
			out = append(out, rewrite.Edit{Start: int(arg.StartByte()), End: int(arg.EndByte()), New: strings.TrimSuffix(strings.TrimPrefix(line, "use "), ";")})
			continue
		}
		out = append(out, ed.insert(g.scope, g.near, line))
	}
	// Drops.
	for _, d := range ed.im.decls {
		if replaced[d] {
			continue
		}
		if emptied[d] {
			out = append(out, deleteLine(src, d))
			continue
		}
		arg := d.ChildByFieldName("argument")
		if arg == nil {
			continue
		}
		var list *sitter.Node
		switch arg.Type() {
		case "scoped_use_list":
			list = arg.ChildByFieldName("list")
		case "use_list":
			list = arg
		}
		if list == nil {
			continue
		}
		has := false
		for _, l := range ed.im.leaves {
			has = has || l.decl == d && ed.drops[l.node]
		}
		if has {
			e, _ := removeFromList(src, list, ed.drops)
			out = append(out, e...)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// sortedItems sorts the items of a new list in rustfmt's order (the one
// before style edition 2024 when the two differ).
func sortedItems(items []string) []string {
	out := append([]string(nil), items...)
	sort.SliceStable(out, func(i, j int) bool { return itemCmp(order2021, out[i], out[j]) < 0 })
	return out
}

// useLine renders `use module::Item;` or `use module::{A, B};`.
func useLine(module string, items []string) string {
	if len(items) == 1 {
		return "use " + module + "::" + items[0] + ";"
	}
	return "use " + module + "::{" + strings.Join(sortedItems(items), ", ") + "};"
}

// extend merges items into a declaration of scope that already imports
// from module: appended to a `module::{..}` list, or a `module::Item`
// leaf made `module::{Item, ..}`. Leaves being dropped are not targets.
func (ed *useEditor) extend(scope *sitter.Node, module string, items []string) (rewrite.Edit, bool) {
	src := ed.im.src
	// A list whose prefix is the module.
	for _, d := range ed.im.decls {
		if d.Parent() != scope {
			continue
		}
		var found *sitter.Node
		walk(d.ChildByFieldName("argument"), func(n *sitter.Node) bool {
			if found != nil {
				return false
			}
			if n.Type() == "scoped_use_list" && ed.listModule(n) == module {
				found = n.ChildByFieldName("list")
			}
			return true
		})
		if found != nil && !ed.allDropped(found) {
			return insertIntoList(src, found, items, ed.style.Newline), true
		}
	}
	// A leaf `module::Item` (or `module::Item as A`) of the scope.
	for _, l := range ed.im.leaves {
		if l.scope != scope || l.glob || ed.drops[l.node] || l.module() != module || l.name == "self" {
			continue
		}
		switch l.node.Type() {
		case "scoped_identifier":
			name := l.node.ChildByFieldName("name")
			return rewrite.Edit{Start: int(name.StartByte()), End: int(name.EndByte()), New: "{" + strings.Join(sortedItems(append([]string{text(src, name)}, items...)), ", ") + "}"}, true
		case "use_as_clause":
			p := l.node.ChildByFieldName("path")
			if p == nil || p.Type() != "scoped_identifier" {
				continue
			}
			first := text(src, p.ChildByFieldName("name")) + " as " + l.local
			return rewrite.Edit{Start: int(p.ChildByFieldName("name").StartByte()), End: int(l.node.EndByte()), New: "{" + strings.Join(sortedItems(append([]string{first}, items...)), ", ") + "}"}, true
		}
	}
	return rewrite.Edit{}, false
}

// listModule returns the full module path a scoped_use_list's items are
// imported from.
func (ed *useEditor) listModule(n *sitter.Node) string {
	src := ed.im.src
	var parts []string
	for c := n; c != nil && c.Type() != "use_declaration"; c = c.Parent() {
		if c.Type() == "scoped_use_list" {
			if p := c.ChildByFieldName("path"); p != nil {
				parts = append([]string{strings.TrimPrefix(compact(text(src, p)), "::")}, parts...)
			}
		}
	}
	return strings.Join(parts, "::")
}

// allDropped reports whether every item of a use list is dropped.
func (ed *useEditor) allDropped(list *sitter.Node) bool {
	for _, l := range ed.im.leaves {
		if contains(list, l.node) && !ed.drops[l.node] {
			return false
		}
	}
	return true
}

// appendToList appends items at the end of a use list: `{a, b}` ->
// `{a, b, C}`; a list laid out one item a line gets a line per item.
func appendToList(src []byte, list *sitter.Node, items []string, nl string) rewrite.Edit {
	closeAt := int(list.EndByte()) - 1
	body := string(src[list.StartByte():closeAt])
	trimmed := strings.TrimRight(body, " \t\r\n")
	at := int(list.StartByte()) + len(trimmed)
	switch {
	case strings.TrimSpace(body) == "{":
		return rewrite.Edit{Start: at, End: at, New: strings.Join(items, ", ")}
	case strings.HasSuffix(trimmed, ",") && strings.Contains(body, "\n"):
		kids := namedChildren(list)
		last := kids[len(kids)-1]
		ind := string(src[lineStart(src, int(last.StartByte())):last.StartByte()])
		if strings.TrimSpace(ind) != "" {
			ind = leadingSpace(ind)
		}
		var b strings.Builder
		for _, it := range items {
			b.WriteString(nl + ind + it + ",")
		}
		return rewrite.Edit{Start: at, End: at, New: b.String()}
	case strings.HasSuffix(trimmed, ","):
		return rewrite.Edit{Start: at, End: at, New: " " + strings.Join(items, ", ")}
	}
	return rewrite.Edit{Start: at, End: at, New: ", " + strings.Join(items, ", ")}
}

// insert places a new declaration line: after near, else after the
// scope's last use declaration, else before the scope's first item.
func (ed *useEditor) insert(scope, near *sitter.Node, line string) rewrite.Edit {
	src := ed.im.src
	nl := ed.style.Newline
	if near == nil {
		for _, d := range ed.im.decls {
			if d.Parent() == scope {
				near = d
			}
		}
	}
	if near != nil {
		path := strings.TrimSuffix(strings.TrimPrefix(line, "use "), ";")
		if vis := near.NamedChild(0); vis != nil && vis.Type() == "visibility_modifier" {
			line = text(src, vis) + " " + line
		}
		indent := string(src[lineStart(src, int(near.StartByte())):near.StartByte()])
		if strings.TrimSpace(indent) != "" {
			indent = leadingSpace(indent)
		}
		if at, before, ok := ed.useGroupInsert(near, path); ok && before {
			return rewrite.Edit{Start: at, End: at, New: indent + line + nl}
		} else if ok {
			return rewrite.Edit{Start: at, End: at, New: nl + indent + line}
		}
		end := int(near.EndByte())
		return rewrite.Edit{Start: end, End: end, New: nl + indent + line}
	}
	var first *sitter.Node
	for _, c := range namedChildren(scope) {
		switch c.Type() {
		case "line_comment", "block_comment", "inner_attribute_item":
			continue
		}
		first = c
		break
	}
	if first == nil {
		at := int(scope.EndByte())
		if scope.Type() != "source_file" {
			at-- // before the closing brace
		}
		return rewrite.Edit{Start: at, End: at, New: line + nl}
	}
	ls := lineStart(src, int(first.StartByte()))
	indent := leadingSpace(string(src[ls:first.StartByte()]))
	return rewrite.Edit{Start: ls, End: ls, New: indent + line + nl}
}

// deleteLine removes a node; when the node is alone on its lines, the
// lines go too.
func deleteLine(src []byte, n *sitter.Node) rewrite.Edit {
	s, e := int(n.StartByte()), int(n.EndByte())
	ls, le := lineStart(src, s), lineEnd(src, e)
	if strings.TrimSpace(string(src[ls:s])) == "" && strings.TrimSpace(string(src[e:le])) == "" {
		if le < len(src) {
			le++ // the line break
			if src[le-1] == '\r' && le < len(src) && src[le] == '\n' {
				le++
			}
		}
		return rewrite.Edit{Start: ls, End: le}
	}
	return rewrite.Edit{Start: s, End: e}
}

// removeFromList returns the edits that delete the items marked in remove
// (at any depth) from a use_list, with their commas, and whether the list
// is left empty. A single-line list left with one item loses its braces.
func removeFromList(src []byte, list *sitter.Node, remove map[*sitter.Node]bool) ([]rewrite.Edit, bool) {
	items := namedChildren(list)
	var kept []*sitter.Node
	gone := make([]bool, len(items))
	var edits []rewrite.Edit
	for i, it := range items {
		if isComment(it) {
			continue
		}
		switch {
		case remove[it]:
			gone[i] = true
		case it.Type() == "scoped_use_list":
			e, empty := removeFromList(src, it.ChildByFieldName("list"), remove)
			if empty {
				gone[i] = true
			} else {
				edits = append(edits, e...)
				kept = append(kept, it)
			}
		default:
			kept = append(kept, it)
		}
	}
	if len(kept) == 0 {
		return nil, true
	}
	// `use std::sync::self;` is E0429: a lone `self` keeps its braces.
	if len(kept) == 1 && kept[0].Type() != "self" && !strings.Contains(text(src, list), "\n") && len(edits) == 0 {
		return []rewrite.Edit{{Start: int(list.StartByte()), End: int(list.EndByte()), New: text(src, kept[0])}}, false
	}
	// Delete runs of removed items: up to the next kept item, or, for a
	// run at the end, from the previous kept item's end.
	for i := 0; i < len(items); i++ {
		if !gone[i] {
			continue
		}
		j := i
		for j+1 < len(items) && (gone[j+1] || isComment(items[j+1]) && j+2 < len(items) && gone[j+2]) {
			j++
		}
		next := -1
		for k := j + 1; k < len(items); k++ {
			if !isComment(items[k]) {
				next = k
				break
			}
		}
		if next >= 0 {
			edits = append(edits, rewrite.Edit{Start: int(items[i].StartByte()), End: int(items[next].StartByte())})
		} else {
			prev := i - 1
			for prev >= 0 && (gone[prev] || isComment(items[prev])) {
				prev--
			}
			edits = append(edits, rewrite.Edit{Start: int(items[prev].EndByte()), End: int(items[j].EndByte())})
		}
		i = j
	}
	return edits, false
}

// isComment reports whether n is a line or block comment.
func isComment(n *sitter.Node) bool {
	return n.Type() == "line_comment" || n.Type() == "block_comment"
}
