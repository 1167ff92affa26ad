package cli

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"sync"

	"sendfix/patterns"
)

// guardSummarizer is an engine that can parse a file for its
// guard-returning fns alone (patterns.Engine.GuardSummary). Engines
// without it (test fakes) go through the plain summarize-then-run
// pipeline.
type guardSummarizer interface {
	GuardSummary(path string, src []byte) *patterns.Summary
}

// guardSummary returns the guard-returning fns of src, the file at
// display: from its tokens where they are sure of them
// (patterns.GuardFnsFromTokens) and parse is false, else from a parse by
// the worker's engine (made by mk on first need).
func guardSummary(e *engine, mk func() engine, cfg patterns.Config, display string, src []byte, parse bool) *patterns.Summary {
	if s, ok := patterns.GuardFnsFromTokens(display, src, cfg); ok && !parse {
		return s
	}
	if *e == nil {
		*e = mk()
	}
	return (*e).(guardSummarizer).GuardSummary(display, src)
}

// scans reports whether the App's engines are patterns engines, whose
// rules the schedule's prefilters describe. Test fakes are not; they go
// through summarize and process alone. (Comparing the factory, rather
// than making an engine to look at, keeps the count of engines a run
// makes what the fakes' tests expect.)
func (a *App) scans() bool {
	return reflect.ValueOf(a.newEngine).Pointer() == reflect.ValueOf(engineFactory(newPatternsEngine)).Pointer()
}

