package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// mayNeedSummary is the prefilter of the summary phase: a file that
// declares no async fn or block, spawns nothing and names no guard type
// adds nothing to the Index and is not parsed for it.
func mayNeedSummary(src []byte) bool { return patterns.MayNeedSummary(src) }

func (o *options) mode() string {
	if o.write {
		return "write"
	}
	return "dry-run"
}

func (a *App) runPaths(o *options) int {
	rep := newReport(a, o, o.mode())
	wd, err := a.Getwd()
	if err != nil {
		rep.fail(".", fmt.Errorf("cannot get the working directory: %w", err))
		return rep.finish(false)
	}
	ctx := a.Context
	// With a scanning engine the schedule's first look at each file starts
	// while the walk goes on.
	var look *looker
	var found func(string)
	if a.scans() {
		look = startLooking(ctx, o)
		found = look.found
	}
	files, werrs := collect(wd, o.paths, o.noIgnore, o.excludes, found)
	for _, e := range werrs {
		rep.fail(e.display, e.err)
	}
	rep.startProgress(len(files))
	var readErr []error
	var need []bool // nil: every file is run
	var idx *patterns.Index
	if look != nil {
		readErr, need, idx = a.schedule(ctx, o, files, look.finish())
		a.planCrates(o, files, readErr, need, idx)
	} else {
		readErr, idx = a.summarize(ctx, o, files)
	}
	if ctx.Err() != nil {
		return rep.finish(true)
	}
	a.process(ctx, o, files, readErr, need, idx, rep)
	return rep.finish(ctx.Err() != nil)
}

// summarize is the first phase: read every file and summarize those that
// pass the prefilter, to build the cross-file Index. It returns the read
// error of each file (nil when it was read).
func (a *App) summarize(ctx context.Context, o *options, files []*fileEntry) ([]error, *patterns.Index) {
	readErr := make([]error, len(files))
	sums := make([]*patterns.Summary, len(files))
	a.each(ctx, o, upTo(len(files)), nil, func(e *engine, mk func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			readErr[i] = err
			return
		}
		if !mayNeedSummary(src) {
			return
		}
		if *e == nil {
			*e = mk()
		}
		sums[i] = (*e).Summarize(files[i].display, src)
	})
	return readErr, patterns.NewIndex(sums...)
}

type indexed struct {
	i int
	o *outcome
}

// process is the second phase: run every file (only those need marks,
// when need is not nil) through an engine built on idx, one engine per
// worker, and report the outcomes in file order as they complete. Workers
// run at most a window of files ahead of the report, so memory stays
// bounded however many files there are.
func (a *App) process(ctx context.Context, o *options, files []*fileEntry, readErr []error, need []bool, idx *patterns.Index, rep *report) {
	// Only the files to run take a worker and a place in the window: the
	// others' outcomes are known, and the sequencer gives them in their
	// turn. (A file the schedule skipped, between two that run, would
	// otherwise hold a place of the window while a large file before it
	// runs, and keep the next file to run from starting.)
	runs := func(i int) bool { return readErr[i] == nil && (need == nil || need[i]) }
	var work []int
	for i := range files {
		if runs(i) {
			work = append(work, i)
		}
	}
	sem := make(chan struct{}, 4*o.jobs) // the window
	results := make(chan indexed, o.jobs)
	go func() {
		defer close(results)
		a.eachGated(ctx, o, work, idx, sem, func(e *engine, mk func() engine, i int) {
			if ctx.Err() != nil {
				// Interrupted: start no new file.
				results <- indexed{i, &outcome{display: files[i].display, skipped: true}}
				return
			}
			if *e == nil {
				*e = mk()
			}
			results <- indexed{i, a.processFile(ctx, o, *e, files[i])}
		})
	}()
	// The sequencer: outcomes arrive in any order and leave in file order.
	pending := map[int]*outcome{}
	next := 0
	known := func() { // the files up to the next one run, in their turn
		for ; next < len(files) && !runs(next); next++ {
			out := &outcome{display: files[next].display, scanned: true} // schedule showed that no rule can report anything here
			switch {
			case readErr[next] != nil:
				out = &outcome{display: files[next].display, err: readErr[next]}
			case ctx.Err() != nil:
				out = &outcome{display: files[next].display, skipped: true}
			}
			rep.file(out, false)
		}
	}
	known()
	for r := range results {
		pending[r.i] = r.o
		for {
			out, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			rep.file(out, false)
			next++
			<-sem
			known()
		}
	}
}

