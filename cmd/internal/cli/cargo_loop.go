package cli

// The compiler loop: for every Send failure rustc reports (a site), try
// the rules' candidate fixes in ladder order (patterns.Engine.Ladder),
// one per site and every site at once, in rounds of one `cargo check`
// each. After a round every new error is put down to the fix whose edited
// lines or bindings it names; those fixes alone are rolled back and their
// sites move to their next candidate. A fix is kept when its Send failure
// is gone and no error is put down to it. The loop ends when no site has
// a candidate left to try, and never with a state the compiler has not
// checked.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// checker runs the compiler over the work tree and returns its messages.
// The loop's only contact with cargo: tests give a fake.
type checker func(ctx context.Context) ([]*rustcDiag, error)

// workTree holds the files the loop tries: a scratch copy of the
// workspace, never the user's files. Paths are slash paths relative to
// the workspace root.
type workTree interface {
	read(path string) ([]byte, error)
	write(path string, data []byte) error
	// rustFiles lists the .rs files of the workspace.
	rustFiles() ([]string, error)
	// packageOf names the package a file belongs to: the folder of the
	// nearest Cargo.toml above it.
	packageOf(path string) string
}

// ladderer computes the candidate fixes of one file's sites.
type ladderer interface {
	Ladder(path string, src []byte) *patterns.LadderResult
	Close()
}

// loop is one run of the compiler loop.
type loop struct {
	check  checker
	tree   workTree
	root   string // where rustc's relative paths start (the work tree's root)
	cfg    patterns.Config
	engine func(patterns.Config, *patterns.Index) ladderer
	// crates, when set, plans tokio-mutex's crate mode over the sources
	// of a package (crateIndex); nil in the fake-checker tests.
	crates    func(cfg patterns.Config, sources map[string][]byte) (*patterns.Index, []string)
	maxRounds int
	// note reports progress ("round 2: 14 candidates, cargo check: ...").
	note func(format string, a ...any)

	files map[string]*loopFile
	// landed are, by file, the edits the last round kept (normalized, on
	// the cur before it).
	landed   map[string][]rewrite.Edit
	sites    map[string]*loopSite
	order    []*loopSite // in the order first reported
	baseline []buildError
	// checked is true when the last check ran on exactly the committed
	// texts: the result is verified.
	checked bool
	// outside are the Send failures in files outside the workspace root.
	outside []sendFailure
	// errs are the errors of the last check that are not Send failures.
	errs []buildError

	rounds, builds int
	elapsed        time.Duration
}

// loopFile is one file the loop has read.
type loopFile struct {
	path string
	orig []byte
	cur  []byte // orig with the kept fixes
	// comp is the edit set that turns orig into cur, for reporting
	// positions in the original.
	comp []rewrite.Edit
	// prev is cur before the last round that changed it.
	prev []byte
	// disk is what the work tree holds (nil: orig).
	disk []byte
	// snaps are cur and comp as they were at the start of each round
	// that changed the file, to go back to when a kept fix is blamed.
	snaps []fileSnap
}

type fileSnap struct {
	round int
	cur   []byte
	comp  []rewrite.Edit
}

// loopSite is one Send failure, followed across rounds.
type loopSite struct {
	key     string
	failure sendFailure // site coordinates in the file's cur
	live    bool        // reported by the last check (or not yet judged)
	rung    int         // the index of the next candidate to try
	tried   []patterns.Attempt
	failed  map[string]bool // candidates rolled back (candKey)
	fix     *loopFix        // the kept fix
	ladder  *patterns.SiteLadder
	// comp is the file's comp when the ladder was computed: candidate
	// positions go back to the original through it.
	comp []rewrite.Edit
}

// loopFix is a candidate applied in a round.
type loopFix struct {
	site  *loopSite
	round int
	cand  patterns.Candidate
	edits map[string][]rewrite.Edit // by file, on its cur when chosen
	// spans are, by file, the bytes of cur the fix's edits wrote (kept
	// fixes: updated as later fixes land).
	spans map[string][2]int
	// from is the site's failure when the fix was chosen (coordinates of
	// base, the cur it was chosen on).
	from sendFailure
	base []byte
	// attempt is the index of the fix's entry in the site's tried.
	attempt int
}

