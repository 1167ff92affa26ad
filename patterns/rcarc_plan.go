package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// plan computes a group's edits (imports aside) or why it has none.
func (r *rcFile) plan(g *rcGroup) {
	g.owned = map[*rcMention]bool{}
	inGroup := func(k siteKey) bool { return k.ok() && r.find(k) == g.root }
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
			in := false
			for k := range r.sites {
				in = in || k.ofFn(fn) && r.find(k) == g.root
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
				if f.Type() != "field_declaration" || r.find(fieldKey(name, text(r.src, f.ChildByFieldName("name")))) == g.root {
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
