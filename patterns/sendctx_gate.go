package patterns

import (
	"bytes"
	"slices"
	"strings"
)

// The hand-off gate: the schedule summarizes every file from its tokens
// (SummarizeLater) and parses for the fns it hands to a Send context
// other than a spawn (handoffCalls) only a file whose hand-offs may
// change a result. A hand-off makes the fn it names Send-required, and
// through the Index's await edges the fns that one awaits; it can change
// a finding only where it reaches an async fn whose requirement decides
// whether a guard or an Rc is reported, or why (a seed, HandOffSeeds).
// The fns that may reach a seed are the seeds and, to a fixed point, the
// fns awaiting a call the Index matched to one of them (SeedReach). A
// file is parsed when a call its slot regions may hand over
// (regionCalls), matched by the Index as it would match the parse's
// (Index.handed), may mean one of those fns.

// Seeds are the async fns of a file whose Send requirement may decide
// whether, or why, a finding is made in it (Index.HandOffSeeds), by
// fnKey.
type Seeds struct {
	// Keys: those of bodies where a guard may be held across an await
	// (a lock acquisition, a call of a guard-returning fn the Index
	// knows), read as if every async body were Send-required; in a file
	// where rc-arc may trigger so read (its gate: rcTrigger, rcHeldMay),
	// those of every body.
	Keys []string
	// ByGuardFn: by candidate key (GuardFnCandidates of any file), those
	// of bodies where a call of it may hold what it returns across an
	// await: seeds when the key is a guard-returning fn, which a parse of
	// its declaring file tells.
	ByGuardFn map[string][]string
	// All: any fn may be one (cfg.Sites, brackets that do not balance).
	All bool
}

// HandOffSeeds returns the seeds of the file at path, whose bytes are
// src, under cfg; keys are the candidate keys of the guard-returning fns
// the run may learn of. A file that MayMatch or mayHoldSite rejects has
// none.
func (ix *Index) HandOffSeeds(path string, src []byte, keys map[string]bool, cfg Config) Seeds {
	var out Seeds
	if !MayMatch(src, cfg) || !ix.mayHoldSite(src, keys, cfg) {
		return out
	}
	if len(cfg.Sites) > 0 {
		return Seeds{All: true}
	}
	fs := readFile(src)
	defer fs.release()
	return ix.seedsAt(fs, path, src, keys, cfg)
}

// seedsAt is HandOffSeeds past its byte tests, with src's tokens read
// into fs.
func (ix *Index) seedsAt(fs *fileSyntax, path string, src []byte, keys map[string]bool, cfg Config) Seeds {
	var out Seeds
	r := ix.readingOf(fs, path, true)
	if r.whole {
		out.All = true
		return out
	}
	seed := func(dst *[]string, i int) {
		if v := fs.bodies[i].via; v >= 0 && !slices.Contains(*dst, fs.fns[v].key) {
			*dst = append(*dst, fs.fns[v].key)
		}
	}
	// rc-arc's gate read as if every body were Send-required: where it
	// lets the file through, the rule may report in any body.
	if cfg.Rules[RuleRcArc] && mayRcWords(src) && r.rcTrigger() && r.rcHeldMay(ix, path) {
		for i := range fs.bodies {
			seed(&out.Keys, i)
		}
	}
	if !guardRules(cfg) {
		return out
	}
	bodyAt := make(map[int32]int, len(fs.bodies)) // open brace -> body
	for i, b := range fs.bodies {
		bodyAt[b.open] = i
	}
	// into returns a keep that adds to dst the fns of the bodies around
	// a site that awaits after it, where the site's statement may hold
	// the guard, and says no to go on to the next site.
	into := func(dst *[]string) func(int) bool {
		return func(off int) bool {
			if !r.stmtMayHold(off) {
				return false
			}
			k := fs.tokenAt(off)
			if k < 0 {
				for i := range fs.bodies {
					if s, e := r.span(i); s <= off && off < e && r.awaitsIn(off, e) {
						seed(dst, i)
					}
				}
				return false
			}
			for open := fs.enclosing(k); open >= 0; open = fs.enclosing(open) {
				if i, ok := bodyAt[open]; ok {
					if _, e := r.span(i); r.awaitsIn(off, e) {
						seed(dst, i)
					}
				}
			}
			return false
		}
	}
	pl := importsParkingLot(src)
	for _, m := range lockMethods {
		hasAcquisition(src, m, pl, into(&out.Keys))
	}
	for key := range ix.guardDecls {
		hasGuardFnCall(src, key, into(&out.Keys))
	}
	for key := range keys {
		if !hasWord(src, []byte(key[strings.LastIndexAny(key, ".:")+1:])) {
			continue
		}
		var ks []string
		if hasGuardFnCall(src, key, into(&ks)); len(ks) > 0 {
			if out.ByGuardFn == nil {
				out.ByGuardFn = map[string][]string{}
			}
			out.ByGuardFn[key] = ks
		}
	}
	return out
}

