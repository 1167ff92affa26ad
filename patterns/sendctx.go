package patterns

import (
	"bytes"
	"fmt"

	sitter "github.com/smacker/go-tree-sitter"
)

// asyncBody is one future's body: an async block or an async fn.
type asyncBody struct {
	node  *sitter.Node // async_block or function_item
	block *sitter.Node // its block
	name  string       // the fn's name, for an async fn
	fn    string       // the async fn it is written in, if any (its own name for a fn)
	send  bool         // the future must be Send
	why   string       // why it must be Send, for messages
	// moved: the async block itself is handed to a Send context (a spawn,
	// a Send bound, a Send box), so what it captures must be Send too, not
	// only what it holds across its awaits.
	moved bool
	// note: an ambiguous call would have made this body Send-required
	// (Index.ambiguityNote); findings in it say so.
	note string
}

// spawnKind classifies a call by what it does with a future argument.
type spawnKind int

const (
	notSpawn  spawnKind = iota
	sendSpawn           // the future must be Send: a spawn, a Send bound
	localRun            // spawn_local, block_on, run_until: no Send bound
)

// calleeName returns the last name of the function a call_expression
// calls: `f` of `f(x)`, `m::f(x)`, `Self::f(x)`, `self.f(x)`.
func calleeName(src []byte, call *sitter.Node) string {
	fn := call.ChildByFieldName("function")
	if fn == nil {
		return ""
	}
	switch fn.Type() {
	case "identifier":
		return text(src, fn)
	case "scoped_identifier":
		return text(src, fn.ChildByFieldName("name"))
	case "field_expression":
		return text(src, fn.ChildByFieldName("field"))
	case "generic_function":
		if f := fn.ChildByFieldName("function"); f != nil {
			if f.Type() == "scoped_identifier" {
				return text(src, f.ChildByFieldName("name"))
			}
			return text(src, f)
		}
	}
	return ""
}

// spawnArg returns the future argument of a spawning call.
func spawnArg(call *sitter.Node) *sitter.Node { return firstArg(call) }

// firstArg returns the first argument of a call, comments skipped (nil
// when there is none).
func firstArg(call *sitter.Node) *sitter.Node {
	args := call.ChildByFieldName("arguments")
	if args == nil {
		return nil
	}
	for _, a := range namedChildren(args) {
		// A comment before the argument is a named child too.
		if t := a.Type(); t != "line_comment" && t != "block_comment" {
			return a
		}
	}
	return nil
}

// unparen strips parentheses around an expression.
func unparen(n *sitter.Node) *sitter.Node {
	for n != nil && n.Type() == "parenthesized_expression" && n.NamedChildCount() == 1 {
		n = n.NamedChild(0)
	}
	return n
}

// fnName returns the name of a function_item.
func fnName(src []byte, fn *sitter.Node) string {
	return text(src, fn.ChildByFieldName("name"))
}

