package patterns

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// rcBind is a local binding as rc-arc sees it: where its identifier
// starts, and its spelling (zero for a binding the rule does not track: a
// pattern's, a closure parameter's).
type rcBind struct {
	start    uint32
	spelling spellingKey
}

// rcSpelling is a place whose type a group decides: a let, a parameter,
// a result, a field or an alias, where the file spells (or infers) a
// type. (A Site, sites.go, is what the compiler reports.)
type rcSpelling struct {
	key  spellingKey
	name string
	id   *sitter.Node // the identifier of the binding, for positions
	pub  bool
	typ  *sitter.Node // the declared type of a parameter
	// decl declares the spelling: the let_declaration, the parameter, the
	// function_item (result), the field_declaration or the type_item.
	decl *sitter.Node
	// impl is the impl or trait a parameter, result or let is written
	// in, for what `Self` stands for; nil outside one.
	impl *sitter.Node
}

// rcMention is one spelling of Rc, RefCell, Cell or Weak outside imports.
type rcMention struct {
	node  *sitter.Node // the identifier
	word  string
	span  *sitter.Node // what to replace: the identifier, or a `std::rc::Rc` path
	full  bool         // span is a full path (`std::rc::Rc`)
	owner spellingKey
}

// rcBorrow is a call of a RefCell or Cell method: `x.borrow()`,
// `x.get()`. Its receiver is resolved after the walk (resolveCalls).
type rcBorrow struct {
	method     string
	recvNode   *sitter.Node // the receiver expression, or its last token in a macro
	tokenField bool         // in a macro's tokens, the receiver is a field (`a.b.borrow()`)
	recv       spellingKey  // the receiver's spelling, the zero key when unknown
	opaque     bool         // the receiver is not one the rule can follow
	start, end int          // the `borrow()` text, method name through `)`
	stmt       *sitter.Node // nearest statement, for overlap checks
	letName    string       // the name bound when the statement is `let g = x.borrow..`
	at         *sitter.Node // the call (or the macro's token tree)
}

// rcFile is the rule's view of one file.
type rcFile struct {
	fc         *fileCtx
	src        []byte
	uf         map[spellingKey]spellingKey
	spellings  map[spellingKey]*rcSpelling
	spellingOf map[uint32]spellingKey // binding spellings by their identifier's start
	mods       []*sitter.Node         // the file's inline modules (outermost), once inModule asks
	fns        map[string][]*sitter.Node
	structs    map[string]*sitter.Node
	enums      map[string]*sitter.Node
	mentions   []*rcMention
	borrows    []*rcBorrow
	uses       []*sitter.Node
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
	rcWeak   bool // a bare `Weak` is std::rc's
	syncWeak bool // a bare `Weak` is std::sync's
	// tenv is the file's type environment (see env); spellingTypes the
	// types of spellings computed so far.
	tenv          *typeEnv
	spellingTypes map[spellingKey]*ty
	// mentionAt are the mentions by the start of their span; dyns the
	// trait objects (dynamic_type nodes) and impls the trait impls the
	// file spells.
	mentionAt   map[int]*rcMention
	dyns        []*sitter.Node
	dynsLowered []*rcDyn
	impls       []*sitter.Node
	imported    map[string]string // importedFrom's answers
	// lostFields are field reads whose struct the rule could not tell,
	// among several of the file with a field of that name.
	lostFields []lostField
	// orderingPath is how edits spell SeqCst (see seqCst); usesCache the
	// file's use declarations (see stdUses).
	orderingPath string
	usesCache    []*rcUse
	// sendAt, when not nil, are the sorted starts of the Send-required
	// bodies: collect then skips the bodies of fns holding none.
	sendAt []uint32
	// idents are the file's identifiers outside imports, in source
	// order; identsByName indexes them, on first need.
	idents       []*sitter.Node
	identsByName map[string][]*sitter.Node
	// methodCalls are the method calls (`x.m(..)`, and `f.m` field
	// calls), by method name.
	methodCalls map[string][]*sitter.Node
	// lets are the let spellings, by position (see localsHeld).
	lets []spellingKey
	// groups are the groups fixes need, by root, in the order first
	// needed (groupOrder); byRoot the mentions of each group.
	groups     map[spellingKey]*rcGroup
	groupOrder []*rcGroup
	byRoot     map[spellingKey][]*rcMention
	fnImpl     map[uint32]*sitter.Node // the impl a fn is written in, by the fn's start
	fields     map[string]spellingKey  // field name -> spelling, the zero key when several structs have it
}

