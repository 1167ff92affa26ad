package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Where a lock's type is decided. After the swap a spelling of std's lock
// means tokio's; an item that still wants std's (a fn, struct or trait of
// another crate, or of a file sendfix was not given) would not compile
// (E0308). So every spelling the swap changes must sit where its type is
// decided by the files given: fields of types defined there, lets whose
// uses stay there, statics and consts, type aliases, parameters, results,
// bounds and `dyn Fn(..)` signatures of their fns (not of a foreign
// trait's impl), generic arguments of such types, and values passed
// through Arc/Rc/Box/LazyLock constructors or `vec![..]` into those
// positions. In crate mode "the files given" are the crate's files.

// leak returns why an item with a visibility modifier exposes the lock
// type outside the files sendfix sees, or nil: any visibility for a file
// alone (another file of the crate may use it), `pub` of a library crate
// in crate mode; nothing in a binary crate.
func (p *swapPlan) leak(it *sitter.Node) *refusal {
	src := p.fc.src
	var tys []*sitter.Node
	var what string
	switch it.Type() {
	case "field_declaration":
		tys, what = []*sitter.Node{it.ChildByFieldName("type")}, "field"
	case "function_item":
		what = "fn"
		for _, f := range []string{"parameters", "return_type", "type_parameters"} {
			if c := it.ChildByFieldName(f); c != nil {
				tys = append(tys, c)
			}
		}
	case "static_item", "const_item", "type_item":
		tys, what = []*sitter.Node{it.ChildByFieldName("type")}, strings.TrimSuffix(it.Type(), "_item")
	default:
		return nil
	}
	vis := "pub"
	for _, c := range namedChildren(it) {
		if c.Type() == "visibility_modifier" {
			vis = compact(text(src, c))
		}
	}
	where := "outside this file"
	if p.crate != nil {
		if !p.crate.lib || vis != "pub" {
			return nil
		}
		where = "outside this library crate"
	}
	for _, ty := range tys {
		if p.mentionsStd(ty, 0) {
			line := lineOf(src, int(it.StartByte()))
			return refuse(refusePublic, line, "`%s` %s `%s` at line %d exposes the %s type %s (use --allow-public to change it anyway)",
				vis, what, text(src, it.ChildByFieldName("name")), line, p.fams.lockName(), where)
		}
	}
	return nil
}

// placement returns why a spelling the swap changes (`Mutex::new(..)`,
// `Mutex<..>`, `MutexGuard<..>`, an alias that spells them) sits where its
// type is decided outside the files given, or nil.
func (p *swapPlan) placement() *refusal {
	src := p.fc.src
	var why *refusal
	walk(p.fc.root, func(n *sitter.Node) bool {
		if why != nil {
			return false
		}
		switch n.Type() {
		case "use_declaration", "macro_definition", "line_comment", "block_comment", "string_literal", "raw_string_literal":
			return false
		case "token_tree":
			why = p.macroPlacement(n)
			return false
		case "identifier":
			// `Mutex::new(..)`, `Mutex::<T>::new(..)` through an imported name.
			if !isPathTail(n) && p.isStdName(n, text(src, n)) {
				why = p.spellingPlace(n, text(src, n))
			}
		case "type_identifier":
			if isPathTail(n) {
				return true
			}
			nm := text(src, n)
			if par := n.Parent(); par != nil && par.Type() == "type_item" && par.ChildByFieldName("name") == n {
				return true
			}
			switch {
			case p.isStdName(n, nm):
				why = p.spellingPlace(n, nm)
			case p.aliases[nm] != nil:
				if p.mentionsStd(p.aliases[nm], 0) {
					why = p.spellingPlace(n, nm)
				}
			case p.crateName(n, nm) && p.crate.aliases[nm].std&p.fams != 0:
				why = p.spellingPlace(n, nm)
			}
		case "scoped_type_identifier", "scoped_identifier":
			if p.isStdPath(n) {
				why = p.spellingPlace(n, compact(text(src, n)))
				return false
			}
		}
		return why == nil
	})
	return why
}