// siteKey identifies a Send failure across edits that move it: file,
// kind, type, and the text of its line with the column in it, with the
// rank of that line among the file's lines of the same text.
func siteKey(f sendFailure, text []byte) string {
	s := f.site
	line, _ := sourceLine(text, s.Line)
	trimmed := strings.TrimSpace(line)
	rank := 0
	for i := 1; i < s.Line; i++ {
		if l, ok := sourceLine(text, i); ok && strings.TrimSpace(l) == trimmed {
			rank++
		}
	}
	col := s.Col - (len([]rune(line)) - len([]rune(strings.TrimLeft(line, " \t"))))
	return fmt.Sprintf("%s\x00%d\x00%s\x00%s\x00%d\x00%d", s.Path, s.Kind, s.Type, trimmed, rank, col)
}

// file returns the loop's view of path, reading it on first use.
func (l *loop) file(path string) (*loopFile, error) {
	if f, ok := l.files[path]; ok {
		return f, nil
	}
	src, err := l.tree.read(path)
	if err != nil {
		return nil, err
	}
	f := &loopFile{path: path, orig: src, cur: src}
	l.files[path] = f
	return f, nil
}

// run runs the loop to its end.
func (l *loop) run(ctx context.Context) error {
	start := time.Now()
	defer func() { l.elapsed = time.Since(start) }()
	l.files, l.sites = map[string]*loopFile{}, map[string]*loopSite{}
	diags, err := l.compile(ctx)
	if err != nil {
		return err
	}
	l.baseline = buildErrors(diags, l.root)
	l.errs = l.baseline
	l.checked = true
	if err := l.absorb(sendFailures(diags, l.root), nil, nil); err != nil {
		return err
	}
	l.note("cargo check: %s", plural(len(l.live()), "Send failure", "Send failures"))
	for {
		fixes, err := l.choose()
		if err != nil {
			return err
		}
		if len(fixes) == 0 && l.checked {
			return nil
		}
		if len(fixes) > 0 && l.rounds >= l.maxRounds {
			fixes = nil // out of rounds: only verify what is kept
			if l.checked {
				return nil
			}
		}
		if err := l.round(ctx, fixes); err != nil {
			return err
		}
	}
}

// compile runs the checker once.
func (l *loop) compile(ctx context.Context) ([]*rustcDiag, error) {
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	l.builds++
	return l.check(ctx)
}

// live returns the sites of the last check that are not fixed.
func (l *loop) live() []*loopSite {
	var out []*loopSite
	for _, s := range l.order {
		if s.live && s.fix == nil {
			out = append(out, s)
		}
	}
	return out
}

// absorb takes the Send failures of a check. Their lines and columns are
// of checked[path] (cur when absent); toCur maps an offset of that text to
// cur (-1: the place is gone) and is nil when the check was of cur. A
// failure already known (same key) keeps its state.
func (l *loop) absorb(fs []sendFailure, checked map[string][]byte, toCur func(path string, off int) int) error {
	for _, s := range l.order {
		s.live = false
	}
	seen := map[*loopSite]bool{}
	for _, f := range fs {
		if f.outside != "" {
			l.outside = appendFailure(l.outside, f)
			continue
		}
		lf, err := l.file(f.site.Path)
		if err != nil {
			return err
		}
		text, ok := checked[f.site.Path]
		if !ok {
			text = lf.cur
		}
		key := siteKey(f, text)
		if toCur != nil && ok {
			at := toCur(f.site.Path, offsetOf(text, f.site.Line, f.site.Col))
			if at < 0 {
				continue // in text that is gone: the next check says again
			}
			f.site.Line, f.site.Col = posOf(lf.cur, at)
			if f.site.AwaitLine > 0 {
				if aw := toCur(f.site.Path, offsetOf(text, f.site.AwaitLine, f.site.AwaitCol)); aw >= 0 {
					f.site.AwaitLine, f.site.AwaitCol = posOf(lf.cur, aw)
				} else {
					f.site.AwaitLine, f.site.AwaitCol = 0, 0
				}
			}
			f.lineText = nil
		}
		s := l.sites[key]
		if s == nil || seen[s] {
			if s != nil {
				key += fmt.Sprintf("\x00%d", len(l.order))
			}
			s = &loopSite{key: key, failed: map[string]bool{}}
			l.sites[key] = s
			l.order = append(l.order, s)
		}
		seen[s] = true
		s.failure, s.live, s.fix = f, true, nil
	}
	return nil
}

