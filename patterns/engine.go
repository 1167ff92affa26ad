package patterns

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"sendfix/rewrite"
)

// MaxPasses bounds the fixpoint loop: rules run, edits apply, the output is
// re-parsed and the rules run again until nothing changes.
const MaxPasses = 4

var bom = []byte(rewrite.BOM)

// Engine runs the enabled rules over files. An Engine owns a tree-sitter
// parser and must be used by one goroutine at a time; make one per worker.
type Engine struct {
	cfg    Config
	idx    *Index
	parser *sitter.Parser
}

// NewEngine returns an engine for cfg. idx holds the cross-file facts
// (which async fns are spawned); nil means a single-file view.
func NewEngine(cfg Config, idx *Index) *Engine {
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	if idx == nil {
		idx = NewIndex()
	}
	return &Engine{cfg: cfg, idx: idx, parser: p}
}

// Close releases the parser.
func (e *Engine) Close() { e.parser.Close() }

// tooLarge reports whether a file is over Config.MaxFileSize. The limit
// is on what the user gave, not on the passes' outputs.
func (e *Engine) tooLarge(src []byte) bool {
	return e.cfg.MaxFileSize > 0 && len(src) > e.cfg.MaxFileSize
}

// parse returns the tree of src. The caller must Close it.
func (e *Engine) parse(src []byte) (*sitter.Tree, error) {
	return e.parser.ParseCtx(context.Background(), nil, src)
}

// fileCtx is what a rule sees of one file in one pass.
type fileCtx struct {
	path   string
	src    []byte // the file without its BOM
	root   *sitter.Node
	style  rewrite.Style
	cfg    Config
	idx    *Index
	bodies []*asyncBody
	sites  []siteAt // Config.Sites of this file, in this pass's coordinates
	// held are the guards mutex-scope found that must stay held across
	// an await (used after it, or borrowed by a value used after it);
	// tokio-mutex takes them from here. heldTemps are the temporary
	// guards that must stay held (`m.lock().unwrap().fetch().await`),
	// with temp set and decl the acquisition.
	held, heldTemps []*guard
	fx              *facts   // built on first use by facts()
	guards          []*guard // findGuards's result, computed once per pass
	guardsDone      bool
	imp             *fileImports // the import fact, read on first need (imports.go)
}

// facts returns the facts layer of this pass's tree, built on first use.
func (fc *fileCtx) facts() *facts {
	if fc.fx == nil {
		fc.fx = newFacts(fc.src, fc.root)
	}
	return fc.fx
}

// proposal is a finding and, when it can be fixed, the fix's edits (in the
// coordinates of fileCtx.src). A proposal with no edits is unfixed and
// Finding.Reason says why. The fields after edits are the ladder's
// contract with the rules (ladder.go); a rule that sets none of them
// proposes one sure fix, as before.
type proposal struct {
	f     Finding // Pos.Offset and Await.Offset in src coordinates
	edits []rewrite.Edit
	// unsure says why the rule cannot prove the fix right from the syntax
	// alone ("" when it can). Without the compiler the proposal is a
	// refusal with this as its Reason; under Config.Candidates its edits
	// are a candidate the compiler judges.
	unsure string
	// rung is the kind of fix, which orders the candidates of a site
	// (0: the rule's usual one, see rungOf).
	rung Rung
	// about are the byte ranges of src the finding is about (the guard's
	// let, the temporary's expression, the bindings of an Rc group): a
	// compiler site inside one of them is answered by this proposal.
	// Empty: the let or the expression at f.Pos.
	about [][2]int
	// extra are edits in other files of the package (fileCtx.pkg) that
	// the fix needs, such as a package-wide swap. Candidates only.
	extra []FileEdits
}

// rule computes the proposals of one anti-pattern over a file.
type rule struct {
	name string
	run  func(fc *fileCtx) []proposal
}

// rules lists every rule in the order they run within a pass. Rules that
// consume another rule's facts (tokio-mutex reads fileCtx.held) come after.
var rules = []rule{
	{RuleMutexScope, runMutexScope},
	{RuleTokioMutex, runTokioMutex},
	{RuleRcArc, runRcArc},
}

