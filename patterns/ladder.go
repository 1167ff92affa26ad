package patterns

// The ladder: candidate fixes for the compiler to judge.
//
// Without a compiler a rule fixes only what the syntax proves and refuses
// the rest. With one (sendfix --cargo, cargo sendfix) uncertainty becomes
// an experiment: for each Send failure rustc reports (a Site), the engine
// returns every fix the rules can make for it, in order of preference (a
// ladder), and the caller applies one, runs the compiler, and keeps it or
// moves to the next. The rungs, best first:
//
//	scope        the value's statements in a block that ends before the await,
//	             bindings made in it and used later coming out as its value
//	grown scope  the block grown to the last use of every binding that may
//	             borrow from the value (when those uses come before the await)
//	hoist        a temporary guard bound with `let` in a block of its own, in
//	             place, so that only the value left crosses the await
//	tokio swap   the lock swapped for tokio's (the whole file; across the
//	             package when the rule can)
//	rc-arc       Rc becomes Arc for the type rustc names
//
// The contract with the rules (see proposal in engine.go):
//
//   - A rule returns proposals as always. A proposal with edits and an
//     empty unsure is a fix the rule stands by.
//   - When the syntax alone cannot decide whether a fix is right (the
//     ownership of a method's result, a type decided in another file, a
//     `Default::default()` whose type is elsewhere), the rule still
//     computes the edits and sets unsure to the doubt, worded as a
//     refusal ("`.trim()` may return a reference into the guard"). Without
//     the compiler the engine turns it into that refusal (propose); under
//     Config.Candidates it is a candidate. A refusal for a real reason (a
//     `blocking_lock()` that would run on a runtime thread, a `pub` type
//     without --allow-public) stays a proposal without edits.
//   - A rule may return several proposals for one finding, one per rung
//     (rung field), but only when fc.cfg.Candidates is set: without it
//     the first fix of a finding is applied and a second would overlap.
//   - about names the source ranges a proposal is about, so that the
//     engine knows which compiler site it answers (Finding.Site). The
//     default (the let or expression at Finding.Pos) fits a guard; a rule
//     whose finding sits away from what rustc names (rc-arc: the Rc's
//     binding, while rustc names the captured use) lists the bindings.
//   - extra carries the edits of other files, for a fix that spans the
//     package.
//
// Each candidate is a complete edit set: its own edits, followed by the
// sure fixes its result calls for (rules run again on the result, keeping
// the fixes that touch what the candidate changed), composed into one set
// of edits on the file as given. Candidates of different sites apply
// together when their edits do not overlap.