// typeNodes are the nodes a spelling climbs through to the item or
// expression that decides its type.
var typeNodes = map[string]bool{
	"generic_type": true, "type_arguments": true, "reference_type": true, "pointer_type": true,
	"tuple_type": true, "array_type": true, "slice_type": true, "scoped_type_identifier": true,
	"function_type": true, "dynamic_type": true, "abstract_type": true, "bounded_type": true,
	"trait_bounds": true, "constrained_type_parameter": true, "optional_type_parameter": true,
	"type_parameters": true, "where_predicate": true, "where_clause": true,
	"higher_ranked_trait_bound": true, "type_binding": true, "qualified_type": true,
}

// spellingPlace checks one spelling s: a type is decided by the item or
// let it sits in, a `Mutex::new` path builds a value whose destination
// decides.
func (p *swapPlan) spellingPlace(s *sitter.Node, label string) *refusal {
	src := p.fc.src
	line := lineOf(src, int(s.StartByte()))
	n := s
	for {
		par := n.Parent()
		if par == nil {
			break
		}
		if typeNodes[par.Type()] || par.Type() == "parameters" && par.Parent() != nil && par.Parent().Type() == "function_type" {
			n = par
			continue
		}
		break
	}
	par := n.Parent()
	if par == nil {
		return nil
	}
	switch par.Type() {
	case "field_declaration", "ordered_field_declaration_list", "static_item", "const_item", "type_item",
		"struct_item", "enum_item", "union_item", "trait_item", "associated_type":
		return nil
	case "let_declaration":
		if par.ChildByFieldName("type") == n {
			return p.typedLet(par, label, line)
		}
	case "parameter":
		if ps := par.Parent(); ps != nil && ps.Parent() != nil {
			return p.fnPlace(ps.Parent(), label, line)
		}
	case "function_item", "function_signature_item", "impl_item":
		return p.fnPlace(par, label, line)
	case "closure_expression":
		return p.valuePlace(par, label, line, 0) // its return type
	case "scoped_identifier":
		// `Mutex::new`, `Arc::<Mutex<T>>::new`: a call builds a value.
		if par.ChildByFieldName("path") == n {
			if call := par.Parent(); call != nil && call.Type() == "call_expression" && call.ChildByFieldName("function") == par {
				if label == text(src, s) && s == n {
					label = compact(text(src, par))
				}
				return p.valuePlace(call, label, line, 0)
			}
		}
	case "generic_function":
		if call := par.Parent(); call != nil && call.Type() == "call_expression" {
			return p.valuePlace(call, label, line, 0)
		}
	}
	return p.unsure(label, line, par)
}

// unsure is the refusal for a spelling whose position sendfix does not read.
func (p *swapPlan) unsure(label string, line int, at *sitter.Node) *refusal {
	return refuse(refusePlacement, line, "`%s` at line %d sits in %s, where sendfix cannot tell whether its type is decided in the files given; its %s type cannot move", label, line, strings.ReplaceAll(at.Type(), "_", " "), p.fams.lockName())
}

// foreign is the refusal for a value that goes to an item of another file.
func (p *swapPlan) foreign(label string, line int, what string) *refusal {
	return refuse(refusePlacement, line, "`%s` at line %d builds a value for `%s`, defined outside the given files; its %s type cannot move", label, line, what, p.fams.lockName())
}

// fnPlace accepts a spelling in the signature of a fn (or impl) of the
// files given, unless it implements a trait defined elsewhere, whose
// signature stays std's.
func (p *swapPlan) fnPlace(fn *sitter.Node, label string, line int) *refusal {
	src := p.fc.src
	var tr *sitter.Node
	switch fn.Type() {
	case "function_item":
		tr = implTrait(fn)
	case "impl_item":
		tr = fn.ChildByFieldName("trait")
	case "function_signature_item":
		return nil // a trait of this file
	case "closure_expression":
		return p.valuePlace(fn, label, line, 0)
	default:
		return p.unsure(label, line, fn)
	}
	if tr != nil && !p.localPath(tr) {
		return refuse(refusePlacement, line, "`%s` at line %d is in the signature of an impl of trait `%s`, defined outside the given files; its %s type cannot move", label, line, compact(text(src, tr)), p.fams.lockName())
	}
	return nil
}

