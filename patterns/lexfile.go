package patterns

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"

	sitter "github.com/smacker/go-tree-sitter"
)

// A file read from its tokens, without parsing: its items (modules, impls,
// traits, fns), its async bodies and what each awaits, its spawns and its
// imports. The cross-file Index is built from these readings of every
// file (Summarize), and the prefilter asks them which async bodies may
// have to be Send (Index.MayMatch). The structure is the parser's where
// it matters, checked against it on every golden input and corpus file
// (lexfile_test.go): every async fn gets the key fnKeyOf gives its
// function_item, and every body findBodies takes for Send-required is one
// the reading may take for Send-required.

// token is one token of a file: an identifier or keyword (tokIdent), a
// punctuation byte (tokPunct; a lifetime's quote is one) or a literal
// (tokLit: a string, a character, a number). Whitespace and comments are
// not tokens.
type token struct {
	kind uint8
	s, e int32
	up   int32 // the innermost open bracket around the token; -1
}

// tokLit is the kind of a literal token; lexToken calls literals tokSkip.
const tokLit = tokPunct + 1

// Roles of a bracket in the file's structure.
const (
	roleGroup   = iota // any other bracket
	roleMod            // `mod name { .. }`
	roleImpl           // the body of an impl
	roleTrait          // the body of a trait
	roleFn             // a fn's body
	roleAsync          // an async block's braces
	roleClosure        // a closure's body: braces, or the expression (kind 'c')
	roleMacro          // a macro invocation's or definition's brackets
)

// lexFn is a fn item with a body, outside macros.
type lexFn struct {
	sig    [2]int32 // bytes from `fn` to the body's `{`
	name   string   // without a raw prefix
	key    string   // fnKey of its mods, owner and name
	mods   string   // the inline modules around it, "a::b"
	owner  string   // the impl's type or the trait's name it is written right in
	trait  string   // the trait of the impl it is written in (`impl Trait for T`)
	async  bool
	method bool // its first parameter is self
}

// lexBody is an async body: an async fn's or an async block's braces.
type lexBody struct {
	open, close int32 // token indexes of its braces
	fn          int32 // the lexFn it is the body of; -1 for an async block
	// parent is the async body it is written in, when no fn or closure
	// lies between them (the tree's enclosing); -1 when none.
	parent int32
	// callee is the spawn or run call the block is the first argument of
	// (its path as classifyCall spells it); kind is set after the walk.
	last, full string
	spawn      spawnKind
	bind       string // `let NAME = async ..`: NAME
	fnScope    int32  // open brace of the fn body it is written in (fnOf); -1
	// root: Send-required whatever the Index says (spawned, or inside a
	// spawned body); via: otherwise, the async fn whose Send requirement
	// it shares, or -1.
	root bool
	via  int32
	// handOff: the tree's Send-context model may take it for
	// Send-required where no spawn shows (markHandOffs).
	handOff bool
}

// lexCall is a call whose future is awaited in an async body, or spawned.
type lexCall struct {
	body  int32 // the lexBody it is awaited in; -1 for a spawned call
	shape callShape
	mods  string // the inline modules around it
	owner string // the impl's type or trait's name around it (for self, Self)
	trait string
	line  int32 // 1-based
}

// Call shapes.
const (
	callBare = iota // name(..)
	callPath        // a::b::name(..), Self::name(..), Type::name(..)
	callSelf        // self.name(..)
	callRecv        // x.name(..), x.y().name(..): a receiver of unknown type
)

// callShape is how a call names its fn: the path's segments, the name
// last (raw prefixes removed; a leading "::" kept as a segment).
type callShape struct {
	kind uint8
	segs []string
}

func (c callShape) name() string { return c.segs[len(c.segs)-1] }

// lexUse is one name a `use` brings in: alias for path (the item last), or
// every item of the module path (glob).
type lexUse struct {
	mods  string
	alias string
	path  []string
	glob  bool
}

// lexSpawnVar is `spawn(NAME)` inside the fn body opened at fnScope.
type lexSpawnVar struct {
	fnScope int32
	name    string
}