// lineOf returns the 1-based line of byte offset off.
func lineOf(src []byte, off int) int {
	// bytes.Count: converting the prefix to a string would copy it on
	// every call.
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// findBodies returns every async body of the file in source order, outer
// bodies before the ones nested in them, and decides which must be Send
// (see scanBodies).
func findBodies(path string, src []byte, root *sitter.Node, idx *Index, allAsync bool) []*asyncBody {
	return scanBodies(path, src, root, idx, allAsync).bodies
}

// bodyScan is what scanBodies learns of a file.
type bodyScan struct {
	bodies []*asyncBody
	// fns are the fns whose future, or the fn itself as a maker of
	// futures, is handed to a Send context (or a local run), in source
	// order, and how.
	fns []handedFn
	// fx is the facts layer the scan made, or nil: the rules of the same
	// parse share it.
	fx *facts
}

// scanBodies finds every async body of the file and decides which must be
// Send:
//   - an async block handed to a Send context of the file (handoffs):
//     a spawn (classifyCall), a parameter with a Send bound, a Send box,
//     the result of a fn declared to return a Send future; directly,
//     through `Box::pin(..)`, as the result of a closure given where the
//     bound is on the closure's futures, or through a `let fut = async
//     ..;` binding of the same fn;
//   - an async fn of an `#[async_trait]` impl or trait (not `?Send`), or
//     of an impl of a trait of the file declaring the method to return a
//     Send future;
//   - an async fn the Index says is handed to one (by name, in any of the
//     files given), or awaited (transitively) from a Send-required future;
//   - an async block nested in a Send-required body, unless it is handed
//     to spawn_local, block_on or run_until (which need no Send);
//   - with allAsync, every async body.
//
// idx answers for async fns spawned or awaited in other files; path is
// the file's, as the Index knows it.
func scanBodies(path string, src []byte, root *sitter.Node, idx *Index, allAsync bool) *bodyScan {
	m := newSendModel(src, root)
	h := newHandoffs(m)
	h.results()
	var bodies []*asyncBody
	byStart := map[[2]uint32]*asyncBody{}
	enclosing := func(up *ancestors) *asyncBody {
		for i := len(up.nodes) - 1; i >= 0; i-- {
			switch up.types[i] {
			case "async_block", "function_item":
				return byStart[rangeKey(up.nodes[i])]
			case "closure_expression":
				// A sync closure is its own context: no await in it
				// belongs to the enclosing future.
				return nil
			}
		}
		return nil
	}
	boundBlocks := map[*asyncBody]fnVar{}
	outers := map[*asyncBody]*asyncBody{}
	local := map[*asyncBody]bool{}
	may := h.mayHold()
	walkTyped(root, func(n *sitter.Node, typ string, up *ancestors) bool {
		if !may(n) {
			return false
		}
		switch typ {
		case "call_expression":
			h.call(n, up)
		case "let_declaration":
			h.let(n, up)
		case "function_item":
			if !isAsyncFn(src, n) {
				return true
			}
			b := &asyncBody{node: n, block: n.ChildByFieldName("body"), name: fnName(src, n)}
			b.fn = b.name
			if b.block == nil {
				return true
			}
			key := fnKeyOf(src, n, up)
			if why := m.asyncFnWhy(n); why != "" {
				b.send, b.why = true, fmt.Sprintf("async fn `%s` must be Send: %s", b.name, why)
			} else if why, ok := idx.sendFn(path, key); ok {
				b.send = true
				b.why = fmt.Sprintf("async fn `%s` must be Send: %s", b.name, why)
			}
			b.note = idx.ambiguityNote(path, key)
			bodies = append(bodies, b)
			byStart[rangeKey(n)] = b
		case "async_block":
			b := &asyncBody{node: n, block: n.NamedChild(int(n.NamedChildCount()) - 1)}
			if b.block == nil || b.block.Type() != "block" {
				return true
			}
			outer := enclosing(up)
			if outer != nil {
				b.fn = outer.fn
			}
			outers[b] = outer
			if ctx, ok := h.blocks[rangeKey(n)]; ok {
				switch ctx.kind {
				case sendSpawn:
					b.send, b.moved, b.why = true, true, "the async block is "+ctx.blockWhy()
				case localRun:
					local[b] = true
				}
			}
			if p, pt := up.parent(); pt == "let_declaration" {
				if pat := p.ChildByFieldName("pattern"); pat != nil && pat.Type() == "identifier" {
					boundBlocks[b] = fnVar{fnOf(up), text(src, pat)}
				}
			}
			bodies = append(bodies, b)
			byStart[rangeKey(n)] = b
		}
		return true
	})
	// Outer bodies come first, so one pass in order settles inheritance.
	for _, b := range bodies {
		if outer := outers[b]; outer != nil && !local[b] && !b.moved {
			b.note = outer.note // it would have shared the requirement
		}
		if b.node.Type() != "async_block" || b.send {
			continue
		}
		if v, ok := boundBlocks[b]; ok {
			if ctx, ok := h.vars[v]; ok && ctx.kind == sendSpawn {
				b.send, b.why = true, fmt.Sprintf("the async block `%s` is %s", v.name, ctx.blockWhy())
				continue
			}
		}
		if outer := outers[b]; outer != nil && outer.send && !local[b] {
			b.send, b.why = true, outer.why
		}
	}
	if allAsync {
		for _, b := range bodies {
			if !b.send {
				b.send, b.why = true, "--all-async"
			}
		}
	}
	return &bodyScan{bodies: bodies, fns: h.fns, fx: m.fx}
}

// noteAmbiguous adds to each proposal the note of the innermost body
// around its position (asyncBody.note): an ambiguous call that would have
// made that body Send-required.
func noteAmbiguous(bodies []*asyncBody, props []proposal) {
	for i := range props {
		off := props[i].f.Pos.Offset
		var in *asyncBody
		for _, b := range bodies {
			if int(b.node.StartByte()) <= off && off < int(b.node.EndByte()) {
				in = b // bodies are in source order: the last is the innermost
			}
		}
		if in != nil && in.note != "" {
			props[i].f.Notes = append(props[i].f.Notes, in.note)
		}
	}
}

// rangeKey identifies a node by its byte range.
func rangeKey(n *sitter.Node) [2]uint32 { return [2]uint32{n.StartByte(), n.EndByte()} }

// fnVar is a local binding of a fn: futures handed over through a
// variable (`let fut = async {..}; tokio::spawn(fut);`) are matched by
// name within one fn.
type fnVar struct {
	fn   uint32
	name string
}

// fnOf returns the start of the fn item that the walk is in, or 0.
func fnOf(up *ancestors) uint32 {
	for i := len(up.nodes) - 1; i >= 0; i-- {
		if up.types[i] == "function_item" {
			return up.nodes[i].StartByte()
		}
	}
	return 0
}
