package cli

import (
	"context"
	"sync/atomic"

	"sendfix/patterns"
)

// withHandOffs is the schedule's step after the Index of the token
// summaries and the second look under it. The fns a file hands to a Send
// context other than a spawn (a `F: Future + Send` parameter, a BoxFuture
// result) need a parse of the file, which only the files
// patterns.HandOffGate names get: those whose hand-offs may reach a seed,
// an async fn whose Send requirement decides a finding (found: each
// file's seeds, which Index.LookSeeds read beside its second look). A seed that rests on a call of a candidate
// guard-returning fn of another file counts when that fn returns a guard:
// the declaring files of the candidates so called are parsed for their
// guard fns (into guards, which the schedule's own step then does not
// parse again). With SENDFIX_EXHAUSTIVE=1 every file that may hand one
// over is parsed. It returns the Index with their hand-offs: a new one
// when a parse found one.
func (a *App) withHandOffs(ctx context.Context, o *options, files []*fileEntry, sums []*patterns.Summary, found []patterns.Seeds, cands [][]string, guards []*patterns.Summary, idx *patterns.Index, exhaustive bool) *patterns.Index {
	parse := patterns.HandOffsLater(sums)
	if len(parse) == 0 {
		return idx
	}
	if !exhaustive {
		a.each(ctx, o, patterns.Declarers(cands, patterns.GuardKeysCalled(found)), nil, func(e *engine, mk func() engine, i int) {
			if src, err := readSource(files[i].abs); err == nil {
				guards[i] = guardSummary(e, mk, o.cfg, files[i].display, src, false)
			}
		})
		paths := make([]string, len(files))
		for i, f := range files {
			paths[i] = f.display
		}
		if reach, all := idx.ReachOf(paths, found, guards); !all {
			parse = idx.HandOffGate(sums, parse, reach)
		}
		if len(parse) == 0 {
			return idx
		}
	}
	var added atomic.Int64
	a.each(ctx, o, parse, nil, func(_ *engine, _ func() engine, i int) {
		if src, err := readSource(files[i].abs); err == nil { // else the second look or the run reports it
			added.Add(int64(sums[i].ReadHandOffs(src)))
		}
	})
	if added.Load() == 0 {
		return idx
	}
	idx = nil // not live beside the new one
	return patterns.NewIndex(sums...)
}