// fileSyntax is what the token walk reads of one file.
type fileSyntax struct {
	buf      *tokenBuf
	src      []byte
	toks     []token
	pair     []int32 // for each bracket token, its partner's index; else -1
	balanced bool

	fns    []lexFn
	bodies []lexBody
	calls  []lexCall
	uses   []lexUse
	types  []string // names after struct, enum, union, type, trait
	mods   []string // the inline modules' paths, "a", "a::b"
	words  []uint64 // wordHash of its distinct identifiers starting with an upper-case letter
	bare   bool     // a top-level `use` imports tokio's bare spawn
	awaits []int32  // offsets of the `await` keywords
	// loose are spans an async body may lie in that the walk reads as no
	// body (an async closure, which the grammar does not know): from the
	// keyword to the end of the bracket it is written in.
	loose [][2]int32
	// vars are the futures spawned by name, with their spawns' callees;
	// spawned are the calls passed to a spawn: both are kept until the
	// imports tell which spawns are tokio's (settle).
	vars      []lexSpawnVar
	varCallee [][2]string
	spawned   []spawnedCall
	// slots: the token twin of the hand-offs (readSendSlots) found a
	// place where the model may hand a future to a Send context other
	// than a spawn; without one, handoffCalls finds no fn handed over.
	slots bool
	// handCalls: the calls a hand-off of its slots may name, as the
	// parse would shape them (regionCalls); nil when the reading is
	// unsure (unbalanced brackets): any call.
	handCalls []lexCall
	// scopes are the modules, impls and traits the walk opened, in order
	// (scopeAt).
	scopes []scopeSpan
	// macroImported: awaitMacroImported's answers, by macro name.
	macroImported map[string]bool
}

// scopeSpan is a module's, impl's or trait's braces, open to close.
type scopeSpan struct {
	open, close int32
	role        uint8
	name, trait string
}

// scopeAt returns the inline modules around token k and the impl's type
// and trait (a trait's name twice in its own body) of the innermost impl
// or trait around it: what the walk records for a call at k (addCall).
func (fs *fileSyntax) scopeAt(k int32) (mods, owner, trait string) {
	for _, s := range fs.scopes {
		if s.open >= k {
			break
		}
		if k >= s.close {
			continue
		}
		switch s.role {
		case roleMod:
			mods = join(mods, s.name)
		case roleImpl:
			owner, trait = s.name, s.trait
		case roleTrait:
			owner, trait = s.name, s.name
		}
	}
	return mods, owner, trait
}

// frame is an open bracket of the walk, or a closure's expression body.
type frame struct {
	open  int32 // token index of the bracket; -1 for a closure expression
	kind  byte  // '{', '(', '[', or 'c' for a closure expression
	role  uint8
	name  string // a module's name, an impl's type, a trait's name
	trait string // an impl's trait
	body  int32  // the lexBody of an async fn's body or an async block; -1
	macro bool   // in a macro's tokens (this bracket or an outer one)
	mods  string // the inline modules around what the bracket holds, "a::b"
	item  int32  // the innermost module, impl, trait or fn frame (this one or outer); -1
}

// pending is the role the walk gives a bracket it will reach, decided by
// the tokens before it (`mod m`, an impl header, a fn signature).
type pending struct {
	role        uint8
	name, trait string
	body        int32
}

