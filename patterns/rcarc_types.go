package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The types of the rule's bindings and expressions, as far as the syntax
// shows them: a declared type, a struct literal, a constructor of a std
// wrapper (`Rc::new(RefCell::new(..))`), a clone, a call of a fn or method
// of the file with a declared result. Anything else is opaque, and the
// model takes it to be Send. (This is the TypeOf of the shared facts
// layer, written over the rule's own bindings until that layer lands.)

// opaqueTy is the type of what the syntax does not show.
var opaqueTy = &ty{kind: tyOpaque, text: "_"}

// wrapperWords are the std types whose constructors exprType follows.
var wrapperWords = map[string]bool{"Rc": true, "Arc": true, "RefCell": true, "Cell": true, "Mutex": true, "RwLock": true, "Box": true}

// env returns the file's type environment, made on first use.
func (r *rcFile) env() *typeEnv {
	if r.tenv == nil {
		r.tenv = &typeEnv{defs: fileTypeDefs(r.src, r.fc.root), changes: map[int]tyChange{}, imported: r.importedFrom}
		if r.rcWeak {
			r.tenv.weak = ruleNever
		} else if r.syncWeak {
			r.tenv.weak = ruleArc
		}
		if ix := r.fc.idx; ix != nil {
			r.tenv.crate = func(name string) []*typeDef { return ix.typeDefs(r.fc.path, name) }
		}
	}
	return r.tenv
}

// implSelf returns the type `Self` stands for in an impl (nil for none).
func (r *rcFile) implSelf(im *sitter.Node) *ty {
	if im == nil {
		return nil
	}
	return lowerType(r.src, im.ChildByFieldName("type"), nil)
}

// spellingType returns the type of a spelling: declared, or inferred from the
// value of a let.
func (r *rcFile) spellingType(k spellingKey, depth int) *ty {
	if t, ok := r.spellingTypes[k]; ok {
		return t
	}
	s := r.spellings[k]
	if s == nil || s.decl == nil || depth > 16 {
		return opaqueTy
	}
	r.spellingTypes[k] = opaqueTy // a cycle of lets is opaque
	self := r.implSelf(s.impl)
	t := opaqueTy
	switch k.kind {
	case spellingLet:
		if tn := s.decl.ChildByFieldName("type"); tn != nil {
			t = lowerType(r.src, tn, self)
		} else {
			t = r.exprType(s.decl.ChildByFieldName("value"), depth+1)
		}
	case spellingField:
		tn := s.decl.ChildByFieldName("type")
		if tn == nil {
			tn = s.decl // a tuple field: the declaration is its type
		}
		t = lowerType(r.src, tn, self)
	case spellingParam, spellingAlias:
		t = lowerType(r.src, s.decl.ChildByFieldName("type"), self)
	case spellingResult:
		t = lowerType(r.src, s.decl.ChildByFieldName("return_type"), self)
	}
	r.spellingTypes[k] = t
	return t
}

// derefs returns what a type derefs to through the smart pointers
// (`Rc`, `Arc`, `Box`): the type whose methods a method call reaches.
func derefs(t *ty) *ty {
	for t.kind == tyPath && (t.name == "Rc" || t.name == "Arc" || t.name == "Box") && len(t.args) == 1 {
		t = t.args[0]
	}
	return t
}

// stripRefs returns the type a reference refers to, through any number
// of references.
func stripRefs(t *ty) *ty {
	for t.kind == tyRef || t.kind == tyRefMut {
		t = t.args[0]
	}
	return t
}

