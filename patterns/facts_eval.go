package patterns

import (
	"fmt"
	"sort"

	sitter "github.com/smacker/go-tree-sitter"
)

// The evaluator of the ownership model over expressions (the model is in
// facts_own.go, the method tables in facts_methods.go).

// eval is the value of expression e.
func (ev *ownEval) eval(e *sitter.Node) *ownVal {
	if e == nil {
		return anyVal("no expression")
	}
	if ev.subst != nil {
		if v, ok := ev.subst[[2]uint32{e.StartByte(), e.EndByte()}]; ok {
			return v
		}
	}
	src := ev.f.src
	switch e.Type() {
	case "parenthesized_expression":
		return ev.eval(e.NamedChild(0))
	case "integer_literal", "float_literal", "boolean_literal", "char_literal", "string_literal", "raw_string_literal",
		"unit_expression", "type_cast_expression", "negative_literal":
		return copyVal()
	case "identifier", "self", "index_expression":
		return ev.read(e)
	case "field_expression":
		// Read by value: Copy, or a move out of the place.
		field := text(src, e.ChildByFieldName("field"))
		if ev.f.fileDecls().fieldCopy(field) == fieldNotCopy {
			v := unknownVal(fmt.Sprintf("field `.%s` is not of a Copy type: reading it by value moves it", field), ev.read(e))
			if b := ev.placeBase(e); b != NoBinding {
				v.from = unionIDs(v.from, []BindingID{b})
			}
			return v
		}
		return ev.read(e)
	case "scoped_identifier":
		return ownedVal()
	case "reference_expression":
		return ev.refTo(e.ChildByFieldName("value"))
	case "unary_expression":
		if firstByte(src, e) == '*' {
			return ev.read(e)
		}
		x := ev.eval(e.NamedChild(0))
		if x.kind == OwnCopy {
			return copyVal()
		}
		return unknownVal("an operator on a value that is not Copy", x).settleOwned()
	case "binary_expression":
		l, r := ev.eval(e.ChildByFieldName("left")), ev.eval(e.ChildByFieldName("right"))
		switch text(src, e.ChildByFieldName("operator")) {
		case "==", "!=", "<", "<=", ">", ">=", "&&", "||":
			return copyVal()
		}
		if l.kind == OwnCopy && r.kind == OwnCopy {
			return copyVal()
		}
		return unknownVal("an operator on values that are not Copy", l, r).settleOwned()
	case "tuple_expression", "array_expression":
		var parts []*ownVal
		for _, c := range namedChildren(e) {
			if !isComment(c) {
				parts = append(parts, ev.eval(c))
			}
		}
		return aggregate(parts...)
	case "struct_expression":
		var parts []*ownVal
		if body := e.ChildByFieldName("body"); body != nil {
			for _, fi := range namedChildren(body) {
				switch fi.Type() {
				case "field_initializer":
					parts = append(parts, ev.eval(fi.ChildByFieldName("value")))
				case "shorthand_field_initializer", "base_field_initializer":
					if c := fi.NamedChild(0); c != nil {
						parts = append(parts, ev.eval(c))
					}
				}
			}
		}
		if len(parts) == 0 {
			return ownedVal()
		}
		v := aggregate(parts...)
		if v.kind == OwnCopy {
			v.kind = OwnOwned
		}
		return v
	case "range_expression":
		var parts []*ownVal
		for _, c := range namedChildren(e) {
			parts = append(parts, ev.eval(c))
		}
		return aggregate(parts...)
	case "call_expression":
		return ev.call(e)
	case "macro_invocation":
		return ev.macro(e)
	case "closure_expression", "async_block":
		return ev.capture(e)
	case "block", "unsafe_block":
		if e.Type() == "unsafe_block" {
			e = e.NamedChild(0)
		}
		if tail := blockTail(e); tail != nil {
			return ev.eval(tail)
		}
		return copyVal()
	case "if_expression":
		var arms []*ownVal
		if c := e.ChildByFieldName("consequence"); c != nil {
			arms = append(arms, ev.eval(c))
		}
		alt := e.ChildByFieldName("alternative")
		if alt == nil {
			return joinVals(append(arms, copyVal())...)
		}
		arms = append(arms, ev.eval(alt.NamedChild(0)))
		return joinVals(arms...)
	case "else_clause":
		return ev.eval(e.NamedChild(0))
	case "match_expression":
		var arms []*ownVal
		if body := e.ChildByFieldName("body"); body != nil {
			for _, a := range namedChildren(body) {
				if a.Type() == "match_arm" {
					arms = append(arms, ev.eval(a.ChildByFieldName("value")))
				}
			}
		}
		return joinVals(arms...)
	case "try_expression":
		return ev.eval(e.NamedChild(0))
	case "await_expression":
		op := unparen(e.NamedChild(0))
		if op != nil && op.Type() == "call_expression" {
			recv, name := methodCallParts(src, op)
			if recv == nil {
				name = calleeName(src, op)
			}
			if ev.f.fileDecls().awaitResult(name, recv != nil) == retOwned {
				return ownedVal() // an async fn of the file returning an owned type
			}
		}
		fut := ev.eval(op)
		return unknownVal("the output of an awaited future", fut).settleOwned()
	case "return_expression", "break_expression", "continue_expression":
		return copyVal()
	}
	return anyVal(fmt.Sprintf("a `%s` is not analysed", e.Type()))
}