// crateImport reports whether, in crate mode, name at n is imported from
// the crate itself (`use crate::db::Db;`, `super::`, `self::`, or a
// child module).
func (p *swapPlan) crateImport(n *sitter.Node, name string) bool {
	if p.crate == nil {
		return false
	}
	path, ok := p.im.resolve(n, name)
	if !ok {
		return false
	}
	first := path
	if i := strings.Index(path, "::"); i >= 0 {
		first = path[:i]
	}
	return first == "crate" || first == "super" || first == "self" || p.localMods[first] || p.crate.mods[first]
}

// isLocalType reports whether name (written at n) is a struct, enum,
// union or trait of the file or, in crate mode, of the crate.
func (p *swapPlan) isLocalType(n *sitter.Node, name string) bool {
	if p.imported[name] {
		return p.crateImport(n, name) && p.crate.types[name]
	}
	return p.local[name] || p.crate != nil && p.crate.types[name]
}

// localPath reports whether a type or path names an item of the files
// given: a struct, enum, union or trait not shadowed by an import from
// elsewhere, `Self`, or such an item reached through the file's inline
// modules (in crate mode: through `crate::`, `self::`, `super::` and the
// crate's modules).
func (p *swapPlan) localPath(n *sitter.Node) bool {
	if n == nil {
		return false
	}
	if n.Type() == "generic_type" {
		n = n.ChildByFieldName("type")
	}
	segs := strings.Split(trimColons(compact(text(p.fc.src, n))), "::")
	if i := strings.Index(segs[len(segs)-1], "<"); i >= 0 {
		segs[len(segs)-1] = segs[len(segs)-1][:i]
	}
	last := segs[len(segs)-1]
	if len(segs) == 1 {
		return last == "Self" || p.isLocalType(n, last)
	}
	isType := func(s string) bool { return p.local[s] || p.crate != nil && p.crate.types[s] }
	for i, s := range segs[:len(segs)-1] {
		mod := p.localMods[s] || p.crate != nil && (p.crate.mods[s] || s == "crate" || s == "self" || s == "super")
		if !mod && !(i == len(segs)-2 && isType(s)) || i == 0 && p.imported[s] && !p.crateImport(n, s) {
			return false
		}
	}
	return isType(last) || isType(segs[len(segs)-2]) // `m::Db`, `Enum::Variant`
}

// localFn reports whether a callee is a fn or method of the files given
// (and not of a foreign trait's impl), by name: `f`, `Self::f`, `T::f` of
// a local type T, `x.f` when a method f is defined there.
func (p *swapPlan) localFn(fn *sitter.Node) bool {
	src := p.fc.src
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil {
		return false
	}
	if (fn.Type() == "identifier" || fn.Type() == "scoped_identifier") && p.localPath(fn) {
		return true // a tuple struct or variant: `Jobs(q)`
	}
	var name string
	switch fn.Type() {
	case "identifier":
		name = text(src, fn)
		if p.imported[name] && !p.crateImport(fn, name) {
			return false
		}
	case "scoped_identifier":
		path := fn.ChildByFieldName("path")
		if path == nil || !p.localPath(path) {
			return false
		}
		name = text(src, fn.ChildByFieldName("name"))
	case "field_expression":
		name = text(src, fn.ChildByFieldName("field"))
	default:
		return false
	}
	defs := p.fns[name]
	for _, d := range defs {
		if tr := implTrait(d); tr != nil && !p.localPath(tr) {
			return false
		}
	}
	if p.crate != nil {
		if p.crate.foreignImplFns[name] {
			return false
		}
		return len(defs) > 0 || p.crate.fns[name]
	}
	return len(defs) > 0
}

// transparent reports whether a call wraps its argument in a value whose
// type follows the argument's: Arc/Rc/Box/LazyLock constructors, clones,
// Some/Ok.
func (p *swapPlan) transparent(call *sitter.Node) bool {
	src := p.fc.src
	fn := call.ChildByFieldName("function")
	if fn == nil {
		return false
	}
	switch fn.Type() {
	case "identifier":
		t := text(src, fn)
		return (t == "Some" || t == "Ok") && !p.imported[t]
	case "scoped_identifier":
		path := fn.ChildByFieldName("path")
		if path != nil && path.Type() == "generic_type" {
			path = path.ChildByFieldName("type")
		}
		name := text(src, fn.ChildByFieldName("name"))
		if isSmartPointer(src, path) {
			return name == "new" || name == "clone"
		}
		switch trimColons(compact(text(src, path))) {
		case "LazyLock", "std::sync::LazyLock", "Lazy", "once_cell::sync::Lazy":
			return name == "new"
		}
	}
	return false
}

