package patterns

import (
	"bytes"
	"strings"
)

// The token walk's reading of calls (lexfile.go): the callee of a call
// (its path, as classifyCall spells it, and its shape, as the Index
// matches it), the futures spawned by name or by a call, the names
// imports bring in; the async blocks, with the call they are handed to;
// and, once the walk is done, which spawns are tokio's
// and which bodies must be Send whatever the Index (settle).

// calleeName returns the token index of the fn name of a call whose
// callee ends at token k (its `(` is k+1), past a turbofish `::<..>`, or
// -1 when k ends no name (a macro, a closure call, an index).
func (fs *fileSyntax) calleeName(k int32) int32 {
	if fs.is(k, '>') {
		if k = fs.angleOpen(k); !fs.colons(k - 1) {
			return -1
		}
		k -= 3
	}
	if k < 0 || fs.toks[k].kind != tokIdent {
		return -1
	}
	if w := fs.text(k); keywords[w] && w != "self" && w != "Self" && w != "crate" && w != "super" {
		return -1
	}
	return k
}

// calleePath returns the last name and the path of the fn called by the
// call whose callee ends at token k (its `(` is k+1), in classifyCall's
// spelling: "name", "a::b::name", "::a::name" or ".name"; "" when k ends
// no fn name.
func (fs *fileSyntax) calleePath(k int32) (last, full string) {
	k = fs.calleeName(k)
	if k < 0 {
		return "", ""
	}
	last = fs.text(k)
	switch {
	case fs.is(k-1, '.'):
		return last, "." + last
	case fs.colons(k - 1):
		return last, strings.Join(fs.pathBefore(k), "::")
	}
	return last, last
}

// pathBefore returns the segments of the path whose last segment is the
// identifier at k: "a", "b", "name" of `a::b::name`; a leading `::`
// gives an empty first segment, and a segment the syntax cannot name (a
// qualified `<T as Tr>::name`) "<>". A turbofish `Type::<T>::name` is
// skipped.
func (fs *fileSyntax) pathBefore(k int32) []string {
	segs := []string{fs.text(k)}
	q := k - 3
	for q >= 0 {
		if fs.is(q, '>') {
			if q = fs.angleOpen(q); !fs.colons(q - 1) {
				segs = append(segs, "<>")
				break
			}
			q -= 3 // a turbofish: the segment before it
		}
		if q < 0 || fs.toks[q].kind != tokIdent {
			segs = append(segs, "") // a leading `::`
			break
		}
		segs = append(segs, fs.text(q))
		if !fs.colons(q - 1) {
			break
		}
		q -= 3
	}
	if q < 0 {
		segs = append(segs, "")
	}
	for l, r := 0, len(segs)-1; l < r; l, r = l+1, r-1 {
		segs[l], segs[r] = segs[r], segs[l]
	}
	return segs
}

// maxGenerics bounds the tokens a search for a matching angle bracket,
// or for the end of a closure's parameters, looks at: a `<` or `|` that
// is an operator has no match, and no search may cross the file. The
// search for an angle bracket also stops at a `;` or a block (a const
// argument `{ N }` in a turbofish is not followed).
const maxGenerics = 512

