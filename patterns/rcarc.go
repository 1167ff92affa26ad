package patterns

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// The rc-arc rule. An Rc (or std::rc::Weak) that reaches a Send-required
// future makes it non-Send even with no await in between. The rule finds
// the values whose type must change together (a "group": bindings, fn
// parameters, struct fields, type aliases and fn results that an Rc flows
// through by moves, clones, Rc::clone/downgrade, struct literals and calls
// of fns of the file), and rewrites every Rc spelled for that group to Arc,
// Rc<RefCell<T>> to Arc<Mutex<T>> with borrows turned into locks, and the
// imports to match. A group is changed whole or not at all.

// rcWords are the names whose mentions the rule tracks.
var rcWords = map[string]bool{"Rc": true, "RefCell": true, "Cell": true, "Weak": true}

// rcAssocUse are associated fns of Rc whose result is not an Rc: the
// mention belongs to the value passed to them.
var rcAssocUse = map[string]bool{
	"strong_count": true, "weak_count": true, "ptr_eq": true, "try_unwrap": true,
	"get_mut": true, "make_mut": true, "into_inner": true, "unwrap_or_clone": true,
	"as_ptr": true, "into_raw": true,
}

// rcAssocFlow are associated fns whose result shares its argument's group.
var rcAssocFlow = map[string]bool{"clone": true, "downgrade": true}

// rcPassMethods are methods whose result keeps the receiver's Rc-ness
// (`x.clone()`, `w.upgrade().unwrap()`, `v.iter().map(Rc::downgrade).collect()`).
var rcPassMethods = map[string]bool{
	"clone": true, "upgrade": true, "unwrap": true, "expect": true, "iter": true,
	"into_iter": true, "cloned": true, "collect": true, "to_owned": true, "to_vec": true,
}

// refCellRefused are RefCell methods with no same-meaning Mutex method.
var refCellRefused = map[string]bool{
	"try_borrow": true, "try_borrow_mut": true, "try_borrow_unguarded": true, "replace": true,
	"replace_with": true, "take": true, "swap": true, "into_inner": true, "get_mut": true,
	"as_ptr": true,
}

// rcBind is a name binding in scope from start to the end of scope. site
// is "" for bindings the rule does not track (patterns, closure params):
// they only shadow.
type rcBind struct {
	name  string
	scope *sitter.Node
	start uint32
	site  string
}

// rcSite is a place whose type a group decides.
type rcSite struct {
	key        string
	name       string
	id         *sitter.Node // the identifier of the binding, for positions
	pub        bool
	structName string       // the struct type of a binding or parameter, if known
	typ        *sitter.Node // the declared type of a parameter
}

// rcMention is one spelling of Rc, RefCell, Cell or Weak outside imports.
type rcMention struct {
	node  *sitter.Node // the identifier
	word  string
	span  *sitter.Node // what to replace: the identifier, or a `std::rc::Rc` path
	full  bool         // span is a full path (`std::rc::Rc`)
	owner string
}

// rcBorrow is a method call on a tracked binding or field: `x.borrow()`.
type rcBorrow struct {
	method     string
	recv       string       // site key of the receiver, "" when unknown
	opaque     bool         // the receiver is a binding the rule does not track
	start, end int          // the `borrow()` text, method name through `)`
	stmt       *sitter.Node // nearest statement, for overlap checks
	letName    string       // the name bound when the statement is `let g = x.borrow..`
	at         *sitter.Node // the call (or the macro's token tree)
}

// rcFile is the rule's view of one file.
type rcFile struct {
	fc       *fileCtx
	src      []byte
	uf       map[string]string
	sites    map[string]*rcSite
	binds    map[string][]*rcBind
	fns      map[string][]*sitter.Node
	structs  map[string]*sitter.Node
	mentions []*rcMention
	borrows  []*rcBorrow
	uses     []*sitter.Node
	// What collect's walk saw for the later steps, in source order: the
	// nodes value flows go through (see link), with the nearest
	// struct_expression (for a field initializer) or let_declaration (for
	// a call) above each; the type identifiers; the identifiers written
	// right inside a macro's token tree.
	flows       []rcFlowNode
	typeIdents  []*sitter.Node
	tokenIdents []*sitter.Node
	// shadowed are the rcWords the file declares a type of its own by
	// (`type Weak = ..;`, `struct Rc;`): a bare mention is that type.
	shadowed map[string]bool
	rcWeak   bool              // a bare `Weak` is std::rc's
	fields   map[string]string // field name -> site, "" when several structs have it
}

// rcFlowNode is a node link looks at: a let, a field initializer, a call
// or a fn item, with its type and the ancestor link needs.
type rcFlowNode struct {
	n, up *sitter.Node
	typ   string
}

// find returns the representative of k's group.
func (r *rcFile) find(k string) string {
	for {
		p, ok := r.uf[k]
		if !ok || p == k {
			return k
		}
		k = p
	}
}

// union merges the groups of a and b.
func (r *rcFile) union(a, b string) {
	if a == "" || b == "" {
		return
	}
	ra, rb := r.find(a), r.find(b)
	if ra == rb {
		return
	}
	if ra < rb {
		r.uf[rb] = ra
	} else {
		r.uf[ra] = rb
	}
}

func (r *rcFile) site(key, name string, id *sitter.Node) *rcSite {
	if s, ok := r.sites[key]; ok {
		return s
	}
	s := &rcSite{key: key, name: name, id: id}
	r.sites[key] = s
	if r.uf[key] == "" {
		r.uf[key] = key
	}
	return s
}

func nodeKey(prefix string, n *sitter.Node) string {
	return prefix + strconv.Itoa(int(n.StartByte()))
}

// hasPub reports whether an item has a visibility modifier.
func hasPub(n *sitter.Node) bool {
	for i := 0; i < int(n.NamedChildCount()); i++ {
		if n.NamedChild(i).Type() == "visibility_modifier" {
			return true
		}
	}
	return false
}

// typeStructName returns the struct named by a type (`Job`, `&Job`).
func typeStructName(src []byte, t *sitter.Node) string {
	for t != nil && (t.Type() == "reference_type" || t.Type() == "generic_type") {
		t = t.ChildByFieldName("type")
	}
	if t != nil && t.Type() == "type_identifier" {
		return text(src, t)
	}
	return ""
}

