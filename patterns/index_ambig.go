package patterns

import (
	"fmt"
	"strings"
)

// Ambiguous calls. A call that may mean several fns (see Index) carries no
// Send requirement, so no finding rests on a name shared by several fns.
// What it would have carried is kept as a note: a finding in an async fn
// that the call would have made Send-required (one of the fns it may
// mean, or a fn they await, transitively) says so, whatever else makes
// the fn Send-required (another spawn, --all-async) or leaves it unfixed.

// ambCall is an ambiguous call that carries a Send requirement: from a
// spawn (from < 0) or awaited in the fn from.
type ambCall struct {
	from int32
	ids  []int32 // the async fns it may mean
	note ambNote
}

// ambNote is what a finding's note says of an ambiguous call.
type ambNote struct {
	call, path string // the call as written (`open()`, `db::open()`, `.open()`), its file
	line       int32
	n          int  // how many fns it may mean
	async      bool // all of them async
}

// text is the note as a finding in the file at path shows it.
func (a ambNote) text(path string) string {
	where := fmt.Sprintf("%s:%d", a.path, a.line)
	if path == a.path {
		where = fmt.Sprintf("line %d", a.line)
	}
	kind := "fns"
	if a.async {
		kind = "async fns"
	}
	return fmt.Sprintf("`%s` at %s matched %d %s: the Send requirement was not taken from it", a.call, where, a.n, kind)
}

// callText spells a call's path as written, without its arguments.
func callText(c callShape) string {
	switch c.kind {
	case callSelf:
		return "self." + c.name() + "()"
	case callRecv:
		return "." + c.name() + "()"
	}
	return strings.Join(c.segs, "::") + "()"
}

// ambiguous records call c of file f (summary s), which resolve found
// ambiguous (b.many), when it names an async fn.
func (b *ixBuild) ambiguous(s *Summary, f *ixFile, c sumCall) {
	var ids []int32
	for _, id := range b.many {
		if b.ix.fns[id].async {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return // sync fns returning futures: their bodies run before
	}
	a := ambCall{from: -1, ids: ids, note: ambNote{call: callText(c.shape), path: s.Path, line: c.line, n: len(b.many), async: len(ids) == len(b.many)}}
	if c.kind == fromFn {
		a.from = f.keys[s.fns[c.from].key]
		for _, id := range ids {
			b.ix.callers[id] = append(b.ix.callers[id], a.from)
		}
	}
	b.amb = append(b.amb, a)
}

// noteAmbiguous gives a note to every async fn that an ambiguous call from
// a spawn or a Send-required fn would have made Send-required: the fns
// the call may mean, and those they await (precisely or ambiguously), up
// to and including the fns that are Send-required already (past those
// the requirement was taken anyway). The first ambiguous call on the way
// is the note. Run after the Send requirements are settled.
func (b *ixBuild) noteAmbiguous() {
	ix := b.ix
	if len(b.amb) == 0 {
		return
	}
	byFrom := map[int32][]int{}
	type item struct {
		fn   int32
		note int // the ambCall whose note it takes
	}
	var work []item
	for i, a := range b.amb {
		if a.from >= 0 && !ix.send[a.from] {
			byFrom[a.from] = append(byFrom[a.from], i)
			continue
		}
		for _, id := range a.ids {
			work = append(work, item{id, i})
		}
	}
	notes := map[int32]ambNote{}
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		if _, seen := notes[it.fn]; seen {
			continue
		}
		notes[it.fn] = b.amb[it.note].note
		if ix.send[it.fn] {
			continue // its callees are Send-required through it already
		}
		for _, c := range b.edges[it.fn] {
			if _, seen := notes[c]; !seen {
				work = append(work, item{c, it.note})
			}
		}
		for _, i := range byFrom[it.fn] {
			for _, id := range b.amb[i].ids {
				if _, seen := notes[id]; !seen {
					work = append(work, item{id, it.note})
				}
			}
		}
	}
	ix.amb = notes
}

// ambiguityNote returns the note of the async fn of the file at path with
// the given fnKey (see noteAmbiguous), or "".
func (ix *Index) ambiguityNote(path, key string) string {
	f := ix.files[path]
	if f == nil || len(ix.amb) == 0 {
		return ""
	}
	id, known := f.keys[key]
	if !known {
		return ""
	}
	if a, ok := ix.amb[id]; ok {
		return a.text(path)
	}
	return ""
}