import (
	"fmt"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Rung is a kind of candidate fix; smaller rungs are preferred.
type Rung int

// The rungs of the ladder, in order of preference.
const (
	RungScope Rung = iota + 1
	RungGrownScope
	RungHoist
	RungTokioSwap
	RungRcArc
)

var rungNames = [...]string{"", "scope", "grown scope", "hoist", "tokio swap", "rc-arc"}

// String returns the rung's name as reports print it ("grown scope").
func (r Rung) String() string {
	if r > 0 && int(r) < len(rungNames) {
		return rungNames[r]
	}
	return fmt.Sprintf("rung %d", int(r))
}

// rungOf is the rung of a proposal: its own, or its rule's usual one.
func rungOf(p *proposal) Rung {
	if p.rung != 0 {
		return p.rung
	}
	switch p.f.Rule {
	case RuleTokioMutex:
		return RungTokioSwap
	case RuleRcArc:
		return RungRcArc
	}
	return RungScope
}

// FileEdits are the edits of one file, by the path it is known by.
type FileEdits struct {
	Path  string
	Edits []rewrite.Edit
}

// Candidate is one fix for one site.
type Candidate struct {
	Rung Rung
	// Finding is the rule's finding, Fixed, with Fix saying what the
	// candidate does and Site the site it answers.
	Finding Finding
	// Unsure is why the rule could not prove the fix from the syntax
	// ("" when it could).
	Unsure string
	// Edits are the candidate's edits, the site's file first, each as
	// offsets of the file as given (a BOM included). They do not overlap
	// within a file.
	Edits []FileEdits
}

// SiteLadder is what the rules propose for one site.
type SiteLadder struct {
	Site Site
	// Candidates are the fixes, best first; none overlap-free duplicates.
	Candidates []Candidate
	// Refusals are the findings that answer the site without a fix, each
	// with its Reason: what the rules said when no candidate is left.
	Refusals []Finding
}

// LadderResult is Engine.Ladder's answer for one file.
type LadderResult struct {
	Path     string
	Sites    []SiteLadder // one per site of the file in Config.Sites, in that order
	Warnings []string
	Internal error
}

// propose runs the enabled rules over fc and returns their proposals. A
// proposal the rule is unsure of becomes a refusal unless the compiler
// judges (Config.Candidates), and so does one that spans files; each
// proposal's finding carries the site it answers.
func (e *Engine) propose(fc *fileCtx) []proposal {
	var props []proposal
	for _, r := range rules {
		if e.cfg.Rules[r.name] || r.name == RuleMutexScope && e.cfg.Rules[RuleTokioMutex] {
			for _, p := range r.run(fc) {
				if e.cfg.Rules[p.f.Rule] {
					props = append(props, p)
				}
			}
		}
	}
	for i := range props {
		p := &props[i]
		switch {
		case fc.cfg.Candidates:
		case p.unsure != "" && len(p.edits) > 0:
			p.f.Reason, p.f.Fix, p.edits = p.unsure, "", nil
		case len(p.extra) > 0:
			p.f.Reason, p.f.Fix, p.edits = "the fix spans files of the package; only the compiler loop (--cargo) tries it", "", nil
		}
		if !fc.cfg.Candidates {
			p.extra = nil
		}
		if s := fc.siteOf(p); s != nil {
			site := s.Site
			p.f.Site = &site
		}
	}
	noteAmbiguous(fc.bodies, props)
	return props
}

// siteOf returns the first site of fc that p answers, or nil.
func (fc *fileCtx) siteOf(p *proposal) *siteAt {
	for i := range fc.sites {
		if fc.answers(&fc.sites[i], p) {
			return &fc.sites[i]
		}
	}
	return nil
}

// answers reports whether proposal p answers site s: the site lies in a
// range p is about; or, for a captured value, the site's word is a
// binding p is about (rustc names the use in the async block, a rule the
// binding); or, for an async body with no value named, p's finding is in
// that body and of a rule for the type rustc names.
func (fc *fileCtx) answers(s *siteAt, p *proposal) bool {
	if s == nil || s.off < 0 {
		return false
	}
	about := p.about
	if len(about) == 0 {
		about = fc.defaultAbout(p)
	}
	for _, r := range about {
		if r[0] <= s.off && s.off < r[1] {
			return true
		}
	}
	switch s.Kind {
	case SiteCaptured:
		w := wordAt(fc.src, s.off)
		for _, r := range about {
			if w != "" && r[1]-r[0] == len(w) && string(fc.src[r[0]:r[1]]) == w {
				return true
			}
		}
	case SiteBody:
		b := innermostBody(fc.bodies, s.off)
		if b == nil || innermostBody(fc.bodies, p.f.Pos.Offset) != b {
			return false
		}
		return (p.f.Rule == RuleRcArc) == (siteGuardKind(s.Type) == "")
	}
	return false
}

// defaultAbout is the range a proposal without about is about: the let
// declaration holding its position, or else the largest expression that
// starts there (a temporary guard).
func (fc *fileCtx) defaultAbout(p *proposal) [][2]int {
	off := p.f.Pos.Offset
	if off < 0 || off >= len(fc.src) {
		return nil
	}
	// The chain of named nodes holding off, outermost first.
	var chain []*sitter.Node
	for n := fc.root; n != nil; {
		chain = append(chain, n)
		var next *sitter.Node
		for i := 0; i < int(n.NamedChildCount()); i++ {
			c := n.NamedChild(i)
			if int(c.StartByte()) <= off && off < int(c.EndByte()) {
				next = c
				break
			}
		}
		n = next
	}
	for i := len(chain) - 1; i >= 0 && chain[i].Type() != "block"; i-- {
		if chain[i].Type() == "let_declaration" {
			return [][2]int{{int(chain[i].StartByte()), int(chain[i].EndByte())}}
		}
	}
	end := off + 1
	for i := len(chain) - 1; i > 0 && int(chain[i].StartByte()) == off; i-- {
		if t := chain[i].Type(); t == "block" || t == "expression_statement" {
			break
		}
		end = int(chain[i].EndByte())
	}
	return [][2]int{{off, end}}
}

// wordAt returns the identifier that starts at off, or "".
func wordAt(src []byte, off int) string {
	end := off
	for end < len(src) && (src[end] == '_' || src[end] >= 'a' && src[end] <= 'z' || src[end] >= 'A' && src[end] <= 'Z' || src[end] >= '0' && src[end] <= '9') {
		end++
	}
	return string(src[off:end])
}

// Ladder returns, for each site of Config.Sites in path, the candidate
// fixes the rules propose, best first, each a complete edit set (see the
// file's comment), and the refusals. Config.Candidates is implied. src is
// the file as given; the sites' lines and columns are of src.
func (e *Engine) Ladder(path string, src []byte) *LadderResult {
	res := &LadderResult{Path: path}
	var mine []Site
	for _, s := range e.cfg.Sites {
		if s.Path == path {
			mine = append(mine, s)
		}
	}
	if len(mine) == 0 {
		return res
	}
	for _, s := range mine {
		res.Sites = append(res.Sites, SiteLadder{Site: s})
	}
	if e.tooLarge(src) {
		res.Warnings = append(res.Warnings, "not analysed: over the --max-file-size limit")
		return res
	}
	prefix := bomLen(src)
	cur := src[prefix:]
	cfg := e.cfg
	cfg.Candidates = true
	le := &Engine{cfg: cfg, idx: e.idx, parser: e.parser}
	tree, err := le.parse(cur)
	if err != nil {
		res.Internal = fmt.Errorf("parse: %v", err)
		return res
	}
	defer tree.Close()
	root := tree.RootNode()
	bad, badLines := errorRanges(cur, root)
	if len(bad) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("cannot parse line %d; functions with syntax the grammar does not know are left unchanged", badLines[0]))
	}
	fc := &fileCtx{path: path, src: cur, root: root, style: rewrite.DetectStyle(src), cfg: cfg, idx: e.idx}
	scan := scanBodies(path, cur, root, e.idx, cfg.AllAsync)
	fc.bodies, fc.fx = scan.bodies, scan.fx
	markSites(fc, mine, src, prefix, nil)
	props := le.propose(fc)
	props, _ = findSuppressions(cur, root).filter(props)
	lines := lineStarts(src)
	fix := ladderFix{e: le, path: path, src: src, prefix: prefix, cur: cur, errs: countErrors(root), style: fc.style}
	for i := range res.Sites {
		sl := &res.Sites[i]
		var at *siteAt
		for j := range fc.sites {
			if fc.sites[j].Site == sl.Site {
				at = &fc.sites[j]
			}
		}
		var cands []*proposal
		for j := range props {
			p := &props[j]
			if !fc.answers(at, p) {
				continue
			}
			if len(p.edits) == 0 {
				sl.Refusals = append(sl.Refusals, mapFindings([]Finding{p.f}, nil, lines, src, prefix)...)
				continue
			}
			cands = append(cands, p)
		}
		sort.SliceStable(cands, func(a, b int) bool { return rungOf(cands[a]) < rungOf(cands[b]) })
		seen := map[string]bool{}
		for _, p := range cands {
			f := mapFindings([]Finding{p.f}, nil, lines, src, prefix)[0]
			site := sl.Site
			f.Site = &site
			refuse := func(why string) {
				f.Reason, f.Fix = why, ""
				sl.Refusals = append(sl.Refusals, f)
			}
			if l := touchesError(p.edits, bad, badLines); l > 0 {
				refuse(fmt.Sprintf("cannot parse line %d", l))
				continue
			}
			edits, err := fix.complete(p.edits)
			if err != nil {
				refuse("internal: " + err.Error())
				continue
			}
			c := Candidate{Rung: rungOf(p), Unsure: p.unsure, Finding: f}
			c.Finding.Fixed, c.Finding.Reason = true, ""
			c.Edits = append([]FileEdits{{Path: path, Edits: shiftEdits(edits, prefix)}}, p.extra...)
			key := editKey(c.Edits)
			if seen[key] {
				continue
			}
			seen[key] = true
			sl.Candidates = append(sl.Candidates, c)
		}
	}
	return res
}

