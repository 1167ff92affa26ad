package patterns

import "bytes"

// Summary is what one file contributes to the cross-file Index, read from
// its tokens (Summarize): its fns, the calls its async bodies await and
// its spawns spawn, and its imports; and, from a parse, the fns declared
// to return a lock guard (GuardFns). The file's bytes and tokens are not
// kept.
type Summary struct {
	Path string
	// GuardFns maps the fns (free or methods) declared to return a lock
	// guard (`MutexGuard<..>`, `RwLockReadGuard<..>`, `RwLockWriteGuard<..>`)
	// to that guard type. Keys say the declaration's shape (see
	// guardDeclKey): "name" for a free fn, "Type::name" for an associated
	// fn, "Type.name" for a method; calls are matched by that shape.
	GuardFns map[string]string

	fns   []lexFn   // the fns with a body, outside macros
	calls []sumCall // the awaited and spawned calls that carry a Send requirement
	uses  []lexUse  // the names imports bring in
	types []string  // the names the file declares types and traits by (when tokens is true)
	// tokens: the file was read into tokens (it spells async, spawn or
	// a hand-off's words), so types holds every name it declares.
	tokens bool
	mods   []string // the paths of its inline modules
	words  []uint64 // wordHash of its identifiers starting with an upper-case letter
	// typeDefs are the file's struct, enum, alias and trait definitions
	// (tokenTypeDefs), for rc-arc's Send by containment; read only from
	// a file that spells what may make a type not Send (mayDeclareNotSend).
	typeDefs map[string][]*typeDef
	// reread, for a file summarized by SummarizeLater, gives its bytes
	// again: when the Index is first asked for a type of its crate
	// (Index.typeDefs), and when the schedule parses it for its hand-offs
	// (ReadHandOffs).
	reread func() ([]byte, error)
	// handLater: the file may hand a fn to a Send context other than a
	// spawn (fileSyntax.mayHandOff) and was not parsed for those yet;
	// handCalls are the calls such a hand-off may make (regionCalls),
	// or nil for any call.
	handLater bool
	handCalls []lexCall

	// What the second look needs to know before reading the file again
	// (Index.MayNeedLook): each async body, Send-required whatever the
	// Index (root) or sharing fns[via]'s requirement; whether the reading
	// has loose spans or unbalanced brackets.
	bodies     []sumBody
	loose      bool
	unbalanced bool
}

// sumBody is an async body as the second look needs it.
type sumBody struct {
	root bool
	via  int32
}

// Kinds of sumCall.
const (
	fromFn      = iota // awaited in the body of fns[from] (or a block that shares its requirement)
	fromSpawn          // passed to a spawn: `tokio::spawn(handle(conn))`
	fromSpawned        // awaited in a spawned async block
)

// sumCall is a call whose future must be Send when its caller's must
// (fromFn), or always (fromSpawn, fromSpawned).
type sumCall struct {
	lexCall
	kind uint8
	from int32 // the lexFn awaiting it, for fromFn
	// why: for fromSpawn, the Send context when it is no spawn (a Send
	// bound, a Send box: handoffCalls).
	why string
}

// Summarize reads src's tokens (no parse) and returns its contribution to
// the Index; a file that may hand a fn to a Send context other than a
// spawn (mayHandOffFns) is parsed for those (handoffCalls). A file that
// holds none of the words `async`, `spawn` and `spawn_on`, and hands no
// fn over, contributes its path alone (the Index places files in crates
// and modules by their paths).
func Summarize(path string, src []byte) *Summary {
	return summarize(path, src, nil)
}

// SummarizeLater is Summarize from the tokens alone: what needs more is
// put off, and reread gives the file's bytes again when it is needed:
//   - the type definitions, when the Index is first asked for a type of
//     the file's crate, which only rc-arc does, on the few files it looks
//     at (most files spell a word of what may make a type not Send, `dyn`
//     or a raw pointer, and reading their definitions is another pass
//     over their tokens);
//   - the fns it hands to a Send context other than a spawn, which need a
//     parse: ReadHandOffs, for the files HandOffGate names.
func SummarizeLater(path string, src []byte, reread func() ([]byte, error)) *Summary {
	return summarize(path, src, reread)
}

func summarize(path string, src []byte, reread func() ([]byte, error)) *Summary {
	s := &Summary{Path: path, reread: reread}
	body := bytes.TrimPrefix(src, bom)
	if reread == nil && mayDeclareNotSend(body) { // else asked when the types are read
		s.typeDefs = tokenTypeDefs(body, path)
	}
	if !hasWord(body, kwAsync) && !hasWord(body, kwSpawn) && !hasWord(body, kwSpawnOn) && !mayHandOffFns(body) {
		return s // no async fn, async block, spawn or other Send context
	}
	fs := readFile(body)
	defer fs.release()
	s.fns, s.uses, s.types, s.mods, s.words, s.tokens = fs.fns, fs.uses, fs.types, fs.mods, fs.words, true
	s.loose, s.unbalanced = len(fs.loose) > 0, !fs.balanced
	s.bodies = make([]sumBody, len(fs.bodies))
	for i, b := range fs.bodies {
		s.bodies[i] = sumBody{b.root || b.handOff, b.via}
	}
	for _, c := range fs.calls {
		sc := sumCall{lexCall: c, from: -1}
		switch {
		case c.body < 0:
			sc.kind = fromSpawn
		case fs.bodies[c.body].root:
			sc.kind = fromSpawned
		case fs.bodies[c.body].via >= 0:
			sc.kind, sc.from = fromFn, fs.bodies[c.body].via
		default:
			continue // a body that no async fn's requirement reaches
		}
		s.calls = append(s.calls, sc)
	}
	if fs.mayHandOff() {
		if reread == nil {
			s.calls = append(s.calls, handoffCalls(body)...)
		} else {
			s.handLater, s.handCalls = true, fs.handCalls
		}
	}
	return s
}

// Summarize returns src's contribution to the Index: the package's
// Summarize, with the guard-returning fns of a parse when the file names a
// guard type; only the path for a file over Config.MaxFileSize, which is
// not analysed.
func (e *Engine) Summarize(path string, src []byte) *Summary {
	if e.tooLarge(src) {
		return &Summary{Path: path}
	}
	s := Summarize(path, src)
	if g := e.GuardSummary(path, src); len(g.GuardFns) > 0 {
		s.GuardFns = g.GuardFns
	}
	return s
}

// merge returns s with the guard-returning fns of g (a GuardSummary of the
// same file).
func (s *Summary) merge(g *Summary) *Summary {
	if g != nil && len(g.GuardFns) > 0 {
		s.GuardFns = g.GuardFns
	}
	return s
}