// appendFailure appends f unless it is there.
func appendFailure(fs []sendFailure, f sendFailure) []sendFailure {
	for _, g := range fs {
		if g.site == f.site && g.outside == f.outside {
			return fs
		}
	}
	return append(fs, f)
}

// candKey identifies a candidate across rounds, whose ladders are made
// again on the texts of the day.
func candKey(c patterns.Candidate) string { return c.Rung.String() + "\x00" + c.Finding.Fix }

// packageSources returns the sources of the .rs files of pkg, as the
// loop has them.
func (l *loop) packageSources(pkg string) map[string][]byte {
	paths, err := l.tree.rustFiles()
	if err != nil {
		return nil
	}
	out := map[string][]byte{}
	for _, p := range paths {
		if l.tree.packageOf(p) != pkg {
			continue
		}
		if f, err := l.file(p); err == nil {
			out[p] = f.cur
		}
	}
	return out
}

// pkgPlan is what choose computes once per package and round: the crate
// plan of tokio-mutex over the package's sources, and what the swap
// changes in each file of the crates that swap. Nothing it reads changes
// while a round's candidates are chosen (choose writes no file), so the
// files of a package share it.
type pkgPlan struct {
	cfg        patterns.Config // Sites: the live sites of every file of the package
	idx        *patterns.Index
	crateFiles []string
	swaps      map[string][]rewrite.Edit // by file, computed on first need
	swapsDone  bool
}

// plan returns the plan of package pkg, whose live sites are sites.
func (l *loop) plan(pkg string, sites []patterns.Site) *pkgPlan {
	pp := &pkgPlan{cfg: l.cfg}
	pp.cfg.Sites = sites
	if l.crates != nil {
		pp.idx, pp.crateFiles = l.crates(pp.cfg, l.packageSources(pkg))
	}
	return pp
}

// choose computes the ladder of every live site on the committed texts
// and picks for each its best candidate not yet failed. A candidate whose
// edits overlap one already picked waits for the next round.
func (l *loop) choose() ([]*loopFix, error) {
	byFile := map[string][]*loopSite{}
	var paths []string
	pkgSites := map[string][]patterns.Site{}
	for _, s := range l.live() {
		p := s.failure.site.Path
		if byFile[p] == nil {
			paths = append(paths, p)
		}
		byFile[p] = append(byFile[p], s)
		pkg := l.tree.packageOf(p)
		pkgSites[pkg] = append(pkgSites[pkg], s.failure.site)
	}
	if len(paths) == 0 {
		return nil, nil
	}
	sort.Strings(paths)
	plans := map[string]*pkgPlan{}
	var fixes []*loopFix
	picked := map[string][]rewrite.Edit{}
	for _, p := range paths {
		lf, err := l.file(p)
		if err != nil {
			return nil, err
		}
		pkg := l.tree.packageOf(p)
		pp := plans[pkg]
		if pp == nil {
			pp = l.plan(pkg, pkgSites[pkg])
			plans[pkg] = pp
		}
		cfg := l.cfg
		cfg.Sites = nil
		for _, s := range byFile[p] {
			cfg.Sites = append(cfg.Sites, s.failure.site)
		}
		e := l.engine(cfg, pp.idx)
		res := e.Ladder(p, lf.cur)
		e.Close()
		l.swapElsewhere(res, p, pp)
		if res.Internal != nil {
			l.note("warning: %s: %v", p, res.Internal)
		}
		for i, s := range byFile[p] {
			if i >= len(res.Sites) {
				break
			}
			sl := res.Sites[i]
			s.ladder, s.comp = &sl, lf.comp
			for _, c := range sl.Candidates {
				if s.failed[candKey(c)] {
					continue
				}
				fx := &loopFix{site: s, round: l.rounds + 1, cand: c, edits: map[string][]rewrite.Edit{}, spans: map[string][2]int{}, from: s.failure, base: lf.cur}
				clash := false
				for _, fe := range c.Edits {
					fx.edits[fe.Path] = fe.Edits
					clash = clash || rewrite.Overlaps(picked[fe.Path], fe.Edits)
				}
				if !clash {
					for path, es := range fx.edits {
						picked[path] = append(picked[path], es...)
					}
					fixes = append(fixes, fx)
				}
				break
			}
		}
	}
	return fixes, nil
}