// errorRanges returns the byte ranges in which no edit may land: each
// function containing an ERROR or MISSING node, or the top-level item (or
// the error node itself) when no function encloses it, and for each range
// the line of the error that taints it.
func errorRanges(src []byte, root *sitter.Node) (ranges [][2]int, lines []int) {
	if !root.HasError() {
		return nil, nil
	}
	walk(root, func(n *sitter.Node) bool {
		if !n.HasError() {
			return false
		}
		if n.IsError() || n.IsMissing() {
			r := n
			if fn := ancestor(n, "function_item"); fn != nil {
				r = fn
			} else {
				for p := n; p != nil && p.Parent() != nil; p = p.Parent() {
					if p.Parent() == root || p.Parent().Type() == "declaration_list" {
						r = p
						break
					}
				}
			}
			ranges = append(ranges, [2]int{int(r.StartByte()), int(r.EndByte())})
			lines = append(lines, int(n.StartPoint().Row)+1)
			return false
		}
		return true
	})
	return ranges, lines
}

// countErrors counts ERROR and MISSING nodes.
func countErrors(root *sitter.Node) int {
	n := 0
	walk(root, func(c *sitter.Node) bool {
		if !c.HasError() {
			return false
		}
		if c.IsError() || c.IsMissing() {
			n++
		}
		return true
	})
	return n
}

