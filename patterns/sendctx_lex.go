package patterns

import (
	"bytes"
	"strings"
)

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
// context the reading does not see (sendctx_handoff.go, asyncFnWhy), as
// the token twin of its hand-offs reads them (readSendSlots):
//   - an async block lying in a hand-off region (an argument of a call of
//     a fn with a Send slot, a `.boxed()` receiver, the value of a `let`
//     typed with a Send word, the body of a fn whose signature spells
//     one), or bound by `let NAME = async ..` where NAME is named in one;
//   - an async fn of an impl or trait an `#[async_trait]` (not `?Send`)
//     is written on, or of an impl of a trait of the file whose signature of the fn
//     spells a Send word;
//   - in a file that spells `Future` (as every hand-off of a fn but a
//     spawn's does), an async fn whose name is named in a hand-off region
//     (`run(job(1))`, `register(handler)`), which the model marks by name;
//   - a body written in one of those (not through a fn or closure, not
//     handed to a local run).
func (fs *fileSyntax) markHandOffs() {
	ss := fs.readSendSlots()
	fs.slots = len(ss.regions) > 0 || len(ss.traitSend) > 0 || len(ss.asyncTrait) > 0
	var names map[string]bool
	within := ss.within
	if fs.balanced {
		// The regions read as the model hands them over: the blocks and
		// the names it hands, and where it cannot tell, their words.
		hr := fs.regionCalls(ss)
		fs.handCalls = hr.calls
		words := &sendSlots{regions: mergeRanges(hr.words)}
		within = func(k int32) bool { return hr.blocks[k] || words.within(k) }
		if len(ss.regions) > 0 {
			names = fs.handedNames(words)
			for n := range names {
				names[n] = names[n] || hr.names[n]
			}
		}
	} else if len(ss.regions) > 0 {
		names = fs.handedNames(ss)
	}
	for i := range fs.bodies {
		b := &fs.bodies[i]
		if b.fn < 0 {
			handed := within(b.open) || b.bind != "" && names[b.bind]
			b.handOff = b.spawn != localRun && (handed || b.parent >= 0 && fs.bodies[b.parent].handOff)
			continue
		}
		f := &fs.fns[b.fn]
		switch {
		case len(ss.asyncTrait) > 0 && ss.asyncTrait[fs.ownerBrace(f)], f.trait != "" && ss.traitSend[f.trait+"|"+f.name]:
			b.handOff = true
		default:
			b.handOff = names[f.name]
		}
	}
}

// ownerBrace returns the brace of the impl or trait body f is written
// right in, or -1.
func (fs *fileSyntax) ownerBrace(f *lexFn) int32 {
	if k := fs.tokenAt(int(f.sig[0])); k >= 0 {
		return fs.toks[k].up
	}
	return -1
}

// handedNames returns which names of the file's async fns (in a file
// that spells `Future`) and of its `let NAME = async ..` bindings a
// hand-off region names: the model hands those over by name.
func (fs *fileSyntax) handedNames(ss *sendSlots) map[string]bool {
	names := map[string]bool{}
	if bytes.Contains(fs.src, kwFuture) {
		for _, f := range fs.fns {
			if f.async {
				names[f.name] = false
			}
		}
	}
	for _, b := range fs.bodies {
		if b.bind != "" {
			names[b.bind] = false
		}
	}
	fs.namesWithin(ss, names)
	return names
}