// exprType returns the type of an expression, opaqueTy when the syntax
// does not show it.
func (r *rcFile) exprType(e *sitter.Node, depth int) *ty {
	e = unparen(e)
	if e == nil || depth > 16 {
		return opaqueTy
	}
	switch e.Type() {
	case "identifier":
		if k, _ := r.resolve(e, text(r.src, e)); k.ok() {
			return r.spellingType(k, depth+1)
		}
	case "self":
		return r.selfParamType(e)
	case "reference_expression":
		kind := tyRef
		for i := 0; i < int(e.ChildCount()); i++ {
			if e.Child(i).Type() == "mutable_specifier" {
				kind = tyRefMut
			}
		}
		in := r.exprType(e.ChildByFieldName("value"), depth+1)
		return &ty{kind: kind, args: []*ty{in}, text: "&" + in.text}
	case "struct_expression":
		name := r.structExprName(e)
		return &ty{kind: tyPath, name: lastSegment(name), path: name, text: name, node: e.ChildByFieldName("name")}
	case "try_expression":
		if t := r.exprType(e.NamedChild(0), depth+1); t.kind == tyPath && (t.name == "Result" || t.name == "Option") && len(t.args) > 0 {
			return t.args[0]
		}
	case "field_expression":
		return r.fieldType(e, depth)
	case "integer_literal", "float_literal":
		// A suffix names the type, for messages; Send either way.
		lit := text(r.src, e)
		for _, p := range []string{"u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64"} {
			if strings.HasSuffix(lit, p) {
				return &ty{kind: tyOpaque, text: p}
			}
		}
	case "boolean_literal":
		return &ty{kind: tyOpaque, text: "bool"}
	case "string_literal", "raw_string_literal":
		return &ty{kind: tyOpaque, text: "&str"}
	case "call_expression":
		return r.callType(e, depth)
	}
	return opaqueTy
}

// fieldType returns the declared type of a field access `x.f`, when x's
// type is a struct of the file without type parameters.
func (r *rcFile) fieldType(fe *sitter.Node, depth int) *ty {
	recv := stripRefs(r.exprType(fe.ChildByFieldName("value"), depth+1))
	if recv.kind != tyPath {
		return opaqueTy
	}
	defs := r.env().defs[recv.name]
	if len(defs) != 1 || len(defs[0].generics) > 0 {
		return opaqueTy
	}
	name := text(r.src, fe.ChildByFieldName("field"))
	for _, f := range defs[0].fields {
		if f.name == name {
			return f.t
		}
	}
	return opaqueTy
}

// structOf returns the name of the struct of the file an expression's
// value is (through references), or "".
func (r *rcFile) structOf(e *sitter.Node) string {
	t := derefs(stripRefs(r.exprType(e, 0)))
	if t.kind == tyPath && r.structs[t.name] != nil && !strings.Contains(t.path, "::") {
		return t.name
	}
	return ""
}

// callType returns the type of a call: a std wrapper's constructor, a
// clone, a fn or method of the file with a declared result.
func (r *rcFile) callType(call *sitter.Node, depth int) *ty {
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	args := call.ChildByFieldName("arguments")
	arg := func(i int) *sitter.Node {
		if args == nil || int(args.NamedChildCount()) <= i {
			return nil
		}
		return args.NamedChild(i)
	}
	if fn == nil {
		return opaqueTy
	}
	switch fn.Type() {
	case "scoped_identifier":
		p := fn.ChildByFieldName("path")
		var turbofish []*ty // `Rc::<T>::new`: the arguments spelled
		if p != nil && p.Type() == "generic_type" {
			turbofish = lowerType(r.src, p, nil).args
			p = p.ChildByFieldName("type")
		}
		if p == nil {
			return opaqueTy
		}
		path := strings.TrimPrefix(strings.Join(strings.Fields(text(r.src, p)), ""), "::")
		word, name := lastSegment(path), text(r.src, fn.ChildByFieldName("name"))
		if wrapperWords[word] && r.env().rule(path, word) != ruleNone {
			switch name {
			case "new", "pin":
				in := r.exprType(arg(0), depth+1)
				if len(turbofish) == 1 {
					in = turbofish[0]
				}
				return &ty{kind: tyPath, name: word, path: path, args: []*ty{in}, node: p, text: word + "<" + in.text + ">"}
			case "from", "default", "new_cyclic":
				return &ty{kind: tyPath, name: word, path: path, node: p, text: word + "<_>"}
			case "clone":
				if word == "Rc" || word == "Arc" {
					return stripRefs(r.exprType(arg(0), depth+1))
				}
			case "downgrade":
				in := stripRefs(r.exprType(arg(0), depth+1))
				wp := "std::rc::Weak"
				if word == "Arc" {
					wp = "std::sync::Weak"
				}
				return &ty{kind: tyPath, name: "Weak", path: wp, args: in.args, node: p, text: "Weak<_>"}
			}
			return opaqueTy
		}
		self := &ty{kind: tyPath, name: word, path: path, text: path}
		if r.enums[word] != nil {
			return self // a variant: `Msg::Text(..)`
		}
		if word == "Self" {
			self = r.implSelf(r.fnImpl[r.enclosingFn(call)])
			if self == nil {
				return opaqueTy
			}
		}
		return r.resultOf(name, self.name, self)
	case "identifier":
		if name := text(r.src, fn); r.structs[name] != nil {
			return &ty{kind: tyPath, name: name, path: name, text: name} // a tuple struct
		}
		if fns := r.fns[text(r.src, fn)]; len(fns) == 1 && r.fnImpl[fns[0].StartByte()] == nil {
			return lowerType(r.src, fns[0].ChildByFieldName("return_type"), nil)
		}
	case "field_expression":
		m := text(r.src, fn.ChildByFieldName("field"))
		recv := stripRefs(r.exprType(fn.ChildByFieldName("value"), depth+1))
		if m == "clone" && (args == nil || args.NamedChildCount() == 0) {
			return recv
		}
		// `x.borrow()` of a RefCell (behind an Rc): a guard that derefs
		// to the content, as far as fields and methods go.
		if in := derefs(recv); (m == "borrow" || m == "borrow_mut") && in.kind == tyPath && in.name == "RefCell" && len(in.args) == 1 {
			return in.args[0]
		}
		recv = derefs(recv)
		if recv.kind == tyPath && !strings.Contains(recv.path, "::") {
			return r.resultOf(m, recv.name, recv)
		}
	}
	return opaqueTy
}