// collect walks the file once and records bindings, sites, mentions and
// method calls.
func (r *rcFile) collect() {
	src := r.src
	addBind := func(name string, scope *sitter.Node, start uint32, site string) {
		r.binds[name] = append(r.binds[name], &rcBind{name: name, scope: scope, start: start, site: site})
	}
	opaque := func(pat *sitter.Node, scope *sitter.Node) {
		names, _ := patternNames(src, pat)
		for _, n := range names {
			addBind(n, scope, scope.StartByte(), "")
		}
	}
	nearest := func(up *ancestors, typ string) *sitter.Node {
		for i := len(up.types) - 1; i >= 0; i-- {
			if up.types[i] == typ {
				return up.nodes[i]
			}
		}
		return nil
	}
	walkTyped(r.fc.root, func(n *sitter.Node, typ string, up *ancestors) bool {
		switch typ {
		case "let_declaration", "function_item":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ})
		case "field_initializer", "shorthand_field_initializer":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ, up: nearest(up, "struct_expression")})
		case "call_expression":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ, up: nearest(up, "let_declaration")})
		case "type_identifier":
			r.typeIdents = append(r.typeIdents, n)
		case "type_item", "struct_item", "enum_item", "union_item", "trait_item":
			if w := text(src, n.ChildByFieldName("name")); rcWords[w] {
				if r.shadowed == nil {
					r.shadowed = map[string]bool{}
				}
				r.shadowed[w] = true
			}
		}
		switch typ {
		case "use_declaration", "line_comment", "block_comment":
			return false
		case "function_item":
			name := fnName(src, n)
			r.fns[name] = append(r.fns[name], n)
			body := n.ChildByFieldName("body")
			if params := n.ChildByFieldName("parameters"); params != nil && body != nil {
				i := 0
				for _, p := range namedChildren(params) {
					if p.Type() != "parameter" {
						continue
					}
					key := nodeKey("P", n) + "#" + strconv.Itoa(i)
					i++
					pat := p.ChildByFieldName("pattern")
					if pat != nil && pat.Type() == "mut_pattern" && pat.NamedChildCount() > 0 {
						pat = pat.NamedChild(int(pat.NamedChildCount()) - 1)
					}
					if pat == nil || pat.Type() != "identifier" {
						opaque(p.ChildByFieldName("pattern"), n)
						continue
					}
					s := r.site(key, text(src, pat), pat)
					s.pub = hasPub(n)
					s.structName = typeStructName(src, p.ChildByFieldName("type"))
					s.typ = p.ChildByFieldName("type")
					addBind(s.name, n, body.StartByte(), key)
				}
			}
			if rt := n.ChildByFieldName("return_type"); rt != nil {
				s := r.site(nodeKey("R", n), name, n.ChildByFieldName("name"))
				s.pub = hasPub(n)
			}
		case "let_declaration":
			pat := n.ChildByFieldName("pattern")
			id := pat
			if id != nil && id.Type() == "mut_pattern" && id.NamedChildCount() > 0 {
				id = id.NamedChild(int(id.NamedChildCount()) - 1)
			}
			scope, _ := up.parent()
			if id != nil && id.Type() == "identifier" && scope != nil {
				key := nodeKey("L", n)
				s := r.site(key, text(src, id), id)
				if v := unparen(n.ChildByFieldName("value")); v != nil && v.Type() == "struct_expression" {
					s.structName = r.structExprName(v)
				} else {
					s.structName = typeStructName(src, n.ChildByFieldName("type"))
				}
				addBind(s.name, scope, n.EndByte(), key)
			} else if pat != nil && scope != nil {
				names, _ := patternNames(src, pat)
				for _, nm := range names {
					addBind(nm, scope, n.EndByte(), "")
				}
			}
		case "closure_expression":
			if ps := n.ChildByFieldName("parameters"); ps != nil {
				opaque(ps, n)
			}
		case "for_expression", "match_arm", "let_condition", "if_let_expression", "while_let_expression":
			if pat := n.ChildByFieldName("pattern"); pat != nil {
				scope := n
				if typ == "let_condition" {
					for i := len(up.types) - 1; i >= 0; i-- {
						if up.types[i] == "if_expression" || up.types[i] == "while_expression" {
							scope = up.nodes[i]
							break
						}
					}
				}
				opaque(pat, scope)
			}
		case "struct_item":
			name := text(src, n.ChildByFieldName("name"))
			r.structs[name] = n
			if body := n.ChildByFieldName("body"); body != nil {
				for _, f := range namedChildren(body) {
					if f.Type() == "field_declaration" {
						fn := f.ChildByFieldName("name")
						s := r.site("F"+name+"."+text(src, fn), text(src, fn), fn)
						s.pub = hasPub(n) && hasPub(f)
					}
				}
			}
		case "type_item":
			nm := n.ChildByFieldName("name")
			s := r.site("T"+text(src, nm), text(src, nm), nm)
			s.pub = hasPub(n)
		case "identifier", "type_identifier":
			p, pt := up.parent()
			if w := text(src, n); rcWords[w] {
				r.addMention(n, w)
			} else if typ == "identifier" && (p == nil || !isPathTailOf(n, p, pt) && !isFieldNameOf(n, p, pt)) {
				r.uses = append(r.uses, n)
				if pt == "token_tree" {
					r.tokenIdents = append(r.tokenIdents, n)
				}
			}
		case "string_literal", "raw_string_literal":
			if up.has("token_tree") {
				r.uses = append(r.uses, n)
			}
			return false
		case "field_identifier":
			r.addBorrow(n)
		}
		return true
	})
	if r.shadowed != nil {
		r.mentions = slices.DeleteFunc(r.mentions, func(m *rcMention) bool { return !m.full && r.shadowed[m.word] })
	}
	// Token-tree borrows: `x . borrow ( )` inside a macro.
	for _, u := range r.tokenIdents {
		if m := text(src, u); m == "borrow" || m == "borrow_mut" || refCellRefused[m] {
			r.addTokenBorrow(u)
		}
	}
}

// structExprName returns the struct a struct literal builds, `Self`
// standing for the type of the enclosing impl.
func (r *rcFile) structExprName(se *sitter.Node) string {
	name := text(r.src, se.ChildByFieldName("name"))
	if name == "Self" {
		if im := ancestor(se, "impl_item"); im != nil {
			if t := typeStructName(r.src, im.ChildByFieldName("type")); t != "" {
				return t
			}
		}
	}
	return name
}

// inferStructs gives a let binding with no struct type yet the struct of
// the file its value has: a call of an associated fn of the struct that
// returns `Self` or the struct (`Config::new(..)`), a `.clone()` of a
// binding of that struct, or a move of one. Lets are visited in source
// order, so a chain of clones resolves in one pass.
func (r *rcFile) inferStructs() {
	for _, f := range r.flows {
		if f.typ != "let_declaration" {
			continue
		}
		s := r.sites[nodeKey("L", f.n)]
		if s == nil || s.structName != "" {
			continue
		}
		if st := r.valueStruct(unparen(f.n.ChildByFieldName("value"))); r.structs[st] != nil {
			s.structName = st
		}
	}
}

// valueStruct returns the struct of the file an expression's value has,
// as far as inferStructs follows it, or "".
func (r *rcFile) valueStruct(v *sitter.Node) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case "identifier":
		if k, _ := r.resolve(v, text(r.src, v)); k != "" {
			return r.sites[k].structName
		}
	case "call_expression":
		f := v.ChildByFieldName("function")
		args := v.ChildByFieldName("arguments")
		switch f.Type() {
		case "field_expression":
			if text(r.src, f.ChildByFieldName("field")) == "clone" && args != nil && args.NamedChildCount() == 0 {
				return r.valueStruct(unparen(f.ChildByFieldName("value")))
			}
		case "scoped_identifier":
			path := f.ChildByFieldName("path")
			if path == nil || path.Type() != "identifier" && path.Type() != "type_identifier" {
				return ""
			}
			st := text(r.src, path)
			if st == "Self" {
				if im := ancestor(v, "impl_item"); im != nil {
					st = typeStructName(r.src, im.ChildByFieldName("type"))
				}
			}
			name := text(r.src, f.ChildByFieldName("name"))
			for _, fn := range r.fns[name] {
				im := ancestor(fn, "impl_item")
				if im == nil || typeStructName(r.src, im.ChildByFieldName("type")) != st {
					continue
				}
				if rt := fn.ChildByFieldName("return_type"); rt != nil && (text(r.src, rt) == "Self" || text(r.src, rt) == st) {
					return st
				}
			}
		}
	}
	return ""
}