// rcFlowNode is a node link looks at: a let, a field initializer, a call
// or a fn item, with its type and the ancestor link needs.
type rcFlowNode struct {
	n, up *sitter.Node
	typ   string
}

func (r *rcFile) spelling(key spellingKey, name string, id *sitter.Node) *rcSpelling {
	if s, ok := r.spellings[key]; ok {
		return s
	}
	s := &rcSpelling{key: key, name: name, id: id}
	r.spellings[key] = s
	if key.kind == spellingLet || key.kind == spellingParam {
		r.spellingOf[id.StartByte()] = key
	}
	if !r.uf[key].ok() {
		r.uf[key] = key
	}
	return s
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

// holdsSend reports whether a Send-required body starts inside block.
func (r *rcFile) holdsSend(block *sitter.Node) bool {
	i := sort.Search(len(r.sendAt), func(i int) bool { return r.sendAt[i] >= block.StartByte() })
	return i < len(r.sendAt) && r.sendAt[i] < block.EndByte()
}

// collect walks the file once and records bindings, spellings, mentions and
// method calls.
func (r *rcFile) collect() {
	src := r.src
	nearest := func(up *ancestors, typ string) *sitter.Node {
		for i := len(up.types) - 1; i >= 0; i-- {
			if up.types[i] == typ {
				return up.nodes[i]
			}
		}
		return nil
	}
	walkTyped(r.fc.root, func(n *sitter.Node, typ string, up *ancestors) bool {
		if typ == "block" && r.sendAt != nil {
			if _, pt := up.parent(); pt == "function_item" && !r.holdsSend(n) {
				return false
			}
		}
		switch typ {
		case "let_declaration", "function_item":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ})
		case "field_initializer", "shorthand_field_initializer":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ, up: nearest(up, "struct_expression")})
		case "call_expression":
			r.flows = append(r.flows, rcFlowNode{n: n, typ: typ, up: nearest(up, "let_declaration")})
		case "type_identifier":
			r.typeIdents = append(r.typeIdents, n)
		case "dynamic_type":
			r.dyns = append(r.dyns, n)
		case "impl_item":
			if n.ChildByFieldName("trait") != nil {
				r.impls = append(r.impls, n)
			}
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
			if im := nearest(up, "impl_item"); im != nil {
				r.fnImpl[n.StartByte()] = im
			}
			body := n.ChildByFieldName("body")
			if params := n.ChildByFieldName("parameters"); params != nil && body != nil {
				i := 0
				for _, p := range namedChildren(params) {
					if p.Type() != "parameter" {
						continue
					}
					key := paramKey(n, i)
					i++
					pat := p.ChildByFieldName("pattern")
					if pat != nil && pat.Type() == "mut_pattern" && pat.NamedChildCount() > 0 {
						pat = pat.NamedChild(int(pat.NamedChildCount()) - 1)
					}
					if pat == nil || pat.Type() != "identifier" {
						continue
					}
					s := r.spelling(key, text(src, pat), pat)
					s.decl, s.impl = p, nearest(up, "impl_item")
					s.pub = hasPub(n)
					s.typ = p.ChildByFieldName("type")
				}
			}
			if rt := n.ChildByFieldName("return_type"); rt != nil {
				s := r.spelling(resultKey(n), name, n.ChildByFieldName("name"))
				s.decl, s.impl = n, nearest(up, "impl_item")
				s.pub = hasPub(n)
			}
		case "let_declaration":
			pat := n.ChildByFieldName("pattern")
			id := pat
			if id != nil && id.Type() == "mut_pattern" && id.NamedChildCount() > 0 {
				id = id.NamedChild(int(id.NamedChildCount()) - 1)
			}
			if scope, _ := up.parent(); id != nil && id.Type() == "identifier" && scope != nil {
				s := r.spelling(letKey(n), text(src, id), id)
				s.decl, s.impl = n, nearest(up, "impl_item")
			}
		case "struct_item":
			name := text(src, n.ChildByFieldName("name"))
			r.structs[name] = n
			fieldsOf(src, n.ChildByFieldName("body"), "", func(key string, id, decl *sitter.Node, pub bool) {
				s := r.spelling(fieldKey(name, key), key, id)
				s.decl = decl
				s.pub = hasPub(n) && pub
			})
		case "enum_item":
			name := text(src, n.ChildByFieldName("name"))
			r.enums[name] = n
			if body := n.ChildByFieldName("body"); body != nil {
				for _, v := range namedChildren(body) {
					if v.Type() != "enum_variant" {
						continue
					}
					fieldsOf(src, v.ChildByFieldName("body"), text(src, v.ChildByFieldName("name"))+".", func(key string, id, decl *sitter.Node, _ bool) {
						s := r.spelling(fieldKey(name, key), key, id)
						s.decl = decl
						s.pub = hasPub(n)
					})
				}
			}
		case "type_item":
			nm := n.ChildByFieldName("name")
			s := r.spelling(aliasKey(text(src, nm)), text(src, nm), nm)
			s.decl = n
			s.pub = hasPub(n)
		case "identifier", "type_identifier":
			if typ == "identifier" {
				r.idents = append(r.idents, n)
			}
			p, pt := up.parent()
			if w := text(src, n); rcWords[w] {
				r.addMention(n, w)
			} else if typ == "identifier" && (p == nil || !isPathTailOf(n, p, pt) && !isFieldNameOf(n, p, pt)) {
				if pt != "token_tree" {
					r.uses = append(r.uses, n)
				} else {
					// In a macro's tokens, a name after `.` or `::` is a
					// field, a method or a path segment, not a binding.
					if prev := n.PrevSibling(); prev == nil || text(src, prev) != "." && text(src, prev) != "::" {
						r.uses = append(r.uses, n)
					}
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
			if k := len(up.types); k >= 2 && up.types[k-1] == "field_expression" && up.types[k-2] == "call_expression" {
				name := text(src, n)
				r.methodCalls[name] = append(r.methodCalls[name], up.nodes[k-2])
			}
		}
		return true
	})
	if r.shadowed != nil {
		r.mentions = slices.DeleteFunc(r.mentions, func(m *rcMention) bool { return !m.full && r.shadowed[m.word] })
	}
	for _, m := range r.mentions {
		r.mentionAt[int(m.span.StartByte())] = m
	}
	// Token-tree borrows: `x . borrow ( )` inside a macro.
	for _, u := range r.tokenIdents {
		if m := text(src, u); isCellCall(m, cellMethods[m]) {
			r.addTokenBorrow(u)
		}
	}
}

