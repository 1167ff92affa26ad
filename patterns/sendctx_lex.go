package patterns

import "strings"

// The Send-context model read from tokens: what the token reading of a
// file (lexfile.go) must take for Send-required so that it holds every
// body the tree's model (scanBodies) may: a superset, for the prefilter.
// The reading's roots (spawns) also feed the Index; the bodies marked
// here (lexBody.handOff) only widen the prefilter.

// spawnKind is spawnKindOfPath, and through the file's imports: tokio's
// spawn under another name (`use tokio::task::spawn as go;`, `use
// tokio::task;` then `task::spawn`, a glob of tokio or tokio::task) is a
// Send spawn, as classifyCall takes it. Any import of the name that leads
// to tokio's spawn counts.
func (fs *fileSyntax) spawnKind(last, full string) spawnKind {
	if last == "" {
		return notSpawn
	}
	if k := spawnKindOfPath(last, full, fs.bare); k != notSpawn || strings.HasPrefix(full, ".") {
		return k
	}
	segs := strings.Split(strings.TrimPrefix(full, "::"), "::")
	for _, u := range fs.uses {
		var p []string
		switch {
		case !u.glob && u.alias == segs[0]:
			p = append(append(p, u.path...), segs[1:]...)
		case u.glob && len(segs) == 1:
			p = append(append(p, u.path...), segs[0])
		default:
			continue
		}
		full := strings.Join(p, "::")
		if p[0] == "::" { // a leading `::` is a segment of its own
			full = "::" + strings.Join(p[1:], "::")
		}
		if k := spawnKindOfPath(p[len(p)-1], full, false); k != notSpawn {
			return k
		}
	}
	return notSpawn
}

// markHandOffs marks the async bodies the tree's model may hand to a Send
// context the reading does not see (sendctx_handoff.go, asyncFnWhy):
//   - in a file that spells `Send`, `BoxFuture` or `boxed` (handoffWords),
//     every async block not handed to a local run;
//   - an async fn of an impl or trait in a file that spells `async_trait`,
//     or of an impl of a trait in a file that spells `Send`;
//   - in a file that spells one of handoffWords, an async fn whose name is
//     used as a value or called as an argument (`get(handler)`,
//     `run(job(1))`, `|| job()`), which the model marks by name;
//   - a body written in one of those (not through a fn or closure, not
//     handed to a local run).
func (fs *fileSyntax) markHandOffs() {
	handoff := false
	for _, w := range handoffWords {
		handoff = handoff || hasWord(fs.src, w)
	}
	asyncTrait, send := hasWord(fs.src, []byte("async_trait")), hasWord(fs.src, []byte("Send"))
	var handed map[string]bool
	for i := range fs.bodies {
		b := &fs.bodies[i]
		if b.fn < 0 {
			b.handOff = b.spawn != localRun && (handoff || b.parent >= 0 && fs.bodies[b.parent].handOff)
			continue
		}
		f := &fs.fns[b.fn]
		switch {
		case asyncTrait && f.owner != "", send && f.trait != "":
			b.handOff = true
		case handoff:
			if handed == nil {
				handed = fs.handedNames()
			}
			b.handOff = handed[f.name]
		}
	}
}

// handedNames returns the names of the file's async fns that a token use
// may hand to a Send context: not after `fn`, and not followed by `(`
// unless after `(`, `,` or `|` (an argument, a closure's result).
func (fs *fileSyntax) handedNames() map[string]bool {
	names := map[string]bool{}
	for _, f := range fs.fns {
		if f.async {
			names[f.name] = false
		}
	}
	for k := range fs.toks {
		t := fs.toks[k]
		if t.kind != tokIdent {
			continue
		}
		w := strings.TrimPrefix(string(fs.src[t.s:t.e]), "r#")
		seen, ok := names[w]
		if !ok || seen || fs.word(int32(k)-1, "fn") {
			continue
		}
		q := int32(k)
		if !fs.is(q+1, '(') || fs.is(q-1, '(') || fs.is(q-1, ',') || fs.is(q-1, '|') {
			names[w] = true
		}
	}
	return names
}
