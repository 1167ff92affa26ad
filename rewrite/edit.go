// Package rewrite applies byte-range edits to source text and renders the
// result: unified diffs, line-ending and indentation aware text helpers, and
// atomic file writes. It knows nothing of Rust syntax: bytes in, bytes out.
package rewrite

import (
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of a source with New.
// An insertion has Start == End; a deletion has New == "".
type Edit struct {
	Start, End int
	New        string
}

// sortEdits orders edits by Start, then End, keeping the given order of
// equal positions (so two insertions at one offset keep their order).
func sortEdits(edits []Edit) []Edit {
	s := append([]Edit(nil), edits...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start < s[j].Start
		}
		return s[i].End < s[j].End
	})
	return s
}

// validate checks that sorted edits lie within a source of n bytes and do
// not overlap. Identical duplicates are dropped from the result, as rustfix
// does; any other overlap is an error.
func validate(sorted []Edit, n int) ([]Edit, error) {
	out := sorted[:0:0]
	last := -1
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > n {
			return nil, fmt.Errorf("edit %d [%d,%d) out of bounds (source has %d bytes)", i, e.Start, e.End, n)
		}
		if len(out) > 0 {
			p := out[len(out)-1]
			if p == e {
				continue
			}
			// Two insertions at one offset are fine; anything else that
			// starts before the previous edit ends overlaps it.
			if e.Start < last {
				return nil, fmt.Errorf("edit [%d,%d) overlaps edit [%d,%d)", e.Start, e.End, p.Start, p.End)
			}
		}
		out = append(out, e)
		if e.End > last {
			last = e.End
		}
	}
	return out, nil
}

// Apply returns src with the edits applied. Edits are sorted stably by
// position; identical duplicates count once. An edit out of bounds or
// overlapping another is an error, and then nothing is applied.
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted, err := validate(sortEdits(edits), len(src))
	if err != nil {
		return nil, err
	}
	size := len(src)
	for _, e := range sorted {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	pos := 0
	for _, e := range sorted {
		out = append(out, src[pos:e.Start]...)
		out = append(out, e.New...)
		pos = e.End
	}
	return append(out, src[pos:]...), nil
}

// Normalize returns edits as Apply applies them to a source of size
// bytes: sorted by position, identical duplicates counted once; or the
// error Apply would give. Mapping positions through a set of edits must
// use its normal form, or a duplicate would shift them twice.
func Normalize(edits []Edit, size int) ([]Edit, error) {
	return validate(sortEdits(edits), size)
}

// Validate reports the error Apply would give for edits on a source of
// size bytes, without building the result.
func Validate(edits []Edit, size int) error {
	_, err := Normalize(edits, size)
	return err
}

// Overlaps reports whether any edit of a overlaps any edit of b, in the
// sense Apply rejects. Fixes that overlap cannot be applied in one pass.
func Overlaps(a, b []Edit) bool {
	all := append(append([]Edit(nil), a...), b...)
	_, err := validate(sortEdits(all), int(^uint(0)>>1))
	return err != nil
}
