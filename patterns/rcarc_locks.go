package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// lockOverlap returns why turning the borrows into locks could deadlock:
// a Mutex is not reentrant, where several RefCell borrows may coexist.
// A borrow is held through the statements after its `let` (up to a
// `drop`), or as a temporary through its whole statement (a `for`
// loop's iterator, a `match` or `if let` scrutinee); no other borrow of
// the group, and no call of code that borrows it, may run in that time.
func (r *rcFile) lockOverlap(bs []*rcBorrow) string {
	if len(bs) == 0 {
		return ""
	}
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
			// A method of a type that is not the file's (`v.len()` on a
			// Vec) is none of the file's fns.
			if t := derefs(stripRefs(r.exprType(f.ChildByFieldName("value"), 0))); t.kind == tyPath && r.structs[t.name] == nil && r.env().rule(t.path, t.name) != ruleNone {
				return "", false
			}
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