// Run applies the enabled rules to one file until a fixpoint (at most
// MaxPasses passes) and returns the findings and the new bytes. Run never
// returns an output that has a syntax error its input did not have.
func (e *Engine) Run(path string, src []byte) *Result {
	res := &Result{Path: path, In: src, Out: src}
	if e.tooLarge(src) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("not analysed: %.1f MiB is over the %.0f MiB limit (--max-file-size)",
			float64(len(src))/(1<<20), float64(e.cfg.MaxFileSize)/(1<<20)))
		return res
	}
	prefix := 0
	if bytes.HasPrefix(src, bom) {
		prefix = len(bom)
	}
	cur := src[prefix:]
	style := rewrite.DetectStyle(src)
	var lineIdx []int // lineStarts(src), made when a finding needs it
	lines := func(n int) []int {
		if lineIdx == nil && n > 0 {
			lineIdx = lineStarts(src)
		}
		return lineIdx
	}
	var fixed []Finding       // fixed findings, positions in the original
	var fixedSrc []*fixSource // what each of fixed edited, for Result.Fixes
	var lastUnfixed []Finding // unfixed findings of the last pass
	var passEdits [][]rewrite.Edit
	inErrors := -1
	warned := false
	// tree is cur's: each pass's is the last one's, edited and parsed
	// again incrementally, and the last is the output's.
	var tree *sitter.Tree
	defer func() {
		if tree != nil {
			tree.Close()
		}
	}()
	cfg := e.cfg
	if cfg.EditionOf != nil {
		cfg.Edition = cfg.EditionOf(path)
	}
	for pass := 0; pass < MaxPasses; pass++ {
		if tree == nil {
			var err error
			if tree, err = e.parse(cur); err != nil {
				res.Internal = fmt.Errorf("parse: %v", err)
				res.Out = src
				return res
			}
		}
		root := tree.RootNode()
		if inErrors < 0 {
			inErrors = countErrors(root)
		}
		bad, badLines := errorRanges(cur, root)
		if len(bad) > 0 && !warned {
			res.Warnings = append(res.Warnings, fmt.Sprintf("cannot parse line %d; functions with syntax the grammar does not know are left unchanged", badLines[0]))
			warned = true
		}
		fc := &fileCtx{path: path, src: cur, root: root, style: style, cfg: cfg, idx: e.idx}
		scan := scanBodies(path, cur, root, e.idx, e.cfg.AllAsync)
		fc.bodies, fc.fx = scan.bodies, scan.fx
		markSites(fc, e.cfg.Sites, src, prefix, passEdits)
		props := e.propose(fc)
		var sup suppressions
		if len(props) > 0 {
			// The walk for suppressions only where there is something to
			// suppress: most files a run parses report nothing.
			sup = findSuppressions(cur, root)
		}
		props = supersede(props)
		props, res.Suppressed = sup.filter(props)

		var accepted []rewrite.Edit
		var unfixed, fixedNow []Finding
		for _, p := range props {
			if len(p.edits) == 0 {
				unfixed = append(unfixed, p.f)
				continue
			}
			if l := touchesError(p.edits, bad, badLines); l > 0 {
				p.f.Reason = fmt.Sprintf("cannot parse line %d", l)
				unfixed = append(unfixed, p.f)
				continue
			}
			if err := rewrite.Validate(p.edits, len(cur)); err != nil {
				p.f.Reason = "internal: " + err.Error()
				unfixed = append(unfixed, p.f)
				continue
			}
			if rewrite.Overlaps(accepted, p.edits) {
				// Another fix of this pass touches the same bytes; the
				// next pass sees the result and tries again, if there is
				// one.
				if pass == MaxPasses-1 {
					p.f.Reason = fmt.Sprintf("overlaps another fix and sendfix stops after %d passes; run it again", MaxPasses)
					unfixed = append(unfixed, p.f)
				}
				continue
			}
			accepted = append(accepted, p.edits...)
			p.f.Fixed = true
			fixedNow = append(fixedNow, p.f)
			fixedSrc = append(fixedSrc, &fixSource{pass: pass, edits: p.edits})
		}
		lastUnfixed = mapFindings(unfixed, passEdits, lines(len(unfixed)), src, prefix)
		if len(accepted) == 0 {
			break
		}
		fixed = append(fixed, mapFindings(fixedNow, passEdits, lines(len(fixedNow)), src, prefix)...)
		norm, err := rewrite.Normalize(accepted, len(cur))
		var next []byte
		if err == nil {
			next, err = rewrite.Apply(cur, norm)
		}
		if err != nil {
			// Unreachable while every proposal is validated and checked
			// for overlaps above; if it happens, nothing is changed and
			// nothing is lost.
			res.Internal = err
			res.Findings = append(fixed, lastUnfixed...)
			return e.reject(res)
		}
		passEdits = append(passEdits, norm)
		if tree, err = e.reparse(tree, cur, next, norm); err != nil {
			res.Internal = fmt.Errorf("re-parse: %v", err)
			res.Findings = append(fixed, lastUnfixed...)
			return e.reject(res)
		}
		cur = next
	}
	res.Findings = append(fixed, lastUnfixed...)
	srcs := append(fixedSrc, make([]*fixSource, len(lastUnfixed))...)
	sortFindings(res.Findings, srcs)
	if len(passEdits) == 0 {
		return res
	}
	out := append(append([]byte(nil), src[:prefix]...), cur...)
	// The output must parse no worse than the input.
	if after := countErrors(tree.RootNode()); after > inErrors {
		res.Internal = fmt.Errorf("internal error: the fixed file has %d syntax errors, the input %d; no change made", after, inErrors)
		return e.reject(res)
	}
	res.Out = out
	res.Edits = make([][]rewrite.Edit, len(passEdits))
	for i, pe := range passEdits {
		res.Edits[i] = shiftEdits(pe, prefix)
	}
	var err error
	if res.Fixes, err = composeFixes(srcs, passEdits, src[prefix:], prefix); err != nil {
		res.Warnings = append(res.Warnings, "internal: the fixes cannot be given against the original file: "+err.Error())
	}
	return res
}