// wordHash is the 64-bit FNV-1a hash of an identifier: the Index asks
// whether a file spells a type's name (Summary.spells) of hashes, which
// cost no allocation per word; a collision only lets a match through.
func wordHash(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// fnKey is the key of an async fn in its file: its inline modules, the
// impl type or trait it is written in, and its name.
func fnKey(mods, owner, name string) string { return mods + "|" + owner + "|" + name }

// lexTokens splits src into tokens and pairs its brackets.
func lexTokens(src []byte) *fileSyntax {
	fs := &fileSyntax{src: src, balanced: true}
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom)
	}
	i = skipShebang(src, i)
	buf, _ := tokenBufs.Get().(*tokenBuf)
	if buf == nil {
		buf = &tokenBuf{}
	}
	if want := len(src)/4 + 8; cap(buf.toks) < want {
		buf.toks, buf.pair = make([]token, 0, want), make([]int32, 0, want)
	}
	fs.buf, fs.toks, fs.pair = buf, buf.toks[:0], buf.pair[:0]
	stack := buf.stack[:0]
	defer func() { buf.stack = stack[:0] }()
	for i < len(src) {
		c := src[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' {
			i++
			continue
		}
		// An ASCII word not followed by what makes it special (a raw
		// string or identifier, a byte literal, a non-ASCII letter) needs
		// none of lexToken's cases.
		if asciiWord[c] {
			j := i + 1
			for j < len(src) && asciiWord[src[j]] {
				j++
			}
			if j == len(src) || src[j] < 0x80 && src[j] != '"' && src[j] != '#' && src[j] != '\'' {
				t := uint8(tokIdent)
				if c <= '9' {
					t = tokLit // a number
				}
				fs.toks = append(fs.toks, token{t, int32(i), int32(j), top(stack)})
				fs.pair = append(fs.pair, -1)
				i = j
				continue
			}
		}
		t, j := lexToken(src, i)
		if t == tokSkip {
			c := src[i]
			switch {
			case c == '\'' && j == i+1:
				t = tokPunct // a lifetime's quote
			case c == '"' || c == '\'' || c >= '0' && c <= '9' || isIdentByte(c) && c < 0x80:
				t = tokLit
			}
		}
		if t != tokSkip {
			n := int32(len(fs.toks))
			fs.toks = append(fs.toks, token{uint8(t), int32(i), int32(j), top(stack)})
			fs.pair = append(fs.pair, -1)
			if t == tokPunct {
				switch c := src[i]; c {
				case '(', '[', '{':
					stack = append(stack, n)
				case ')', ']', '}':
					open := byte('(')
					if c != ')' {
						open = c - 2 // '[' and '{' are 2 before ']' and '}'
					}
					if len(stack) == 0 || src[fs.toks[stack[len(stack)-1]].s] != open {
						fs.balanced = false
						break
					}
					o := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					fs.pair[o], fs.pair[n] = n, o
				}
			}
		}
		i = j
	}
	if len(stack) > 0 {
		fs.balanced = false
	}
	return fs
}

// asciiWord holds the ASCII bytes of identifiers and numbers.
var asciiWord = func() (w [256]bool) {
	for c := 0; c < 0x80; c++ {
		w[c] = isIdentByte(byte(c))
	}
	return w
}()

// top returns the last element of stack, or -1.
func top(stack []int32) int32 {
	if len(stack) == 0 {
		return -1
	}
	return stack[len(stack)-1]
}

// tokenBufs recycles the token slices of readings: a run reads thousands
// of files, one at a time per worker, and keeps none of their tokens.
var tokenBufs sync.Pool

// tokenBuf is the storage of a reading's tokens.
type tokenBuf struct {
	toks  []token
	pair  []int32
	stack []int32
}

// release gives the reading's token storage back for the next file; fs
// must not be used after.
func (fs *fileSyntax) release() {
	if fs.buf == nil {
		return
	}
	fs.buf.toks, fs.buf.pair = fs.toks[:0], fs.pair[:0]
	tokenBufs.Put(fs.buf)
	fs.buf, fs.toks, fs.pair = nil, nil, nil
}

// text of token k.
func (fs *fileSyntax) text(k int32) string {
	t := fs.toks[k]
	return string(fs.src[t.s:t.e])
}

// is reports whether token k exists and is the punctuation c.
func (fs *fileSyntax) is(k int32, c byte) bool {
	return k >= 0 && int(k) < len(fs.toks) && fs.toks[k].kind == tokPunct && fs.src[fs.toks[k].s] == c
}

// word reports whether token k exists and is the identifier w.
func (fs *fileSyntax) word(k int32, w string) bool {
	if k < 0 || int(k) >= len(fs.toks) || fs.toks[k].kind != tokIdent {
		return false
	}
	t := fs.toks[k]
	return string(fs.src[t.s:t.e]) == w
}

// ident returns the identifier at k without a raw prefix, or "".
func (fs *fileSyntax) ident(k int32) string { return string(fs.identBytes(k)) }

// identBytes is ident without the string: the identifier's bytes in the
// source, or nil when k is no identifier.
func (fs *fileSyntax) identBytes(k int32) []byte {
	if k < 0 || int(k) >= len(fs.toks) || fs.toks[k].kind != tokIdent {
		return nil
	}
	t := fs.toks[k]
	w := fs.src[t.s:t.e]
	if len(w) > 2 && w[0] == 'r' && w[1] == '#' {
		w = w[2:]
	}
	return w
}