// resultOf returns the declared result of the fn called name in an impl
// of the type called owner, with `Self` as self; opaqueTy when there is
// not exactly one.
func (r *rcFile) resultOf(name, owner string, self *ty) *ty {
	var found *sitter.Node
	for _, f := range r.fns[name] {
		im := r.fnImpl[f.StartByte()]
		if im == nil || typeStructName(r.src, im.ChildByFieldName("type")) != owner {
			continue
		}
		if found != nil {
			return opaqueTy
		}
		found = f
	}
	if found == nil {
		return opaqueTy
	}
	return lowerType(r.src, found.ChildByFieldName("return_type"), self)
}

// enclosingFn returns the start of the innermost fn of the file holding
// n, or ^0.
func (r *rcFile) enclosingFn(n *sitter.Node) uint32 {
	best := uint32(^uint32(0))
	var bestLen uint32
	for _, fns := range r.fns {
		for _, f := range fns {
			if contains(f, n) && (best == ^uint32(0) || f.EndByte()-f.StartByte() < bestLen) {
				best, bestLen = f.StartByte(), f.EndByte()-f.StartByte()
			}
		}
	}
	return best
}

// selfParamType returns the type of `self` at a use of it: the enclosing
// method's self parameter (`&self` is a reference to the impl's type).
func (r *rcFile) selfParamType(use *sitter.Node) *ty {
	at := r.enclosingFn(use)
	im := r.fnImpl[at]
	if im == nil {
		return opaqueTy
	}
	for _, fns := range r.fns {
		for _, f := range fns {
			if f.StartByte() == at {
				return r.selfParam(f, r.implSelf(im))
			}
		}
	}
	return opaqueTy
}

// selfParam returns the type of fn's self parameter given the impl's
// type, or opaqueTy when it has none.
func (r *rcFile) selfParam(fn *sitter.Node, self *ty) *ty {
	ps := fn.ChildByFieldName("parameters")
	if ps == nil || self == nil {
		return opaqueTy
	}
	for _, p := range namedChildren(ps) {
		switch p.Type() {
		case "self_parameter":
			s := text(r.src, p)
			switch {
			case strings.HasPrefix(s, "&") && strings.Contains(s, "mut"):
				return &ty{kind: tyRefMut, args: []*ty{self}, text: "&mut " + self.text}
			case strings.HasPrefix(s, "&"):
				return &ty{kind: tyRef, args: []*ty{self}, text: "&" + self.text}
			}
			return self
		case "parameter":
			if pat := p.ChildByFieldName("pattern"); pat != nil && pat.Type() == "self" {
				return lowerType(r.src, p.ChildByFieldName("type"), self)
			}
		}
	}
	return opaqueTy
}