// schedule is the first part of a run over many files when the engine is a
// patterns engine, built so that most files are read twice at most and
// never parsed, and a file is parsed only to be run:
//
//  1. every file is read, as the walk finds it (see looker): its tokens
//     give its Summary (the async fns it declares, what its async bodies
//     await and its spawns spawn, its imports: patterns.SummarizeLater,
//     which puts off what needs more than tokens), and byte-level
//     prefilters decide which files may hold a finding at all (MayMatch)
//     and which may declare a guard-returning fn, under which keys
//     (GuardFnCandidates);
//  2. the Index is built from every file's summary: it knows which async
//     fns must be Send;
//  3. the files that may hold a finding are read again and looked at with
//     the Index (patterns.Index.LookSeeds): only a guard or an Rc in an
//     async body that may have to be Send counts, and the candidate keys
//     they call there are noted; the same reading gives the hand-off
//     gate's seeds;
//  4. the files whose hand-offs to a Send context other than a spawn may
//     reach a fn that decides a finding are parsed for them, and the
//     Index is built again with them (withHandOffs), and then step 3's
//     look taken again;
//  5. the declaring files of a key so called are read for their
//     guard-returning fns alone (a fn no file calls so changes no file's
//     outcome), from their tokens where those are sure of every such fn
//     (patterns.GuardFnsFromTokens), else parsed; the fns join the Index,
//     and a file that calls one of them needs a run too.
//
// The files that need a run are parsed by the run, once per pass. It
// returns each file's read error, which files need a run, and the Index
// for those runs. Memory is a few words per file plus the summaries,
// which the Index drops once built.
//
// With SENDFIX_EXHAUSTIVE=1 in the environment every file is run, with
// the guard-returning fns (parsed) and the hand-offs of every file: the
// schedule's promise, that it changes no result, can be checked against
// that.
//
// looks holds the first step's result for the files looked at already, by
// absolute path (see looker); the others are looked at here.
func (a *App) schedule(ctx context.Context, o *options, files []*fileEntry, looks map[string]*firstLook) (readErr []error, need []bool, idx *patterns.Index) {
	readErr = make([]error, len(files))
	need = make([]bool, len(files))
	sums := make([]*patterns.Summary, len(files))
	guards := make([]*patterns.Summary, len(files)) // GuardFns alone, of the files parsed for them
	may := make([]bool, len(files))
	cands := make([][]string, len(files)) // keys of the fns a file may declare to return a guard
	sizes := make([]int, len(files))

	var missed []int
	for i, f := range files {
		if looks[f.abs] == nil {
			missed = append(missed, i)
		}
	}
	missedLooks := make([]*firstLook, len(files))
	var bufs sync.Pool
	a.each(ctx, o, missed, nil, func(_ *engine, _ func() engine, i int) {
		missedLooks[i] = takeLook(files[i].abs, o.cfg, &bufs)
	})
	for i, f := range files {
		l := looks[f.abs]
		if l == nil {
			l = missedLooks[i]
		}
		if l == nil {
			continue // interrupted
		}
		readErr[i], sizes[i] = l.err, l.size
		may[i], cands[i] = l.facts.MayMatch, l.facts.GuardFnCandidates
		if sums[i] = l.sum; sums[i] != nil {
			sums[i].Path = f.display
		}
	}
	// The steps below parse a few files each; the largest go first, so
	// that no worker starts a large file when the others are done.
	largestFirst := func(idxs []int) {
		sort.SliceStable(idxs, func(a, b int) bool { return sizes[idxs[a]] > sizes[idxs[b]] })
	}

	// The Index of the summaries knows which async fns must be Send.
	idx = patterns.NewIndex(sums...)
	exhaustive := a.getenv("SENDFIX_EXHAUSTIVE") == "1"

	// The second look, with the Index: whether a file may hold a finding
	// with the guard-returning fns of the other files still unknown, and
	// which of those fns it calls in a shape and place that can hold a
	// guard across an await (by the keys of a token scan of the files
	// that may declare one): a fn no such file calls so changes no file's
	// outcome, and its declaring file is not parsed.
	candKeys := map[string]bool{}
	for _, c := range cands {
		for _, n := range c {
			candKeys[n] = true
		}
	}
	// One reading of each file's tokens gives its second look under this
	// Index and its seeds for the hand-off gate; the look is taken again
	// only if the hand-offs parsed give another Index.
	lookAt := func(ix *patterns.Index) []int {
		var out []int
		for i := range files {
			switch {
			case !may[i]:
			case o.cfg.MaxFileSize > 0 && sizes[i] > o.cfg.MaxFileSize:
				need[i] = true // the run reports it is not analysed
			case sums[i] == nil || ix.MayNeedLook(sums[i], o.cfg):
				out = append(out, i)
			}
		}
		largestFirst(out)
		return out
	}
	calls := make([][]string, len(files))
	reads, seeds := lookAt(idx), make([]bool, len(files))
	looked := make([]bool, len(files))
	for _, i := range reads {
		looked[i] = true
	}
	var found []patterns.Seeds // nil: no file to parse for hand-offs, or every one
	if len(patterns.HandOffsLater(sums)) > 0 && !exhaustive {
		found = make([]patterns.Seeds, len(files))
		reached, all := idx.HandedFiles() // only their seeds can be reached
		for i, s := range sums {
			if may[i] && s.MaySeed() && (all || reached[files[i].display]) {
				seeds[i] = true
				if !looked[i] {
					reads = append(reads, i)
				}
			}
		}
		largestFirst(reads)
	}
	a.each(ctx, o, reads, nil, func(_ *engine, _ func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			readErr[i] = err
			return
		}
		var s patterns.Seeds
		calls[i], need[i], s = idx.LookSeeds(files[i].display, src, candKeys, o.cfg, looked[i], seeds[i])
		if seeds[i] {
			found[i] = s
		}
	})
	if next := a.withHandOffs(ctx, o, files, sums, found, cands, guards, idx, exhaustive); next != idx {
		idx = next
		clear(calls)
		for i := range need {
			need[i] = false
		}
		a.each(ctx, o, lookAt(idx), nil, func(_ *engine, _ func() engine, i int) {
			src, err := readSource(files[i].abs)
			if err != nil {
				readErr[i] = err
				return
			}
			calls[i], need[i] = idx.Look(files[i].display, src, candKeys, o.cfg)
		})
	}
	decl := patterns.Declarers(cands, calls)
	if exhaustive {
		decl = decl[:0]
		for i, c := range cands {
			if len(c) > 0 {
				decl = append(decl, i)
			}
		}
	}
	decl = slices.DeleteFunc(decl, func(i int) bool { return guards[i] != nil }) // parsed for the hand-offs' seeds
	largestFirst(decl)
	a.each(ctx, o, decl, nil, func(e *engine, mk func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			readErr[i] = err
			return
		}
		guards[i] = guardSummary(e, mk, o.cfg, files[i].display, src, exhaustive)
	})
	idx.AddGuardFns(guards...)
	for i, ns := range calls {
		for _, n := range ns {
			if idx.GuardFn(n) {
				need[i] = true
			}
		}
	}
	if exhaustive {
		// For checking the schedule: every file is run, and the run's
		// findings and diffs must be the same as with the schedule.
		for i := range need {
			need[i] = readErr[i] == nil
		}
	}
	return readErr, need, idx
}

