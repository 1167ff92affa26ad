package patterns

import (
	"strconv"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// spellingKind says what kind of place a spellingKey names.
type spellingKind uint8

const (
	spellingNone   spellingKind = iota // the zero key: no spelling
	spellingField                      // a field of a struct of the file
	spellingLet                        // a `let` binding
	spellingParam                      // a parameter of a fn of the file
	spellingResult                     // the result of a fn of the file
	spellingAlias                      // a type alias of the file
)

// spellingKey names a place whose type a group decides. It is comparable, so
// it keys maps; the zero spellingKey names no spelling.
type spellingKey struct {
	kind  spellingKind
	at    uint32 // the let_declaration's or function_item's start (let, param, result)
	index int    // the parameter's index among the fn's `parameter`s
	owner string // the struct (field) or the alias (alias)
	field string // the field's name (field)
}

func letKey(let *sitter.Node) spellingKey { return spellingKey{kind: spellingLet, at: let.StartByte()} }
func paramKey(fn *sitter.Node, i int) spellingKey {
	return spellingKey{kind: spellingParam, at: fn.StartByte(), index: i}
}
func resultKey(fn *sitter.Node) spellingKey {
	return spellingKey{kind: spellingResult, at: fn.StartByte()}
}
func fieldKey(owner, field string) spellingKey {
	return spellingKey{kind: spellingField, owner: owner, field: field}
}
func aliasKey(name string) spellingKey { return spellingKey{kind: spellingAlias, owner: name} }
func (k spellingKey) ok() bool         { return k.kind != spellingNone }
func (k spellingKey) ofFn(fn *sitter.Node) bool {
	return (k.kind == spellingParam || k.kind == spellingResult) && k.at == fn.StartByte()
}
func (k spellingKey) ofStruct(name string) bool { return k.kind == spellingField && k.owner == name }

// less orders keys, so that a group's representative does not depend on
// the order of unions.
func (k spellingKey) less(o spellingKey) bool {
	switch {
	case k.kind != o.kind:
		return k.kind < o.kind
	case k.at != o.at:
		return k.at < o.at
	case k.index != o.index:
		return k.index < o.index
	case k.owner != o.owner:
		return k.owner < o.owner
	}
	return k.field < o.field
}

// find returns the representative of k's group.
func (r *rcFile) find(k spellingKey) spellingKey {
	for {
		p, ok := r.uf[k]
		if !ok || p == k {
			return k
		}
		k = p
	}
}

// union merges the groups of a and b.
func (r *rcFile) union(a, b spellingKey) {
	if !a.ok() || !b.ok() {
		return
	}
	ra, rb := r.find(a), r.find(b)
	if ra == rb {
		return
	}
	if ra.less(rb) {
		r.uf[rb] = ra
	} else {
		r.uf[ra] = rb
	}
}

// fieldSpelling returns the spelling of a struct field of the file by field name,
// when exactly one struct has a field of that name.
func (r *rcFile) fieldSpelling(name string) spellingKey {
	if r.fields == nil {
		r.fields = map[string]spellingKey{}
		for k := range r.spellings {
			if k.kind != spellingField {
				continue
			}
			if _, dup := r.fields[k.field]; dup {
				r.fields[k.field] = spellingKey{}
			} else {
				r.fields[k.field] = k
			}
		}
	}
	return r.fields[name]
}

// fieldSpellingOf returns the spelling of the field a field expression reads:
// the field of the struct its receiver is (`self.schema` in an impl of
// Factory), else the one struct field of that name in the file.
func (r *rcFile) fieldSpellingOf(fe *sitter.Node) spellingKey {
	name := text(r.src, fe.ChildByFieldName("field"))
	if st := r.structOf(fe.ChildByFieldName("value")); st != "" {
		if k := fieldKey(st, name); r.spellings[k] != nil {
			return k
		}
		return spellingKey{}
	}
	return r.fieldSpelling(name)
}

// lostField is a field read whose struct the rule cannot tell, when
// several structs of the file have a field of that name.
type lostField struct {
	field string
	node  *sitter.Node
}

// lost records a field read that passThrough could not follow, when the
// field's name is not unique: a group with such a field must not change
// without it.
func (r *rcFile) lost(fe *sitter.Node) {
	name := text(r.src, fe.ChildByFieldName("field"))
	if _, ok := r.fields[name]; ok && !r.fields[name].ok() {
		r.lostFields = append(r.lostFields, lostField{field: name, node: fe})
	}
}

// resolve returns the spelling of the binding name refers to at id, and
// whether it is a binding the rule does not track (a pattern's, a closure
// parameter's).
func (r *rcFile) resolve(id *sitter.Node, name string) (spellingKey, bool) {
	best := r.resolveBind(id, name)
	if best == nil {
		return spellingKey{}, false
	}
	return best.spelling, !best.spelling.ok()
}

// resolveBind returns the local binding name refers to at node at, from
// the facts layer (scope- and shadow-aware, macro tokens and format
// arguments included), with its spelling; nil for an item, a path, an
// unknown name, or `self` (whose type the impl gives, see selfParam).
func (r *rcFile) resolveBind(at *sitter.Node, name string) *rcBind {
	f := r.fc.facts()
	id := NoBinding
	if at.Type() == "identifier" && text(r.src, at) == name {
		id = f.Resolve(at)
	}
	if id == NoBinding {
		id = f.ResolveName(name, int(at.StartByte()))
	}
	if id == NoBinding {
		return nil
	}
	bd := f.Binding(id)
	if bd.Ident == nil || bd.Name == "self" {
		return nil
	}
	return &rcBind{start: bd.Ident.StartByte(), spelling: r.spellingOf[bd.Ident.StartByte()]}
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

// localMethod returns the method of the file a method call calls: the
// one method of that name in an impl of the struct its receiver is.
func (r *rcFile) localMethod(call *sitter.Node) *sitter.Node {
	f := call.ChildByFieldName("function")
	if f == nil || f.Type() != "field_expression" {
		return nil
	}
	st := r.structOf(f.ChildByFieldName("value"))
	if st == "" {
		return nil
	}
	var found *sitter.Node
	for _, fn := range r.fns[text(r.src, f.ChildByFieldName("field"))] {
		if im := r.fnImpl[fn.StartByte()]; im != nil && typeStructName(r.src, im.ChildByFieldName("type")) == st && hasSelfParam(fn) {
			if found != nil {
				return nil
			}
			found = fn
		}
	}
	return found
}

// localAssoc returns the associated fn (no self) of the file a path call
// calls: `Type::f(..)` or `Self::f(..)`, the one fn called f in an impl of
// that type.
func (r *rcFile) localAssoc(call *sitter.Node) *sitter.Node {
	f := call.ChildByFieldName("function")
	if f == nil || f.Type() != "scoped_identifier" {
		return nil
	}
	owner := lastSegment(strings.Join(strings.Fields(text(r.src, f.ChildByFieldName("path"))), ""))
	if owner == "Self" {
		im := r.fnImpl[r.enclosingFn(call)]
		if im == nil {
			return nil
		}
		owner = typeStructName(r.src, im.ChildByFieldName("type"))
	}
	var found *sitter.Node
	for _, fn := range r.fns[text(r.src, f.ChildByFieldName("name"))] {
		if im := r.fnImpl[fn.StartByte()]; im != nil && typeStructName(r.src, im.ChildByFieldName("type")) == owner {
			if found != nil || hasSelfParam(fn) {
				return nil
			}
			found = fn
		}
	}
	return found
}

// calledFn returns the fn or method of the file a call calls, or nil.
func (r *rcFile) calledFn(call *sitter.Node) *sitter.Node {
	if fn := r.localFn(call); fn != nil {
		return fn
	}
	if fn := r.localAssoc(call); fn != nil {
		return fn
	}
	return r.localMethod(call)
}

// genericParam reports whether a parameter's type names a type
// parameter of its fn or of the fn's impl (`value: T`): a value passed
// there keeps its own type, which the caller's binding decides.
func (r *rcFile) genericParam(k spellingKey) bool {
	s := r.spellings[k]
	if s == nil || s.typ == nil {
		return false
	}
	fn := s.decl.Parent().Parent()
	var names []string
	for _, n := range []*sitter.Node{fn, s.impl} {
		if n == nil {
			continue
		}
		if tp := n.ChildByFieldName("type_parameters"); tp != nil {
			for _, p := range namedChildren(tp) {
				switch p.Type() {
				case "type_identifier":
					names = append(names, text(r.src, p))
				case "constrained_type_parameter":
					names = append(names, text(r.src, p.ChildByFieldName("left")))
				case "optional_type_parameter":
					names = append(names, text(r.src, p.ChildByFieldName("name")))
				}
			}
		}
	}
	for _, n := range names {
		if spellsWord([]byte(text(r.src, s.typ)), n) {
			return true
		}
	}
	return s.typ.Type() == "abstract_type"
}

// tupleCtor returns the tuple struct (`Pair(..)`) or the enum and
// `Variant.` (`Msg::Text(..)`) a call constructs, or "".
func (r *rcFile) tupleCtor(call *sitter.Node) (owner, prefix string) {
	f := call.ChildByFieldName("function")
	switch {
	case f == nil:
	case f.Type() == "identifier" && r.structs[text(r.src, f)] != nil:
		return text(r.src, f), ""
	case f.Type() == "scoped_identifier":
		if e := lastSegment(strings.Join(strings.Fields(text(r.src, f.ChildByFieldName("path"))), "")); r.enums[e] != nil {
			return e, text(r.src, f.ChildByFieldName("name")) + "."
		}
	}
	return "", ""
}

// intoMethods are the methods that store their arguments in the value
// they are called on (`v.push(x)`, `m.insert(k, x)`): what flows in
// shares the receiver's type.
var intoMethods = map[string]bool{
	"push": true, "push_back": true, "push_front": true, "insert": true, "extend": true,
	"append": true, "replace": true, "get_or_insert": true, "or_insert": true, "send": true,
}

// intoTarget returns the spelling of the receiver of `recv.push(..)` and the
// like, the zero key for any other call.
func (r *rcFile) intoTarget(call *sitter.Node) spellingKey {
	f := call.ChildByFieldName("function")
	if f == nil || f.Type() != "field_expression" || !intoMethods[text(r.src, f.ChildByFieldName("field"))] {
		return spellingKey{}
	}
	if s := r.passThrough(f.ChildByFieldName("value")); len(s) > 0 {
		return s[0]
	}
	return spellingKey{}
}

// flowTarget returns the spelling an expression node flows into, looking up
// from n: a let, a struct field initializer, an argument of a fn of the
// file, a fn's result, a type of a parameter, field or alias.
func (r *rcFile) flowTarget(n *sitter.Node) spellingKey {
	child := n
	for p := n.Parent(); p != nil; child, p = p, p.Parent() {
		switch p.Type() {
		case "let_declaration":
			if pat := p.ChildByFieldName("pattern"); pat != nil {
				k := letKey(p)
				if _, ok := r.spellings[k]; ok {
					return k
				}
			}
			return spellingKey{}
		case "field_initializer":
			if v := p.ChildByFieldName("value"); v != nil && contains(v, n) {
				if se := ancestor(p, "struct_expression"); se != nil {
					k := r.literalFieldKey(se, text(r.src, p.ChildByFieldName("field")))
					if _, ok := r.spellings[k]; ok {
						return k
					}
				}
			}
			return spellingKey{}
		case "arguments":
			call := p.Parent()
			if call != nil && call.Type() == "call_expression" {
				if k := r.intoTarget(call); k.ok() {
					return k
				}
				if owner, prefix := r.tupleCtor(call); owner != "" {
					for j := 0; j < int(p.NamedChildCount()); j++ {
						if p.NamedChild(j) == child {
							return fieldKey(owner, prefix+strconv.Itoa(j))
						}
					}
				}
				if fn := r.calledFn(call); fn != nil {
					i := 0
					for j := 0; j < int(p.NamedChildCount()); j++ {
						if p.NamedChild(j) == child {
							i = j
						}
					}
					if !r.genericParam(paramKey(fn, i)) {
						return paramKey(fn, i)
					}
				}
			}
		case "parameter":
			fn := p.Parent().Parent()
			if p.Parent().Type() != "parameters" || fn == nil || fn.Type() != "function_item" {
				return spellingKey{}
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
			return paramKey(fn, i)
		case "field_declaration":
			if list := p.Parent(); list != nil {
				return ownerFieldKey(r.src, list, text(r.src, p.ChildByFieldName("name")))
			}
			return spellingKey{}
		case "ordered_field_declaration_list":
			return tupleFieldKey(r.src, child)
		case "type_item":
			return aliasKey(text(r.src, p.ChildByFieldName("name")))
		case "function_item":
			if rt := p.ChildByFieldName("return_type"); rt != nil && contains(rt, n) {
				return resultKey(p)
			}
			if body := p.ChildByFieldName("body"); body != nil && child == body {
				if st := statements(body); len(st) > 0 && contains(st[len(st)-1], n) && st[len(st)-1].Type() != "expression_statement" && p.ChildByFieldName("return_type") != nil {
					return resultKey(p)
				}
			}
			return spellingKey{}
		case "closure_expression", "expression_statement":
			return spellingKey{}
		}
	}
	return spellingKey{}
}

// passThrough returns the spellings whose value an expression passes on
// (moved, referenced, cloned, upgraded): `x`, `&x`, `x.clone()`,
// `Rc::clone(&x)`, `v.iter().map(Rc::downgrade).collect()`, `vec![a, b]`.
func (r *rcFile) passThrough(e *sitter.Node) []spellingKey {
	e = unparen(e)
	if e == nil {
		return nil
	}
	switch e.Type() {
	case "identifier":
		if s, _ := r.resolve(e, text(r.src, e)); s.ok() {
			return []spellingKey{s}
		}
	case "reference_expression":
		return r.passThrough(e.ChildByFieldName("value"))
	case "field_expression":
		// `job.label`: the field's spelling.
		if s := r.fieldSpellingOf(e); s.ok() {
			return []spellingKey{s}
		}
		r.lost(e)
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
		var out []spellingKey
		for _, c := range namedChildren(e) {
			if c.Type() != "token_tree" {
				continue
			}
			for i := 0; i < int(c.ChildCount()); i++ {
				if s := r.tokenValueSpelling(c, i); s.ok() {
					out = append(out, s)
				}
			}
		}
		return out
	}
	return nil
}

// tokenValueSpelling returns the spelling of the value the token at i of a token
// tree names: a binding (`a`, `a.clone()`) or a field of the file
// (`x.f`, `x.f.clone()`); "" for anything else, such as a method name or
// the receiver of a field access.
func (r *rcFile) tokenValueSpelling(tt *sitter.Node, i int) spellingKey {
	t := tt.Child(i)
	if t.Type() != "identifier" {
		return spellingKey{}
	}
	tok := func(j int) string {
		if j < 0 || j >= int(tt.ChildCount()) {
			return ""
		}
		return text(r.src, tt.Child(j))
	}
	if i+1 < int(tt.ChildCount()) && tt.Child(i+1).Type() == "token_tree" {
		return spellingKey{} // a call or method call
	}
	if tok(i+1) == "." && tok(i+2) != "clone" {
		return spellingKey{} // the receiver of a field access
	}
	if tok(i-1) == "." {
		return r.fieldSpelling(text(r.src, t))
	}
	if tok(i-1) == "::" {
		return spellingKey{}
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
// and the first binding spelling named in its arguments.
func (r *rcFile) rcAssoc(m *rcMention) (string, spellingKey) {
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
		return name, spellingKey{}
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
					if s := r.tokenValueSpelling(args, j); s.ok() {
						return name, s
					}
				}
			}
			return name, spellingKey{}
		}
	}
	return "", spellingKey{}
}

// link computes mention owners and unions the spellings values flow between.
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
		case rcAssocFlow[name] && !m.owner.ok():
			m.owner = arg
		}
	}
	// Flows: every spelling's value expressions.
	for _, f := range r.flows {
		n := f.n
		switch f.typ {
		case "let_declaration":
			if v := n.ChildByFieldName("value"); v != nil {
				k := letKey(n)
				if _, ok := r.spellings[k]; ok {
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
			k := r.literalFieldKey(se, field)
			if _, ok := r.spellings[k]; ok && v != nil {
				for _, s := range r.passThrough(v) {
					r.union(k, s)
				}
			}
		case "call_expression":
			if k := r.intoTarget(n); k.ok() {
				for _, a := range namedChildren(n.ChildByFieldName("arguments")) {
					for _, s := range r.passThrough(a) {
						r.union(k, s)
					}
				}
			}
			if owner, prefix := r.tupleCtor(n); owner != "" {
				for i, a := range namedChildren(n.ChildByFieldName("arguments")) {
					key := fieldKey(owner, prefix+strconv.Itoa(i))
					if r.spellings[key] != nil {
						for _, s := range r.passThrough(a) {
							r.union(key, s)
						}
					}
				}
			}
			if fn := r.calledFn(n); fn != nil {
				args := n.ChildByFieldName("arguments")
				for i, a := range namedChildren(args) {
					k := paramKey(fn, i)
					if _, ok := r.spellings[k]; ok && !r.genericParam(k) {
						for _, s := range r.passThrough(a) {
							r.union(k, s)
						}
					}
				}
				if _, ok := r.spellings[resultKey(fn)]; ok {
					if lt := f.up; lt != nil && unparen(lt.ChildByFieldName("value")) == n {
						r.union(resultKey(fn), letKey(lt))
					}
				}
			}
		case "function_item":
			if body := n.ChildByFieldName("body"); body != nil && n.ChildByFieldName("return_type") != nil {
				if st := statements(body); len(st) > 0 && st[len(st)-1].Type() != "expression_statement" {
					for _, s := range r.passThrough(st[len(st)-1]) {
						r.union(resultKey(n), s)
					}
				}
			}
		}
	}
	// Aliases: a spelling whose type names an alias shares its group.
	for _, m := range r.typeIdents {
		if k := aliasKey(text(r.src, m)); r.spellings[k] != nil {
			if o := r.flowTarget(m); o.ok() && o != k {
				r.union(o, k)
			}
		}
	}
}