// MaySeed reports whether HandOffSeeds may give the file s summarizes a
// seed: its brackets do not balance, or an async body of it shares an
// async fn's requirement. When it is false the file need not be read for
// its seeds.
func (s *Summary) MaySeed() bool {
	if s == nil {
		return false
	}
	if s.unbalanced {
		return true
	}
	for _, b := range s.bodies {
		if b.via >= 0 {
			return true
		}
	}
	return false
}

// HandOffsLater returns the indexes of the summaries of files still to
// be parsed for their hand-offs (SummarizeLater).
func HandOffsLater(sums []*Summary) []int {
	var out []int
	for i, s := range sums {
		if s != nil && s.handLater {
			out = append(out, i)
		}
	}
	return out
}

// HandOffGate returns those of later (HandOffsLater's indexes into sums)
// whose hand-offs may reach a seed: a fn their slot regions' calls may
// mean, as the Index matches calls (imports and aliases followed), is one
// of reach (SeedReach), or their reading cannot tell.
func (ix *Index) HandOffGate(sums []*Summary, later []int, reach map[int32]bool) []int {
	if len(reach) == 0 {
		return nil
	}
	var out []int
	for _, i := range later {
		f := ix.files[sums[i].Path]
		if f == nil || f.handAny || slices.ContainsFunc(f.hand, func(id int32) bool { return reach[id] }) {
			out = append(out, i)
		}
	}
	return out
}

// GuardKeysCalled returns, for each file, the candidate keys its seeds
// rest on (Seeds.ByGuardFn): the calls Declarers takes to name the files
// to parse for their guard fns.
func GuardKeysCalled(found []Seeds) [][]string {
	called := make([][]string, len(found))
	for i, s := range found {
		for k := range s.ByGuardFn {
			called[i] = append(called[i], k)
		}
	}
	return called
}

// ReachOf is SeedReach of the seeds found in the files at paths: a seed
// of Seeds.ByGuardFn counts when guards (the GuardSummary of declaring
// files) name its key as a guard-returning fn. all is true when a file's
// seeds may be any fn (Seeds.All): then every file may matter.
func (ix *Index) ReachOf(paths []string, found []Seeds, guards []*Summary) (reach map[int32]bool, all bool) {
	guardFn := map[string]bool{}
	for _, g := range guards {
		if g != nil {
			for k := range g.GuardFns {
				guardFn[k] = true
			}
		}
	}
	seeds := map[string][]string{}
	for i, s := range found {
		all = all || s.All
		keys := s.Keys
		for k, ks := range s.ByGuardFn {
			if guardFn[k] {
				keys = append(keys, ks...)
			}
		}
		if len(keys) > 0 {
			seeds[paths[i]] = keys
		}
	}
	return ix.SeedReach(seeds), all
}