// addMention records a mention of one of rcWords and the span that
// changes with it.
func (r *rcFile) addMention(n *sitter.Node, w string) {
	m := &rcMention{node: n, word: w, span: n}
	p := n.Parent()
	scoped := p != nil && (p.Type() == "scoped_identifier" || p.Type() == "scoped_type_identifier") && p.ChildByFieldName("name") == n
	if w == "Weak" && !r.rcWeak && !scoped {
		return // std::sync::Weak, or another Weak
	}
	if scoped {
		path := strings.Join(strings.Fields(text(r.src, p.ChildByFieldName("path"))), "")
		path = strings.TrimPrefix(path, "::")
		switch {
		case path == "std::rc" && (w == "Rc" || w == "Weak"), path == "std::cell" && (w == "RefCell" || w == "Cell"):
			m.span, m.full = p, true
		default:
			return // someone else's Rc
		}
	}
	r.mentions = append(r.mentions, m)
}

// addBorrow records `recv.method()` for RefCell methods, f being the
// field_identifier naming the method.
func (r *rcFile) addBorrow(f *sitter.Node) {
	m := text(r.src, f)
	if m != "borrow" && m != "borrow_mut" && !refCellRefused[m] {
		return
	}
	fe := f.Parent()
	if fe == nil || fe.Type() != "field_expression" {
		return
	}
	call := fe.Parent()
	if call == nil || call.Type() != "call_expression" || call.ChildByFieldName("function") != fe {
		return
	}
	b := &rcBorrow{method: m, start: int(f.StartByte()), end: int(call.EndByte())}
	recv := unparen(fe.ChildByFieldName("value"))
	switch recv.Type() {
	case "identifier":
		b.recv, b.opaque = r.resolve(recv, text(r.src, recv))
	case "field_expression":
		b.recv = r.fieldSite(text(r.src, recv.ChildByFieldName("field")))
		b.opaque = b.recv == ""
	default:
		b.opaque = true
	}
	r.finishBorrow(b, call)
}

// addTokenBorrow records `recv . method ( )` inside a macro's tokens.
func (r *rcFile) addTokenBorrow(id *sitter.Node) {
	tt := id.Parent()
	var idx int
	for i := 0; i < int(tt.ChildCount()); i++ {
		if tt.Child(i) == id {
			idx = i
		}
	}
	if idx < 2 || idx+1 >= int(tt.ChildCount()) {
		return
	}
	dot, recv, args := tt.Child(idx-1), tt.Child(idx-2), tt.Child(idx+1)
	if text(r.src, dot) != "." || args.Type() != "token_tree" || !strings.HasPrefix(text(r.src, args), "(") {
		return
	}
	b := &rcBorrow{method: text(r.src, id), start: int(id.StartByte()), end: int(args.EndByte())}
	if recv.Type() == "identifier" {
		b.recv, b.opaque = r.resolve(recv, text(r.src, recv))
		if idx >= 3 && text(r.src, tt.Child(idx-3)) == "." {
			b.recv, b.opaque = r.fieldSite(text(r.src, recv)), false
			b.opaque = b.recv == ""
		}
	} else {
		b.opaque = true
	}
	r.finishBorrow(b, tt)
}

func (r *rcFile) finishBorrow(b *rcBorrow, at *sitter.Node) {
	b.at = at
	b.stmt = ancestor(at, "let_declaration", "expression_statement", "block")
	if b.stmt != nil && b.stmt.Type() == "let_declaration" {
		if pat := b.stmt.ChildByFieldName("pattern"); pat != nil {
			if v := b.stmt.ChildByFieldName("value"); v != nil && int(v.StartByte()) <= b.start && b.end == int(v.EndByte()) {
				names, _ := patternNames(r.src, pat)
				if len(names) == 1 {
					b.letName = names[0]
				}
			}
		}
	}
	r.borrows = append(r.borrows, b)
}

// fieldSite returns the site of a struct field of the file by field name,
// when exactly one struct has a field of that name.
func (r *rcFile) fieldSite(name string) string {
	if r.fields == nil {
		r.fields = map[string]string{}
		for k := range r.sites {
			if !strings.HasPrefix(k, "F") {
				continue
			}
			f := k[strings.IndexByte(k, '.')+1:]
			if _, dup := r.fields[f]; dup {
				r.fields[f] = ""
			} else {
				r.fields[f] = k
			}
		}
	}
	return r.fields[name]
}

// resolve returns the site of the binding name refers to at id, and
// whether it is an untracked binding.
func (r *rcFile) resolve(id *sitter.Node, name string) (string, bool) {
	var best *rcBind
	for _, b := range r.binds[name] {
		if b.start <= id.StartByte() && contains(b.scope, id) && (best == nil || b.start >= best.start) {
			best = b
		}
	}
	if best == nil {
		return "", false
	}
	return best.site, best.site == ""
}

// resolveBind is resolve returning the binding itself.
func (r *rcFile) resolveBind(at *sitter.Node, name string) *rcBind {
	var best *rcBind
	for _, b := range r.binds[name] {
		if b.start <= at.StartByte() && contains(b.scope, at) && (best == nil || b.start >= best.start) {
			best = b
		}
	}
	return best
}

// localFn returns the fn of the file a call calls, when the name is
// unique and the fn takes no self.
func (r *rcFile) localFn(call *sitter.Node) *sitter.Node {
	f := call.ChildByFieldName("function")
	if f == nil || f.Type() != "identifier" {
		return nil
	}
	fns := r.fns[text(r.src, f)]
	if len(fns) != 1 {
		return nil
	}
	if ps := fns[0].ChildByFieldName("parameters"); ps != nil {
		for _, p := range namedChildren(ps) {
			if p.Type() == "self_parameter" {
				return nil
			}
		}
	}
	return fns[0]
}