// defaulted reports whether a let's value takes its type from the let's
// declared type: `Default::default()`, `T::default()` for the declared
// type's own name or a smart pointer, possibly wrapped in Arc/Rc/Box::new.
// tokio's locks implement Default as std's do.
func (p *swapPlan) defaulted(v, ty *sitter.Node) bool {
	src := p.fc.src
	v = unparen(v)
	if v == nil || v.Type() != "call_expression" {
		return false
	}
	path, name := p.ctorOf(v)
	if path == nil {
		return false
	}
	args := namedChildren(v.ChildByFieldName("arguments"))
	if name == "new" && isSmartPointer(src, path) && len(args) == 1 {
		return p.defaulted(args[0], nil)
	}
	if name != "default" || len(args) != 0 {
		return false
	}
	head := ty
	if head != nil && head.Type() == "generic_type" {
		head = head.ChildByFieldName("type")
	}
	pt := trimColons(compact(text(src, path)))
	return pt == "Default" || pt == "std::default::Default" || isSmartPointer(src, path) || p.isLockName(path) ||
		head != nil && pt == compact(text(src, head))
}

// typedLet accepts `let x: T = v;` when v is built or resolved here and
// the bindings' uses stay in the files given.
func (p *swapPlan) typedLet(let *sitter.Node, label string, line int) *refusal {
	if v := let.ChildByFieldName("value"); v != nil && !p.mentionsStd(v, 0) && !p.buildsStd(v) && !p.recvIsStd(v) && !p.defaulted(v, let.ChildByFieldName("type")) {
		return refuse(refusePlacement, line, "`%s` at line %d types a let whose value `%s` comes from code sendfix does not follow; its %s type cannot move", label, line, compact(text(p.fc.src, v)), p.fams.lockName())
	}
	return p.letUses(let, label, line, 0)
}

// letUses checks every later use of the names a let binds in its block.
func (p *swapPlan) letUses(let *sitter.Node, label string, line, depth int) *refusal {
	src := p.fc.src
	block := let.Parent()
	if block == nil {
		return nil
	}
	names, _ := patternNames(src, let.ChildByFieldName("pattern"))
	for _, nm := range names {
		for _, id := range p.idents[nm] {
			if id.Type() != "identifier" || id.StartByte() < let.EndByte() || id.EndByte() > block.EndByte() {
				continue
			}
			if w := p.valuePlace(id, label, line, depth+1); w != nil {
				return w
			}
		}
	}
	return nil
}

// formatMacros only read their arguments.
var formatMacros = map[string]bool{"println": true, "print": true, "eprintln": true, "eprint": true, "format": true,
	"write": true, "writeln": true, "assert": true, "assert_eq": true, "assert_ne": true, "debug_assert": true,
	"debug_assert_eq": true, "debug_assert_ne": true, "dbg": true, "panic": true}

