package patterns

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

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
}

// spawnKind classifies a call by what it does with a future argument.
type spawnKind int

const (
	notSpawn  spawnKind = iota
	sendSpawn           // tokio::spawn and friends: the future must be Send
	localRun            // spawn_local, block_on, run_until: no Send bound
)

// tokioSpawnImport matches `use tokio::spawn;`, `use tokio::task::spawn;`
// and groups that import the bare name `spawn` from tokio.
var tokioSpawnImport = regexp.MustCompile(`^use\s+(::)?tokio::(task::)?(spawn\b|\{[^}]*\bspawn\b)`)

// bareSpawnIsTokio reports whether the file imports a bare `spawn` from
// tokio (as opposed to std::thread::spawn, which takes a closure).
func bareSpawnIsTokio(src []byte, root *sitter.Node) bool {
	for _, c := range namedChildren(root) {
		if c.Type() == "use_declaration" && tokioSpawnImport.MatchString(strings.Join(strings.Fields(text(src, c)), " ")) {
			return true
		}
	}
	return false
}

// classifyCall says whether call (a call_expression) spawns its future
// argument on a multi-threaded runtime, runs it locally, or neither.
func classifyCall(src []byte, call *sitter.Node, bareTokio bool) spawnKind {
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function") // `tokio::spawn::<_>(..)`
	}
	if fn == nil {
		return notSpawn
	}
	var last, full string
	switch fn.Type() {
	case "identifier":
		last, full = text(src, fn), text(src, fn)
	case "scoped_identifier":
		last, full = text(src, fn.ChildByFieldName("name")), strings.Join(strings.Fields(text(src, fn)), "")
	case "field_expression":
		last = text(src, fn.ChildByFieldName("field"))
		full = "." + last
	default:
		return notSpawn
	}
	return spawnKindOfPath(last, full, bareTokio)
}

