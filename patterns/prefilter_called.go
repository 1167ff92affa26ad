package patterns

import (
	"bytes"
	"sort"
)

// searchedNames is the most names calledNames looks for one by one,
// with the byte search of each (vectorized), rather than reading every
// word of the file: a file spells a few names a few times, and words
// are most of its bytes.
const searchedNames = 8

// calledNamesSearched is calledNames by a search for each name: an
// occurrence is a word where a byte that is no identifier's precedes it
// (or nothing) and identEnd ends it, as eachWord reads words. ok is false
// when a byte outside ASCII precedes an occurrence: whether a word starts
// there depends on the characters before (a Unicode space ends a word),
// and calledNames then reads every word.
func calledNamesSearched(src []byte, names map[string]bool, keep func(int) bool) (out []string, ok bool) {
	type hit struct {
		at   int
		name string
	}
	var hits []hit
	for n := range names {
		if n == "" || n[0] >= '0' && n[0] <= '9' {
			continue // no word eachWord gives
		}
		nb := []byte(n)
		for off := 0; ; {
			i := bytes.Index(src[off:], nb)
			if i < 0 {
				break
			}
			at := off + i
			off = at + 1
			if at > 0 {
				if c := src[at-1]; c >= 0x80 {
					return nil, false
				} else if isIdentByte(c) {
					continue
				}
			}
			end := at + len(n)
			if identEnd(src, at) != end {
				continue
			}
			if callFollows(src, skipTrivia(src, end)) && mayCallDecl(src, at, n) && (keep == nil || keep(at)) {
				hits = append(hits, hit{at, n})
				break
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
	for _, h := range hits {
		out = append(out, h.name)
	}
	return out, true
}