// reparse returns the tree of next, the bytes of old with edits (sorted,
// disjoint) applied: tree, old's, is edited and parsed again
// incrementally, so the parser reuses what the edits left alone, and is
// closed. The tree is the one a fresh parse of next gives.
func (e *Engine) reparse(tree *sitter.Tree, old, next []byte, edits []rewrite.Edit) (*sitter.Tree, error) {
	lines := lineStarts(old)
	point := func(off int) sitter.Point {
		l := sort.SearchInts(lines, off+1) - 1
		return sitter.Point{Row: uint32(l), Column: uint32(off - lines[l])}
	}
	// Last edit first: the offsets before an edit are the same in old and
	// in the tree edited so far.
	for i := len(edits) - 1; i >= 0; i-- {
		ed := edits[i]
		start := point(ed.Start)
		end := sitter.Point{Row: start.Row, Column: start.Column + uint32(len(ed.New))}
		if nl := strings.Count(ed.New, "\n"); nl > 0 {
			end = sitter.Point{Row: start.Row + uint32(nl), Column: uint32(len(ed.New) - strings.LastIndexByte(ed.New, '\n') - 1)}
		}
		tree.Edit(sitter.EditInput{
			StartIndex: uint32(ed.Start), OldEndIndex: uint32(ed.End), NewEndIndex: uint32(ed.Start + len(ed.New)),
			StartPoint: start, OldEndPoint: point(ed.End), NewEndPoint: end,
		})
	}
	nt, err := e.parser.ParseCtx(context.Background(), tree, next)
	tree.Close()
	return nt, err
}

// reject drops every fix of res: the file is left as it was and every
// finding is reported unfixed.
func (e *Engine) reject(res *Result) *Result {
	res.Out = res.In
	res.Edits = nil
	for i := range res.Findings {
		if res.Findings[i].Fixed {
			res.Findings[i].Fixed = false
			res.Findings[i].Reason = "internal error: the fix did not parse"
			res.Findings[i].Fix = ""
		}
	}
	return res
}

// touchesError returns the line of the syntax error whose range an edit
// touches, or 0.
func touchesError(edits []rewrite.Edit, bad [][2]int, lines []int) int {
	for _, e := range edits {
		for i, r := range bad {
			if e.Start < r[1] && e.End >= r[0] {
				return lines[i]
			}
		}
	}
	return 0
}

// shiftEdits moves edits by delta bytes.
func shiftEdits(edits []rewrite.Edit, delta int) []rewrite.Edit {
	out := make([]rewrite.Edit, len(edits))
	for i, e := range edits {
		out[i] = rewrite.Edit{Start: e.Start + delta, End: e.End + delta, New: e.New}
	}
	return out
}

// mapBack maps an offset in the output of edits (sorted by position) back
// to the input. An offset inside replaced text maps to the start of the
// replaced range.
func mapBack(off int, edits []rewrite.Edit) int {
	delta := 0
	for _, e := range edits {
		newStart := e.Start + delta
		newEnd := newStart + len(e.New)
		if off < newStart {
			break
		}
		if off < newEnd {
			return e.Start
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return off - delta
}

// mapFindings maps findings made on the current pass's source back to the
// original file (through every earlier pass) and fills line and column.
// passes are each sorted by position; lines is lineStarts(orig).
func mapFindings(fs []Finding, passes [][]rewrite.Edit, lines []int, orig []byte, prefix int) []Finding {
	out := make([]Finding, len(fs))
	for i, f := range fs {
		f.Pos = origPos(f.Pos.Offset, passes, lines, orig, prefix)
		if f.Await != nil {
			p := origPos(f.Await.Offset, passes, lines, orig, prefix)
			f.Await = &p
		}
		out[i] = f
	}
	return out
}

// lineStarts returns the offset of the start of every line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// origPos maps an offset of the last pass's source to a Pos of the file.
// lines is lineStarts(orig): finding a line is a search, not a count, so
// the findings of a large file cost no more than their number.
func origPos(off int, passes [][]rewrite.Edit, lines []int, orig []byte, prefix int) Pos {
	for i := len(passes) - 1; i >= 0; i-- {
		off = mapBack(off, passes[i])
	}
	off += prefix
	if off > len(orig) {
		off = len(orig)
	}
	line := sort.SearchInts(lines, off+1) // lines[line-1] <= off
	ls := lines[line-1]
	if line == 1 {
		ls = prefix
	}
	return Pos{Line: line, Col: utf8.RuneCount(orig[ls:off]) + 1, Offset: off}
}