// spawnKindOfPath is classifyCall on a callee's last name and its path:
// "name", "a::b::name" (spaces removed) or ".name" for a method. The
// lexer's reading of a file (lexfile.go) classifies calls with it too.
func spawnKindOfPath(last, full string, bareTokio bool) spawnKind {
	switch last {
	case "spawn_local", "block_on", "run_until":
		return localRun
	case "spawn", "spawn_on":
		switch {
		case full == ".spawn" || full == ".spawn_on":
			// Handle::spawn, Runtime::spawn, JoinSet::spawn(_on),
			// task::Builder::spawn(_on): all need Send futures.
			return sendSpawn
		case full == "spawn":
			if bareTokio {
				return sendSpawn
			}
		case strings.HasPrefix(full, "tokio::") || strings.HasPrefix(full, "::tokio::") || full == "task::spawn":
			return sendSpawn
		}
	}
	return notSpawn
}

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
func spawnArg(call *sitter.Node) *sitter.Node {
	args := call.ChildByFieldName("arguments")
	if args == nil {
		return nil
	}
	for _, a := range namedChildren(args) {
		// A comment before the future is a named child too.
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
// bodies before the ones nested in them, and decides which must be Send:
//   - an async block passed to a Send spawn (tokio::spawn, task::spawn, a
//     bare `spawn` imported from tokio, Handle/Runtime/JoinSet/Builder
//     `.spawn`/`.spawn_on`), directly or through a `let fut = async ..;`
//     binding of the same fn;
//   - an async fn the Index says is spawned, or awaited (transitively)
//     from a Send-required future, in any of the files given;
//   - an async block nested in a Send-required body, unless it is handed
//     to spawn_local, block_on or run_until (which need no Send);
//   - with allAsync, every async body.
//
// idx answers for async fns spawned or awaited from other files; path is
// the file's, as the Index knows it.
func findBodies(path string, src []byte, root *sitter.Node, idx *Index, allAsync bool) []*asyncBody {
	bare := bareSpawnIsTokio(src, root)
	var bodies []*asyncBody
	byStart := map[[2]uint32]*asyncBody{}
	key := func(n *sitter.Node) [2]uint32 { return [2]uint32{n.StartByte(), n.EndByte()} }
	enclosing := func(up *ancestors) *asyncBody {
		for i := len(up.nodes) - 1; i >= 0; i-- {
			switch up.types[i] {
			case "async_block", "function_item":
				return byStart[key(up.nodes[i])]
			case "closure_expression":
				// A sync closure is its own context: no await in it
				// belongs to the enclosing future.
				return nil
			}
		}
		return nil
	}
	// Futures spawned through a variable: `let fut = async {..};
	// tokio::spawn(fut);`, matched by name within one fn.
	type fnVar struct {
		fn   uint32
		name string
	}
	fnOf := func(up *ancestors) uint32 {
		for i := len(up.nodes) - 1; i >= 0; i-- {
			if up.types[i] == "function_item" {
				return up.nodes[i].StartByte()
			}
		}
		return 0
	}
	spawnedVars := map[fnVar]int{} // -> line of the spawn
	boundBlocks := map[*asyncBody]fnVar{}
	kinds := map[*asyncBody]spawnKind{}
	outers := map[*asyncBody]*asyncBody{}
	may := mayHoldBody(src)
	walkTyped(root, func(n *sitter.Node, typ string, up *ancestors) bool {
		if !may(n) {
			return false
		}
		switch typ {
		case "call_expression":
			if classifyCall(src, n, bare) == sendSpawn {
				if a := unparen(spawnArg(n)); a != nil && a.Type() == "identifier" {
					spawnedVars[fnVar{fnOf(up), text(src, a)}] = lineOf(src, int(n.StartByte()))
				}
			}
		case "function_item":
			if !isAsyncFn(src, n) {
				return true
			}
			b := &asyncBody{node: n, block: n.ChildByFieldName("body"), name: fnName(src, n)}
			b.fn = b.name
			if b.block == nil {
				return true
			}
			if why, ok := idx.sendFn(path, fnKeyOf(src, n, up)); ok {
				b.send = true
				b.why = fmt.Sprintf("async fn `%s` must be Send: %s", b.name, why)
			}
			bodies = append(bodies, b)
			byStart[key(n)] = b
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
			call, kind := spawnerIn(src, n, up, bare)
			kinds[b] = kind
			if kind == sendSpawn {
				b.send, b.why = true, fmt.Sprintf("the async block is spawned at line %d", lineOf(src, int(call.StartByte())))
			}
			if p, pt := up.parent(); pt == "let_declaration" {
				if pat := p.ChildByFieldName("pattern"); pat != nil && pat.Type() == "identifier" {
					boundBlocks[b] = fnVar{fnOf(up), text(src, pat)}
				}
			}
			bodies = append(bodies, b)
			byStart[key(n)] = b
		}
		return true
	})
	// Outer bodies come first, so one pass in order settles inheritance.
	for _, b := range bodies {
		if b.node.Type() != "async_block" || b.send {
			continue
		}
		if v, ok := boundBlocks[b]; ok {
			if line, ok := spawnedVars[v]; ok {
				b.send, b.why = true, fmt.Sprintf("the async block `%s` is spawned at line %d", v.name, line)
				continue
			}
		}
		if outer := outers[b]; outer != nil && outer.send && kinds[b] != localRun {
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
	return bodies
}

// spawnerOf returns the call that receives the async block n as its
// future argument (through `move`, parentheses), and what kind it is.
func spawnerOf(src []byte, n *sitter.Node, bareTokio bool) (*sitter.Node, spawnKind) {
	p := n.Parent()
	for p != nil && p.Type() == "parenthesized_expression" {
		p = p.Parent()
	}
	if p == nil || p.Type() != "arguments" {
		return nil, notSpawn
	}
	call := p.Parent()
	if call == nil || call.Type() != "call_expression" {
		return nil, notSpawn
	}
	return spawnKindOf(src, call, n, bareTokio)
}

// spawnerIn is spawnerOf for a node whose ancestors a walk gives.
func spawnerIn(src []byte, n *sitter.Node, up *ancestors, bareTokio bool) (*sitter.Node, spawnKind) {
	i := len(up.types) - 1
	for i >= 0 && up.types[i] == "parenthesized_expression" {
		i--
	}
	if i < 1 || up.types[i] != "arguments" || up.types[i-1] != "call_expression" {
		return nil, notSpawn
	}
	return spawnKindOf(src, up.nodes[i-1], n, bareTokio)
}

// spawnKindOf classifies call, whose arguments hold n, when n is (in
// parentheses) the future it spawns or runs.
func spawnKindOf(src []byte, call, n *sitter.Node, bareTokio bool) (*sitter.Node, spawnKind) {
	if a := unparen(spawnArg(call)); a == nil || !contains(a, n) {
		return nil, notSpawn
	}
	return call, classifyCall(src, call, bareTokio)
}
