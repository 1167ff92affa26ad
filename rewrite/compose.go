package rewrite

import "sort"

// Images returns where the replacements of edits (normalized, on some
// source) lie in the result.
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

// Compose returns one edit set on src equal to applying a (normalized,
// on src) and then b (normalized, on a's result). An edit of b that
// touches the replacement of an edit of a is merged with it; the others
// keep their place, so that the composed edits stay as small as their
// parts.
func Compose(src []byte, a, b []Edit) ([]Edit, error) {
	t1, err := Apply(src, a)
	if err != nil {
		return nil, err
	}
	type iv struct {
		s, e  int // in t1
		delta int // a's growth, for a's edits
		isA   bool
		idx   int
	}
	var ivs []iv
	for i, r := range Images(a) {
		ivs = append(ivs, iv{s: r[0], e: r[1], delta: len(a[i].New) - (a[i].End - a[i].Start), isA: true, idx: i})
	}
	for i, e := range b {
		ivs = append(ivs, iv{s: e.Start, e: e.End, idx: i})
	}
	sort.SliceStable(ivs, func(i, j int) bool {
		if ivs[i].s != ivs[j].s {
			return ivs[i].s < ivs[j].s
		}
		return ivs[i].e < ivs[j].e
	})
	var out []Edit
	before := 0 // growth of a's edits before the current group
	for i := 0; i < len(ivs); {
		gs, ge := ivs[i].s, ivs[i].e
		grow := 0
		var bs []Edit
		j := i
		for ; j < len(ivs) && ivs[j].s <= ge; j++ {
			ge = max(ge, ivs[j].e)
			if ivs[j].isA {
				grow += ivs[j].delta
			} else {
				bs = append(bs, b[ivs[j].idx])
			}
		}
		seg := t1[gs:ge]
		if len(bs) > 0 {
			shifted := make([]Edit, len(bs))
			for k, e := range bs {
				shifted[k] = Edit{Start: e.Start - gs, End: e.End - gs, New: e.New}
			}
			if seg, err = Apply(seg, shifted); err != nil {
				return nil, err
			}
		}
		out = append(out, Edit{Start: gs - before, End: ge - before - grow, New: string(seg)})
		before += grow
		i = j
	}
	return out, nil
}
