package patterns

import (
	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// swapPlan is the file-wide swap of a set of lock families: all its
// edits, or why there are none. It is made in three steps: collect (one
// walk of the tree gathers what the swap looks at), decide (refusals:
// counterparts, placement, lock calls), emit (the edits).
type swapPlan struct {
	fc    *fileCtx
	im    *fileImports
	fams  lockFamily // the families the swap moves
	crate *crateView // the other files of the crate; nil when the file stands alone

	edits     []rewrite.Edit
	calls     int      // lock calls converted
	blocking  int      // of which to blocking_*()
	hoisted   int      // locks hoisted out of sync closures
	madeAsync []string // sync fns made async
	why       *refusal // nil when the swap is possible

	syncMods  map[string]bool           // local names bound to the module std::sync
	paths     []*sitter.Node            // full std::sync::<lock type> paths (and `sync::Mutex` after `use std::sync`)
	modPaths  []*sitter.Node            // `m::<lock type>` paths, std when m is in syncMods
	inners    []*sitter.Node            // `.into_inner()` / `.get_mut()` calls
	noCp      []*sitter.Node            // calls of a method in noCounterpart
	condvars  []*sitter.Node            // mentions of Condvar
	aliases   map[string]*sitter.Node   // type alias name -> its type
	fields    map[string][]*sitter.Node // field name -> declared types
	statics   map[string]*sitter.Node   // static name -> its type
	idents    map[string][]*sitter.Node // identifier text -> nodes
	fns       map[string][]*sitter.Node // fn name -> function_items
	lockUses  []*sitter.Node            // zero-argument lock calls of the families, outside macros
	macros    []*sitter.Node            // outermost macro token trees
	macroDefs []*sitter.Node            // macro_rules! definitions
	staticsV  []*sitter.Node            // static and const items, const fns
	pubItems  []*sitter.Node            // items and fields with a visibility modifier
	local     map[string]bool           // structs, enums, unions and traits defined in the file
	localMods map[string]bool           // inline modules of the file
	imported  map[string]bool           // names bound by use declarations
	childMods bool                      // the file declares `mod name;`: its private items are visible in other files

	modes      *lockModes                     // how each lock call is taken: await, blocking, hoisted (tokiomutex_context.go)
	hoists     map[*sitter.Node]*closureHoist // guards hoisted out of sync closures, by statement
	hoistOrder []*sitter.Node                 // their statements, in the order found
}

// planSwap computes the file's swap of the families fams.
func planSwap(fc *fileCtx, fams lockFamily, cv *crateView) *swapPlan {
	p := newPlan(fc, fams, cv)
	if p.why = p.decide(); p.why == nil {
		p.why = p.emit()
	}
	if p.why != nil {
		p.edits = nil
	}
	return p
}

// newPlan returns a plan with its facts collected, nothing decided.
func newPlan(fc *fileCtx, fams lockFamily, cv *crateView) *swapPlan {
	p := &swapPlan{fc: fc, im: fc.imports(), fams: fams, crate: cv,
		syncMods: map[string]bool{}, aliases: map[string]*sitter.Node{},
		fields: map[string][]*sitter.Node{}, statics: map[string]*sitter.Node{},
		idents: map[string][]*sitter.Node{}, fns: map[string][]*sitter.Node{},
		local: map[string]bool{}, localMods: map[string]bool{}}
	p.modes = newLockModes(p)
	p.collect()
	return p
}

// collect gathers every node the swap looks at in one walk.
func (p *swapPlan) collect() {
	src := p.fc.src
	p.imported = p.im.locals()
	for _, l := range p.im.leaves {
		if !l.glob && l.path == "std::sync" {
			p.syncMods[l.local] = true
		}
	}
	walk(p.fc.root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "use_declaration", "line_comment", "block_comment", "string_literal", "raw_string_literal":
			return false
		case "macro_definition":
			p.macroDefs = append(p.macroDefs, n)
			return false
		case "macro_invocation":
			for _, c := range namedChildren(n) {
				if c.Type() == "token_tree" {
					p.macros = append(p.macros, c)
				}
			}
		case "identifier":
			p.idents[text(src, n)] = append(p.idents[text(src, n)], n)
			if text(src, n) == "Condvar" {
				p.condvars = append(p.condvars, n)
			}
		case "type_identifier":
			if text(src, n) == "Condvar" {
				p.condvars = append(p.condvars, n)
			}
		case "field_identifier":
			if par := n.Parent(); par != nil && par.Type() == "field_expression" {
				p.idents[text(src, n)] = append(p.idents[text(src, n)], n)
			}
		case "function_item":
			name := fnName(src, n)
			p.fns[name] = append(p.fns[name], n)
			if isConstFn(src, n) {
				p.staticsV = append(p.staticsV, n)
			}
		case "type_item":
			p.aliases[text(src, n.ChildByFieldName("name"))] = n.ChildByFieldName("type")
		case "static_item", "const_item":
			p.statics[text(src, n.ChildByFieldName("name"))] = n.ChildByFieldName("type")
			p.staticsV = append(p.staticsV, n)
		case "struct_item", "enum_item", "union_item", "trait_item":
			p.local[text(src, n.ChildByFieldName("name"))] = true
		case "mod_item":
			if n.ChildByFieldName("body") != nil {
				p.localMods[text(src, n.ChildByFieldName("name"))] = true
			} else {
				p.childMods = true
			}
		case "field_declaration":
			nm := text(src, n.ChildByFieldName("name"))
			p.fields[nm] = append(p.fields[nm], n.ChildByFieldName("type"))
		case "ordered_field_declaration_list":
			i := 0
			for _, c := range namedChildren(n) {
				if c.Type() == "visibility_modifier" || c.Type() == "attribute_item" || isComment(c) {
					continue
				}
				k := itoa(i)
				p.fields[k] = append(p.fields[k], c)
				i++
			}
		case "visibility_modifier":
			p.pubItems = append(p.pubItems, n.Parent())
		case "scoped_type_identifier", "scoped_identifier":
			name := text(src, n.ChildByFieldName("name"))
			if familyOfType(name) == 0 {
				return true
			}
			if isStdLockPath(src, n) {
				p.paths = append(p.paths, n)
				return false
			}
			if path := n.ChildByFieldName("path"); path != nil && path.Type() == "identifier" {
				p.modPaths = append(p.modPaths, n)
			}
		case "call_expression":
			m := methodName(src, n)
			if _, ok := noCounterpart[m]; ok {
				p.noCp = append(p.noCp, n)
			}
			if n.ChildByFieldName("arguments").NamedChildCount() == 0 {
				switch {
				case p.fams.has(familyOfMethod(m)):
					p.lockUses = append(p.lockUses, n)
				case m == "into_inner" || m == "get_mut":
					p.inners = append(p.inners, n)
				}
			}
		}
		return true
	})
	// `use std::sync::{self, ..};` then `sync::Mutex<T>`: a std path too.
	for _, n := range p.modPaths {
		if p.syncMods[text(src, n.ChildByFieldName("path"))] {
			p.paths = append(p.paths, n)
		}
	}
}