// fieldsOf calls f for each field of a struct's or an enum variant's
// body: its key (`x`, `0` for a tuple field, with prefix before), the node
// naming it (the type for a tuple field), its declaration (the
// field_declaration, or the type) and whether it is `pub`.
func fieldsOf(src []byte, body *sitter.Node, prefix string, f func(key string, id, decl *sitter.Node, pub bool)) {
	if body == nil {
		return
	}
	i, pub := 0, false
	for _, c := range namedChildren(body) {
		switch {
		case c.Type() == "field_declaration":
			f(prefix+text(src, c.ChildByFieldName("name")), c.ChildByFieldName("name"), c, hasPub(c))
		case c.Type() == "visibility_modifier":
			pub = true
		case body.Type() == "ordered_field_declaration_list" && c.Type() != "attribute_item" && c.Type() != "line_comment" && c.Type() != "block_comment":
			f(prefix+strconv.Itoa(i), c, c, pub)
			i, pub = i+1, false
		}
	}
}

// tupleFieldKey returns the spelling of the field a tuple struct's or enum
// variant's type node t declares, or the zero key.
func tupleFieldKey(src []byte, t *sitter.Node) spellingKey {
	list := t.Parent()
	if list == nil || list.Type() != "ordered_field_declaration_list" {
		return spellingKey{}
	}
	key := ""
	fieldsOf(src, list, "", func(k string, id, _ *sitter.Node, _ bool) {
		if id == t {
			key = k
		}
	})
	return ownerFieldKey(src, list, key)
}