// firstLook is what the schedule's first step learns of a file from one read.
type firstLook struct {
	err   error // the read error
	size  int
	facts patterns.Glimpse
	sum   *patterns.Summary // its Path is the absolute path
}

// takeLook reads the file at path and takes its first look. Nothing of the
// file is kept but its Summary: its bytes are read into a buffer of bufs,
// which the next file reuses. A file over the size limit, which is not
// analysed, contributes its path alone.
func takeLook(path string, cfg patterns.Config, bufs *sync.Pool) *firstLook {
	buf, _ := bufs.Get().([]byte)
	src, err := readSourceInto(path, buf)
	if cap(src) > 0 {
		defer bufs.Put(src[:0])
	}
	if err != nil {
		return &firstLook{err: err}
	}
	l := &firstLook{size: len(src), facts: patterns.Glance(src, cfg)}
	if cfg.MaxFileSize > 0 && len(src) > cfg.MaxFileSize {
		l.sum = &patterns.Summary{Path: path}
	} else {
		// The type definitions and hand-offs are read again when they
		// are needed, if they are.
		l.sum = patterns.SummarizeLater(path, src, func() ([]byte, error) { return readSource(path) })
	}
	return l
}

// looker takes the first look at the files a walk finds while it walks:
// found hands it a path, o.jobs workers read and look, finish waits for
// them and returns the looks by path.
type looker struct {
	paths chan string
	wg    sync.WaitGroup
	mu    sync.Mutex
	looks map[string]*firstLook
}

func startLooking(ctx context.Context, o *options) *looker {
	l := &looker{paths: make(chan string, 256), looks: map[string]*firstLook{}}
	var bufs sync.Pool
	for range max(o.jobs, 1) {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for p := range l.paths {
				if ctx.Err() != nil {
					continue // the schedule sees the interrupt
				}
				look := takeLook(p, o.cfg, &bufs)
				l.mu.Lock()
				l.looks[p] = look
				l.mu.Unlock()
			}
		}()
	}
	return l
}

func (l *looker) found(abs string) { l.paths <- abs }

func (l *looker) finish() map[string]*firstLook {
	close(l.paths)
	l.wg.Wait()
	return l.looks
}

// upTo returns the indexes 0..n-1.
func upTo(n int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	return all
}

// each calls f on the files at the given indexes from o.jobs workers,
// each with an engine slot that f fills on first need (with make) and
// that is closed at the end. It stops handing out files when ctx ends.
func (a *App) each(ctx context.Context, o *options, idxs []int, idx *patterns.Index, f func(e *engine, mk func() engine, i int)) {
	a.eachGated(ctx, o, idxs, idx, nil, f)
}

// eachGated is each, taking a slot of gate (when not nil) before handing
// out a file; the caller frees the slot when it is done with the file's
// result. That bounds how far the workers run ahead of the caller.
func (a *App) eachGated(ctx context.Context, o *options, idxs []int, idx *patterns.Index, gate chan struct{}, f func(e *engine, mk func() engine, i int)) {
	next := make(chan int)
	go func() {
		defer close(next)
		for _, i := range idxs {
			if gate != nil {
				select {
				case gate <- struct{}{}:
				case <-ctx.Done():
					return
				}
			}
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	mk := func() engine { return a.newEngine(o.cfg, idx) }
	var wg sync.WaitGroup
	for range min(o.jobs, max(len(idxs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var e engine
			defer func() {
				if e != nil {
					e.Close()
				}
			}()
			for i := range next {
				f(&e, mk, i)
			}
		}()
	}
	wg.Wait()
}