// swapElsewhere adds to every tokio swap candidate of res the edits the
// swap makes in the other files of p's crate, when crate mode decided it
// (pp.crateFiles): the lock type spelled in one file moves with the lock
// sites of another, as a run over the whole crate would move them.
func (l *loop) swapElsewhere(res *patterns.LadderResult, p string, pp *pkgPlan) {
	if pp.idx == nil || len(pp.crateFiles) == 0 {
		return
	}
	for i := range res.Sites {
		for j := range res.Sites[i].Candidates {
			c := &res.Sites[i].Candidates[j]
			if c.Rung != patterns.RungTokioSwap {
				continue
			}
			for _, q := range pp.crateFiles {
				if es := l.crateSwapEdits(pp)[q]; q != p && len(es) > 0 {
					c.Edits = append(c.Edits, patterns.FileEdits{Path: q, Edits: es})
				}
			}
		}
	}
}

// crateSwapEdits runs tokio-mutex alone on the files of the crates that
// swap and returns, by file, the edits it makes there: the small edits
// of each fix, so that a suggestion's spans cover what changes. They are
// computed once per plan: a file's swap does not depend on which file's
// site asks for it.
func (l *loop) crateSwapEdits(pp *pkgPlan) map[string][]rewrite.Edit {
	if pp.swapsDone {
		return pp.swaps
	}
	pp.swapsDone = true
	cfg := pp.cfg
	cfg.Rules = map[string]bool{patterns.RuleTokioMutex: true, patterns.RuleMutexScope: false, patterns.RuleRcArc: false}
	cfg.Sites = nil
	e := patterns.NewEngine(cfg, pp.idx)
	defer e.Close()
	pp.swaps = map[string][]rewrite.Edit{}
	for _, q := range pp.crateFiles {
		f, err := l.file(q)
		if err != nil {
			continue
		}
		res := e.Run(q, f.cur)
		if res.Internal != nil || bytes.Equal(res.Out, f.cur) {
			continue
		}
		pp.swaps[q] = fixEdits(res)
	}
	return pp.swaps
}