// flowTarget returns the site an expression node flows into, looking up
// from n: a let, a struct field initializer, an argument of a fn of the
// file, a fn's result, a type of a parameter, field or alias.
func (r *rcFile) flowTarget(n *sitter.Node) string {
	child := n
	for p := n.Parent(); p != nil; child, p = p, p.Parent() {
		switch p.Type() {
		case "let_declaration":
			if pat := p.ChildByFieldName("pattern"); pat != nil {
				k := nodeKey("L", p)
				if _, ok := r.sites[k]; ok {
					return k
				}
			}
			return ""
		case "field_initializer":
			if v := p.ChildByFieldName("value"); v != nil && contains(v, n) {
				if se := ancestor(p, "struct_expression"); se != nil {
					k := "F" + r.structExprName(se) + "." + text(r.src, p.ChildByFieldName("field"))
					if _, ok := r.sites[k]; ok {
						return k
					}
				}
			}
			return ""
		case "arguments":
			call := p.Parent()
			if call != nil && call.Type() == "call_expression" {
				if fn := r.localFn(call); fn != nil {
					i := 0
					for j := 0; j < int(p.NamedChildCount()); j++ {
						if p.NamedChild(j) == child {
							i = j
						}
					}
					return nodeKey("P", fn) + "#" + strconv.Itoa(i)
				}
			}
		case "parameter":
			fn := p.Parent().Parent()
			if p.Parent().Type() != "parameters" || fn == nil || fn.Type() != "function_item" {
				return ""
			}
			i := 0
			for _, q := range namedChildren(p.Parent()) {
				if q == p {
					break
				}
				if q.Type() == "parameter" {
					i++
				}
			}
			return nodeKey("P", fn) + "#" + strconv.Itoa(i)
		case "field_declaration":
			if st := ancestor(p, "struct_item"); st != nil {
				return "F" + text(r.src, st.ChildByFieldName("name")) + "." + text(r.src, p.ChildByFieldName("name"))
			}
			return ""
		case "type_item":
			return "T" + text(r.src, p.ChildByFieldName("name"))
		case "function_item":
			if rt := p.ChildByFieldName("return_type"); rt != nil && contains(rt, n) {
				return nodeKey("R", p)
			}
			if body := p.ChildByFieldName("body"); body != nil && child == body {
				if st := statements(body); len(st) > 0 && contains(st[len(st)-1], n) && st[len(st)-1].Type() != "expression_statement" && p.ChildByFieldName("return_type") != nil {
					return nodeKey("R", p)
				}
			}
			return ""
		case "closure_expression", "expression_statement":
			return ""
		}
	}
	return ""
}