// processFile reads, fixes and (with --write) writes one file.
func (a *App) processFile(ctx context.Context, o *options, e engine, f *fileEntry) *outcome {
	out := &outcome{display: f.display}
	src, err := readSource(f.abs)
	if err != nil {
		out.err = err
		return out
	}
	out.scanned = true
	res := e.Run(f.display, src)
	out.findings, out.warnings = res.Findings, res.Warnings
	out.src, out.suppressed = src, res.Suppressed
	out.fixes, out.result = res.Fixes, res.Out
	if res.Internal != nil {
		out.err = fmt.Errorf("internal error, file left unchanged: %v", res.Internal)
		return out
	}
	if !res.Changed() {
		return out
	}
	out.changed = true
	switch {
	case o.write:
		switch {
		case !f.writeOK:
			out.err = errors.New("symlink target outside the given paths; not written")
		case ctx.Err() != nil:
			// Interrupted: no new write starts.
		default:
			// The link's target is passed: WriteAtomic would replace a
			// symlink at the path with a regular file.
			if err := a.writer.WriteAtomic(f.real, src, res.Out); err != nil {
				switch {
				case errors.Is(err, rewrite.ErrInterrupted):
					// A signal came between the check above and the write.
				case errors.Is(err, rewrite.ErrChanged):
					out.err = fmt.Errorf("not written: %w", rewrite.ErrChanged)
				default:
					out.err = fmt.Errorf("not written: %w", errReason(err))
				}
			} else {
				out.written = true
			}
		}
	case !o.list && !o.json:
		out.diff = rewrite.Unified(f.display, src, res.Out)
		if o.color {
			out.diff = rewrite.Colorize(out.diff)
		}
	}
	return out
}

// runStdin is filter mode: one file from stdin, the rewritten file (or,
// under --check, the diff) to stdout, findings and summary to stderr.
func (a *App) runStdin(o *options) int {
	rep := newReport(a, o, "stdin")
	name := o.stdinName
	out := &outcome{display: name}
	src, err := io.ReadAll(a.Stdin)
	if err == nil {
		err = checkText(src)
	}
	if err != nil {
		out.err = err
		rep.file(out, true)
		return rep.finish(a.Context.Err() != nil)
	}
	out.scanned = true
	var idx *patterns.Index
	e := a.newEngine(o.cfg, nil)
	if mayNeedSummary(src) {
		idx = patterns.NewIndex(e.Summarize(name, src))
	}
	e.Close()
	e = a.newEngine(o.cfg, idx)
	res := e.Run(name, src)
	e.Close()
	out.findings, out.warnings = res.Findings, res.Warnings
	out.src, out.suppressed = src, res.Suppressed
	out.fixes, out.result = res.Fixes, res.Out
	if res.Internal != nil {
		out.err = fmt.Errorf("internal error: %v", res.Internal)
		rep.file(out, true)
		return rep.finish(a.Context.Err() != nil)
	}
	out.changed = res.Changed()
	switch {
	case o.json, o.list:
	case o.check:
		if out.changed {
			out.diff = rewrite.Unified(name, src, res.Out)
			if o.color {
				out.diff = rewrite.Colorize(out.diff)
			}
		}
	default:
		out.diff = res.Out
		if out.diff == nil {
			out.diff = []byte{}
		}
	}
	rep.file(out, true)
	return rep.finish(a.Context.Err() != nil)
}
