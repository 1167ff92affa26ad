package patterns

import (
	"bytes"
	"context"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"
)

// What the Send-context model gives the Index: the fns a file hands to a
// Send context other than a spawn (`run(job(1))` where run's parameter is
// bounded `F: Future + Send`, `get(handler)` where the bound is on the
// handler's futures, `Box::pin(job())` returned as a BoxFuture). The
// token reading sees spawns; these need the file's declarations, so the
// files that may hold one (mayHandOff) are parsed for them: by Summarize,
// or, for a summary of SummarizeLater, by ReadHandOffs when the hand-off
// gate (sendctx_gate.go) says they may matter.

// mayHandOffFns reports whether the model may find a fn handed to a Send
// context other than a spawn in src: it spells `Future` (as every such
// context but a bare `T: Send` bound does) and one of handoffWords.
func mayHandOffFns(src []byte) bool {
	if !bytes.Contains(src, kwFuture) {
		return false
	}
	for _, w := range handoffWords {
		if hasWord(src, w) {
			return true
		}
	}
	return false
}

// mayHandOff reports whether a parse of the file may find a fn handed to
// a Send context other than a spawn (handoffCalls): it spells the words
// of one (mayHandOffFns), and the tokens show a Send slot or their
// reading is unsure (unbalanced brackets, a span it reads as no body).
// TestHandOffNeedsSlots holds it to handoffCalls.
func (fs *fileSyntax) mayHandOff() bool {
	return (fs.slots || !fs.balanced || len(fs.loose) > 0) && mayHandOffFns(fs.src)
}

// summaryParsers are the parsers handoffCalls parses with: Summarize runs
// in many goroutines at once, each file on its own.
var summaryParsers = sync.Pool{New: func() any {
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	return p
}}

// handoffCalls parses src for the calls of fns it hands to a Send context
// other than a spawn, as the Index matches calls (fromSpawn, with the
// context's reason). Callers ask fileSyntax.mayHandOff first: where it is
// false, the parse finds none.
func handoffCalls(src []byte) []sumCall {
	p := summaryParsers.Get().(*sitter.Parser)
	tree, err := p.ParseCtx(context.Background(), nil, src)
	summaryParsers.Put(p)
	if err != nil {
		return nil
	}
	defer tree.Close()
	var out []sumCall
	for _, f := range scanBodies("", src, tree.RootNode(), NewIndex(), false).fns {
		if f.ctx.kind != sendSpawn || f.ctx.spawn {
			continue // spawns are the token reading's (spawnCall)
		}
		sh, ok := shapeOfName(src, f.name)
		if !ok {
			continue
		}
		c := sumCall{lexCall: lexCall{body: -1, shape: sh, line: int32(lineAt(f.name))}, kind: fromSpawn, why: f.ctx.fnWhy()}
		c.mods, c.owner, c.trait = scopeOf(src, f.name)
		out = append(out, c)
	}
	return out
}

// shapeOfName returns the shape of a call whose callee is the expression
// n, as the token reading gives it (callShapeEndingAt): `name`,
// `a::b::name`, `self.name`, `x.name`; false for any other expression.
func shapeOfName(src []byte, n *sitter.Node) (callShape, bool) {
	switch n.Type() {
	case "identifier":
		return callShape{callBare, []string{strings.TrimPrefix(text(src, n), "r#")}}, true
	case "generic_function":
		if f := n.ChildByFieldName("function"); f != nil {
			return shapeOfName(src, f)
		}
	case "field_expression":
		f := n.ChildByFieldName("field")
		if f == nil || f.Type() != "field_identifier" {
			return callShape{}, false
		}
		name := strings.TrimPrefix(text(src, f), "r#")
		if v := n.ChildByFieldName("value"); v != nil && v.Type() == "self" {
			return callShape{callSelf, []string{name}}, true
		}
		return callShape{callRecv, []string{name}}, true
	case "scoped_identifier":
		var segs []string
		for p := n; ; {
			name := p.ChildByFieldName("name")
			if name == nil {
				return callShape{}, false
			}
			segs = append(segs, strings.TrimPrefix(text(src, name), "r#"))
			q := p.ChildByFieldName("path")
			if q == nil {
				segs = append(segs, "::") // a leading `::`
				break
			}
			if q.Type() == "scoped_identifier" {
				p = q
				continue
			}
			switch q.Type() {
			case "identifier", "self", "super", "crate":
				segs = append(segs, strings.TrimPrefix(text(src, q), "r#"))
			default:
				segs = append(segs, "<>") // a path the syntax cannot name
			}
			break
		}
		for l, r := 0, len(segs)-1; l < r; l, r = l+1, r-1 {
			segs[l], segs[r] = segs[r], segs[l]
		}
		return callShape{callPath, segs}, true
	}
	return callShape{}, false
}

// scopeOf returns the inline modules around n and the impl's type and
// trait (a trait's name twice in its own body) of the innermost impl or
// trait around it, as the token reading records a call's (addCall).
func scopeOf(src []byte, n *sitter.Node) (mods, owner, trait string) {
	var ms []string
	ownerSet := false
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Type() {
		case "mod_item":
			ms = append(ms, strings.TrimPrefix(text(src, p.ChildByFieldName("name")), "r#"))
		case "impl_item":
			if !ownerSet {
				owner, ownerSet = lastTopIdent([]byte(text(src, p.ChildByFieldName("type")))), true
				if t := p.ChildByFieldName("trait"); t != nil {
					trait = lastTopIdent([]byte(text(src, t)))
				}
			}
		case "trait_item":
			if !ownerSet {
				owner, ownerSet = strings.TrimPrefix(text(src, p.ChildByFieldName("name")), "r#"), true
				trait = owner
			}
		}
	}
	for l, r := 0, len(ms)-1; l < r; l, r = l+1, r-1 {
		ms[l], ms[r] = ms[r], ms[l]
	}
	return strings.Join(ms, "::"), owner, trait
}