// SeedReach returns the fns from which a seed may be reached, the seeds'
// own included: seeds are fnKeys by file path (HandOffSeeds), and the fns
// that await a call matched to one in the set (Index.callers: precisely,
// or as one of the fns an ambiguous call may mean) join it, to a fixed
// point. A hand-off (a call from a spawn, as the Index matches calls) can
// make a seed Send-required, or change why, or the ambiguity notes
// reaching it, only through a fn of the set.
func (ix *Index) SeedReach(seeds map[string][]string) map[int32]bool {
	in := map[int32]bool{}
	var work []int32
	for path, keys := range seeds {
		f := ix.files[path]
		if f == nil {
			continue
		}
		for _, k := range keys {
			if id, ok := f.keys[k]; ok && !in[id] {
				in[id] = true
				work = append(work, id)
			}
		}
	}
	for len(work) > 0 {
		id := work[len(work)-1]
		work = work[:len(work)-1]
		for _, c := range ix.callers[id] {
			if !in[c] {
				in[c] = true
				work = append(work, c)
			}
		}
	}
	return in
}

// matched returns c with only what resolve reads of it for its shape:
// the modules for `name(..)` and a path, the impl and trait for
// `self.name(..)` and `Self::name(..)`, nothing more for `x.name(..)`.
// Two calls alike so are matched to the same fns.
func (c lexCall) matched() lexCall {
	out := lexCall{body: -1, shape: c.shape, line: c.line}
	switch {
	case c.shape.kind == callRecv:
	case c.shape.kind == callSelf, c.shape.kind == callPath && len(c.shape.segs) == 2 && c.shape.segs[0] == "Self":
		out.owner, out.trait = c.owner, c.trait
	default:
		out.mods = c.mods
	}
	return out
}

// HandedFiles returns the files whose fns a hand-off still to be parsed
// may reach (Summary.handLater): those holding a fn that a fn a pending
// file's slot regions may mean (Index.handed) awaits, to a fixed point
// over the Index's matched calls, ambiguous ones included. Only their
// seeds can make HandOffGate parse a file, so only they need reading for
// seeds. all is true when a pending file's reading cannot tell (any fn).
func (ix *Index) HandedFiles() (files map[string]bool, all bool) {
	in := map[int32]bool{}
	var work []int32
	for _, f := range ix.files {
		if f.handAny {
			return nil, true
		}
		for _, id := range f.hand {
			if !in[id] {
				in[id] = true
				work = append(work, id)
			}
		}
	}
	if len(work) == 0 {
		return map[string]bool{}, false
	}
	callees := make([][]int32, len(ix.fns)) // callers, reversed
	for to, from := range ix.callers {
		for _, c := range from {
			callees[c] = append(callees[c], int32(to))
		}
	}
	for len(work) > 0 {
		id := work[len(work)-1]
		work = work[:len(work)-1]
		for _, c := range callees[id] {
			if !in[c] {
				in[c] = true
				work = append(work, c)
			}
		}
	}
	files = map[string]bool{}
	for path, f := range ix.files {
		for _, id := range f.keys {
			if in[id] {
				files[path] = true
				break
			}
		}
	}
	return files, false
}

// handed records in f the async fns the calls of its slot regions
// (Summary.handCalls) may mean, as propagate would match them.
func (b *ixBuild) handed(f *ixFile) {
	calls := f.sum.handCalls
	if calls == nil {
		f.handAny = true
		return
	}
	add := func(id int32) {
		if b.ix.fns[id].async && !slices.Contains(f.hand, id) {
			f.hand = append(f.hand, id)
		}
	}
	for _, c := range calls {
		switch id := b.resolve(f, c); {
		case id >= 0:
			add(id)
		case id == manyFns:
			for _, m := range b.many {
				add(m)
			}
		}
	}
}

// ReadHandOffs parses src, the file s summarizes, for the fns it hands to
// a Send context other than a spawn, adds them to s, and returns how many
// it found.
func (s *Summary) ReadHandOffs(src []byte) int {
	calls := handoffCalls(bytes.TrimPrefix(src, bom))
	s.calls = append(s.calls, calls...)
	s.handLater = false
	return len(calls)
}
