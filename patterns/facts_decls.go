package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// What the ownership model reads from the file's declarations: the types
// of struct fields (is `.count` Copy?) and the return types of fns and
// methods (does `render(&g)` return an owned value?). Names are matched,
// not resolved: when two declarations disagree the answer is the
// cautious one.

// fieldKind is what the file says of a field name's type.
type fieldKind uint8

const (
	fieldUnknown fieldKind = iota // not declared, or declarations disagree
	fieldCopy                     // every struct declaring it gives it a Copy type
	fieldNotCopy                  // every struct declaring it gives it a type known not to be Copy
)

// retKind classes a fn's return type.
type retKind uint8

const (
	retNone    retKind = iota // no fn of that name in the file
	retOwned                  // a type that holds no borrow: String, u64, Vec<String>, a struct of the file without lifetimes
	retBorrows                // a reference or a type with a lifetime
	retUnknown                // generic, `impl Trait`, `Self` of a generic impl, or a type from elsewhere
)

// fileDecls are the declarations of one file the model asks about.
type fileDecls struct {
	fields map[string]fieldKind
	// fns and methods map a name to the class of the return types of the
	// fns of that name (free or associated without self, and with self).
	fns, methods map[string]retKind
	// asyncFns and asyncMethods class the return types of async fns
	// (what awaiting their future yields); a call of one is a future that
	// may borrow its arguments, whatever it returns.
	asyncFns, asyncMethods map[string]retKind
	// copyTypes are the file's types declared Copy; plainTypes its
	// structs and enums without lifetime or type parameters.
	copyTypes, plainTypes map[string]bool
}

// fileDecls returns the file's declarations, read on first need.
func (f *facts) fileDecls() *fileDecls {
	if f.decls == nil {
		f.decls = readDecls(f.src, f.root)
	}
	return f.decls
}

// readDecls reads the declarations of a file.
func readDecls(src []byte, root *sitter.Node) *fileDecls {
	d := &fileDecls{fields: map[string]fieldKind{}, fns: map[string]retKind{}, methods: map[string]retKind{},
		asyncFns: map[string]retKind{}, asyncMethods: map[string]retKind{},
		copyTypes: map[string]bool{}, plainTypes: map[string]bool{}}
	var structs []*sitter.Node
	var fns []*sitter.Node
	walk(root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "struct_item", "enum_item", "union_item":
			name := text(src, n.ChildByFieldName("name"))
			if n.ChildByFieldName("type_parameters") == nil {
				d.plainTypes[name] = true
			}
			if derivesCopy(src, n) {
				d.copyTypes[name] = true
			}
			if n.Type() == "struct_item" {
				structs = append(structs, n)
			}
			return false
		case "impl_item":
			if tr := n.ChildByFieldName("trait"); tr != nil && typeBaseName(src, tr) == "Copy" {
				d.copyTypes[typeBaseName(src, n.ChildByFieldName("type"))] = true
			}
		case "function_item", "function_signature_item":
			fns = append(fns, n)
			return false // items inside a body are rare; missing one only makes an answer cautious
		}
		return true
	})
	for _, s := range structs {
		body := s.ChildByFieldName("body")
		if body == nil {
			continue
		}
		i := 0
		for _, fd := range namedChildren(body) {
			var name string
			var ty *sitter.Node
			switch fd.Type() {
			case "field_declaration":
				name, ty = text(src, fd.ChildByFieldName("name")), fd.ChildByFieldName("type")
			default:
				if body.Type() != "ordered_field_declaration_list" || isComment(fd) || fd.Type() == "attribute_item" ||
					fd.Type() == "visibility_modifier" {
					continue
				}
				name, ty = itoa(i), fd
				i++
			}
			k := d.typeCopy(src, ty)
			if old, ok := d.fields[name]; ok && old != k {
				k = fieldUnknown
			}
			d.fields[name] = k
		}
	}
	for _, fn := range fns {
		name := fnName(src, fn)
		k := d.retClass(src, fn)
		table, async := d.fns, d.asyncFns
		if hasSelfParam(fn) {
			table, async = d.methods, d.asyncMethods
		}
		if isAsyncFn(src, fn) {
			if old, ok := async[name]; ok && old != k {
				k = max(old, k)
			}
			async[name] = k
			k = retUnknown // the call is a future borrowing its arguments
		}
		if old, ok := table[name]; ok && old != k {
			k = max(old, k) // retUnknown > retBorrows > retOwned
		}
		table[name] = k
	}
	return d
}

// itoa formats a small non-negative int.
func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// derivesCopy reports whether an item has `#[derive(.., Copy, ..)]`.
func derivesCopy(src []byte, item *sitter.Node) bool {
	for p := item.PrevNamedSibling(); p != nil && p.Type() == "attribute_item"; p = p.PrevNamedSibling() {
		t := strings.Join(strings.Fields(text(src, p)), "")
		if strings.HasPrefix(t, "#[derive(") {
			for _, w := range strings.FieldsFunc(t[len("#[derive("):], func(r rune) bool { return r == ',' || r == ')' || r == ']' || r == ':' }) {
				if w == "Copy" {
					return true
				}
			}
		}
	}
	return false
}

// fieldCopy says whether a field name is of a Copy type.
func (d *fileDecls) fieldCopy(name string) fieldKind { return d.fields[name] }

