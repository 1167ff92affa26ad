package patterns

import (
	"fmt"
	"sort"

	"sendfix/rewrite"
)

// Fix is one fix of a file against its original bytes (Result.In): the
// edits of one or more fixed findings, composed over the engine's passes.
// Findings share a Fix when a later pass edited text an earlier pass wrote
// for another finding, or when their edits touch. The Fixes of a Result
// never overlap or touch each other, and applying all of them to In gives
// Out; each fixed finding is in exactly one.
type Fix struct {
	Findings []int          // indexes into Result.Findings, ascending
	Edits    []rewrite.Edit // against Result.In (a BOM included), sorted; none when the passes undid each other
}

// fixSource is what one fixed finding's proposal edited: edits in the
// coordinates of the input of pass pass (without a BOM).
type fixSource struct {
	pass  int
	edits []rewrite.Edit
}

// sortFindings sorts findings by position, stably, keeping srcs (one per
// finding, nil for an unfixed one) in step.
func sortFindings(fs []Finding, srcs []*fixSource) {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]].Pos.Offset < fs[idx[b]].Pos.Offset })
	sf := make([]Finding, len(fs))
	ss := make([]*fixSource, len(fs))
	for i, j := range idx {
		sf[i], ss[i] = fs[j], srcs[j]
	}
	copy(fs, sf)
	copy(srcs, ss)
}

// composeFixes groups the fixed findings (srcs[i] is finding i's, nil when
// unfixed) into Fixes against body, the original without its BOM; passes
// are the passes' edits in normal form; prefix is the BOM's length, by
// which the edits shift into the file's coordinates.
func composeFixes(srcs []*fixSource, passes [][]rewrite.Edit, body []byte, prefix int) ([]Fix, error) {
	type key struct {
		pass int
		e    rewrite.Edit
	}
	index := map[key]int{}
	for p, edits := range passes {
		for i, e := range edits {
			index[key{p, e}] = i
		}
	}
	owners := map[rewrite.EditRef][]int{}
	fixed := make([]bool, len(srcs))
	for i, s := range srcs {
		if s == nil {
			continue
		}
		fixed[i] = true
		for _, e := range s.edits {
			j, ok := index[key{s.pass, e}]
			if !ok {
				return nil, fmt.Errorf("an edit of pass %d is not among the pass's edits", s.pass+1)
			}
			r := rewrite.EditRef{Pass: s.pass, Index: j}
			owners[r] = append(owners[r], i)
		}
	}
	comps, err := rewrite.Compose(body, passes)
	if err != nil {
		return nil, err
	}
	edits := make([]rewrite.Edit, len(comps))
	compOwners := make([][]int, len(comps))
	for c, comp := range comps {
		for _, r := range comp.From {
			compOwners[c] = append(compOwners[c], owners[r]...)
		}
		if len(compOwners[c]) == 0 {
			return nil, fmt.Errorf("the edit at byte %d belongs to no finding", comp.Start+prefix)
		}
		edits[c] = rewrite.Edit{Start: comp.Start + prefix, End: comp.End + prefix, New: comp.New}
	}
	return GroupFixes(fixed, edits, compOwners), nil
}

// GroupFixes groups findings into Fixes by the edits they share: edit c
// belongs to the findings owners[c] (each of them fixed), and findings
// that share an edit, directly or through others, are one Fix. Every
// finding i with fixed[i] is in exactly one Fix, with no edits when it
// owns none; an edit that has no owner is left out. Fixes come in the
// order of their first finding, their edits in the order given.
func GroupFixes(fixed []bool, edits []rewrite.Edit, owners [][]int) []Fix {
	parent := make([]int, len(fixed))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, os := range owners {
		for _, i := range os[min(1, len(os)):] {
			parent[find(i)] = find(os[0])
		}
	}
	byRoot := map[int]*Fix{}
	var order []int
	for i, ok := range fixed {
		if !ok {
			continue
		}
		r := find(i)
		if byRoot[r] == nil {
			byRoot[r] = &Fix{}
			order = append(order, r)
		}
		byRoot[r].Findings = append(byRoot[r].Findings, i)
	}
	for c, e := range edits {
		if len(owners[c]) == 0 {
			continue
		}
		if f := byRoot[find(owners[c][0])]; f != nil {
			f.Edits = append(f.Edits, e)
		}
	}
	out := make([]Fix, len(order))
	for k, r := range order {
		out[k] = *byRoot[r]
	}
	return out
}
