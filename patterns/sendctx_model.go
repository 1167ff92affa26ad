package patterns

import (
	"bytes"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The Send-context model: the declarations of one file that decide where a
// future must be Send, read from the tree once per pass. findBodies asks it
// about calls (is this a spawn, a fn whose parameter carries a Send bound,
// a box coerced to a Send future?) and fns (is the return type a Send
// future, is the fn an `#[async_trait]` method?). Everything here is the
// syntax of the file: a bound or a receiver type written in another file is
// not seen (the compiler sees it: --cargo).

// sendModel is what the file declares that bears on Send contexts.
type sendModel struct {
	src  []byte
	root *sitter.Node
	fx   *facts // the bindings of the file's fns (bindingOf), made on first need
	// uses maps each name a `use` of the file brings in to the path it
	// names (`go` -> `tokio::task::spawn` for `use tokio::task::spawn as
	// go;`); "" when two uses of the file disagree. globs are the paths of
	// `use p::*;`.
	uses  map[string]string
	globs []string
	// useDecls are the use declarations, read by imports.
	useDecls []*sitter.Node
	// fns are the fns of the file by name: free fns, methods and trait
	// method signatures (fns nested in fn bodies are not read).
	fns map[string][]*fnDecl
	// fnList are the same fns in source order.
	fnList []*fnDecl
	// traits, aliases, structs and statics are the file's items by name
	// (nil when two items share the name: the model then knows nothing).
	traits  map[string]*sitter.Node // trait_item
	aliases map[string]*sitter.Node // the aliased type
	structs map[string]*sitter.Node // field_declaration_list
	statics map[string]*sitter.Node // the static's or const's type
	mods    map[string]bool
	// bounds: the file spells a word of a Send bound, and fns' slots and
	// return types are read. spawns: it spells a word of a spawner.
	bounds, spawns bool
	// loaded: the declarations were read (load).
	loaded bool
	// sendTrait memoizes traitImpliesSend (1 yes, 2 no, 3 in progress);
	// sendAlias does the same for aliasIsSendBox.
	sendTrait map[string]uint8
	sendAlias map[string]uint8
}

// slot says what a parameter requires of the argument given to it.
type slot uint8

const (
	slotFuture slot = 1 << iota // the argument is a future that must be Send
	slotMaker                   // the argument makes futures that must be Send (a closure, a fn)
)

// fnDecl is a fn of the file, with what its parameters and return type
// require of Send.
type fnDecl struct {
	node  *sitter.Node // function_item or function_signature_item
	name  string
	owner string // the type of its impl, or its trait; "" for a free fn
	trait string // the trait its impl implements, if any
	own   itemOwner
	head  [2]uint32 // the range of its qualifiers (`pub async unsafe fn`)
	// method: 1 it takes self, 2 it does not, 0 not known yet (isMethod).
	method int8
	async  bool
	// slots are the parameters' requirements, self excluded.
	slots []slot
	// sendRet: the return type is a Send future (`impl Future + Send`);
	// boxRet: it is a Send box (`Pin<Box<dyn Future + Send>>`, BoxFuture).
	sendRet, boxRet bool
	// asyncTrait: an async fn of an `#[async_trait]` impl or trait (not
	// `?Send`), whose future the macro boxes as Send.
	asyncTrait int // the line of the attribute, or 0
	// generics are the type_parameters and where_clause nodes of the fn
	// and of its impl or trait: where its type parameters' bounds are.
	generics []*sitter.Node
}

// newSendModel returns the model of a file. Its declarations are read on
// the first question that needs them (load); what fns require of Send only
// when the file spells `Send`, `BoxFuture` or `async_trait`, the words
// every Send bound the model knows is written with (see readSignatures).
func newSendModel(src []byte, root *sitter.Node) *sendModel {
	m := &sendModel{src: src, root: root}
	for _, w := range [][]byte{[]byte("Send"), []byte("BoxFuture"), []byte("async_trait")} {
		m.bounds = m.bounds || bytes.Contains(src, w)
	}
	for _, w := range [][]byte{kwSpawn, []byte("block_on"), []byte("run_until")} {
		m.spawns = m.spawns || bytes.Contains(src, w)
	}
	return m
}

// load reads the declarations of the file, once.
func (m *sendModel) load() {
	if m.loaded {
		return
	}
	m.loaded = true
	m.fns = map[string][]*fnDecl{}
	m.traits, m.aliases, m.structs, m.statics = map[string]*sitter.Node{}, map[string]*sitter.Node{}, map[string]*sitter.Node{}, map[string]*sitter.Node{}
	m.mods, m.sendTrait, m.sendAlias = map[string]bool{}, map[string]uint8{}, map[string]uint8{}
	m.scanItems(m.root, itemOwner{})
	if m.bounds {
		m.readSignatures()
	}
}

// itemOwner is the impl or trait a list of items is written in.
type itemOwner struct {
	typ, trait string
	node       *sitter.Node // the impl_item or trait_item
	head       [2]uint32    // its range before the body: where its generics are
	asyncTrait int          // line of an `#[async_trait]` on it (not `?Send`), or 0
}

// scanItems reads the items of a source_file or declaration_list.
func (m *sendModel) scanItems(list *sitter.Node, own itemOwner) {
	asyncTrait := 0 // an `#[async_trait]` attribute before the next item
	for _, c := range namedChildren(list) {
		typ := c.Type()
		if typ == "attribute_item" {
			if l := m.asyncTraitAttr(c); l != 0 {
				asyncTrait = l
			}
			continue
		}
		if typ == "line_comment" || typ == "block_comment" {
			continue
		}
		at := asyncTrait
		asyncTrait = 0
		name := func() string { return text(m.src, c.ChildByFieldName("name")) }
		switch typ {
		case "use_declaration":
			m.addUse(c)
		case "mod_item":
			if body := c.ChildByFieldName("body"); body != nil {
				m.mods[name()] = true
				m.scanItems(body, itemOwner{})
			}
		case "impl_item", "trait_item":
			body := c.ChildByFieldName("body")
			if body == nil {
				continue
			}
			o := itemOwner{typ: typeBaseName(m.src, c.ChildByFieldName("type")), node: c, head: [2]uint32{c.StartByte(), body.StartByte()}, asyncTrait: at}
			if typ == "trait_item" {
				n := name()
				o.typ, o.trait = n, n
				m.addItem(m.traits, n, c)
			} else if tr := c.ChildByFieldName("trait"); tr != nil {
				o.trait = typeBaseName(m.src, tr)
			}
			m.scanItems(body, o)
		case "function_item", "function_signature_item":
			m.addFn(c, own)
		case "type_item":
			m.addItem(m.aliases, name(), c.ChildByFieldName("type"))
		case "struct_item":
			m.addItem(m.structs, name(), c.ChildByFieldName("body"))
		case "static_item", "const_item":
			m.addItem(m.statics, name(), c.ChildByFieldName("type"))
		}
	}
}

// addItem records an item by name; a second item of the name makes it
// unknown.
func (m *sendModel) addItem(to map[string]*sitter.Node, name string, n *sitter.Node) {
	if _, seen := to[name]; seen {
		to[name] = nil
		return
	}
	to[name] = n
}

// bodyUses reads the `use` declarations at the top of a fn body.
func (m *sendModel) bodyUses(body *sitter.Node) {
	if body == nil || !bytes.Contains(m.src[body.StartByte():body.EndByte()], []byte("use")) {
		return
	}
	for _, s := range namedChildren(body) {
		if s.Type() == "use_declaration" {
			m.addUse(s)
		}
	}
}

// addUse keeps a use declaration for imports, which reads it on need.
func (m *sendModel) addUse(u *sitter.Node) {
	m.useDecls = append(m.useDecls, u)
}

// imports reads the names the file's use declarations bring in, once.
func (m *sendModel) imports() {
	m.load()
	if m.uses != nil {
		return
	}
	m.uses = map[string]string{}
	for _, u := range m.useDecls {
		m.useTree(u.ChildByFieldName("argument"), "")
	}
}

// useTree records the names a use tree under prefix brings in. Paths are
// read from the tree (pathString), so comments between their segments do
// not count.
func (m *sendModel) useTree(n *sitter.Node, prefix string) {
	if n == nil {
		return
	}
	join := func(p string) string {
		if prefix == "" {
			return strings.TrimPrefix(p, "::")
		}
		return prefix + "::" + p
	}
	switch n.Type() {
	case "identifier", "scoped_identifier", "crate", "super":
		full := join(pathString(m.src, n))
		m.bind(full[strings.LastIndex(full, ":")+1:], full)
	case "self":
		// `use tokio::task::{self, ..}` brings in `task`.
		m.bind(prefix[strings.LastIndex(prefix, ":")+1:], prefix)
	case "use_as_clause":
		m.bind(text(m.src, n.ChildByFieldName("alias")), join(pathString(m.src, n.ChildByFieldName("path"))))
	case "scoped_use_list":
		pre := prefix
		if p := n.ChildByFieldName("path"); p != nil {
			pre = join(pathString(m.src, p))
		}
		m.useTree(n.ChildByFieldName("list"), pre)
	case "use_list":
		for _, c := range namedChildren(n) {
			m.useTree(c, prefix)
		}
	case "use_wildcard":
		if p := n.NamedChild(0); p != nil && p.Type() != "line_comment" && p.Type() != "block_comment" {
			m.globs = append(m.globs, join(pathString(m.src, p)))
		} else {
			m.globs = append(m.globs, prefix)
		}
	}
}

// bind records that a use brings in local as full; a second use of the
// name for another path makes it unknown.
func (m *sendModel) bind(local, full string) {
	if local == "" || local == "_" {
		return
	}
	if prev, ok := m.uses[local]; ok && prev != full {
		full = ""
	}
	m.uses[local] = full
}

// pathString returns the path a path node spells, segments joined by
// `::`, without the whitespace and comments between them, and without
// generic arguments (`Pin<..>` is `Pin`, `tokio::spawn::<_>` is
// `tokio::spawn`). A leading `::` is kept.
func pathString(src []byte, n *sitter.Node) string {
	if n == nil {
		return ""
	}
	switch n.Type() {
	case "scoped_identifier", "scoped_type_identifier":
		p := n.ChildByFieldName("path")
		name := pathString(src, n.ChildByFieldName("name"))
		if p == nil {
			if strings.HasPrefix(text(src, n), "::") {
				return "::" + name
			}
			return name
		}
		return pathString(src, p) + "::" + name
	case "generic_type", "generic_function":
		if t := n.ChildByFieldName("type"); t != nil {
			return pathString(src, t)
		}
		return pathString(src, n.ChildByFieldName("function"))
	}
	return compact(text(src, n))
}

// asyncTraitAttr returns the line of an `#[async_trait]` (or
// `#[async_trait::async_trait]`) attribute, or 0 for any other attribute
// and for `#[async_trait(?Send)]`, whose futures need not be Send.
func (m *sendModel) asyncTraitAttr(attr *sitter.Node) int {
	a := attr.NamedChild(0)
	if a == nil || a.Type() != "attribute" {
		return 0
	}
	p := a.NamedChild(0)
	if p == nil {
		return 0
	}
	path := pathString(m.src, p)
	if path != "async_trait" && path != "async_trait::async_trait" && path != "::async_trait::async_trait" {
		return 0
	}
	if args := a.ChildByFieldName("arguments"); args != nil && strings.Contains(text(m.src, args), "Send") {
		return 0
	}
	return int(attr.StartPoint().Row) + 1
}

// genericsOf returns the type_parameters and where_clause children of an
// item.
func genericsOf(n *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	for _, c := range namedChildren(n) {
		if t := c.Type(); t == "type_parameters" || t == "where_clause" {
			out = append(out, c)
		}
	}
	return out
}

// addFn records a fn of the file; readSignatures reads what it requires.
func (m *sendModel) addFn(fn *sitter.Node, own itemOwner) {
	name := fn.ChildByFieldName("name")
	d := &fnDecl{node: fn, name: text(m.src, name), owner: own.typ, trait: own.trait, own: own}
	if name != nil {
		d.head = [2]uint32{fn.StartByte(), name.StartByte()}
	}
	if hasWord(m.src[fn.StartByte():fn.EndByte()], []byte("use")) {
		m.bodyUses(fn.ChildByFieldName("body"))
	}
	m.fns[d.name] = append(m.fns[d.name], d)
	m.fnList = append(m.fnList, d)
}

// readSignatures reads what each fn's signature requires of Send. Only a
// signature (or an impl or trait header) that spells a word of a Send
// bound the model knows is parsed: `Send`, `BoxFuture`, a trait of the
// file with Send as a supertrait, an alias of the file for a Send box.
func (m *sendModel) readSignatures() {
	words := map[string]bool{"Send": true, "BoxFuture": true}
	for name, t := range m.traits {
		if t != nil && m.traitImpliesSend(name) {
			words[name] = true
		}
	}
	for name, t := range m.aliases {
		if t != nil && m.aliasIsSendBox(name, t) {
			words[name] = true
		}
	}
	// Where the words occur: a fn whose text (its body too, which only
	// reads more signatures) or whose impl's header holds none has no
	// Send bound.
	var occ []offsets
	var lens []int
	for w := range words {
		occ = append(occ, findAll(m.src, []byte(w)))
		lens = append(lens, len(w))
	}
	spells := func(from, to uint32) bool {
		for i, o := range occ {
			if o.within(from, to, lens[i]) {
				return true
			}
		}
		return false
	}
	for _, d := range m.fnList {
		d.async = hasWord(m.src[d.head[0]:d.head[1]], kwAsync)
		if d.async && d.own.asyncTrait != 0 {
			d.asyncTrait = d.own.asyncTrait
		}
		if !spells(d.head[1], d.node.EndByte()) && (d.own.node == nil || !spells(d.own.head[0], d.own.head[1])) {
			continue
		}
		d.generics = genericsOf(d.node)
		if d.own.node != nil {
			d.generics = append(d.generics, genericsOf(d.own.node)...)
		}
		if ps := d.node.ChildByFieldName("parameters"); ps != nil {
			for _, p := range namedChildren(ps) {
				if p.Type() == "parameter" {
					d.slots = append(d.slots, m.paramSlot(d, p.ChildByFieldName("type")))
				}
			}
		}
		if rt := d.node.ChildByFieldName("return_type"); rt != nil {
			d.sendRet = m.implIsSend(rt)
			d.boxRet = m.isSendBox(rt)
		}
	}
}

// paramSlot says what a parameter of type t requires of its argument:
//   - a type parameter (of the fn or its impl or trait) or an `impl ..`
//     whose bounds imply Send takes a future that must be Send;
//   - one bounded by `Fn(..) -> R` (FnMut, FnOnce), R a type parameter
//     whose bounds imply Send or a Send box, takes a maker of Send futures;
//   - a Send box (`Pin<Box<dyn Future + Send>>`, an alias of one) takes a
//     boxed future that must be Send.
func (m *sendModel) paramSlot(d *fnDecl, t *sitter.Node) slot {
	if t == nil {
		return 0
	}
	var bounds []*sitter.Node
	switch t.Type() {
	case "type_identifier":
		bounds = m.paramBounds(d, text(m.src, t))
	case "abstract_type", "bounded_type":
		if leadKind(t) != "abstract_type" {
			return 0
		}
		bounds = boundList(t)
	default:
		if m.isSendBox(t) {
			return slotFuture
		}
		return 0
	}
	var s slot
	if m.boundsImplySend(bounds) {
		s |= slotFuture
	}
	for _, b := range bounds {
		if b.Type() != "function_type" {
			continue
		}
		switch tr := text(m.src, b.ChildByFieldName("trait")); tr {
		case "Fn", "FnMut", "FnOnce":
		default:
			continue
		}
		r := b.ChildByFieldName("return_type")
		if r == nil {
			continue
		}
		if r.Type() == "type_identifier" && m.boundsImplySend(m.paramBounds(d, text(m.src, r))) || m.isSendBox(r) {
			s |= slotMaker
		}
	}
	return s
}

// paramBounds returns the bounds written on the type parameter name of d:
// in its type parameter list and where clauses, and its impl's or trait's.
func (m *sendModel) paramBounds(d *fnDecl, name string) []*sitter.Node {
	var out []*sitter.Node
	for _, g := range d.generics {
		for _, c := range namedChildren(g) {
			switch c.Type() {
			case "constrained_type_parameter", "where_predicate":
				l := c.ChildByFieldName("left")
				if l != nil && l.Type() == "type_identifier" && text(m.src, l) == name {
					out = append(out, boundList(c.ChildByFieldName("bounds"))...)
				}
			}
		}
	}
	return out
}

// boundList flattens a list of bounds (`A + B<..> + 'a`, `impl A + B`,
// `dyn A + B`) into its items.
func boundList(n *sitter.Node) []*sitter.Node {
	if n == nil {
		return nil
	}
	switch n.Type() {
	case "trait_bounds", "bounded_type":
		var out []*sitter.Node
		for _, c := range namedChildren(n) {
			out = append(out, boundList(c)...)
		}
		return out
	case "abstract_type", "dynamic_type":
		return boundList(n.ChildByFieldName("trait"))
	case "higher_ranked_trait_bound":
		return boundList(n.ChildByFieldName("type"))
	}
	return []*sitter.Node{n}
}

// boundsImplySend reports whether one of the bounds is Send: `Send`,
// `std::marker::Send`, or a trait of the file with Send among its
// supertraits, directly or through others of the file.
func (m *sendModel) boundsImplySend(bounds []*sitter.Node) bool {
	for _, b := range bounds {
		switch b.Type() {
		case "type_identifier", "scoped_type_identifier", "generic_type":
		default:
			continue // lifetimes, `?Sized`, Fn(..) -> R
		}
		path := pathString(m.src, b)
		if i := strings.IndexByte(path, '<'); i >= 0 {
			path = path[:i]
		}
		switch path {
		case "Send", "std::marker::Send", "core::marker::Send", "::std::marker::Send", "::core::marker::Send":
			return true
		}
		if !strings.Contains(path, "::") && m.traitImpliesSend(path) {
			return true
		}
	}
	return false
}

// boundsFuture reports whether one of the bounds may be a future: `Future`
// by any path, or a trait of the file (which may have it as a
// supertrait). A `dyn Stream + Send` box holds no future of an async
// block.
func (m *sendModel) boundsFuture(bounds []*sitter.Node) bool {
	for _, b := range bounds {
		path := pathString(m.src, b)
		if path == "Future" || strings.HasSuffix(path, "::Future") {
			return true
		}
		if _, ok := m.traits[path]; ok {
			return true
		}
	}
	return false
}

// traitImpliesSend reports whether the file's trait name has Send among its
// supertraits (`trait SendFuture: Future + Send {}`), directly or through
// other traits of the file.
func (m *sendModel) traitImpliesSend(name string) bool {
	switch m.sendTrait[name] {
	case 1:
		return true
	case 2, 3:
		return false
	}
	t := m.traits[name]
	if t == nil {
		return false
	}
	m.sendTrait[name] = 3
	ok := m.boundsImplySend(boundList(t.ChildByFieldName("bounds")))
	m.sendTrait[name] = 2
	if ok {
		m.sendTrait[name] = 1
	}
	return ok
}

// implIsSend reports whether a return type is an `impl ..` whose bounds
// imply Send (`impl Future<Output = T> + Send + 'static`).
func (m *sendModel) implIsSend(t *sitter.Node) bool {
	return leadKind(t) == "abstract_type" && m.boundsImplySend(boundList(t))
}

// leadKind returns the type of the first item of a list of bounds
// (`impl A + B` parses as a bounded_type whose first child is the
// abstract_type `impl A`): "abstract_type" for an `impl ..`,
// "dynamic_type" for a `dyn ..`.
func leadKind(t *sitter.Node) string {
	for t != nil && t.Type() == "bounded_type" {
		t = t.NamedChild(0)
	}
	if t == nil {
		return ""
	}
	return t.Type()
}

// isSendBox reports whether t is a boxed future that must be Send:
// `Pin<Box<dyn Future<..> + Send + '_>>`, `Box<dyn .. + Send>`, futures'
// `BoxFuture<'_, T>` (spelled or imported from futures), or a type alias
// of the file for one of these.
func (m *sendModel) isSendBox(t *sitter.Node) bool {
	for t != nil && t.Type() == "generic_type" {
		base := pathString(m.src, t.ChildByFieldName("type"))
		args := t.ChildByFieldName("type_arguments")
		switch {
		case base == "Pin" || base == "std::pin::Pin" || base == "core::pin::Pin":
			t = firstTypeArg(args)
			continue
		case base == "Box" || base == "std::boxed::Box":
			inner := firstTypeArg(args)
			if inner == nil {
				return false
			}
			items := boundList(inner)
			return leadKind(inner) == "dynamic_type" && m.boundsImplySend(items) && m.boundsFuture(items)
		}
		return m.namedSendBox(base)
	}
	if t != nil && (t.Type() == "type_identifier" || t.Type() == "scoped_type_identifier") {
		return m.namedSendBox(pathString(m.src, t))
	}
	return false
}

// firstTypeArg returns the first type among type_arguments (lifetimes
// skipped).
func firstTypeArg(args *sitter.Node) *sitter.Node {
	if args == nil {
		return nil
	}
	for _, a := range namedChildren(args) {
		if a.Type() != "lifetime" {
			return a
		}
	}
	return nil
}

// futuresBoxFuture are the paths of futures' BoxFuture, which is
// `Pin<Box<dyn Future<Output = T> + Send + 'a>>` (LocalBoxFuture is not
// Send).
var futuresBoxFuture = map[string]bool{
	"futures::future::BoxFuture": true, "futures_util::future::BoxFuture": true,
	"futures_core::future::BoxFuture": true, "futures::prelude::future::BoxFuture": true,
}

// namedSendBox reports whether a type path names a Send box: a type alias
// of the file whose type is one, or futures' BoxFuture.
func (m *sendModel) namedSendBox(path string) bool {
	path = strings.TrimPrefix(path, "::")
	if !strings.Contains(path, "::") {
		if t, ok := m.aliases[path]; ok {
			return t != nil && m.aliasIsSendBox(path, t)
		}
	}
	if path != "BoxFuture" && !strings.HasSuffix(path, "::BoxFuture") {
		return false // no other name is futures' BoxFuture: spare the imports
	}
	return futuresBoxFuture[m.resolve(path)]
}

// aliasIsSendBox is isSendBox of an alias's type, safe against cycles.
func (m *sendModel) aliasIsSendBox(name string, t *sitter.Node) bool {
	switch m.sendAlias[name] {
	case 1:
		return true
	case 2, 3:
		return false
	}
	m.sendAlias[name] = 3
	ok := m.isSendBox(t)
	m.sendAlias[name] = 2
	if ok {
		m.sendAlias[name] = 1
	}
	return ok
}

// resolve returns the full path a path of the file names, through the
// file's imports: `task::spawn` with `use tokio::task;` is
// `tokio::task::spawn`. A leading `::` is dropped; a path whose first
// segment is not imported is returned as it is.
func (m *sendModel) resolve(path string) string {
	m.imports()
	path = strings.TrimPrefix(path, "::")
	first, rest, more := strings.Cut(path, "::")
	if full, ok := m.uses[first]; ok && full != "" {
		if more {
			return full + "::" + rest
		}
		return full
	}
	return path
}

// resolveType is resolve for a type name, which a glob import may also
// bring in: a bare name not imported by name, declared by no item of the
// file and not known to resolve is taken from the one glob of the given
// modules, if there is exactly one.
func (m *sendModel) resolveType(path string, from ...string) string {
	full := m.resolve(path)
	if full != path || strings.Contains(path, "::") {
		return full
	}
	if _, ok := m.structs[path]; ok {
		return path
	}
	if _, ok := m.aliases[path]; ok {
		return path
	}
	if len(m.ownedDecls(path, "")) > 0 {
		return path // a fn of the file hides a glob's
	}
	found := ""
	for _, g := range m.globs {
		for _, f := range from {
			if g == f {
				if found != "" {
					return path
				}
				found = g + "::" + path
			}
		}
	}
	if found != "" {
		return found
	}
	return path
}

// isMethod reports whether d takes self.
func (d *fnDecl) isMethod() bool {
	if d.method == 0 {
		d.method = 2
		if hasSelfParam(d.node) {
			d.method = 1
		}
	}
	return d.method == 1
}

// decls returns the fns of the file named name that take self (method)
// or not.
func (m *sendModel) decls(name string, method bool) []*fnDecl {
	m.load()
	var out []*fnDecl
	for _, d := range m.fns[name] {
		if d.isMethod() == method {
			out = append(out, d)
		}
	}
	return out
}