// passThrough returns the sites whose value an expression passes on
// (moved, referenced, cloned, upgraded): `x`, `&x`, `x.clone()`,
// `Rc::clone(&x)`, `v.iter().map(Rc::downgrade).collect()`, `vec![a, b]`.
func (r *rcFile) passThrough(e *sitter.Node) []string {
	e = unparen(e)
	if e == nil {
		return nil
	}
	switch e.Type() {
	case "identifier":
		if s, _ := r.resolve(e, text(r.src, e)); s != "" {
			return []string{s}
		}
	case "reference_expression":
		return r.passThrough(e.ChildByFieldName("value"))
	case "field_expression":
		// `job.label`: the field's site.
		if s := r.fieldSite(text(r.src, e.ChildByFieldName("field"))); s != "" {
			return []string{s}
		}
	case "call_expression":
		fn := e.ChildByFieldName("function")
		args := e.ChildByFieldName("arguments")
		switch {
		case fn.Type() == "field_expression":
			m := text(r.src, fn.ChildByFieldName("field"))
			if m == "map" && args != nil && args.NamedChildCount() == 1 {
				a := args.NamedChild(0)
				if a.Type() == "scoped_identifier" && rcAssocFlow[text(r.src, a.ChildByFieldName("name"))] {
					return r.passThrough(fn.ChildByFieldName("value"))
				}
				return nil
			}
			if rcPassMethods[m] {
				return r.passThrough(fn.ChildByFieldName("value"))
			}
		case fn.Type() == "scoped_identifier":
			if isRcPath(r.src, fn.ChildByFieldName("path")) && rcAssocFlow[text(r.src, fn.ChildByFieldName("name"))] && args != nil && args.NamedChildCount() > 0 {
				return r.passThrough(args.NamedChild(0))
			}
		case fn.Type() == "identifier" && text(r.src, fn) == "Some" && args != nil && args.NamedChildCount() == 1:
			return r.passThrough(args.NamedChild(0))
		}
	case "macro_invocation":
		if text(r.src, e.ChildByFieldName("macro")) != "vec" {
			return nil
		}
		var out []string
		for _, c := range namedChildren(e) {
			if c.Type() != "token_tree" {
				continue
			}
			for i := 0; i < int(c.ChildCount()); i++ {
				if s := r.tokenValueSite(c, i); s != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	return nil
}

// tokenValueSite returns the site of the value the token at i of a token
// tree names: a binding (`a`, `a.clone()`) or a field of the file
// (`x.f`, `x.f.clone()`); "" for anything else, such as a method name or
// the receiver of a field access.
func (r *rcFile) tokenValueSite(tt *sitter.Node, i int) string {
	t := tt.Child(i)
	if t.Type() != "identifier" {
		return ""
	}
	tok := func(j int) string {
		if j < 0 || j >= int(tt.ChildCount()) {
			return ""
		}
		return text(r.src, tt.Child(j))
	}
	if i+1 < int(tt.ChildCount()) && tt.Child(i+1).Type() == "token_tree" {
		return "" // a call or method call
	}
	if tok(i+1) == "." && tok(i+2) != "clone" {
		return "" // the receiver of a field access
	}
	if tok(i-1) == "." {
		return r.fieldSite(text(r.src, t))
	}
	if tok(i-1) == "::" {
		return ""
	}
	s, _ := r.resolve(t, text(r.src, t))
	return s
}

// isRcPath reports whether a path node names Rc: `Rc`, `Rc::<T>`, `std::rc::Rc`.
func isRcPath(src []byte, p *sitter.Node) bool {
	if p == nil {
		return false
	}
	if p.Type() == "generic_type" {
		p = p.ChildByFieldName("type")
	}
	s := strings.TrimPrefix(strings.Join(strings.Fields(text(src, p)), ""), "::")
	return s == "Rc" || s == "std::rc::Rc"
}

// rcAssoc returns the associated fn name after a mention of Rc
// (`Rc::strong_count`, `Rc::<T>::new`, or the same in a macro's tokens)
// and the first binding site named in its arguments.
func (r *rcFile) rcAssoc(m *rcMention) (string, string) {
	n := m.span
	if p := n.Parent(); p != nil && p.Type() == "generic_type" && p.ChildByFieldName("type") == n {
		n = p
	}
	if p := n.Parent(); p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == n {
		name := text(r.src, p.ChildByFieldName("name"))
		if call := p.Parent(); call != nil && call.Type() == "call_expression" && call.ChildByFieldName("function") == p {
			if args := call.ChildByFieldName("arguments"); args != nil {
				for _, a := range namedChildren(args) {
					if s := r.passThrough(a); len(s) > 0 {
						return name, s[0]
					}
				}
			}
		}
		return name, ""
	}
	if tt := m.node.Parent(); tt != nil && tt.Type() == "token_tree" {
		var i int
		for i = 0; i < int(tt.ChildCount()) && tt.Child(i) != m.node; i++ {
		}
		if i+2 < int(tt.ChildCount()) && text(r.src, tt.Child(i+1)) == "::" {
			name := text(r.src, tt.Child(i+2))
			if i+3 < int(tt.ChildCount()) && tt.Child(i+3).Type() == "token_tree" {
				args := tt.Child(i + 3)
				for j := 0; j < int(args.ChildCount()); j++ {
					if s := r.tokenValueSite(args, j); s != "" {
						return name, s
					}
				}
			}
			return name, ""
		}
	}
	return "", ""
}

// link computes mention owners and unions the sites values flow between.
func (r *rcFile) link() {
	for _, m := range r.mentions {
		m.owner = r.flowTarget(m.span)
		if m.word != "Rc" {
			continue
		}
		name, arg := r.rcAssoc(m)
		switch {
		case rcAssocUse[name]:
			m.owner = arg
		case rcAssocFlow[name] && m.owner == "":
			m.owner = arg
		}
	}
	// Flows: every site's value expressions.
	for _, f := range r.flows {
		n := f.n
		switch f.typ {
		case "let_declaration":
			if v := n.ChildByFieldName("value"); v != nil {
				k := nodeKey("L", n)
				if _, ok := r.sites[k]; ok {
					for _, s := range r.passThrough(v) {
						r.union(k, s)
					}
				}
			}
		case "field_initializer", "shorthand_field_initializer":
			se := f.up
			if se == nil {
				continue
			}
			var field string
			var v *sitter.Node
			if f.typ == "field_initializer" {
				field, v = text(r.src, n.ChildByFieldName("field")), n.ChildByFieldName("value")
			} else if n.NamedChildCount() > 0 {
				v = n.NamedChild(0)
				field = text(r.src, v)
			}
			k := "F" + r.structExprName(se) + "." + field
			if _, ok := r.sites[k]; ok && v != nil {
				for _, s := range r.passThrough(v) {
					r.union(k, s)
				}
			}
		case "call_expression":
			if fn := r.localFn(n); fn != nil {
				args := n.ChildByFieldName("arguments")
				for i, a := range namedChildren(args) {
					k := nodeKey("P", fn) + "#" + strconv.Itoa(i)
					if _, ok := r.sites[k]; ok {
						for _, s := range r.passThrough(a) {
							r.union(k, s)
						}
					}
				}
				if _, ok := r.sites[nodeKey("R", fn)]; ok {
					if lt := f.up; lt != nil && unparen(lt.ChildByFieldName("value")) == n {
						r.union(nodeKey("R", fn), nodeKey("L", lt))
					}
				}
			}
		case "function_item":
			if body := n.ChildByFieldName("body"); body != nil && n.ChildByFieldName("return_type") != nil {
				if st := statements(body); len(st) > 0 && st[len(st)-1].Type() != "expression_statement" {
					for _, s := range r.passThrough(st[len(st)-1]) {
						r.union(nodeKey("R", n), s)
					}
				}
			}
		}
	}
	// Aliases: a site whose type names an alias shares its group.
	for _, m := range r.typeIdents {
		if k := "T" + text(r.src, m); r.sites[k] != nil {
			if o := r.flowTarget(m); o != "" && o != k {
				r.union(o, k)
			}
		}
	}
}

// rcGroup is the set of sites that change together, and its fix.
type rcGroup struct {
	root      string
	trigger   *rcSite
	why       string
	refCell   bool
	weak      bool // mentions `Weak` by name
	needArc   bool
	needMutex bool
	reason    string
	edits     []rewrite.Edit
	owned     map[*rcMention]bool
}

// runRcArc finds Rc values that reach a Send-required future and
// proposes their conversion to Arc.
func runRcArc(fc *fileCtx) []proposal {
	if !bytes.Contains(fc.src, []byte("Rc")) && !bytes.Contains(fc.src, []byte("Weak")) || !mayTrigger(fc) {
		return nil
	}
	r := &rcFile{fc: fc, src: fc.src, uf: map[string]string{}, sites: map[string]*rcSite{},
		binds: map[string][]*rcBind{}, fns: map[string][]*sitter.Node{}, structs: map[string]*sitter.Node{}}
	for _, u := range r.stdUses() {
		for _, n := range u.names {
			r.rcWeak = r.rcWeak || u.path == "std::rc" && n == "Weak"
		}
		// `use std::rc::*;` brings std::rc's Weak in under its bare name.
		r.rcWeak = r.rcWeak || r.isRcGlob(u)
	}
	r.collect()
	r.inferStructs()
	hasRc := false
	for _, m := range r.mentions {
		if m.word == "Rc" || m.word == "Weak" {
			hasRc = true
		}
	}
	if !hasRc {
		return nil
	}
	r.link()
	groups := r.triggers()
	if len(groups) == 0 {
		return nil
	}
	for _, g := range groups {
		r.plan(g)
	}
	imports, importReason := r.imports(groups)
	var out []proposal
	// Groups one binding triggers (a parameter whose type spells an Rc and
	// names a struct of the file with Rc fields: `s: Shared<Rc<u8>>`) make
	// one finding: their edits together, or, when one group is refused,
	// the first refusal and no edits.
	byTrigger := map[*rcSite]int{}
	add := func(g *rcGroup, p proposal) {
		i, ok := byTrigger[g.trigger]
		if !ok {
			byTrigger[g.trigger] = len(out)
			out = append(out, p)
			return
		}
		switch prev := &out[i]; {
		case prev.f.Reason != "":
		case p.f.Reason != "":
			prev.f, prev.edits = p.f, nil
		default:
			prev.edits = append(prev.edits, p.edits...)
			if p.f.Fix != "changed Rc to Arc" {
				prev.f.Fix = p.f.Fix
			}
		}
	}
	for _, g := range groups {
		f := Finding{
			Rule:    RuleRcArc,
			Pos:     Pos{Offset: int(g.trigger.id.StartByte())},
			Name:    g.trigger.name,
			Message: fmt.Sprintf("`%s` holds an Rc, which is not Send, and %s", g.trigger.name, g.why),
		}
		switch {
		case g.reason != "":
			f.Reason = g.reason
			add(g, proposal{f: f})
		case importReason != "":
			f.Reason = importReason
			add(g, proposal{f: f})
		case len(g.edits) == 0 && len(imports) == 0:
			// Nothing spelled Rc is left: an earlier pass fixed it.
		default:
			f.Fix = "changed Rc to Arc"
			if g.refCell {
				f.Fix = "changed Rc<RefCell<..>> to Arc<Mutex<..>> and borrows to lock().unwrap()"
			}
			edits := append(append([]rewrite.Edit(nil), g.edits...), imports...)
			add(g, proposal{f: f, edits: edits})
		}
	}
	return out
}

// mayTrigger reports whether a body of fc could trigger the rule (see
// triggers): an async block handed to a Send context (asyncBody.moved), or a
// Send-required async fn with a parameter whose type may hold an Rc: it
// spells a word `Rc` or `Weak`, or one the file declares a struct or a
// type alias by. The rest of the rule, which walks the whole file, runs
// only then.
func mayTrigger(fc *fileCtx) bool {
	var declared map[string]bool // struct and type alias names, on first need
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		switch b.node.Type() {
		case "async_block":
			if b.moved {
				return true
			}
		case "function_item":
			ps := b.node.ChildByFieldName("parameters")
			if ps == nil {
				continue
			}
			for _, p := range namedChildren(ps) {
				if p.Type() != "parameter" {
					continue
				}
				if declared == nil {
					declared = declaredTypeNames(fc.src)
				}
				if spellsRcType(fc.src[p.StartByte():p.EndByte()], declared) {
					return true
				}
			}
		}
	}
	return false
}

// declaredTypeNames returns the identifiers that follow a `struct` or
// `type` keyword in src, past comments: every name the file may declare a
// struct or a type alias by (and a few more, from macros).
func declaredTypeNames(src []byte) map[string]bool {
	out := map[string]bool{}
	after := false
	eachToken(src, func(t, i, j int) bool {
		w := string(src[i:j])
		if after && t == tokIdent {
			// A raw `r#Job` is the word `Job` to spellsRcType.
			out[strings.TrimPrefix(w, "r#")] = true
		}
		after = t == tokIdent && (w == "struct" || w == "type")
		return true
	})
	return out
}

// triggers returns the groups of Rc values that a Send-required future
// captures or receives as a parameter, one per group, in source order.
func (r *rcFile) triggers() []*rcGroup {
	var groups []*rcGroup
	seen := map[string]bool{}
	evidence := map[string]bool{}
	for _, m := range r.mentions {
		if (m.word == "Rc" || m.word == "Weak") && m.owner != "" {
			evidence[r.find(m.owner)] = true
		}
	}
	add := func(s *rcSite, why string, cands []string) {
		for _, c := range cands {
			root := r.find(c)
			if !evidence[root] || seen[root] {
				continue
			}
			seen[root] = true
			groups = append(groups, &rcGroup{root: root, trigger: s, why: why})
		}
	}
	fieldKeys := func(s *rcSite) []string {
		keys := []string{}
		for k := range r.sites {
			if strings.HasPrefix(k, "F"+s.structName+".") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		return keys
	}
	considerFields := func(s *rcSite, why string) { add(s, why, fieldKeys(s)) }
	consider := func(s *rcSite, why string) {
		cands := []string{s.key}
		if st := r.structs[s.structName]; st != nil {
			cands = append(cands, fieldKeys(s)...)
		}
		add(s, why, cands)
	}
	for _, b := range r.fc.bodies {
		if !b.send {
			continue
		}
		if b.node.Type() == "async_block" {
			// Only a block handed to a Send context (a spawn, a Send
			// bound) is moved there as a whole; an Rc made inside a
			// spawned block is a matter of what is alive at its awaits,
			// which this rule leaves alone.
			if !b.moved {
				continue
			}
		}
		if b.node.Type() == "function_item" {
			for i := 0; ; i++ {
				s := r.sites[nodeKey("P", b.node)+"#"+strconv.Itoa(i)]
				if s == nil {
					break
				}
				// Only a parameter whose type spells an Rc holds one
				// itself: a `&str` or `&T` parameter fed by deref from
				// a caller's Rc makes no future non-Send, and the fn may
				// be Send-required only by a name match with another
				// file's fn.
				if r.typeSpellsRc(s.typ, evidence) {
					consider(s, b.why)
				} else if r.structs[s.structName] != nil {
					considerFields(s, b.why)
				}
			}
			continue
		}
		for _, u := range r.uses {
			if !contains(b.block, u) {
				continue
			}
			for _, name := range r.useNames(u) {
				bd := r.resolveBind(u, name)
				if bd == nil || bd.site == "" || bd.start >= b.node.StartByte() {
					continue
				}
				consider(r.sites[bd.site], "is captured by a future that must be Send ("+b.why+")")
			}
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].trigger.id.StartByte() < groups[j].trigger.id.StartByte() })
	return groups
}

// typeSpellsRc reports whether a declared type spells an Rc or Weak of
// this rule, or names a type alias of the file whose group holds one.
func (r *rcFile) typeSpellsRc(t *sitter.Node, evidence map[string]bool) bool {
	if t == nil {
		return false
	}
	for _, m := range r.mentions {
		if (m.word == "Rc" || m.word == "Weak") && contains(t, m.node) {
			return true
		}
	}
	found := false
	walk(t, func(n *sitter.Node) bool {
		if n.Type() == "type_identifier" && r.sites["T"+text(r.src, n)] != nil && evidence[r.find("T"+text(r.src, n))] {
			found = true
		}
		return !found
	})
	return found
}

// useNames returns the binding names a use node mentions: the identifier,
// or the inline format arguments of a string literal.
func (r *rcFile) useNames(u *sitter.Node) []string {
	if u.Type() == "identifier" {
		return []string{text(r.src, u)}
	}
	s := strings.ReplaceAll(strings.ReplaceAll(text(r.src, u), "{{", ""), "}}", "")
	var out []string
	for _, m := range formatArg.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// plan computes a group's edits (imports aside) or why it has none.
func (r *rcFile) plan(g *rcGroup) {
	g.owned = map[*rcMention]bool{}
	inGroup := func(k string) bool { return k != "" && r.find(k) == g.root }
	for k, s := range r.sites {
		if inGroup(k) && s.pub && !r.fc.cfg.AllowPublic {
			g.reason = fmt.Sprintf("the Rc type of `%s` is public API (line %d); changing it may break code outside the given files (use --allow-public)", s.name, lineOf(r.src, int(s.id.StartByte())))
			return
		}
	}
	if why := r.untracedCalls(g); why != "" {
		g.reason = why
		return
	}
	var refCellMentions []*rcMention
	for _, m := range r.mentions {
		if !inGroup(m.owner) {
			continue
		}
		g.owned[m] = true
		switch m.word {
		case "Cell":
			g.reason = fmt.Sprintf("`%s` is an Rc<Cell<..>>: Cell is not Sync, so Arc alone does not help, and turning it into an atomic is not done automatically", g.trigger.name)
			return
		case "RefCell":
			refCellMentions = append(refCellMentions, m)
		case "Weak":
			if !m.full {
				g.weak = true
			}
		case "Rc":
			if m.full {
				g.edits = append(g.edits, rewrite.Edit{Start: int(m.span.StartByte()), End: int(m.span.EndByte()), New: "std::sync::Arc"})
			} else {
				g.needArc = true
				g.edits = append(g.edits, rewrite.Edit{Start: int(m.span.StartByte()), End: int(m.span.EndByte()), New: "Arc"})
			}
		}
	}
	for _, m := range refCellMentions {
		if !r.refCellInsideRc(m) {
			g.reason = fmt.Sprintf("`%s` has a RefCell that is not directly inside the Rc (line %d); Arc alone would not be Send", g.trigger.name, lineOf(r.src, int(m.node.StartByte())))
			return
		}
		g.refCell = true
		if m.full {
			g.edits = append(g.edits, rewrite.Edit{Start: int(m.span.StartByte()), End: int(m.span.EndByte()), New: "std::sync::Mutex"})
		} else {
			g.needMutex = true
			g.edits = append(g.edits, rewrite.Edit{Start: int(m.span.StartByte()), End: int(m.span.EndByte()), New: "Mutex"})
		}
	}
	if d := r.dynNotSendSync(g); d != nil {
		g.reason = fmt.Sprintf("`%s` holds an Rc<%s>: Arc<%s> is Send only as `%s + Send + Sync`, and sendfix cannot check that every type coerced into it is Send and Sync; not changed", g.trigger.name, text(r.src, d), text(r.src, d), text(r.src, d))
		return
	}
	if why := r.innerNotSend(g); why != "" {
		g.reason = why
		return
	}
	// Borrows of the group's RefCell become locks.
	var mine []*rcBorrow
	for _, b := range r.borrows {
		switch {
		case inGroup(b.recv):
			if !g.refCell {
				g.reason = fmt.Sprintf("`.%s()` is called on `%s`, whose RefCell is not spelled in this file", b.method, g.trigger.name)
				return
			}
			if refCellRefused[b.method] {
				g.reason = fmt.Sprintf("`.%s()` at line %d has no same-meaning Mutex method (try_lock fails differently); not changed", b.method, lineOf(r.src, b.start))
				return
			}
			mine = append(mine, b)
			g.edits = append(g.edits, rewrite.Edit{Start: b.start, End: b.end, New: "lock().unwrap()"})
		case b.opaque && g.refCell:
			g.reason = fmt.Sprintf("cannot tell whether `.%s()` at line %d borrows `%s`; not changed", b.method, lineOf(r.src, b.start), g.trigger.name)
			return
		}
	}
	if why := r.lockOverlap(mine); why != "" {
		g.reason = why
	}
}

// untracedCalls returns why a fn whose parameter or result is in g cannot
// change: a mention of its name that is not a call the rule follows (a
// call inside a macro's tokens, a path call, the fn passed as a value, a
// name shared by several fns), whose argument would keep its Rc.
func (r *rcFile) untracedCalls(g *rcGroup) string {
	for name, fns := range r.fns {
		for _, fn := range fns {
			p, res := nodeKey("P", fn)+"#", nodeKey("R", fn)
			in := r.sites[res] != nil && r.find(res) == g.root
			for k := range r.sites {
				in = in || strings.HasPrefix(k, p) && r.find(k) == g.root
			}
			if !in {
				continue
			}
			var bad *sitter.Node
			walk(r.fc.root, func(n *sitter.Node) bool {
				if bad != nil {
					return false
				}
				if n.Type() != "identifier" || text(r.src, n) != name || n == fn.ChildByFieldName("name") {
					return true
				}
				if c := n.Parent(); c != nil && c.Type() == "call_expression" && c.ChildByFieldName("function") == n && r.localFn(c) == fn {
					return true
				}
				if r.resolveBind(n, name) != nil && n.Parent() != nil && n.Parent().Type() != "token_tree" {
					return true // a local binding of the same name
				}
				bad = n
				return false
			})
			if bad != nil {
				return fmt.Sprintf("fn `%s` changes with `%s`, but its use at line %d is not a call sendfix can follow (a macro's arguments, a path, or the fn as a value); not changed", name, g.trigger.name, lineOf(r.src, int(bad.StartByte())))
			}
		}
	}
	return ""
}

// refCellInsideRc reports whether a RefCell mention is the direct content
// of an Rc: `Rc<RefCell<T>>` or `Rc::new(RefCell::new(x))`.
func (r *rcFile) refCellInsideRc(m *rcMention) bool {
	n := m.span
	if p := n.Parent(); p != nil && p.Type() == "generic_type" {
		// Rc<RefCell<T>>: generic_type(RefCell) in type_arguments of generic_type(Rc).
		ta := p.Parent()
		if ta != nil && ta.Type() == "type_arguments" && ta.NamedChildCount() == 1 && ta.Parent() != nil && ta.Parent().Type() == "generic_type" {
			return isRcPath(r.src, ta.Parent().ChildByFieldName("type"))
		}
		return false
	}
	if p := n.Parent(); p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == n {
		call := p.Parent()
		if call == nil || call.Type() != "call_expression" {
			return false
		}
		args := call.Parent()
		if args == nil || args.Type() != "arguments" || args.NamedChildCount() != 1 {
			return false
		}
		outer := args.Parent()
		if outer == nil || outer.Type() != "call_expression" {
			return false
		}
		f := outer.ChildByFieldName("function")
		return f != nil && f.Type() == "scoped_identifier" && isRcPath(r.src, f.ChildByFieldName("path"))
	}
	if tt := m.node.Parent(); tt != nil && tt.Type() == "token_tree" {
		// `Rc::new(RefCell::new(..))` inside a macro.
		pre := strings.Join(strings.Fields(string(r.src[tt.StartByte():m.node.StartByte()])), "")
		return strings.HasSuffix(pre, "Rc::new(") && tt.Parent() != nil
	}
	return false
}

// dynNotSendSync returns the first trait object (`dyn Trait`) spelled
// inside one of the group's Rc or Weak types that is not known to be Send
// and Sync, or nil. It is known to be when the object type spells both
// bounds (`dyn Trait + Send + Sync`) or the trait is declared in the file
// with both as supertraits. Otherwise Arc<dyn Trait> is not Send, and
// adding the bounds compiles only if every concrete type coerced into the
// object is Send and Sync, which the syntax of one file cannot show.
func (r *rcFile) dynNotSendSync(g *rcGroup) *sitter.Node {
	var bad *sitter.Node
	for m := range g.owned {
		if m.word != "Rc" && m.word != "Weak" {
			continue
		}
		p := m.span.Parent()
		if p == nil || p.Type() != "generic_type" || p.ChildByFieldName("type") != m.span {
			continue
		}
		walk(p, func(n *sitter.Node) bool {
			if n.Type() == "dynamic_type" && !r.dynSendSync(n) && (bad == nil || n.StartByte() < bad.StartByte()) {
				bad = n
			}
			return true
		})
	}
	return bad
}

// dynSendSync reports whether a `dyn` type is Send and Sync by its own
// bounds or its trait's supertraits (when the trait is declared in the
// file).
func (r *rcFile) dynSendSync(d *sitter.Node) bool {
	top := d
	for top.Parent() != nil && top.Parent().Type() == "bounded_type" {
		top = top.Parent()
	}
	words := map[string]bool{}
	add := func(s string) {
		for _, w := range strings.FieldsFunc(s, func(c rune) bool {
			return !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
		}) {
			words[w] = true
		}
	}
	add(text(r.src, top))
	if t := d.ChildByFieldName("trait"); t != nil && t.Type() == "type_identifier" {
		name := text(r.src, t)
		walk(r.fc.root, func(n *sitter.Node) bool {
			if n.Type() == "trait_item" && text(r.src, n.ChildByFieldName("name")) == name {
				if b := n.ChildByFieldName("bounds"); b != nil {
					add(text(r.src, b))
				}
				return false
			}
			return true
		})
	}
	return words["Send"] && words["Sync"]
}

// notSendWords are types that keep a value non-Send or non-Sync inside Arc.
var notSendWords = []string{"Rc<", "Rc::", "RefCell", "Cell<", "Cell::", "UnsafeCell", "NonNull", "*const", "*mut", "MutexGuard", "Ref<", "RefMut<"}

// innerNotSend returns why the content of the group's Rc is not Send and
// Sync, as far as the file spells it, or "".
func (r *rcFile) innerNotSend(g *rcGroup) string {
	check := func(s string) string {
		for _, w := range notSendWords {
			if strings.Contains(s, w) {
				return w
			}
		}
		return ""
	}
	for m := range g.owned {
		if m.word != "Rc" {
			continue
		}
		var inner *sitter.Node
		if p := m.span.Parent(); p != nil && p.Type() == "generic_type" && p.ChildByFieldName("type") == m.span {
			inner = p.ChildByFieldName("type_arguments")
		}
		if p := m.span.Parent(); p != nil && p.Type() == "scoped_identifier" && p.ChildByFieldName("path") == m.span {
			if call := p.Parent(); call != nil && call.Type() == "call_expression" {
				inner = call.ChildByFieldName("arguments")
			}
		}
		if inner == nil {
			continue
		}
		s := text(r.src, inner)
		if g.refCell {
			s = strings.Replace(strings.Replace(s, "RefCell<", "", 1), "RefCell::new", "", 1)
		}
		if w := check(s); w != "" {
			return fmt.Sprintf("the value in `%s`'s Rc contains `%s`, which Arc would not make Send; not changed", g.trigger.name, strings.TrimRight(w, "<:"))
		}
		// A struct of the file inside the Rc: its fields must be Send too.
		for name, st := range r.structs {
			body := st.ChildByFieldName("body")
			if !strings.Contains(s, name) || body == nil {
				continue // a unit struct has no fields to check
			}
			for _, f := range namedChildren(body) {
				if f.Type() != "field_declaration" || r.find("F"+name+"."+text(r.src, f.ChildByFieldName("name"))) == g.root {
					continue
				}
				if w := check(text(r.src, f.ChildByFieldName("type"))); w != "" {
					return fmt.Sprintf("struct `%s` in `%s`'s Rc has a field of type `%s`, which Arc would not make Send; not changed", name, g.trigger.name, strings.TrimRight(w, "<:"))
				}
			}
		}
	}
	return ""
}

// lockOverlap returns why turning the borrows into locks could deadlock:
// a Mutex is not reentrant, where several RefCell borrows may coexist.
// A borrow is held through the statements after its `let` (up to a
// `drop`), or as a temporary through its whole statement (a `for`
// loop's iterator, a `match` or `if let` scrutinee); no other borrow of
// the group, and no call of code that borrows it, may run in that time.
func (r *rcFile) lockOverlap(bs []*rcBorrow) string {
	perStmt := map[*sitter.Node]int{}
	for _, b := range bs {
		if b.stmt == nil {
			continue
		}
		perStmt[b.stmt]++
		if perStmt[b.stmt] > 1 {
			return fmt.Sprintf("two borrows at line %d would be two locks of one Mutex at once (deadlock); not changed", lineOf(r.src, b.start))
		}
	}
	borrowing := r.borrowingFns(bs)
	inClosure := false
	for _, b := range bs {
		inClosure = inClosure || ancestor(b.at, "closure_expression") != nil
	}
	check := func(b *rcBorrow, region *sitter.Node) string {
		for _, o := range bs {
			if o != b && int(region.StartByte()) <= o.start && o.start < int(region.EndByte()) {
				return fmt.Sprintf("the borrow at line %d is still alive at the borrow at line %d; as Mutex locks they would deadlock; not changed", lineOf(r.src, b.start), lineOf(r.src, o.start))
			}
		}
		var bad *sitter.Node
		walk(region, func(n *sitter.Node) bool {
			if bad != nil {
				return false
			}
			name, local := r.calledName(n)
			if name != "" && (borrowing[name] || local && inClosure) {
				bad = n
			}
			return bad == nil
		})
		if bad != nil {
			return fmt.Sprintf("the borrow at line %d is still alive at the call at line %d, which may borrow it again; as Mutex locks that would deadlock; not changed", lineOf(r.src, b.start), lineOf(r.src, int(bad.StartByte())))
		}
		return ""
	}
	for _, b := range bs {
		if b.letName != "" && b.stmt != nil && b.stmt.Type() == "let_declaration" && b.stmt.Parent() != nil {
			after := false
			for _, st := range statements(b.stmt.Parent()) {
				if st == b.stmt {
					after = true
					continue
				}
				if !after {
					continue
				}
				if isDropOf(r.src, st, b.letName) {
					break
				}
				if why := check(b, st); why != "" {
					return why
				}
			}
			continue
		}
		if region := tempRegion(b.at); region != nil {
			if why := check(b, region); why != "" {
				return why
			}
		}
	}
	return ""
}

// tempRegion returns the expression or statement through which a
// temporary made at n lives: the enclosing statement, a block's tail, a
// closure's body, or the condition of an `if` / `while` (dropped before
// the branch runs).
func tempRegion(n *sitter.Node) *sitter.Node {
	for ; n != nil; n = n.Parent() {
		switch n.Type() {
		case "let_declaration", "expression_statement":
			return n
		}
		p := n.Parent()
		if p == nil {
			return n
		}
		switch p.Type() {
		case "block", "closure_expression":
			return n
		case "if_expression", "while_expression":
			if p.ChildByFieldName("condition") == n && n.Type() != "let_condition" && n.Type() != "let_chain" {
				return n
			}
		}
	}
	return nil
}

// calledName returns the name a call node calls (`f(..)`, `x.m(..)`,
// `T::f(..)`, or `f (..)` in a macro's tokens), and whether it is a local
// binding (a closure variable).
func (r *rcFile) calledName(n *sitter.Node) (string, bool) {
	switch n.Type() {
	case "call_expression":
		f := n.ChildByFieldName("function")
		switch f.Type() {
		case "identifier":
			name := text(r.src, f)
			return name, r.resolveBind(f, name) != nil
		case "field_expression":
			return text(r.src, f.ChildByFieldName("field")), false
		case "scoped_identifier":
			return text(r.src, f.ChildByFieldName("name")), false
		}
	case "identifier":
		if p := n.Parent(); p != nil && p.Type() == "token_tree" {
			if nx := n.NextSibling(); nx != nil && nx.Type() == "token_tree" && strings.HasPrefix(text(r.src, nx), "(") {
				name := text(r.src, n)
				return name, r.resolveBind(n, name) != nil
			}
		}
	}
	return "", false
}

// borrowingFns returns the names of the file's fns and methods that
// borrow one of bs, directly or through calls of one another.
func (r *rcFile) borrowingFns(bs []*rcBorrow) map[string]bool {
	out := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for name, fns := range r.fns {
			if out[name] {
				continue
			}
			for _, fn := range fns {
				body := fn.ChildByFieldName("body")
				if body == nil {
					continue
				}
				hit := false
				for _, b := range bs {
					hit = hit || int(body.StartByte()) <= b.start && b.start < int(body.EndByte())
				}
				walk(body, func(n *sitter.Node) bool {
					if c, _ := r.calledName(n); c != "" && out[c] {
						hit = true
					}
					return !hit
				})
				if hit {
					out[name], changed = true, true
					break
				}
			}
		}
	}
	return out
}

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