// editKey identifies an edit set, to drop duplicate candidates.
func editKey(fes []FileEdits) string {
	var b strings.Builder
	for _, fe := range fes {
		fmt.Fprintf(&b, "%q:", fe.Path)
		for _, e := range fe.Edits {
			fmt.Fprintf(&b, "%d,%d,%q;", e.Start, e.End, e.New)
		}
	}
	return b.String()
}

// ladderFix completes candidates of one file.
type ladderFix struct {
	e      *Engine
	path   string
	src    []byte // the file as given
	prefix int    // its BOM's length
	cur    []byte // src without the BOM
	errs   int    // syntax errors of cur
	style  rewrite.Style
}

// complete returns the whole edit set of a candidate whose own edits are
// first (on cur): those, then the sure fixes the result calls for (rules
// run again on the result, keeping the fixes whose edits touch what the
// candidate changed, as a borrow turned into a guard that then needs a
// scope), composed into one set of edits on cur. The result must parse no
// worse than cur.
func (lf *ladderFix) complete(first []rewrite.Edit) ([]rewrite.Edit, error) {
	norm, err := rewrite.Normalize(first, len(lf.cur))
	if err != nil {
		return nil, err
	}
	text, err := rewrite.Apply(lf.cur, norm)
	if err != nil {
		return nil, err
	}
	passes := [][]rewrite.Edit{norm}
	comp := norm
	cfg := lf.e.cfg
	cfg.Candidates = false
	fe := &Engine{cfg: cfg, idx: lf.e.idx, parser: lf.e.parser}
	for pass := 1; pass < MaxPasses; pass++ {
		tree, err := fe.parse(text)
		if err != nil {
			return nil, err
		}
		root := tree.RootNode()
		bad, badLines := errorRanges(text, root)
		fc := &fileCtx{path: lf.path, src: text, root: root, style: lf.style, cfg: cfg, idx: fe.idx}
		fc.bodies = findBodies(lf.path, text, root, fe.idx, cfg.AllAsync)
		markSites(fc, cfg.Sites, lf.src, lf.prefix, passes)
		props := fe.propose(fc)
		props, _ = findSuppressions(text, root).filter(props)
		props = supersede(props)
		changed := rewrite.Images(comp)
		var acc []rewrite.Edit
		for _, p := range props {
			if len(p.edits) == 0 || !touchesAny(p.edits, changed) || touchesError(p.edits, bad, badLines) > 0 ||
				rewrite.Validate(p.edits, len(text)) != nil || rewrite.Overlaps(acc, p.edits) {
				continue
			}
			acc = append(acc, p.edits...)
		}
		tree.Close()
		if len(acc) == 0 {
			break
		}
		next, err := rewrite.Normalize(acc, len(text))
		if err != nil {
			return nil, err
		}
		out, err := rewrite.Apply(text, next)
		if err != nil {
			return nil, err
		}
		passes = append(passes, next)
		cs, err := rewrite.Compose(lf.cur, passes)
		if err != nil {
			return nil, err
		}
		comp = rewrite.Edits(cs)
		text = out
	}
	tree, err := fe.parse(text)
	if err != nil {
		return nil, err
	}
	n := countErrors(tree.RootNode())
	tree.Close()
	if n > lf.errs {
		return nil, fmt.Errorf("the fix does not parse (%d syntax errors, the file %d)", n, lf.errs)
	}
	return comp, nil
}

// touchesAny reports whether an edit overlaps or borders one of ranges.
func touchesAny(edits []rewrite.Edit, ranges [][2]int) bool {
	for _, e := range edits {
		for _, r := range ranges {
			if e.Start <= r[1] && r[0] <= e.End {
				return true
			}
		}
	}
	return false
}

// bomLen is the length of src's leading BOM, 0 when it has none.
func bomLen(src []byte) int {
	if len(src) >= len(bom) && string(src[:len(bom)]) == string(bom) {
		return len(bom)
	}
	return 0
}
