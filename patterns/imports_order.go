package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// The order rustfmt gives use lists and use declarations, so that names
// the editor adds go where rustfmt would put them and a formatted file
// stays formatted. rustfmt has two orders: before style edition 2024,
// `self`/`super`/`crate` first, then snake_case names, CamelCase names,
// UPPER_SNAKE names, each ASCII-sorted; from 2024 on, version sorting
// (`self` first, then by character, upper case before lower case, digit
// runs by value). A list follows one of them, or neither; the editor
// keeps the order the list already has, and appends to an unsorted one.

// useOrder compares two items (or path segments) of a use list.
type useOrder func(a, b string) int

// itemKey is what an item is sorted by: its first path segment, without
// an alias (`atomic` of `atomic::{..}`, `Mutex` of `Mutex as M`).
func itemKey(item string) (key, alias string) {
	item = strings.Join(strings.Fields(item), " ")
	if i := strings.Index(item, " as "); i >= 0 {
		item, alias = item[:i], item[i+4:]
	}
	if i := strings.Index(item, "::"); i >= 0 {
		item = item[:i]
	}
	return item, alias
}

// pathRank is the first tier of both orders: `self`, `super`, `crate`, then
// names.
func pathRank(s string) int {
	switch s {
	case "self":
		return 0
	case "super":
		return 1
	case "crate":
		return 2
	}
	return 3
}

// order2021 is rustfmt's order before style edition 2024.
func order2021(a, b string) int {
	if ra, rb := pathRank(a), pathRank(b); ra != rb {
		return ra - rb
	}
	class := func(s string) int {
		switch {
		case s == "" || !isUpperByte(s[0]):
			return 0 // snake_case
		case strings.ToUpper(s) == s:
			return 2 // UPPER_SNAKE_CASE
		}
		return 1 // CamelCase
	}
	if ca, cb := class(a), class(b); ca != cb {
		return ca - cb
	}
	return strings.Compare(a, b)
}

// order2024 is rustfmt's version sorting.
func order2024(a, b string) int {
	if ra, rb := pathRank(a), pathRank(b); ra != rb {
		return ra - rb
	}
	for a != "" && b != "" {
		if isDigitByte(a[0]) && isDigitByte(b[0]) {
			na, nb := digitRun(a), digitRun(b)
			if c := compareNumbers(a[:na], b[:nb]); c != 0 {
				return c
			}
			a, b = a[na:], b[nb:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func isUpperByte(c byte) bool { return c >= 'A' && c <= 'Z' }
func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigitByte(s[i]) {
		i++
	}
	return i
}

func compareNumbers(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// itemCmp compares two items under an order: by key, then no alias
// before an alias, then by alias.
func itemCmp(o useOrder, a, b string) int {
	ka, aa := itemKey(a)
	kb, ab := itemKey(b)
	if c := o(ka, kb); c != 0 {
		return c
	}
	switch {
	case aa == ab:
		return 0
	case aa == "":
		return -1
	case ab == "":
		return 1
	}
	return o(aa, ab)
}

// pathCmp compares two use paths segment by segment under an order.
func pathCmp(o useOrder, a, b string) int {
	sa, sb := strings.Split(a, "::"), strings.Split(b, "::")
	for i := 0; i < len(sa) && i < len(sb); i++ {
		if c := itemCmp(o, sa[i], sb[i]); c != 0 {
			return c
		}
	}
	return len(sa) - len(sb)
}

// orderOf returns the order a sequence already follows (the 2021 one when
// both do), or nil when it follows neither.
func orderOf(items []string, cmp func(o useOrder, a, b string) int) useOrder {
	for _, o := range []useOrder{order2021, order2024} {
		if sort.SliceIsSorted(items, func(i, j int) bool { return cmp(o, items[i], items[j]) < 0 }) {
			return o
		}
	}
	return nil
}

// insertIntoList adds items to a use list where the list's order puts
// them: a single-line list is written again with them in place; a list
// of one item a line gets a line per new item; an unsorted list gets
// them at its end.
func insertIntoList(src []byte, list *sitter.Node, items []string, nl string) rewrite.Edit {
	var kids []*sitter.Node
	hasComment := false
	for _, c := range namedChildren(list) {
		if isComment(c) {
			hasComment = true
			continue
		}
		kids = append(kids, c)
	}
	texts := make([]string, len(kids))
	for i, k := range kids {
		texts[i] = text(src, k)
	}
	o := orderOf(texts, itemCmp)
	if o == nil || len(kids) == 0 {
		return appendToList(src, list, items, nl)
	}
	body := text(src, list)
	if !strings.Contains(body, "\n") && !hasComment {
		all := append(append([]string(nil), texts...), items...)
		sort.SliceStable(all, func(i, j int) bool { return itemCmp(o, all[i], all[j]) < 0 })
		return rewrite.Edit{Start: int(list.StartByte()), End: int(list.EndByte()), New: "{" + strings.Join(all, ", ") + "}"}
	}
	trimmed := strings.TrimRight(body[:len(body)-1], " \t\r\n")
	if !strings.HasSuffix(trimmed, ",") {
		return appendToList(src, list, items, nl)
	}
	// One item a line: each new item goes on a line of its own before the
	// first item it sorts before.
	sorted := append([]string(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool { return itemCmp(o, sorted[i], sorted[j]) < 0 })
	var b strings.Builder
	at := -1
	for i, k := range kids {
		if itemCmp(o, sorted[0], texts[i]) < 0 {
			at = lineStart(src, int(k.StartByte()))
			ind := leadingSpace(string(src[at:k.StartByte()]))
			for _, it := range sorted {
				b.WriteString(ind + it + "," + nl)
			}
			break
		}
	}
	if at < 0 || len(sorted) > 1 {
		return appendToList(src, list, items, nl)
	}
	return rewrite.Edit{Start: at, End: at, New: b.String()}
}

// useGroupInsert returns where a new declaration `use path..;` goes to
// keep rustfmt's order: among the declarations of the run (consecutive
// lines) that holds near, when that run is sorted; ok is false when it is
// not (the caller then puts it after near).
func (ed *useEditor) useGroupInsert(near *sitter.Node, path string) (at int, before bool, ok bool) {
	src := ed.im.src
	var run []*sitter.Node
	found := false
	for _, d := range ed.im.decls {
		if d.Parent() != near.Parent() {
			continue
		}
		if len(run) > 0 && lineOf(src, int(d.StartByte())) != lineOf(src, int(run[len(run)-1].EndByte()))+1 {
			if found {
				break
			}
			run = nil
		}
		run = append(run, d)
		found = found || d == near
	}
	if !found {
		return 0, false, false
	}
	paths := make([]string, len(run))
	for i, d := range run {
		paths[i] = trimColons(compact(text(src, d.ChildByFieldName("argument"))))
	}
	o := orderOf(paths, pathCmp)
	if o == nil {
		return 0, false, false
	}
	for i, d := range run {
		if pathCmp(o, path, paths[i]) < 0 {
			return lineStart(src, int(d.StartByte())), true, true
		}
	}
	return int(run[len(run)-1].EndByte()), false, true
}