// angleClose returns the index of the `>` that closes the `<` at k,
// counting angle brackets (an arrow's `>` aside), or the last token
// looked at (maxGenerics).
func (fs *fileSyntax) angleClose(k int32) int32 {
	depth := 0
	for stop := k + maxGenerics; int(k) < len(fs.toks) && k < stop; k++ {
		if p := fs.pair[k]; p > k && !fs.is(k, '{') {
			k = p // a group: `Foo<(A, B)>`, `[u8; 4]`
			continue
		} else if p >= 0 || fs.is(k, ';') {
			break // a block, or out of the group around: no generics end here
		}
		if fs.is(k, '<') {
			depth++
		} else if fs.is(k, '>') && !fs.is(k-1, '-') {
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return min(k, int32(len(fs.toks))-1)
}

// angleOpen returns the index of the `<` that the `>` at k closes,
// counting angle brackets back (an arrow's `>` aside), or -1, within
// maxGenerics tokens (a `>` may be a comparison's: no search may cross
// the file).
func (fs *fileSyntax) angleOpen(k int32) int32 {
	depth := 0
	for stop := k - maxGenerics; k >= 0 && k > stop; k-- {
		if p := fs.pair[k]; p >= 0 && p < k && !fs.is(k, '}') {
			k = p // a group
			continue
		} else if p >= 0 || fs.is(k, ';') {
			break // a block, or out of the group around: no generics start here
		}
		if fs.is(k, '>') && !fs.is(k-1, '-') {
			depth++
		} else if fs.is(k, '<') {
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return -1
}

// callShapeEndingAt returns the shape of the call whose closing
// parenthesis is token k: `name(..)`, `a::name(..)`, `self.name(..)`,
// `x.name(..)` (a turbofish allowed); false when k closes no call of a
// named fn.
func (fs *fileSyntax) callShapeEndingAt(k int32) (callShape, bool) {
	if !fs.is(k, ')') || fs.pair[k] < 0 {
		return callShape{}, false
	}
	n := fs.calleeName(fs.pair[k] - 1)
	if n < 0 {
		return callShape{}, false
	}
	return fs.shapeAt(n), true
}

// shapeAt returns the shape of a call whose callee's name is token n.
func (fs *fileSyntax) shapeAt(n int32) callShape {
	name := fs.ident(n)
	switch {
	case fs.is(n-1, '.'):
		if r := n - 2; fs.word(r, "self") && !fs.is(r-1, '.') && !fs.colons(r-1) {
			return callShape{callSelf, []string{name}}
		}
		return callShape{callRecv, []string{name}}
	case fs.colons(n - 1):
		segs := fs.pathBefore(n)
		for i := range segs {
			segs[i] = strings.TrimPrefix(segs[i], "r#")
		}
		if segs[0] == "" {
			segs[0] = "::"
		}
		return callShape{callPath, segs}
	}
	return callShape{callBare, []string{name}}
}

// addCall records the call of shape sh in body b (-1: spawned) at k.
func (w *walker) addCall(b int32, sh callShape, k int32) {
	mods, _, _ := w.scope()
	owner, trait := w.implAround()
	w.fs.calls = append(w.fs.calls, lexCall{body: b, shape: sh, mods: mods, owner: owner, trait: trait, line: w.lineOf(k)})
}

// implAround returns the impl's type and trait of the innermost impl
// around the walk, what `self` and `Self` mean there; in a trait's body,
// the trait's name twice.
func (w *walker) implAround() (owner, trait string) {
	for k := len(w.stack) - 1; k >= 0; k-- {
		switch f := &w.stack[k]; f.role {
		case roleImpl:
			return f.name, f.trait
		case roleTrait:
			return f.name, f.name // the trait itself: any impl may be meant
		}
	}
	return "", ""
}

// spawnVar records `spawn(NAME)`: an identifier at k, the whole first
// argument of a call (in parentheses or not) of a fn that may spawn.
func (w *walker) spawnVar(k int32) {
	fs := w.fs
	q, parens := k-1, int32(0)
	for fs.is(q, '(') {
		q--
		parens++
	}
	if after := k + parens; !fs.is(after, ')') && !fs.is(after, ',') {
		return
	}
	if n := fs.calleeName(q); n < 0 || !mayBeSpawn(fs.text(n)) {
		return
	}
	// The kind needs the file's imports: kept with the callee, decided
	// after the walk.
	last, full := fs.calleePath(q)
	fs.vars = append(fs.vars, lexSpawnVar{fnScope: w.fnScope(), name: fs.text(k)})
	fs.varCallee = append(fs.varCallee, [2]string{last, full})
}

// mayBeSpawn reports whether a callee named last may spawn or run a
// future (classifyCall's names).
func mayBeSpawn(last string) bool {
	switch last {
	case "spawn", "spawn_on", "spawn_local", "block_on", "run_until":
		return true
	}
	return false
}

// spawnCall records the call passed to a spawn as its future:
// `tokio::spawn(handle(conn))`, the callee's name at k.
func (w *walker) spawnCall(k int32) {
	fs := w.fs
	open := k + 1
	if fs.colons(k+2) && fs.is(k+3, '<') {
		open = fs.angleClose(k+3) + 1 // a turbofish: `spawn::<T>(`
	}
	if !fs.is(open, '(') {
		return
	}
	last, full := fs.calleePath(open - 1)
	if last != "spawn" && last != "spawn_on" || fs.pair[open] < 0 {
		return
	}
	// The first argument: up to a top-level `,` or the closing `)`.
	a, parens := open+1, int32(0)
	for fs.is(a, '(') {
		a++
		parens++
	}
	end := a
	for ; end < fs.pair[open]; end++ {
		if fs.pair[end] > end {
			end = fs.pair[end]
			continue
		}
		if fs.is(end, ',') {
			break
		}
	}
	argEnd := end - 1 - parens // the argument's last token, inside its parentheses
	sh, ok := fs.callShapeEndingAt(argEnd)
	if !ok {
		return
	}
	fs.spawned = append(fs.spawned, spawnedCall{last: last, full: full, call: len(fs.calls)})
	w.addCall(-1, sh, k)
}

// spawnedCall is a call passed to a spawn-named fn; whether it is a Send
// spawn is decided after the walk (settle).
type spawnedCall struct {
	last, full string
	call       int // index in calls
}

// useItem reads the `use` item at k.
func (w *walker) useItem(k int32) {
	fs := w.fs
	end := k + 1
	for ; int(end) < len(fs.toks) && !fs.is(end, ';'); end++ {
		if fs.pair[end] > end {
			end = fs.pair[end]
		}
	}
	if int(end) >= len(fs.toks) {
		return
	}
	mods, _, _ := w.scope()
	if text := fs.src[fs.toks[k].s:fs.toks[end].e]; len(w.stack) == 0 && !fs.is(k-1, ')') && !fs.word(k-1, "pub") &&
		bytes.Contains(text, []byte("tokio")) && bytes.Contains(text, kwSpawn) &&
		tokioSpawnImport.MatchString(strings.Join(strings.Fields(string(text)), " ")) {
		fs.bare = true // bareSpawnIsTokio's reading: a `use` item without visibility
	}
	fs.useTree(mods, nil, k+1, end)
}

// useTree reads the use tree in tokens [k, end) under prefix.
func (fs *fileSyntax) useTree(mods string, prefix []string, k, end int32) {
	path := append([]string(nil), prefix...)
	if fs.colons(k + 1) {
		path = append(path, "::") // a leading `::`
		k += 2
	}
	for k < end {
		switch {
		case fs.is(k, '*'):
			fs.uses = append(fs.uses, lexUse{mods: mods, path: path, glob: true})
			return
		case fs.is(k, '{'):
			close := fs.pair[k]
			if close < 0 || close > end {
				return
			}
			from := k + 1
			for j := from; j <= close; j++ {
				if fs.pair[j] > j && j != k {
					j = fs.pair[j]
					continue
				}
				if j == close || fs.is(j, ',') {
					if j > from {
						fs.useTree(mods, path, from, j)
					}
					from = j + 1
				}
			}
			return
		case fs.toks[k].kind == tokIdent:
			seg := fs.ident(k)
			if fs.colons(k + 2) {
				path = append(path, seg)
				k += 3
				continue
			}
			alias := seg
			if seg == "self" && len(path) > 0 {
				alias = path[len(path)-1]
			} else {
				path = append(path, seg)
			}
			if fs.word(k+1, "as") {
				alias = fs.ident(k + 2)
			}
			if alias != "" && alias != "_" {
				fs.uses = append(fs.uses, lexUse{mods: mods, alias: alias, path: path})
			}
			return
		default:
			return
		}
	}
}

// settle decides, once every import is read, which spawns are Send
// spawns, and which bodies are Send-required whatever the Index (root)
// or share an async fn's requirement (via).
func (fs *fileSyntax) settle() {
	kind := fs.spawnKind
	spawned := map[lexSpawnVar]bool{}
	for i, v := range fs.vars {
		if c := fs.varCallee[i]; kind(c[0], c[1]) == sendSpawn {
			spawned[v] = true
		}
	}
	for i := range fs.bodies {
		b := &fs.bodies[i]
		if b.fn >= 0 {
			b.via = b.fn
			continue
		}
		b.spawn = kind(b.last, b.full)
		switch {
		case b.spawn == sendSpawn:
			b.root = true
		case b.bind != "" && spawned[lexSpawnVar{b.fnScope, b.bind}]:
			b.root = true
		case b.parent >= 0 && b.spawn != localRun:
			p := &fs.bodies[b.parent]
			b.root, b.via = p.root, p.via
		}
	}
	// Spawned calls that are no Send spawn's are dropped.
	drop := map[int]bool{}
	for _, s := range fs.spawned {
		if kind(s.last, s.full) != sendSpawn {
			drop[s.call] = true
		}
	}
	if len(drop) > 0 {
		kept := fs.calls[:0]
		for i, c := range fs.calls {
			if !drop[i] {
				kept = append(kept, c)
			}
		}
		fs.calls = kept
	}
}

// asyncTok handles the `async` keyword at k: an async block's braces
// become a body.
func (w *walker) asyncTok(k int32) {
	fs := w.fs
	b := k + 1
	if fs.word(b, "move") {
		b++
	}
	if !fs.is(b, '{') {
		// An async fn, `async(..)` in an attribute; or an async closure,
		// which the grammar reads as an error and a closure, where the
		// guard rules may still look (a loose span).
		if fs.is(b, '|') {
			end := int32(len(fs.src))
			for i := len(w.stack) - 1; i >= 0; i-- {
				if o := w.stack[i].open; o >= 0 {
					if c := fs.pair[o]; c >= 0 {
						end = fs.toks[c].e
					}
					break
				}
			}
			fs.loose = append(fs.loose, [2]int32{fs.toks[k].s, end})
		}
		return
	}
	body := lexBody{fn: -1, parent: w.boundary(), fnScope: w.fnScope(), via: -1}
	// The first argument of a call, in parentheses or not, and the whole
	// argument: spawnerIn's shape.
	q, parens := k-1, int32(0)
	for fs.is(q, '(') {
		q--
		parens++
	}
	if parens > 0 && fs.pair[b] > 0 {
		after := fs.pair[b] + parens // past the inner parentheses
		if fs.is(after, ')') || fs.is(after, ',') {
			body.last, body.full = fs.calleePath(q)
		}
	}
	if fs.is(k-1, '=') && !fs.is(k-2, '=') && !fs.is(k-2, '!') && !fs.is(k-2, '<') && !fs.is(k-2, '>') {
		body.bind = fs.letName(k - 2)
	}
	w.pend[b] = pending{role: roleAsync, body: int32(len(fs.bodies))}
	fs.bodies = append(fs.bodies, body)
}

// letName returns NAME of a `let [mut] NAME [: T] =` whose `=` is at
// k+1, or "".
func (fs *fileSyntax) letName(k int32) string {
	for q := k; q >= 0 && k-q < 64; q-- {
		if fs.is(q, ';') || fs.is(q, '{') || fs.is(q, '}') {
			return ""
		}
		if fs.word(q, "let") {
			n := q + 1
			if fs.word(n, "mut") {
				n++
			}
			return fs.ident(n)
		}
		if fs.pair[q] >= 0 && fs.pair[q] < q {
			q = fs.pair[q]
		}
	}
	return ""
}

// awaitMacroTok reports whether the identifier at k names a macro that
// awaits, awaitMacro's first case: one of awaitMacroNames followed by
// `!`, named by a path from one of awaitMacroCrates or imported bare.
func (fs *fileSyntax) awaitMacroTok(k int32) bool {
	name := fs.text(k)
	if !awaitMacroNames[name] || !fs.is(k+1, '!') {
		return false
	}
	if !fs.colons(k - 1) {
		// Asked once per name and file: a file may invoke select! often.
		if v, ok := fs.macroImported[name]; ok {
			return v
		}
		if fs.macroImported == nil {
			fs.macroImported = map[string]bool{}
		}
		v := awaitMacroImported(fs.src, name)
		fs.macroImported[name] = v
		return v
	}
	segs := fs.pathBefore(k)
	if segs[0] == "" && len(segs) > 1 {
		segs = segs[1:]
	}
	return awaitMacroCrates[segs[0]]
}