// isStdLockPath reports whether n is the path `std::sync::T` (with or
// without a leading `::`) of a lock family type T.
func isStdLockPath(src []byte, n *sitter.Node) bool {
	if familyOfType(text(src, n.ChildByFieldName("name"))) == 0 {
		return false
	}
	path := n.ChildByFieldName("path")
	if path == nil {
		return false
	}
	return trimColons(compact(text(src, path))) == "std::sync"
}

// pathFamily returns the family of a std lock path node (see paths), 0
// when it is another type.
func (p *swapPlan) pathFamily(n *sitter.Node) lockFamily {
	return familyOfType(text(p.fc.src, n.ChildByFieldName("name")))
}

// stdTypeAt returns the std lock type (of any family) that the name nm
// means at node n through a use declaration: "Mutex" for `Mutex` after
// `use std::sync::Mutex;`, "" otherwise.
func (p *swapPlan) stdTypeAt(n *sitter.Node, nm string) string {
	path, ok := p.im.resolve(n, nm)
	if !ok || len(path) < len("std::sync::") || path[:len("std::sync::")] != "std::sync::" {
		return ""
	}
	t := path[len("std::sync::"):]
	if familyOfType(t) == 0 {
		return ""
	}
	return t
}

// isStdName reports whether nm at n means a std type of the families
// the plan moves.
func (p *swapPlan) isStdName(n *sitter.Node, nm string) bool {
	return p.fams.has(familyOfType(p.stdTypeAt(n, nm)))
}

// isOtherName reports whether nm at n means parking_lot's or tokio's lock.
func (p *swapPlan) isOtherName(n *sitter.Node, nm string) bool {
	path, ok := p.im.resolve(n, nm)
	return ok && otherLockPath(path)
}

// trimColons drops a leading `::` of a path.
func trimColons(s string) string {
	if len(s) >= 2 && s[:2] == "::" {
		return s[2:]
	}
	return s
}