// itemName returns the name an item declares at token k, and the index
// after it: an identifier without its raw prefix, or a macro's
// metavariable `$name`, which the grammar reads as a name too; "" when k
// holds no name.
func (fs *fileSyntax) itemName(k int32) (string, int32) {
	if fs.is(k, '$') && int(k+1) < len(fs.toks) && fs.toks[k+1].kind == tokIdent && fs.toks[k].e == fs.toks[k+1].s {
		return "$" + fs.text(k+1), k + 2
	}
	return fs.ident(k), k + 1
}

// colons reports whether tokens k-1 and k are `::`.
func (fs *fileSyntax) colons(k int32) bool { return fs.is(k, ':') && fs.is(k-1, ':') }

// tokenAt returns the index of the token starting at byte off, or -1.
func (fs *fileSyntax) tokenAt(off int) int32 {
	k := sort.Search(len(fs.toks), func(i int) bool { return int(fs.toks[i].s) >= off })
	if k < len(fs.toks) && int(fs.toks[k].s) == off {
		return int32(k)
	}
	return -1
}

// readFile reads src's structure from its tokens (see fileSyntax).
func readFile(src []byte) *fileSyntax {
	fs := lexTokens(src)
	w := &walker{fs: fs, pend: map[int32]pending{}, line: 1, words: wordBufs.Get().([]uint64)}
	w.run()
	fs.settle()
	fs.markHandOffs()
	return fs
}

// walker is the state of the token walk.
type walker struct {
	fs      *fileSyntax
	stack   []frame
	pend    map[int32]pending
	line    int32 // the line of lineOff
	lineOff int32
	words   []uint64 // the wordHash of each identifier starting with an upper-case letter
}

// inMacro reports whether the walk is inside a macro's tokens.
func (w *walker) inMacro() bool { return len(w.stack) > 0 && w.stack[len(w.stack)-1].macro }

// scope returns the inline modules and the impl or trait the next item
// is written right in: owner is the innermost of the module, impl, trait
// and fn frames when it is an impl or a trait (fnKeyOf's rule).
func (w *walker) scope() (mods, owner, trait string) {
	if len(w.stack) == 0 {
		return "", "", ""
	}
	top := &w.stack[len(w.stack)-1]
	if top.item >= 0 {
		if f := &w.stack[top.item]; f.role == roleImpl || f.role == roleTrait {
			owner, trait = f.name, f.trait
		}
	}
	return top.mods, owner, trait
}

// push opens frame f, inheriting the scope of the frame around it.
func (w *walker) push(f frame) {
	f.item = -1
	if n := len(w.stack); n > 0 {
		f.mods, f.item = w.stack[n-1].mods, w.stack[n-1].item
	}
	switch f.role {
	case roleMod:
		f.mods = join(f.mods, f.name)
		fallthrough
	case roleImpl, roleTrait, roleFn:
		f.item = int32(len(w.stack))
	}
	w.stack = append(w.stack, f)
}

// boundary returns the innermost fn body, async body or closure around
// the walk: the future (or sync context) an await there belongs to. It
// returns the lexBody, or -1 when that boundary is no async body.
func (w *walker) boundary() int32 {
	for k := len(w.stack) - 1; k >= 0; k-- {
		switch f := &w.stack[k]; f.role {
		case roleFn, roleAsync:
			return f.body
		case roleClosure:
			return -1
		}
	}
	return -1
}

// fnScope returns the open brace of the innermost fn body, or -1.
func (w *walker) fnScope() int32 {
	for k := len(w.stack) - 1; k >= 0; k-- {
		if w.stack[k].role == roleFn {
			return w.stack[k].open
		}
	}
	return -1
}

// lineOf returns the 1-based line of token k; the walk asks in token
// order, so the count goes on from the last token asked about.
func (w *walker) lineOf(k int32) int32 {
	off := w.fs.toks[k].s
	w.line += int32(bytes.Count(w.fs.src[w.lineOff:off], []byte("\n")))
	w.lineOff = off
	return w.line
}

func (w *walker) run() {
	fs := w.fs
	n := int32(len(fs.toks))
	for k := int32(0); k < n; k++ {
		t := fs.toks[k]
		switch t.kind {
		case tokPunct:
			k = w.punct(k)
		case tokIdent:
			w.identTok(k)
		}
	}
	slices.Sort(w.words)
	fs.words = slices.Clone(slices.Compact(w.words))
	wordBufs.Put(w.words[:0])
}