// fixEdits returns the edits of all of res's Fixes, sorted: applied to
// res.In they give res.Out. Should they not (a Result whose Fixes miss
// a change), it is one edit of the whole file, which does.
func fixEdits(res *patterns.Result) []rewrite.Edit {
	var out []rewrite.Edit
	for _, fx := range res.Fixes {
		out = append(out, fx.Edits...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	if got, err := rewrite.Apply(res.In, out); err != nil || !bytes.Equal(got, res.Out) {
		return []rewrite.Edit{{Start: 0, End: len(res.In), New: string(res.Out)}}
	}
	return out
}

// crateIndex summarizes the sources of a package and plans tokio-mutex's
// crate mode over them (patterns.PlanCrates); it returns the Index and
// the files of the crates that swap.
func crateIndex(cfg patterns.Config, sources map[string][]byte) (*patterns.Index, []string) {
	paths := make([]string, 0, len(sources))
	for p := range sources {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	sum := patterns.NewEngine(cfg, nil)
	var sums []*patterns.Summary
	for _, p := range paths {
		sums = append(sums, sum.Summarize(p, sources[p]))
	}
	sum.Close()
	idx := patterns.NewIndex(sums...)
	read := func(p string) ([]byte, error) {
		if b, ok := sources[p]; ok {
			return b, nil
		}
		return nil, os.ErrNotExist
	}
	return idx, patterns.PlanCrates(cfg, idx, paths, nil, read)
}

// kept returns the fixes in the committed texts.
func (l *loop) kept() []*loopFix {
	var out []*loopFix
	for _, s := range l.order {
		if s.fix != nil {
			out = append(out, s.fix)
		}
	}
	return out
}

// round applies fixes (none: a check of the committed texts alone),
// checks, and judges.
func (l *loop) round(ctx context.Context, fixes []*loopFix) error {
	l.rounds++
	all := map[string][]rewrite.Edit{}
	for _, fx := range fixes {
		for p, es := range fx.edits {
			all[p] = append(all[p], es...)
		}
	}
	trial := map[string][]byte{}
	for p, es := range all {
		lf, err := l.file(p)
		if err != nil {
			return err
		}
		norm, err := rewrite.Normalize(es, len(lf.cur))
		if err != nil {
			return fmt.Errorf("%s: candidates of round %d: %v", p, l.rounds, err)
		}
		all[p] = norm
		if trial[p], err = rewrite.Apply(lf.cur, norm); err != nil {
			return err
		}
		for _, fx := range fixes {
			if es, ok := fx.edits[p]; ok {
				fx.spans[p] = spanOf(es, norm)
			}
		}
	}
	if err := l.sync(trial); err != nil {
		return err
	}
	diags, err := l.compile(ctx)
	if err != nil {
		return err
	}
	failures, errs := sendFailures(diags, l.root), buildErrors(diags, l.root)
	l.errs = errs
	fresh := newErrors(l.baseline, errs, nil)
	blamed, blamedKept := l.blame(fresh, fixes, all, trial)
	for _, fx := range fixes {
		if blamed[fx] == "" {
			if f, ok := stillFailing(fx, failures, all, trial, l.files); ok {
				blamed[fx] = "still not Send: " + f.text
			}
		}
	}
	nKept := l.commit(fixes, blamed, all)
	reset := l.undo(blamedKept)
	l.checked = len(blamed) == 0 && len(reset) == 0
	// Failures in text that stays map to the new texts; a file gone back
	// to a snapshot is checked again.
	err = l.absorb(failures, trial, func(path string, off int) int {
		if reset[path] {
			return -1
		}
		es, ok := all[path]
		if !ok {
			return off
		}
		var keep []rewrite.Edit
		for _, fx := range fixes {
			if blamed[fx] == "" {
				keep = append(keep, fx.edits[path]...)
			}
		}
		k, _ := rewrite.Normalize(keep, len(l.files[path].cur))
		return trialToKept(off, es, k)
	})
	if err != nil {
		return err
	}
	// A site whose fix was rolled back stays where it was.
	for _, fx := range fixes {
		s := fx.site
		p := fx.from.site.Path
		if blamed[fx] == "" || s.live || reset[p] {
			continue
		}
		s.failure, s.live = fx.from, true
		l.forward(&s.failure, p)
	}
	l.note("round %d: %s tried, %s kept, %s rolled back; cargo check: %s, %s", l.rounds,
		plural(len(fixes), "candidate", "candidates"), plural(nKept, "fix", "fixes"), plural(len(blamed), "fix", "fixes"),
		plural(len(l.live()), "Send failure", "Send failures"), plural(len(fresh), "new error", "new errors"))
	return nil
}

// forward moves a failure's coordinates, of the cur before the last
// round, through the edits that round kept.
func (l *loop) forward(f *sendFailure, path string) {
	es := l.landed[path]
	if len(es) == 0 {
		return
	}
	lf := l.files[path]
	prev := lf.prev
	if off := offsetOf(prev, f.site.Line, f.site.Col); off >= 0 {
		f.site.Line, f.site.Col = posOf(lf.cur, forwardOff(off, es, false))
	}
	if f.site.AwaitLine > 0 {
		if off := offsetOf(prev, f.site.AwaitLine, f.site.AwaitCol); off >= 0 {
			f.site.AwaitLine, f.site.AwaitCol = posOf(lf.cur, forwardOff(off, es, false))
		}
	}
}

// sync writes to the work tree every file whose text there is not the
// one to check: trial for the files given, cur for the others.
func (l *loop) sync(trial map[string][]byte) error {
	paths := make([]string, 0, len(l.files))
	for p := range l.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f := l.files[p]
		want, ok := trial[p]
		if !ok {
			want = f.cur
		}
		if f.disk == nil && string(want) == string(f.orig) || string(f.disk) == string(want) && f.disk != nil {
			continue
		}
		if err := l.tree.write(p, want); err != nil {
			return err
		}
		f.disk = want
	}
	return nil
}

// spanOf returns the bytes of the result of all (normalized) that the
// edits es (a subset of all, identical edits counted once) wrote.
func spanOf(es, all []rewrite.Edit) [2]int {
	in := map[rewrite.Edit]bool{}
	for _, e := range es {
		in[e] = true
	}
	sp := [2]int{-1, -1}
	for i, r := range rewrite.Images(all) {
		if !in[all[i]] {
			continue
		}
		if sp[0] < 0 {
			sp[0] = r[0]
		}
		sp[1] = r[1]
	}
	return sp
}

// linesMeet reports whether a line range meets any of ranges.
func linesMeet(r [2]int, ranges [][2]int) bool {
	for _, x := range ranges {
		if r[0] <= x[1] && x[0] <= r[1] {
			return true
		}
	}
	return false
}

// names reports whether the text a fix wrote or replaced in path quotes
// any of names as an identifier.
func (fx *loopFix) names(path string, cur []byte, names []string) bool {
	for _, e := range fx.edits[path] {
		for _, t := range []string{e.New, string(cur[e.Start:e.End])} {
			for _, n := range names {
				if hasWord(t, n) {
					return true
				}
			}
		}
	}
	return false
}

// hasWord reports whether s holds the identifier w, not as part of a
// longer one.
func hasWord(s, w string) bool {
	word := func(b byte) bool {
		return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || !word(s[j-1])) && (j+len(w) == len(s) || !word(s[j+len(w)])) {
			return true
		}
		i = j + 1
	}
}

// typeChanging reports whether a fix may break code it did not touch: it
// changes a type (a swap, Rc to Arc) or edits several files.
func (fx *loopFix) typeChanging() bool {
	return len(fx.edits) > 1 || fx.cand.Rung == patterns.RungTokioSwap || fx.cand.Rung == patterns.RungRcArc
}

// blame puts each new error down to the fixes it is about: those of this
// round whose written lines it covers, else whose text quotes a name it
// names, else kept fixes whose lines it covers, else the fixes of its
// file, else those that change types, else all. It returns the verdict
// of each fix of this round blamed and of each kept fix blamed.
func (l *loop) blame(fresh []buildError, fixes []*loopFix, all map[string][]rewrite.Edit, trial map[string][]byte) (round, kept map[*loopFix]string) {
	round, kept = map[*loopFix]string{}, map[*loopFix]string{}
	for _, e := range fresh {
		var hit []*loopFix
		pick := func(ok func(fx *loopFix) bool, from []*loopFix) {
			if len(hit) > 0 {
				return
			}
			for _, fx := range from {
				if ok(fx) {
					hit = append(hit, fx)
				}
			}
		}
		text, inTrial := trial[e.path]
		pick(func(fx *loopFix) bool {
			sp, ok := fx.spans[e.path]
			return ok && inTrial && linesMeet(lineRange(text, sp[0], sp[1]), e.lines)
		}, fixes)
		if lf := l.files[e.path]; lf != nil {
			pick(func(fx *loopFix) bool { return fx.names(e.path, lf.cur, e.names) }, fixes)
			old := l.kept()
			pick(func(fx *loopFix) bool {
				sp, ok := fx.spans[e.path]
				if !ok {
					return false
				}
				if inTrial {
					sp = forwardSpan(sp, all[e.path])
				} else {
					text = lf.cur
				}
				return linesMeet(lineRange(text, sp[0], sp[1]), e.lines)
			}, old)
			if len(hit) > 0 && !isRound(hit[0], fixes) {
				for _, fx := range hit {
					if kept[fx] == "" {
						kept[fx] = e.String()
					}
				}
				continue
			}
		}
		pick(func(fx *loopFix) bool { _, ok := fx.edits[e.path]; return ok }, fixes)
		pick(func(fx *loopFix) bool { return fx.typeChanging() }, fixes)
		pick(func(*loopFix) bool { return true }, fixes)
		if len(hit) == 0 {
			// No fix of this round: the kept ones of its file, or that
			// change types, or all of them.
			old := l.kept()
			pick(func(fx *loopFix) bool { _, ok := fx.edits[e.path]; return ok }, old)
			pick(func(fx *loopFix) bool { return fx.typeChanging() }, old)
			pick(func(*loopFix) bool { return true }, old)
			for _, fx := range hit {
				if kept[fx] == "" {
					kept[fx] = e.String()
				}
			}
			continue
		}
		for _, fx := range hit {
			if round[fx] == "" {
				round[fx] = e.String()
			}
		}
	}
	return round, kept
}

func isRound(fx *loopFix, fixes []*loopFix) bool {
	for _, f := range fixes {
		if f == fx {
			return true
		}
	}
	return false
}

// stillFailing returns the Send failure of the last check that says fx
// did not make its site Send: one of the site's type in the bytes the fix
// wrote, or where the site was.
func stillFailing(fx *loopFix, failures []sendFailure, all map[string][]rewrite.Edit, trial map[string][]byte, files map[string]*loopFile) (sendFailure, bool) {
	site := fx.from.site
	text := trial[site.Path]
	lf := files[site.Path]
	if text == nil || lf == nil {
		return sendFailure{}, false
	}
	at := -1
	if off := offsetOf(lf.cur, site.Line, site.Col); off >= 0 {
		at = forwardOff(off, all[site.Path], false)
	}
	sp := fx.spans[site.Path]
	for _, f := range failures {
		if f.outside != "" || f.site.Path != site.Path || f.site.Type != site.Type {
			continue
		}
		off := offsetOf(text, f.site.Line, f.site.Col)
		if off == at || sp[0] <= off && off < sp[1] {
			return f, true
		}
	}
	return sendFailure{}, false
}

// commit applies the fixes of a round that are not blamed to the
// committed texts and records every fix's attempt.
func (l *loop) commit(fixes []*loopFix, blamed map[*loopFix]string, all map[string][]rewrite.Edit) int {
	n := 0
	keep := map[string][]rewrite.Edit{}
	for _, fx := range fixes {
		s := fx.site
		a := patterns.Attempt{Rung: fx.cand.Rung, Fix: fx.cand.Finding.Fix, Verdict: "compiles", Kept: true}
		if v := blamed[fx]; v != "" {
			a.Verdict, a.Kept = v, false
			s.failed[candKey(fx.cand)] = true
		} else {
			s.fix = fx
			n++
			for p, es := range fx.edits {
				keep[p] = append(keep[p], es...)
			}
		}
		fx.attempt = len(s.tried)
		s.tried = append(s.tried, a)
	}
	l.landed = map[string][]rewrite.Edit{}
	for p, es := range keep {
		lf := l.files[p]
		norm, err := rewrite.Normalize(es, len(lf.cur))
		if err != nil {
			continue // unreachable: a subset of a round's edits
		}
		next, err := rewrite.Apply(lf.cur, norm)
		if err != nil {
			continue
		}
		cs, err := rewrite.Compose(lf.orig, [][]rewrite.Edit{lf.comp, norm})
		if err != nil {
			continue
		}
		comp := rewrite.Edits(cs)
		lf.snaps = append(lf.snaps, fileSnap{round: l.rounds, cur: lf.cur, comp: lf.comp})
		for _, fx := range l.kept() {
			if sp, ok := fx.spans[p]; ok && fx.round < l.rounds {
				fx.spans[p] = forwardSpan(sp, norm)
			}
		}
		for _, fx := range fixes {
			if blamed[fx] == "" {
				if es, ok := fx.edits[p]; ok {
					fx.spans[p] = spanOf(es, norm)
				}
			}
		}
		lf.prev, lf.cur, lf.comp = lf.cur, next, comp
		l.landed[p] = norm
	}
	return n
}

// undo takes kept fixes the last check blamed out of the committed texts:
// each of their files goes back to its text before the round of the
// earliest of them, and every fix of that file since is undone (its site
// is tried again when the compiler reports it). It returns the files
// reset.
func (l *loop) undo(blamed map[*loopFix]string) map[string]bool {
	reset := map[string]bool{}
	for fx, why := range blamed {
		s := fx.site
		s.tried[fx.attempt].Verdict = "compiled, then " + why
		s.tried[fx.attempt].Kept = false
		s.failed[candKey(fx.cand)] = true
		for p := range fx.edits {
			lf := l.files[p]
			for i, sn := range lf.snaps {
				if sn.round == fx.round {
					lf.cur, lf.comp, lf.snaps = sn.cur, sn.comp, lf.snaps[:i]
					reset[p] = true
					break
				}
			}
		}
	}
	for _, fx := range l.kept() {
		for p := range fx.edits {
			if reset[p] && l.files[p].roundOf(fx) {
				if fx.site.tried[fx.attempt].Kept {
					fx.site.tried[fx.attempt].Kept = false
					fx.site.tried[fx.attempt].Verdict += " (undone with a fix of the same file)"
				}
				fx.site.fix = nil
			}
		}
	}
	return reset
}

// roundOf reports whether fx is no longer in the file's committed text
// (its round is after the file's last snapshot).
func (f *loopFile) roundOf(fx *loopFix) bool {
	last := 0
	if len(f.snaps) > 0 {
		last = f.snaps[len(f.snaps)-1].round
	}
	return fx.round > last
}

// findings returns the findings of path at the end: for each Send failure
// the loop fixed, the fix's finding; for each left, the rules' refusal or
// the compiler's message; each with what was tried, in positions of the
// original file.
func (l *loop) findings(path string) []patterns.Finding {
	fs, _ := l.findingSites(path)
	return fs
}

// findingSites is findings, with the site each finding answers.
func (l *loop) findingSites(path string) ([]patterns.Finding, []*loopSite) {
	lf := l.files[path]
	var out []patterns.Finding
	var sites []*loopSite
	back := func(comp []rewrite.Edit, off int) patterns.Pos {
		if off < 0 {
			return patterns.Pos{Offset: -1}
		}
		o := backOff(off, comp)
		line, col := posOf(lf.orig, o)
		return patterns.Pos{Line: line, Col: col, Offset: o}
	}
	for _, s := range l.order {
		if s.failure.site.Path != path || s.fix == nil && !s.live {
			continue
		}
		// comp and text are the edits from the original and the text
		// that the positions of the site and its ladder are of.
		site, comp, text := s.failure.site, lf.comp, lf.cur
		if s.fix != nil {
			site, comp, text = s.fix.from.site, s.comp, s.fix.base
		}
		var f patterns.Finding
		fcomp := s.comp // the ladder's positions
		if c, ok := lastTried(s); ok {
			f = c.Finding
		} else if s.ladder != nil && len(s.ladder.Refusals) > 0 {
			f = s.ladder.Refusals[0]
		} else {
			f = rustcFinding(s.failure, "no rule fixes this")
			f.Pos.Offset = offsetOf(text, f.Pos.Line, f.Pos.Col)
			if f.Await != nil {
				f.Await.Offset = offsetOf(text, f.Await.Line, f.Await.Col)
			}
			fcomp = comp
		}
		f.Pos = back(fcomp, f.Pos.Offset)
		if f.Await != nil {
			aw := back(fcomp, f.Await.Offset)
			f.Await = &aw
		}
		if s.fix == nil && len(s.tried) > 0 {
			f.Fixed, f.Fix = false, ""
			f.Reason = "no candidate compiled: " + triedText(patterns.Finding{Tried: s.tried})
		}
		// The site as rustc reported it, in the original's lines.
		p := back(comp, offsetOf(text, site.Line, site.Col))
		site.Line, site.Col = p.Line, p.Col
		if site.AwaitLine > 0 {
			a := back(comp, offsetOf(text, site.AwaitLine, site.AwaitCol))
			site.AwaitLine, site.AwaitCol = a.Line, a.Col
		}
		f.Site = &site
		f.Tried = s.tried
		out = append(out, f)
		sites = append(sites, s)
	}
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return out[idx[i]].Pos.Offset < out[idx[j]].Pos.Offset })
	fs, ss := make([]patterns.Finding, len(out)), make([]*loopSite, len(out))
	for k, i := range idx {
		fs[k], ss[k] = out[i], sites[i]
	}
	return fs, ss
}

// lastTried returns the candidate of s's ladder that was tried last (the
// kept one, when s is fixed).
func lastTried(s *loopSite) (patterns.Candidate, bool) {
	if s.fix != nil {
		return s.fix.cand, true
	}
	if len(s.tried) == 0 || s.ladder == nil {
		return patterns.Candidate{}, false
	}
	last := s.tried[len(s.tried)-1]
	for _, c := range s.ladder.Candidates {
		if c.Rung == last.Rung && c.Finding.Fix == last.Fix {
			return c, true
		}
	}
	for _, c := range s.ladder.Candidates {
		if c.Rung == last.Rung {
			return c, true
		}
	}
	return patterns.Candidate{}, false
}
