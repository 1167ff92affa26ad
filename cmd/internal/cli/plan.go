package cli

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"sendfix/patterns"
)

// scanner is an engine that can tell, with one parse at most, whether a
// file needs a run (patterns.Engine.Scan). Engines without it (test fakes)
// go through the plain summarize-then-run pipeline.
type scanner interface {
	Scan(path string, src []byte) bool
	GuardSummary(path string, src []byte) *patterns.Summary
}

// scans reports whether the App's engines are patterns engines, which can
// Scan. Test fakes cannot; they go through summarize and process alone.
// (Comparing the factory, rather than making an engine to look at, keeps
// the count of engines a run makes what the fakes' tests expect.)
func (a *App) scans() bool {
	return reflect.ValueOf(a.newEngine).Pointer() == reflect.ValueOf(engineFactory(newPatternsEngine)).Pointer()
}

// plan is the first part of a run over many files when the engine is a
// scanner, built so that most files are read once and never parsed:
//
//  1. every file is read, as the walk finds it (see looker); the
//     byte-level prefilters decide which files may hold a finding at all,
//     and which may declare a guard-returning fn (the fact the next step
//     needs from other files) under which keys; the files that may hold a
//     finding are read again for calls of those fns before an await, and
//     only the declaring files of a fn so called are parsed for their
//     guard-returning fns;
//  2. the files that may hold one are read again and scanned (one parse,
//     the rules run once with every async body Send-required);
//     most files stop here;
//  3. only when some file needs a run, and the Index can change its
//     outcome (not under --all-async), the files that can bear on the
//     async fns of the files to run are summarized: those that mention
//     one of their names or the name of one of their awaiting callers.
//
// It returns each file's read error, which files need a run, and the Index
// for those runs. Memory is a few words per file plus the summaries.
//
// looks holds the first step's result for the files looked at already, by
// absolute path (see looker); the others are looked at here.
func (a *App) plan(ctx context.Context, o *options, files []*fileEntry, looks map[string]*firstLook) (readErr []error, need []bool, idx *patterns.Index) {
	readErr = make([]error, len(files))
	need = make([]bool, len(files))
	sums := make([]*patterns.Summary, len(files))
	guards := make([]*patterns.Summary, len(files)) // GuardFns alone
	may := make([]bool, len(files))
	mayNeed := make([]bool, len(files))   // may contribute to the Index
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
		may[i], mayNeed[i], cands[i] = l.facts.MayMatch, l.facts.MayNeedSummary, l.facts.GuardFnCandidates
	}
	var scan []int
	for i := range files {
		if may[i] {
			scan = append(scan, i)
		}
	}
	// The steps below parse a few files each; the largest go first, so
	// that no worker starts a large file when the others are done.
	largestFirst := func(idxs []int) {
		sort.SliceStable(idxs, func(a, b int) bool { return sizes[idxs[a]] > sizes[idxs[b]] })
	}
	largestFirst(scan)

	// The files that may declare a guard-returning fn are parsed for
	// their fns only when a file that may hold a finding calls one of the
	// fns a token scan finds there (by its key), in an async body before
	// an await: a fn no such file calls so changes no file's outcome
	// (patterns.CalledKeys).
	candKeys := map[string]bool{}
	for _, c := range cands {
		for _, n := range c {
			candKeys[n] = true
		}
	}
	var mu sync.Mutex
	called := map[string]bool{}
	if len(candKeys) > 0 {
		// A file that calls none of those fns and fails Index.MayMatch
		// with no other file's fns fails it with any Index this run
		// builds (its keys are among the candidates): the scan need not
		// read it again (patterns.CallsAndMayMatch).
		pass := make([]bool, len(files))
		a.each(ctx, o, scan, nil, func(_ *engine, _ func() engine, i int) {
			src, err := readSource(files[i].abs)
			if err != nil {
				pass[i] = true // the scan below reports it
				return
			}
			ns, may := patterns.CallsAndMayMatch(src, candKeys, o.cfg)
			pass[i] = len(ns) > 0 || may
			if len(ns) > 0 {
				mu.Lock()
				for _, n := range ns {
					called[n] = true
				}
				mu.Unlock()
			}
		})
		scan = slices.DeleteFunc(scan, func(i int) bool { return !pass[i] })
	}
	var decl []int
	for i, c := range cands {
		for _, n := range c {
			if called[n] {
				decl = append(decl, i)
				break
			}
		}
	}
	largestFirst(decl)
	a.each(ctx, o, decl, nil, func(e *engine, mk func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			readErr[i] = err
			return
		}
		if *e == nil {
			*e = mk()
		}
		guards[i] = (*e).(scanner).GuardSummary(files[i].display, src)
	})

	gidx := patterns.NewIndex(guards...)
	any := false
	a.each(ctx, o, scan, gidx, func(e *engine, mk func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			readErr[i] = err
			return
		}
		if *e == nil {
			*e = mk()
		}
		need[i] = (*e).(scanner).Scan(files[i].display, src)
		if need[i] {
			mu.Lock()
			any = true
			mu.Unlock()
		}
	})
	if !any || o.cfg.AllAsync {
		return readErr, need, gidx
	}
	// Summaries for the async fns of the files to run: the files that
	// mention their names, then their callers', until no more are found
	// (see patterns.MentionsAny).
	var toRun []int
	for i, n := range need {
		if n {
			toRun = append(toRun, i)
		}
	}
	a.each(ctx, o, toRun, nil, func(e *engine, mk func() engine, i int) {
		src, err := readSource(files[i].abs)
		if err != nil {
			return // process reports it
		}
		if *e == nil {
			*e = mk()
		}
		sums[i] = (*e).Summarize(files[i].display, src)
	})
	names := map[string]bool{}
	for i, n := range need {
		if n && sums[i] != nil {
			for _, f := range sums[i].AsyncFns {
				names[f] = true
			}
		}
	}
	for {
		for grew := true; grew; {
			grew = false
			for _, s := range sums {
				if s == nil {
					continue
				}
				for caller, callees := range s.Calls {
					if names[caller] {
						continue
					}
					for _, c := range callees {
						if names[c] {
							names[caller], grew = true, true
							break
						}
					}
				}
			}
		}
		var rest []int
		for i := range files {
			if sums[i] == nil && readErr[i] == nil && mayNeed[i] {
				rest = append(rest, i)
			}
		}
		var added atomic.Int64
		a.each(ctx, o, rest, nil, func(e *engine, mk func() engine, i int) {
			src, err := readSource(files[i].abs)
			if err != nil || !patterns.MentionsAny(src, names) {
				return
			}
			if *e == nil {
				*e = mk()
			}
			sums[i] = (*e).Summarize(files[i].display, src)
			added.Add(1)
		})
		if added.Load() == 0 || ctx.Err() != nil {
			break
		}
	}
	return readErr, need, patterns.NewIndex(append(sums, guards...)...)
}

// firstLook is what the plan's first step learns of a file from one read.
type firstLook struct {
	err   error // the read error
	size  int
	facts patterns.Facts
}

// takeLook reads the file at path and takes its first look. Nothing of the
// file is kept: its bytes are read into a buffer of bufs, which the next
// file reuses.
func takeLook(path string, cfg patterns.Config, bufs *sync.Pool) *firstLook {
	buf, _ := bufs.Get().([]byte)
	src, err := readSourceInto(path, buf)
	if cap(src) > 0 {
		defer bufs.Put(src[:0])
	}
	if err != nil {
		return &firstLook{err: err}
	}
	return &firstLook{size: len(src), facts: patterns.FileFacts(src, cfg)}
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
					continue // the plan sees the interrupt
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