// awaitResult classes what awaiting a call of the file's async fns called
// name yields (retNone when some fn of that name is not async).
func (d *fileDecls) awaitResult(name string, method bool) retKind {
	if method {
		if d.methods[name] != retUnknown {
			return retNone
		}
		return d.asyncMethods[name]
	}
	if d.fns[name] != retUnknown {
		return retNone
	}
	return d.asyncFns[name]
}

// fnResult classes the return type of the file's fns called name: methods
// (with self) when method, else free and associated fns.
func (d *fileDecls) fnResult(name string, assoc, method bool) retKind {
	if method {
		return d.methods[name]
	}
	k := d.fns[name]
	if assoc && k == retNone {
		k = d.methods[name] // `Type::method(&x)` calls a method as a fn
	}
	return k
}

// copyPrimitives are the Copy types of std the model knows by name.
var copyPrimitives = map[string]bool{
	"u8": true, "u16": true, "u32": true, "u64": true, "u128": true, "usize": true, "i8": true, "i16": true,
	"i32": true, "i64": true, "i128": true, "isize": true, "f32": true, "f64": true, "bool": true, "char": true,
	"Duration": true, "Instant": true, "SystemTime": true, "Ordering": true, "NonZeroU64": true,
	"NonZeroUsize": true, "NonZeroU32": true, "IpAddr": true, "Ipv4Addr": true, "Ipv6Addr": true,
	"SocketAddr": true, "TypeId": true,
}

// notCopy are std types that are never Copy.
var notCopy = map[string]bool{
	"String": true, "Vec": true, "Box": true, "Arc": true, "Rc": true, "HashMap": true, "HashSet": true,
	"BTreeMap": true, "BTreeSet": true, "VecDeque": true, "PathBuf": true, "OsString": true, "Mutex": true,
	"RwLock": true, "RefCell": true, "Cell": true, "Sender": true, "Receiver": true,
}

// typeCopy says whether a written type is Copy.
func (d *fileDecls) typeCopy(src []byte, ty *sitter.Node) fieldKind {
	if ty == nil {
		return fieldUnknown
	}
	switch ty.Type() {
	case "primitive_type":
		if text(src, ty) == "str" {
			return fieldNotCopy
		}
		return fieldCopy
	case "unit_type":
		return fieldCopy
	case "tuple_type", "array_type":
		k := fieldCopy
		for _, c := range namedChildren(ty) {
			if c.Type() == "integer_literal" || isComment(c) {
				continue
			}
			switch d.typeCopy(src, c) {
			case fieldNotCopy:
				return fieldNotCopy
			case fieldUnknown:
				k = fieldUnknown
			}
		}
		return k
	case "reference_type":
		// A shared reference is Copy, but it borrows: the model does not
		// take it for an owned value.
		if strings.Contains(text(src, ty), "mut") {
			return fieldNotCopy
		}
		return fieldUnknown
	}
	name := typeBaseName(src, ty)
	switch {
	case name == "Option" && ty.Type() == "generic_type":
		if args := ty.ChildByFieldName("type_arguments"); args != nil && args.NamedChildCount() == 1 {
			return d.typeCopy(src, args.NamedChild(0))
		}
	case copyPrimitives[name] && ty.Type() != "generic_type":
		return fieldCopy
	case d.copyTypes[name]:
		return fieldCopy
	case notCopy[name] || d.plainTypes[name]:
		return fieldNotCopy
	}
	return fieldUnknown
}

// ownedStd are std (and common) types that hold no borrow unless their
// type arguments do.
var ownedStd = map[string]bool{
	"String": true, "Vec": true, "Box": true, "Arc": true, "Rc": true, "HashMap": true, "HashSet": true,
	"BTreeMap": true, "BTreeSet": true, "VecDeque": true, "PathBuf": true, "OsString": true, "Option": true,
	"Result": true, "Duration": true, "Instant": true, "SystemTime": true, "Error": true, "Mutex": true,
	"RwLock": true, "Sender": true, "Receiver": true, "JoinHandle": true, "Bytes": true, "Value": true,
	"CString": true, "BinaryHeap": true, "LinkedList": true, "Cow": false,
}

// retClass classes the return type of fn.
func (d *fileDecls) retClass(src []byte, fn *sitter.Node) retKind {
	rt := fn.ChildByFieldName("return_type")
	if rt == nil {
		return retOwned // ()
	}
	generics := map[string]bool{}
	for _, n := range []*sitter.Node{fn, ancestor(fn, "impl_item", "trait_item")} {
		if n == nil {
			continue
		}
		if tp := n.ChildByFieldName("type_parameters"); tp != nil {
			for _, p := range namedChildren(tp) {
				if id := p.ChildByFieldName("name"); id != nil {
					generics[text(src, id)] = true
				} else if p.Type() == "type_identifier" {
					generics[text(src, p)] = true
				}
			}
		}
	}
	k := retOwned
	walk(rt, func(n *sitter.Node) bool {
		switch n.Type() {
		case "reference_type", "lifetime":
			k = max(k, retBorrows)
			return false
		case "abstract_type", "function_type", "bounded_type":
			k = retUnknown
			return false
		case "type_identifier":
			name := text(src, n)
			switch {
			case name == "Self":
				impl := ancestor(fn, "impl_item")
				if impl == nil || impl.ChildByFieldName("type_parameters") != nil || !d.plainTypes[typeBaseName(src, impl.ChildByFieldName("type"))] {
					k = retUnknown
				}
			case generics[name]:
				k = retUnknown
			case ownedStd[name] || copyPrimitives[name] || d.plainTypes[name]:
			default:
				k = retUnknown
			}
		}
		return true
	})
	return k
}