// valuePlace follows a value holding the lock (built by `Mutex::new` or a
// let's binding) to where its type is decided.
func (p *swapPlan) valuePlace(e *sitter.Node, label string, line, depth int) *refusal {
	src := p.fc.src
	if depth > 6 {
		return p.unsure(label, line, e)
	}
	for {
		par := e.Parent()
		if par == nil {
			return nil
		}
		switch par.Type() {
		case "parenthesized_expression", "reference_expression", "unary_expression", "tuple_expression", "array_expression", "closure_expression", "else_clause", "match_arm", "match_block", "try_expression":
			e = par
			continue
		case "index_expression":
			if par.NamedChild(0) != e {
				return nil // an index
			}
			e = par // an element of the container
			continue
		case "if_expression", "match_expression":
			if par.ChildByFieldName("condition") == e || par.ChildByFieldName("value") == e {
				return nil
			}
			e = par
			continue
		case "block":
			if st := statements(par); len(st) > 0 && st[len(st)-1] == e {
				if fn := par.Parent(); fn != nil && fn.Type() == "function_item" {
					return p.fnPlace(fn, label, line)
				}
				e = par
				continue
			}
			return nil // a statement whose value is dropped
		case "expression_statement", "static_item", "const_item", "assignment_expression", "compound_assignment_expr":
			if par.Type() == "assignment_expression" && par.ChildByFieldName("right") == e {
				return p.unsure(label, line, par)
			}
			return nil
		case "return_expression":
			for a := par.Parent(); a != nil; a = a.Parent() {
				if a.Type() == "function_item" || a.Type() == "closure_expression" {
					return p.fnPlace(a, label, line)
				}
			}
			return p.unsure(label, line, par)
		case "field_expression":
			// `m.lock()`, `m.field`: used here. `m.clone()` is the value again.
			if call := par.Parent(); call != nil && call.Type() == "call_expression" && methodName(src, call) == "clone" {
				e = call
				continue
			}
			return nil
		case "let_declaration":
			if par.ChildByFieldName("value") != e {
				return nil
			}
			if ty := par.ChildByFieldName("type"); ty != nil && !p.mentionsStd(ty, 0) {
				return p.foreign(label, line, compact(text(src, ty)))
			}
			return p.letUses(par, label, line, depth)
		case "arguments":
			call := par.Parent()
			if call == nil || call.Type() != "call_expression" {
				return p.unsure(label, line, par)
			}
			if p.transparent(call) {
				e = call
				continue
			}
			fn := call.ChildByFieldName("function")
			if fn != nil && fn.Type() == "identifier" && text(src, fn) == "drop" {
				return nil
			}
			if p.localFn(fn) {
				return nil
			}
			if fn != nil && fn.Type() == "field_expression" && p.recvIsStd(fn.ChildByFieldName("value")) {
				// `CONFIG.get_or_init(|| Mutex::new(..))`: the receiver's
				// type is spelled with std's lock here and moves with it.
				return nil
			}
			return p.foreign(label, line, compact(text(src, fn)))
		case "field_initializer", "shorthand_field_initializer":
			st := par.Parent()
			if st != nil {
				st = st.Parent()
			}
			if st == nil || st.Type() != "struct_expression" {
				return p.unsure(label, line, par)
			}
			if name := st.ChildByFieldName("name"); !p.localPath(name) {
				return p.foreign(label, line, compact(text(src, name)))
			}
			return nil
		case "token_tree":
			return p.macroValue(par, label, line, depth)
		default:
			return p.unsure(label, line, par)
		}
	}
}

// macroOf returns the macro invocation a token tree belongs to.
func macroOf(tt *sitter.Node) *sitter.Node {
	for a := tt; a != nil; a = a.Parent() {
		if a.Type() == "macro_invocation" {
			return a
		}
	}
	return nil
}

// macroValue follows a value in macro tokens: `vec![..]` is a value of
// its own, formatting macros only read theirs.
func (p *swapPlan) macroValue(tt *sitter.Node, label string, line, depth int) *refusal {
	mac := macroOf(tt)
	if mac == nil {
		return p.unsure(label, line, tt)
	}
	name := compact(text(p.fc.src, mac.ChildByFieldName("macro")))
	switch {
	case name == "vec":
		return p.valuePlace(mac, label, line, depth+1)
	case formatMacros[name]:
		return nil
	}
	return refuse(refuseMacro, line, "`%s` at line %d is inside macro `%s!`, where sendfix cannot tell whether its type is decided in the files given; its %s type cannot move", label, line, name, p.fams.lockName())
}

// macroPlacement checks std lock names used in macro tokens (unparsed):
// `Mutex::new(..)` and uses of let bindings are checked where they are
// found; a bare name there is followed like a value.
func (p *swapPlan) macroPlacement(tt *sitter.Node) *refusal {
	src := p.fc.src
	var why *refusal
	walk(tt, func(n *sitter.Node) bool {
		if why != nil {
			return false
		}
		if n.Type() == "identifier" && p.isStdName(n, text(src, n)) {
			why = p.macroValue(n.Parent(), text(src, n), lineOf(src, int(n.StartByte())), 0)
		}
		return true
	})
	return why
}