// wordBufs recycles the walk's words: a sum keeps them distinct, a file
// spells them many times.
var wordBufs = sync.Pool{New: func() any { return []uint64(nil) }}

// punct handles the punctuation token k and returns the index of the
// last token it consumed.
func (w *walker) punct(k int32) int32 {
	fs := w.fs
	c := fs.src[fs.toks[k].s]
	switch c {
	case '{', '(', '[':
		f := frame{open: k, kind: c, body: -1, macro: w.inMacro()}
		if p, ok := w.pend[k]; ok {
			delete(w.pend, k)
			f.role, f.name, f.trait, f.body = p.role, p.name, p.trait, p.body
		} else if fs.is(k-1, '!') && fs.ident(k-2) != "" && !keywords[fs.text(k-2)] ||
			fs.is(k-2, '!') && fs.word(k-3, "macro_rules") {
			f.role = roleMacro
		}
		if f.role == roleMacro {
			f.macro = true
		}
		if f.role == roleAsync || f.role == roleFn && f.body >= 0 {
			fs.bodies[f.body].open = k
		}
		if f.role == roleMod || f.role == roleImpl || f.role == roleTrait {
			fs.scopes = append(fs.scopes, scopeSpan{k, fs.pair[k], f.role, f.name, f.trait})
		}
		w.push(f)
	case ')', ']', '}':
		for len(w.stack) > 0 && w.stack[len(w.stack)-1].kind == 'c' {
			w.stack = w.stack[:len(w.stack)-1]
		}
		if len(w.stack) > 0 {
			f := w.stack[len(w.stack)-1]
			w.stack = w.stack[:len(w.stack)-1]
			if f.body >= 0 && (f.role == roleAsync || f.role == roleFn) {
				fs.bodies[f.body].close = k
			}
		}
	case ',', ';':
		for len(w.stack) > 0 && w.stack[len(w.stack)-1].kind == 'c' {
			w.stack = w.stack[:len(w.stack)-1]
		}
	case '|':
		return w.closure(k)
	}
	return k
}

// closureStart reports whether a `|` at k opens a closure's parameters:
// it stands where an expression starts, never after an operand.
func (w *walker) closureStart(k int32) bool {
	fs := w.fs
	if k == 0 {
		return true
	}
	p := fs.toks[k-1]
	switch p.kind {
	case tokIdent:
		switch fs.text(k - 1) {
		case "move", "return", "break", "async", "static":
			return true
		}
		return false
	case tokPunct:
		switch fs.src[p.s] {
		case '(', '[', '{', ',', ';', '=', ':', '&':
			return true
		case '>':
			return fs.is(k-2, '=') // `=>`
		}
	}
	return false
}

// closure handles a `|` at k: when it opens a closure's parameters, the
// closure's body becomes a frame (a brace's role, or an expression frame
// ending at the next `,` or `;` or closing bracket). It returns the last
// token consumed.
func (w *walker) closure(k int32) int32 {
	fs := w.fs
	if !w.closureStart(k) {
		return k
	}
	end := int32(-1)
	if fs.is(k+1, '|') {
		end = k + 1
	} else {
		for j := k + 1; int(j) < len(fs.toks); j++ {
			if j-k > maxGenerics || fs.is(j, ';') || fs.is(j, '{') || fs.is(j, ')') || fs.is(j, ']') || fs.is(j, '}') {
				return k // no closure
			}
			if fs.pair[j] > j {
				j = fs.pair[j] // a tuple or slice pattern
				continue
			}
			if fs.is(j, '|') {
				end = j
				break
			}
		}
	}
	if end < 0 {
		return k
	}
	b := end + 1
	if fs.is(b, '-') && fs.is(b+1, '>') {
		// A return type: the body is a block.
		for b += 2; int(b) < len(fs.toks) && !fs.is(b, '{') && !fs.is(b, ';'); b++ {
			if fs.pair[b] > b && !fs.is(b, '{') {
				b = fs.pair[b]
			}
		}
	}
	if fs.is(b, '{') {
		w.pend[b] = pending{role: roleClosure, body: -1}
		return end
	}
	w.push(frame{open: -1, kind: 'c', role: roleClosure, body: -1, macro: w.inMacro()})
	return end
}