// ownerFieldKey returns the key of field key of the struct or enum
// variant whose body is list.
func ownerFieldKey(src []byte, list *sitter.Node, key string) spellingKey {
	switch item := list.Parent(); {
	case key == "" || item == nil:
	case item.Type() == "struct_item" || item.Type() == "union_item":
		return fieldKey(text(src, item.ChildByFieldName("name")), key)
	case item.Type() == "enum_variant":
		if e := ancestor(item, "enum_item"); e != nil {
			return fieldKey(text(src, e.ChildByFieldName("name")), text(src, item.ChildByFieldName("name"))+"."+key)
		}
	}
	return spellingKey{}
}

// literalFieldKey returns the spelling a struct literal's field fills:
// `S { f: .. }`, `Enum::Variant { f: .. }`.
func (r *rcFile) literalFieldKey(se *sitter.Node, field string) spellingKey {
	name := r.structExprName(se)
	if i := strings.LastIndex(name, "::"); i >= 0 && r.enums[lastSegment(name[:i])] != nil {
		return fieldKey(lastSegment(name[:i]), name[i+2:]+"."+field)
	}
	return fieldKey(name, field)
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

// cellMethods are the Cell methods the rule rewrites or refuses, with
// their number of arguments (`get()` with an argument is another get).
var cellMethods = map[string]int{"get": 0, "set": 1, "replace": 1, "take": 0, "swap": 1, "update": 1, "get_mut": 0, "into_inner": 0}

// isCellCall reports whether method with args arguments may be a call of
// one of the methods the rule tracks on a RefCell or a Cell.
func isCellCall(method string, args int) bool {
	if n, ok := cellMethods[method]; ok && n == args {
		return true
	}
	return method == "borrow" || method == "borrow_mut" || refCellRefused[method]
}

// addBorrow records `recv.method()` for RefCell and Cell methods, f being
// the field_identifier naming the method.
func (r *rcFile) addBorrow(f *sitter.Node) {
	m := text(r.src, f)
	if _, cell := cellMethods[m]; !cell && m != "borrow" && m != "borrow_mut" && !refCellRefused[m] {
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
	if args := call.ChildByFieldName("arguments"); args == nil || !isCellCall(m, int(args.NamedChildCount())) {
		return
	}
	b := &rcBorrow{method: m, start: int(f.StartByte()), end: int(call.EndByte()), recvNode: unparen(fe.ChildByFieldName("value"))}
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
	b := &rcBorrow{method: text(r.src, id), start: int(id.StartByte()), end: int(args.EndByte()), recvNode: recv}
	b.tokenField = idx >= 3 && text(r.src, tt.Child(idx-3)) == "."
	if !isCellCall(b.method, tokenArgs(r.src, args)) {
		return
	}
	r.finishBorrow(b, tt)
}

// tokenArgs returns the number of arguments in a macro's `( .. )` token
// tree: its top-level comma-separated parts.
func tokenArgs(src []byte, tt *sitter.Node) int {
	n, part := 0, false
	for i := 1; i+1 < int(tt.ChildCount()); i++ {
		if text(src, tt.Child(i)) == "," {
			part = false
			continue
		}
		if !part {
			n, part = n+1, true
		}
	}
	return n
}

// resolveCalls resolves the receivers of the calls collect recorded, once
// every binding and struct of the file is known.
func (r *rcFile) resolveCalls() {
	for _, b := range r.borrows {
		recv := b.recvNode
		switch {
		case recv.Type() == "identifier" && b.tokenField:
			b.recv = r.fieldSpelling(text(r.src, recv))
			b.opaque = !b.recv.ok()
		case recv.Type() == "identifier":
			b.recv, b.opaque = r.resolve(recv, text(r.src, recv))
		case recv.Type() == "field_expression":
			b.recv = r.fieldSpellingOf(recv)
			b.opaque = !b.recv.ok()
		default:
			b.opaque = true
		}
	}
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
