package cli

// Positions through edits, for the compiler loop: the compiler reports
// lines and columns of the text it checked, the loop keeps another.

import (
	"bytes"
	"unicode/utf8"

	"sendfix/rewrite"
)

// posOf returns the 1-based line and character column of byte offset off
// of src, not counting a BOM (as rustc counts).
func posOf(src []byte, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	line = bytes.Count(src[:start], []byte("\n")) + 1
	from := start
	if line == 1 && bytes.HasPrefix(src, []byte(rewrite.BOM)) {
		from = min(len(rewrite.BOM), off)
	}
	return line, utf8.RuneCount(src[from:off]) + 1
}

// lineRange returns the lines of src that bytes [start, end) cover.
func lineRange(src []byte, start, end int) [2]int {
	a, _ := posOf(src, start)
	b, _ := posOf(src, max(end-1, start))
	return [2]int{a, b}
}

// forwardOff maps an offset of a source through edits (normalized, on
// that source) to the result. An offset inside replaced text maps to the
// start of the replacement (or -1 when strict).
func forwardOff(off int, edits []rewrite.Edit, strict bool) int {
	d := 0
	for _, e := range edits {
		if off < e.Start || off == e.Start && e.Start == e.End {
			break
		}
		if off < e.End {
			if strict {
				return -1
			}
			return e.Start + d
		}
		d += len(e.New) - (e.End - e.Start)
	}
	return off + d
}

// forwardSpan maps a byte span through edits: it grows to cover the
// replacement of any edit that overlaps or borders it.
func forwardSpan(sp [2]int, edits []rewrite.Edit) [2]int {
	out := [2]int{-1, -1}
	d := 0
	for _, e := range edits {
		img := [2]int{e.Start + d, e.Start + d + len(e.New)}
		if e.Start <= sp[0] && out[0] < 0 && (e.End > sp[0] || e.End == sp[0] && e.Start < sp[0]) {
			out[0] = img[0]
		}
		if e.Start <= sp[1] && e.End >= sp[1] {
			out[1] = img[1]
		}
		if e.Start > sp[1] {
			break
		}
		d += len(e.New) - (e.End - e.Start)
	}
	if out[0] < 0 {
		out[0] = forwardOff(sp[0], edits, false)
	}
	if out[1] < 0 {
		out[1] = forwardOff(sp[1], edits, false)
	}
	return out
}

// backOff maps an offset of the result of edits (normalized) back to the
// source; an offset inside a replacement maps to the replaced text's
// start.
func backOff(off int, edits []rewrite.Edit) int {
	d := 0
	for _, e := range edits {
		s := e.Start + d
		if off < s {
			break
		}
		if off < s+len(e.New) {
			return e.Start
		}
		d += len(e.New) - (e.End - e.Start)
	}
	return off - d
}

// trialToKept maps an offset of the trial text (the source with every
// edit of all applied) to the text with only the edits of kept applied
// (kept a subset of all, both normalized on the same source). An offset
// inside a replacement that was kept maps into it; inside one rolled back,
// to -1.
func trialToKept(off int, all, kept []rewrite.Edit) int {
	isKept := map[rewrite.Edit]bool{}
	for _, e := range kept {
		isKept[e] = true
	}
	dT, dK := 0, 0
	for _, e := range all {
		s := e.Start + dT
		if off < s {
			break
		}
		grow := len(e.New) - (e.End - e.Start)
		if off < s+len(e.New) {
			if !isKept[e] {
				return -1
			}
			return e.Start + dK + (off - s)
		}
		dT += grow
		if isKept[e] {
			dK += grow
		}
	}
	return off - dT + dK
}