// identTok handles the identifier or keyword at k.
func (w *walker) identTok(k int32) {
	fs := w.fs
	t := fs.toks[k]
	if c := fs.src[t.s]; c >= 'A' && c <= 'Z' {
		w.words = append(w.words, wordHash(fs.src[t.s:t.e])) // made distinct after the walk
	}
	switch string(fs.src[t.s:t.e]) {
	case "fn":
		w.fnItem(k)
	case "async":
		w.asyncTok(k)
	case "await":
		fs.awaits = append(fs.awaits, t.s)
		if fs.is(k-1, '.') {
			if b := w.boundary(); b >= 0 {
				if sh, ok := fs.callShapeEndingAt(k - 2); ok {
					w.addCall(b, sh, k)
				}
			}
		}
	case "join", "try_join", "select", "select_biased", "pending":
		if fs.awaitMacroTok(k) {
			fs.awaits = append(fs.awaits, t.s) // awaitMacro's twin
		}
	case "impl":
		if !w.inMacro() && (k == 0 || itemStart(fs.text(k-1))) {
			w.implItem(k)
		}
	case "trait":
		if !w.inMacro() {
			if name, next := fs.itemName(k + 1); name != "" {
				fs.types = append(fs.types, name)
				if brace := fs.headerEnd(next); fs.is(brace, '{') {
					w.pend[brace] = pending{role: roleTrait, name: name, body: -1}
				}
			}
		}
	case "mod":
		if name, next := fs.itemName(k + 1); name != "" && fs.is(next, '{') && !w.inMacro() {
			w.pend[next] = pending{role: roleMod, name: name, body: -1}
			mods, _, _ := w.scope()
			if mods != "" {
				name = mods + "::" + name
			}
			fs.mods = append(fs.mods, name)
		}
	case "struct", "enum", "union", "type":
		if name := fs.ident(k + 1); name != "" && !w.inMacro() {
			fs.types = append(fs.types, name)
		}
	case "use":
		if !w.inMacro() && (k == 0 || itemStart(fs.text(k-1)) || fs.is(k-1, ')')) {
			w.useItem(k)
		}
	case "spawn", "spawn_on":
		w.spawnCall(k)
	default:
		if fs.is(k-1, '(') {
			w.spawnVar(k)
		}
	}
}

// fnItem reads the fn whose `fn` keyword is at k.
func (w *walker) fnItem(k int32) {
	fs := w.fs
	name, next := fs.itemName(k + 1)
	if name == "" {
		return // a fn pointer type
	}
	async := false
	for q := k - 1; q >= 0; q-- {
		if fs.toks[q].kind == tokLit && fs.word(q-1, "extern") {
			continue // extern "C"
		}
		s := fs.ident(q)
		if s == "const" || s == "unsafe" || s == "extern" || s == "default" || s == "safe" {
			continue
		}
		async = s == "async"
		break
	}
	brace := fs.headerEnd(next)
	if !fs.is(brace, '{') {
		return // a declaration without a body
	}
	end := fs.toks[brace].s
	if w.inMacro() {
		w.pend[brace] = pending{role: roleFn, body: -1}
		return
	}
	mods, owner, trait := w.scope()
	f := lexFn{sig: [2]int32{fs.toks[k].s, end}, name: name, key: fnKey(mods, owner, name), mods: mods, owner: owner, trait: trait, async: async, method: fs.takesSelf(next)}
	fs.fns = append(fs.fns, f)
	body := int32(-1)
	if async {
		body = int32(len(fs.bodies))
		fs.bodies = append(fs.bodies, lexBody{fn: int32(len(fs.fns) - 1), parent: -1, fnScope: brace, via: -1})
	}
	w.pend[brace] = pending{role: roleFn, body: body}
}

// takesSelf reports whether the parameters after a fn's name (generics
// first, from token k) start with self: `self`, `&self`, `&'a mut self`,
// `mut self`, `self: Pin<&mut Self>`.
func (fs *fileSyntax) takesSelf(k int32) bool {
	if fs.is(k, '<') {
		k = fs.angleClose(k) + 1
	}
	if !fs.is(k, '(') {
		return false
	}
	k++
	if fs.is(k, '&') {
		k++
		if fs.is(k, '\'') {
			k += 2
		}
	}
	if fs.word(k, "mut") {
		k++
	}
	return fs.word(k, "self")
}