// capture is the value of a closure or async block: it borrows what it
// captures by reference, and holds what a `move` captures.
func (ev *ownEval) capture(e *sitter.Node) *ownVal {
	move := false
	for _, c := range children(e) {
		if !c.n.IsNamed() && c.n.Type() == "move" {
			move = true
		}
	}
	v := &ownVal{kind: OwnOwned}
	for _, b := range ev.capturedBy(e) {
		bv := ev.binding(b)
		if move {
			v.holds = unionIDs(v.holds, []BindingID{b})
			v.from = unionIDs(v.from, bv.from)
		} else {
			v.from = unionIDs(v.from, unionIDs([]BindingID{b}, bv.from))
		}
		v.any = v.any || bv.any
	}
	if len(v.from) > 0 || v.any {
		v.kind = OwnBorrows
		v.why = "a closure or async block borrows what it captures"
	}
	return v
}

// capturedBy returns the bindings declared outside closure (or async
// block) e that it mentions.
func (ev *ownEval) capturedBy(e *sitter.Node) []BindingID {
	var out []BindingID
	seen := map[BindingID]bool{}
	for _, b := range ev.mentioned(e) {
		v := ev.f.binds[b].Visible
		if v[0] < int(e.StartByte()) && !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	return out
}

// mentioned returns the bindings used inside n (identifiers, macro tokens
// and format arguments).
func (ev *ownEval) mentioned(n *sitter.Node) []BindingID {
	return ev.mentionedRange(int(n.StartByte()), int(n.EndByte()))
}

// mentionedRange returns the bindings used in the byte range [lo, hi).
func (ev *ownEval) mentionedRange(lo, hi int) []BindingID {
	f := ev.f
	f.ensure(lo)
	if f.byOff == nil {
		for b, us := range f.uses {
			for _, u := range us {
				f.byOff = append(f.byOff, useRef{u.Off, BindingID(b)})
			}
		}
		sort.Slice(f.byOff, func(i, j int) bool { return f.byOff[i].off < f.byOff[j].off })
	}
	seen := map[BindingID]bool{}
	var out []BindingID
	for i := sort.Search(len(f.byOff), func(i int) bool { return f.byOff[i].off >= lo }); i < len(f.byOff) && f.byOff[i].off < hi; i++ {
		if b := f.byOff[i].b; !seen[b] {
			seen[b] = true
			out = append(out, b)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
