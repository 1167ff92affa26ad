package rewrite

import (
	"fmt"
	"sort"
)

// EditRef names one edit of a rewrite made in passes: the Index-th edit
// of pass Pass, in the pass's normal form (see Normalize).
type EditRef struct {
	Pass, Index int
}

// Composed is one edit against the original source that a rewrite made
// in passes comes to, and the pass edits it holds.
type Composed struct {
	Edit
	// From lists the pass edits whose text or range this edit holds,
	// sorted by pass and index.
	From []EditRef
}

// segment is a piece of the text between passes: original bytes still in
// place (kept, the range [a, b) of the original), or text a pass wrote
// (possibly empty: then it only records which edits deleted bytes there).
type segment struct {
	kept bool
	a, b int
	text string
	from []EditRef
}

func (s segment) size() int {
	if s.kept {
		return s.b - s.a
	}
	return len(s.text)
}

// split cuts s after n of its bytes (0 < n < s.size()).
func (s segment) split(n int) (segment, segment) {
	if s.kept {
		return segment{kept: true, a: s.a, b: s.a + n}, segment{kept: true, a: s.a + n, b: s.b}
	}
	return segment{text: s.text[:n], from: s.from}, segment{text: s.text[n:], from: s.from}
}

// Compose turns a rewrite made in passes into edits against the original.
// passes[0] applies to orig, passes[k] to the output of pass k-1; each
// pass's edits must be in normal form (sorted, no overlap, no duplicate).
// Applying the result to orig gives what applying the passes one after
// the other gives. The composed edits are sorted and separated by at
// least one unchanged byte: pass edits that touch, and a later pass's edit
// of text an earlier pass wrote (or right next to it), become one composed
// edit that lists them all in From. A stretch that comes out as it was
// (text written by one pass and removed by a later one) gives no edit.
func Compose(orig []byte, passes [][]Edit) ([]Composed, error) {
	segs := []segment{{kept: true, a: 0, b: len(orig)}}
	if len(orig) == 0 {
		segs = nil
	}
	size := len(orig)
	for p, edits := range passes {
		var err error
		segs, size, err = applyPass(segs, size, edits, p)
		if err != nil {
			return nil, fmt.Errorf("pass %d: %w", p+1, err)
		}
	}
	var out []Composed
	var run *Composed
	end := 0 // the end of the last kept segment, in the original
	flush := func(upTo int) {
		if run == nil {
			return
		}
		run.End = upTo
		if run.New != string(orig[run.Start:run.End]) {
			out = append(out, *run)
		}
		run = nil
	}
	for _, s := range segs {
		if s.kept {
			flush(s.a)
			end = s.b
			continue
		}
		if run == nil {
			run = &Composed{Edit: Edit{Start: end}}
		}
		run.New += s.text
		run.From = mergeRefs(run.From, s.from)
	}
	flush(len(orig))
	return out, nil
}

// applyPass applies one pass's edits (in the coordinates of a text of size
// bytes made of segs) and returns the new segments and size.
func applyPass(segs []segment, size int, edits []Edit, pass int) ([]segment, int, error) {
	if _, err := validate(sortEdits(edits), size); err != nil {
		return nil, 0, err
	}
	for i := 1; i < len(edits); i++ {
		if edits[i].Start < edits[i-1].Start || edits[i] == edits[i-1] {
			return nil, 0, fmt.Errorf("edits not in normal form at %d", i)
		}
	}
	out := make([]segment, 0, len(segs)+2*len(edits))
	rest := segs
	// take moves the next n bytes of rest to the returned segments,
	// splitting a segment that straddles the cut.
	take := func(n int) []segment {
		var got []segment
		for n > 0 && len(rest) > 0 {
			s := rest[0]
			if s.size() <= n {
				got = append(got, s)
				n -= s.size()
				rest = rest[1:]
				continue
			}
			head, tail := s.split(n)
			got = append(got, head)
			rest[0] = tail // rest is the old list, no longer read elsewhere
			n = 0
		}
		return got
	}
	pos := 0
	for i, e := range edits {
		out = append(out, take(e.Start-pos)...)
		ins := segment{text: e.New, from: []EditRef{{pass, i}}}
		for _, s := range take(e.End - e.Start) {
			if !s.kept {
				// Text an earlier pass wrote, rewritten: one change.
				ins.from = mergeRefs(ins.from, s.from)
			}
		}
		out = append(out, ins)
		pos = e.End
		size += len(e.New) - (e.End - e.Start)
	}
	return append(out, rest...), size, nil
}

// mergeRefs returns the sorted union of a and b.
func mergeRefs(a, b []EditRef) []EditRef {
	out := append(append([]EditRef(nil), a...), b...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pass != out[j].Pass {
			return out[i].Pass < out[j].Pass
		}
		return out[i].Index < out[j].Index
	})
	u := out[:0]
	for i, r := range out {
		if i == 0 || r != out[i-1] {
			u = append(u, r)
		}
	}
	return u
}

// Edits returns the edits of cs, without their provenance.
func Edits(cs []Composed) []Edit {
	out := make([]Edit, len(cs))
	for i, c := range cs {
		out[i] = c.Edit
	}
	return out
}

// Images returns where the replacements of edits (in normal form, on
// some source) lie in the result of applying them.
func Images(edits []Edit) [][2]int {
	out := make([][2]int, len(edits))
	d := 0
	for i, e := range edits {
		s := e.Start + d
		out[i] = [2]int{s, s + len(e.New)}
		d += len(e.New) - (e.End - e.Start)
	}
	return out
}