// headerEnd returns the index of the `{` or `;` that ends an item header
// starting at token k (an impl's, a trait's): the first outside
// brackets and generic angle brackets (bracketDepth's rule), or -1.
func (fs *fileSyntax) headerEnd(k int32) int32 {
	var d bracketDepth
	var m macroBang
	for ; int(k) < len(fs.toks); k++ {
		t := fs.toks[k]
		if t.kind == tokPunct && d.step(fs.src, int(t.s), m.open) && (fs.src[t.s] == '{' || fs.src[t.s] == ';') {
			return k
		}
		kind := int(t.kind)
		if kind == tokLit {
			kind = tokSkip
		}
		m.see(fs.src, kind, int(t.s), int(t.e))
	}
	return -1
}

// implItem reads the header of the impl at k.
func (w *walker) implItem(k int32) {
	fs := w.fs
	end := fs.headerEnd(k + 1)
	if !fs.is(end, '{') {
		return
	}
	// The trait is what comes before a top-level `for`, the type after.
	from, to := int(fs.toks[k].e), int(fs.toks[end].s)
	trait := ""
	if f := topFor(fs.src[from:to]); f >= 0 {
		trait = lastTopIdent(fs.src[from : from+f])
		from += f + len("for")
	}
	w.pend[end] = pending{role: roleImpl, name: lastTopIdent(fs.src[from:to]), trait: trait, body: -1}
}

// topFor returns the offset of a `for` keyword outside angle brackets and
// parentheses in an impl header, or -1.
func topFor(h []byte) int {
	at := -1
	walkTop(h, func(i, j int) bool {
		if string(h[i:j]) == "for" {
			at = i
			return false
		}
		return true
	})
	return at
}

// lastTopIdent returns the last identifier of a type outside angle
// brackets, parentheses and brackets, before a `where`, that is no
// keyword of a type (`dyn`, `mut`, `const`, `unsafe`): the name the
// type's impls are keyed by (`Foo` of `&'a mut foo::Foo<T>`), or "".
func lastTopIdent(h []byte) string {
	last := ""
	walkTop(h, func(i, j int) bool {
		switch w := string(h[i:j]); w {
		case "where":
			return false
		case "dyn", "mut", "const", "unsafe", "for", "impl":
		default:
			last = strings.TrimPrefix(w, "r#")
		}
		return true
	})
	return last
}

// walkTop calls f on each identifier of h outside brackets and angle
// brackets (bracketDepth's rule), until f returns false.
func walkTop(h []byte, f func(i, j int) bool) {
	var d bracketDepth
	var m macroBang
	for i := 0; i < len(h); {
		t, j := lexToken(h, i)
		switch t {
		case tokPunct:
			d.step(h, i, m.open)
		case tokIdent:
			if d == (bracketDepth{}) && !f(i, j) {
				return
			}
		}
		m.see(h, t, i, j)
		i = j
	}
}

// fnKeyOf returns the fnKey of the function_item n, whose ancestors are
// up, as the token walk keys it: the names of the mod_items around it;
// the type of the impl_item (lastTopIdent of it) or the name of the
// trait_item it is written right in, when that is the innermost of the
// fn, impl, trait and mod items around it; its name.
func fnKeyOf(src []byte, n *sitter.Node, up *ancestors) string {
	var mods []string
	owner, ownerSet := "", false
	name := func(n *sitter.Node) string { return strings.TrimPrefix(text(src, n.ChildByFieldName("name")), "r#") }
	for i := len(up.nodes) - 1; i >= 0; i-- {
		switch up.types[i] {
		case "mod_item":
			mods = append(mods, name(up.nodes[i]))
			ownerSet = true
		case "function_item":
			ownerSet = true
		case "impl_item":
			if !ownerSet {
				owner, ownerSet = lastTopIdent([]byte(text(src, up.nodes[i].ChildByFieldName("type")))), true
			}
		case "trait_item":
			if !ownerSet {
				owner, ownerSet = name(up.nodes[i]), true
			}
		}
	}
	for l, r := 0, len(mods)-1; l < r; l, r = l+1, r-1 {
		mods[l], mods[r] = mods[r], mods[l]
	}
	return fnKey(strings.Join(mods, "::"), owner, name(n))
}
