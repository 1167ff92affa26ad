package cli

// --message-format json: sendfix's findings as cargo's JSON messages, one
// per line on standard output, the shape `cargo check
// --message-format=json` prints, so that rust-analyzer (through
// rust-analyzer.check.overrideCommand) shows them with their quick fixes
// and rustfix (the library under `cargo fix`) applies them:
//
//	{"reason":"compiler-message","package_id":..,"manifest_path":..,"target":{..},
//	 "message":{"$message_type":"diagnostic","message":..,"code":{"code":"sendfix::mutex-scope","explanation":..},
//	            "level":"warning","spans":[binding (primary), await],
//	            "children":[{"level":"help","spans":[the fix's edits, as suggested_replacement, "MachineApplicable"]}],
//	            "rendered":"warning[mutex-scope]: .."}}
//	{"reason":"build-finished","success":true}
//
// Spans count as rustc does: byte offsets into the file as it is on disk
// (a BOM and CRLF included), lines from 1, columns from 1 in characters
// (after a BOM on line 1), and text holding each line of the span without
// its line ending.
//
// A fix's replacements are against the original file: applying every
// MachineApplicable suggestion of a run gives exactly what --write
// writes. Each replacement covers whole lines, starting at the first
// non-blank character of its first line or, when it changes that line's
// indentation, at the end of the line before, and ending at the end of its
// last line: so the editor offers the fix anywhere on a changed line, and
// rustfix up to 0.6 (whose parse_snippet fails on a replacement starting
// inside a line's indentation) applies it. Findings whose fixes became one
// (see patterns.Fix) or whose widened replacements meet share one
// suggestion, carried by the first of them; the others say so in a help
// line.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// The JSON of cargo's messages and rustc's diagnostics, with their field
// names; the order is rustc's.
type (
	msgCompiler struct {
		Reason       string         `json:"reason"`
		PackageID    string         `json:"package_id"`
		ManifestPath string         `json:"manifest_path"`
		Target       msgTarget      `json:"target"`
		Message      *msgDiagnostic `json:"message"`
	}
	msgTarget struct {
		Kind       []string `json:"kind"`
		CrateTypes []string `json:"crate_types"`
		Name       string   `json:"name"`
		SrcPath    string   `json:"src_path"`
		Edition    string   `json:"edition"`
		Doc        bool     `json:"doc"`
		Doctest    bool     `json:"doctest"`
		Test       bool     `json:"test"`
	}
	msgBuildFinished struct {
		Reason  string `json:"reason"`
		Success bool   `json:"success"`
	}
	msgDiagnostic struct {
		Type     string          `json:"$message_type,omitempty"` // "diagnostic", at the top only
		Message  string          `json:"message"`
		Code     *msgCode        `json:"code"`
		Level    string          `json:"level"`
		Spans    []msgSpan       `json:"spans"`
		Children []msgDiagnostic `json:"children"`
		Rendered *string         `json:"rendered"`
	}
	msgCode struct {
		Code        string  `json:"code"`
		Explanation *string `json:"explanation"`
	}
	msgSpan struct {
		FileName                string        `json:"file_name"`
		ByteStart               int           `json:"byte_start"`
		ByteEnd                 int           `json:"byte_end"`
		LineStart               int           `json:"line_start"`
		LineEnd                 int           `json:"line_end"`
		ColumnStart             int           `json:"column_start"`
		ColumnEnd               int           `json:"column_end"`
		IsPrimary               bool          `json:"is_primary"`
		Text                    []msgSpanLine `json:"text"`
		Label                   *string       `json:"label"`
		SuggestedReplacement    *string       `json:"suggested_replacement"`
		SuggestionApplicability *string       `json:"suggestion_applicability"`
		Expansion               *struct{}     `json:"expansion"` // never a macro's
	}
	msgSpanLine struct {
		Text           string `json:"text"`
		HighlightStart int    `json:"highlight_start"`
		HighlightEnd   int    `json:"highlight_end"`
	}
)

func strPtr(s string) *string { return &s }

// machineApplicable is rustc's word for a suggestion a tool may apply
// unseen.
const machineApplicable = "MachineApplicable"

// srcLines indexes the lines of a file as rustc counts them: line 1
// starts after a BOM; a line's text ends before its "\n" or "\r\n"; a
// file ending in a newline has an empty last line after it.
type srcLines struct {
	src    []byte
	starts []int
}

func newSrcLines(src []byte) *srcLines {
	l := &srcLines{src: src, starts: []int{0}}
	if bytes.HasPrefix(src, []byte(rewrite.BOM)) {
		l.starts[0] = len(rewrite.BOM)
	}
	for i, c := range src {
		if c == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// line returns the 1-based line holding offset off.
func (l *srcLines) line(off int) int {
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
}

// content returns the offsets of line n's text, without its line ending.
func (l *srcLines) content(n int) (start, end int) {
	start, end = l.starts[n-1], len(l.src)
	if n < len(l.starts) {
		end = l.starts[n] - 1
		if end > start && l.src[end-1] == '\r' {
			end--
		}
	}
	return start, end
}

// col returns the 1-based character column of off on its line.
func (l *srcLines) col(off int) int {
	start := l.starts[l.line(off)-1]
	if off < start {
		return 1 // inside a BOM
	}
	return utf8.RuneCount(l.src[start:off]) + 1
}

// span makes the span [start, end) of the file named name.
func (l *srcLines) span(name string, start, end int) msgSpan {
	l1, l2 := l.line(start), l.line(end)
	s := msgSpan{FileName: name, ByteStart: start, ByteEnd: end, LineStart: l1, LineEnd: l2,
		ColumnStart: l.col(start), ColumnEnd: l.col(end)}
	for n := l1; n <= l2; n++ {
		a, b := l.content(n)
		text := string(l.src[a:b])
		hl := msgSpanLine{Text: text, HighlightStart: 1, HighlightEnd: utf8.RuneCountInString(text) + 1}
		if n == l1 {
			hl.HighlightStart = s.ColumnStart
		}
		if n == l2 {
			hl.HighlightEnd = s.ColumnEnd
		}
		s.Text = append(s.Text, hl)
	}
	return s
}

// markEnd is the end of the mark of width characters at off, stopping at
// the end of the line.
func (l *srcLines) markEnd(off, width int) int {
	_, end := l.content(l.line(off))
	for ; width > 0 && off < end; width-- {
		_, size := utf8.DecodeRune(l.src[off:])
		off += size
	}
	return off
}

// snippetSafe reports whether rustfix 0.6's parse_snippet takes a span
// with these text lines: it slices each line by an indent it takes as the
// least of every line's leading whitespace and highlight_start, and fails
// when that indent passes the start of the highlight on the first line or
// its end on the last.
func snippetSafe(lines []msgSpanLine) bool {
	if len(lines) == 0 {
		return false
	}
	indent := -1
	for _, l := range lines {
		w := 0
		for _, r := range l.Text {
			if !unicode.IsSpace(r) {
				break
			}
			w++
		}
		if v := min(w, l.HighlightStart); indent < 0 || v < indent {
			indent = v
		}
	}
	first := []rune(lines[0].Text)
	start, end := min(lines[0].HighlightStart-1, len(first)), min(lines[0].HighlightEnd-1, len(first))
	if start < 0 || indent > start || start > end {
		return false
	}
	for _, l := range lines[1:max(len(lines)-1, 1)] {
		if indent > len(l.Text) || indent < len(l.Text) && !utf8.RuneStart(l.Text[indent]) {
			return false // a byte slice of the line at indent
		}
	}
	last := lines[len(lines)-1]
	tail := max(min(last.HighlightEnd, len(last.Text))-1, 0)
	if tail > utf8.RuneCountInString(last.Text) {
		return false
	}
	return len(lines) == 1 || indent <= tail
}

// widenFixes widens the edits of fixes to whole lines (see the file
// comment) and merges the fixes whose widened edits overlap or touch.
// Each edit's replacement grows by the original bytes it now covers.
func widenFixes(l *srcLines, fixes []patterns.Fix) []patterns.Fix {
	type item struct {
		fix        int
		e          rewrite.Edit
		start, end int // widened
	}
	var items []item
	for k, fx := range fixes {
		for _, e := range fx.Edits {
			s, t := l.widen(e)
			items = append(items, item{k, e, s, t})
		}
	}
	parent := make([]int, len(fixes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	type cluster struct {
		start, end int
		items      []item
	}
	var clusters []cluster
	for changed := true; changed; {
		sort.SliceStable(items, func(i, j int) bool { return items[i].start < items[j].start })
		clusters = clusters[:0]
		for _, it := range items {
			if n := len(clusters); n > 0 && it.start <= clusters[n-1].end {
				c := &clusters[n-1]
				c.end = max(c.end, it.end)
				c.items = append(c.items, it)
				continue
			}
			clusters = append(clusters, cluster{it.start, it.end, []item{it}})
		}
		changed = false
		for _, c := range clusters {
			s, t := l.safeRange(c.start, c.end)
			if s == c.start && t == c.end {
				continue
			}
			changed = true
			for i := range items {
				if items[i].start >= c.start && items[i].end <= c.end {
					items[i].start, items[i].end = min(items[i].start, s), max(items[i].end, t)
				}
			}
		}
	}
	out := make([]patterns.Fix, len(fixes))
	for _, c := range clusters {
		root := find(c.items[0].fix)
		var local []rewrite.Edit
		for _, it := range c.items {
			if r := find(it.fix); r != root {
				parent[r] = root
			}
			local = append(local, rewrite.Edit{Start: it.e.Start - c.start, End: it.e.End - c.start, New: it.e.New})
		}
		repl, err := rewrite.Apply(l.src[c.start:c.end], local)
		if err != nil {
			// The fixes' edits never overlap (patterns.Fix); keep them as
			// they are rather than lose them.
			for _, it := range c.items {
				out[it.fix].Edits = append(out[it.fix].Edits, it.e)
			}
			continue
		}
		// Recorded under the cluster's first fix; moved to the root below.
		out[c.items[0].fix].Edits = append(out[c.items[0].fix].Edits, rewrite.Edit{Start: c.start, End: c.end, New: string(repl)})
	}
	merged := map[int]*patterns.Fix{}
	var order []int
	for k, fx := range fixes {
		r := find(k)
		if merged[r] == nil {
			merged[r] = &patterns.Fix{}
			order = append(order, r)
		}
		m := merged[r]
		m.Findings = append(m.Findings, fx.Findings...)
		m.Edits = append(m.Edits, out[k].Edits...)
	}
	res := make([]patterns.Fix, 0, len(order))
	for _, r := range order {
		m := merged[r]
		sort.Ints(m.Findings)
		sort.Slice(m.Edits, func(i, j int) bool { return m.Edits[i].Start < m.Edits[j].Start })
		res = append(res, *m)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Findings[0] < res[j].Findings[0] })
	return res
}

// widen returns the whole-line range of an edit: from the first non-blank
// character of its first line (or the end of the line before, when the
// edit starts inside the indentation), to the end of its last line.
func (l *srcLines) widen(e rewrite.Edit) (start, end int) {
	n := l.line(e.Start)
	ls, le := l.content(n)
	code := ls
	for code < le && (l.src[code] == ' ' || l.src[code] == '\t') {
		code++
	}
	start = min(e.Start, code)
	if e.Start < code || code == le && e.Start < le {
		start = ls
		if n > 1 {
			_, start = l.content(n - 1)
		}
	}
	_, le = l.content(l.line(e.End))
	return start, max(e.End, le)
}

// safeRange grows [start, end) until rustfix 0.6 takes it as a span (see
// snippetSafe): its start back to the end of the line before, then its end
// line by line; at the file's ends it gives up and returns what it has.
func (l *srcLines) safeRange(start, end int) (int, int) {
	for !snippetSafe(l.span("", start, end).Text) {
		// A line before the span with no indentation, or an empty one,
		// brings rustfix's indent to 0.
		if n := l.line(start); n > 1 {
			if _, le := l.content(n); start < le {
				_, start = l.content(n - 1)
				continue
			}
		}
		m := l.line(end)
		if m >= len(l.starts) {
			break
		}
		_, end = l.content(m + 1)
	}
	return start, end
}

// fileFixes returns the fixes of a file: the engine's, or, from an engine
// that gave none for a changed file, one fix holding every fixed finding
// whose edit replaces what differs between the input and the output.
func fileFixes(fs []patterns.Finding, fixes []patterns.Fix, in, out []byte) []patterns.Fix {
	if len(fixes) > 0 || out == nil || bytes.Equal(in, out) {
		return fixes
	}
	fx := patterns.Fix{}
	for i, f := range fs {
		if f.Fixed {
			fx.Findings = append(fx.Findings, i)
		}
	}
	if len(fx.Findings) == 0 {
		return nil
	}
	p := 0
	for p < len(in) && p < len(out) && in[p] == out[p] {
		p++
	}
	s := 0
	for s < len(in)-p && s < len(out)-p && in[len(in)-1-s] == out[len(out)-1-s] {
		s++
	}
	fx.Edits = []rewrite.Edit{{Start: p, End: len(in) - s, New: string(out[p : len(out)-s])}}
	return []patterns.Fix{fx}
}

// messageFormat writes the findings as cargo's JSON messages.
type messageFormat struct {
	wd      string
	color   bool // colour the rendered text (json-diagnostic-rendered-ansi)
	pkgs    *packages
	success func() bool // what build-finished says: the run's exit status is 0
}

// fileName returns how the messages name a file, and its package's id,
// manifest and target: inside a cargo package, relative to the workspace
// root as cargo names it; outside, as the user gave it, in a package of
// its own (see standalone).
func (m *messageFormat) fileName(o *outcome) (name, id, manifest string, target msgTarget) {
	abs := filepath.FromSlash(o.display)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(m.wd, abs)
	}
	if p := m.pkgs.of(abs); p != nil {
		if rel, err := filepath.Rel(p.root, abs); err == nil && !strings.HasPrefix(rel, "..") {
			name = filepath.ToSlash(rel)
		} else {
			name = filepath.ToSlash(abs)
		}
		return name, p.id(), p.manifest, p.target(abs)
	}
	id, manifest, target = standalone(abs)
	return o.given, id, manifest, target
}

func (m *messageFormat) file(w io.Writer, o *outcome) {
	if len(o.findings) == 0 {
		return
	}
	name, id, manifest, target := m.fileName(o)
	sg := newSuggestions(name, newSrcLines(o.src), o.findings, fileFixes(o.findings, o.fixes, o.src, o.result))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range o.findings {
		enc.Encode(msgCompiler{Reason: "compiler-message", PackageID: id, ManifestPath: manifest, Target: target, Message: m.diagnostic(sg, i)})
	}
}

func (m *messageFormat) finish(w io.Writer) error {
	enc := json.NewEncoder(w)
	return enc.Encode(msgBuildFinished{Reason: "build-finished", Success: m.success()})
}

// diagnostic makes the diagnostic of finding i of the file's findings.
func (m *messageFormat) diagnostic(sg *suggestions, i int) *msgDiagnostic {
	f := sg.findings[i]
	d := &msgDiagnostic{Type: "diagnostic", Message: f.Message, Level: "warning",
		Code:     &msgCode{Code: "sendfix::" + f.Rule},
		Spans:    findingSpans(sg.name, sg.lines, f),
		Children: []msgDiagnostic{sg.child(i)}}
	for _, n := range f.Notes {
		d.Children = append(d.Children, childNote("note", n))
	}
	if e, ok := explanations[f.Rule]; ok {
		d.Code.Explanation = strPtr(e.text)
	}
	var b bytes.Buffer
	(&humanPrinter{color: m.color}).finding(&b, sg.name, sg.lines.src, f, "suggested")
	d.Rendered = strPtr(b.String())
	return d
}

// suggestions hands out the fixes of one file's findings, each fix once:
// its suggestion goes with the first of its findings asked for, and the
// others refer to that one (rustfix would apply a fix given twice twice).
type suggestions struct {
	name     string // the file, as the spans name it
	lines    *srcLines
	findings []patterns.Finding
	fixes    []patterns.Fix // widened (see widenFixes)
	carrier  map[int]int    // fix index -> the finding whose message carries it
}

func newSuggestions(name string, l *srcLines, fs []patterns.Finding, fixes []patterns.Fix) *suggestions {
	return &suggestions{name: name, lines: l, findings: fs, fixes: widenFixes(l, fixes), carrier: map[int]int{}}
}

// child returns what finding i's message says of its fix: the suggestion,
// a reference to the message that carries it, or why there is none.
func (sg *suggestions) child(i int) msgDiagnostic {
	f := sg.findings[i]
	if !f.Fixed {
		return childNote("note", "not fixed: "+f.Reason)
	}
	for k, fx := range sg.fixes {
		if n := sort.SearchInts(fx.Findings, i); n == len(fx.Findings) || fx.Findings[n] != i {
			continue
		}
		if c, ok := sg.carrier[k]; ok {
			at := sg.findings[c].Pos
			return childNote("help", fmt.Sprintf("%s; this fix is the suggestion of the warning at %d:%d (one change fixes both)", f.Fix, at.Line, at.Col))
		}
		sg.carrier[k] = i
		help := f.Fix
		for _, j := range fx.Findings {
			if j != i {
				help += fmt.Sprintf("; it also fixes the %s warning at %d:%d", sg.findings[j].Rule, sg.findings[j].Pos.Line, sg.findings[j].Pos.Col)
			}
		}
		c := childNote("help", help)
		for _, e := range fx.Edits {
			s := sg.lines.span(sg.name, e.Start, e.End)
			s.IsPrimary = true
			s.SuggestedReplacement = strPtr(e.New)
			s.SuggestionApplicability = strPtr(machineApplicable)
			c.Spans = append(c.Spans, s)
		}
		return c
	}
	return childNote("help", f.Fix) // not in any fix: nothing to suggest
}

// findingSpans returns the spans of a finding: its binding, primary, and
// its await, each with the label the human report gives it.
func findingSpans(name string, l *srcLines, f patterns.Finding) []msgSpan {
	mark := func(p patterns.Pos, text, label string, primary bool) msgSpan {
		off := min(max(p.Offset, 0), len(l.src))
		s := l.span(name, off, l.markEnd(off, max(markWidth(l.src, p, text), 1)))
		s.IsPrimary, s.Label = primary, strPtr(label)
		return s
	}
	spans := []msgSpan{mark(f.Pos, f.Name, bindingLabel(f), true)}
	if f.Await != nil && f.Await.Line > 0 {
		spans = append(spans, mark(*f.Await, "await", "await occurs here", false))
	}
	return spans
}

// childNote is a child diagnostic without spans: rustc's "= note:" and
// "= help:" lines.
func childNote(level, message string) msgDiagnostic {
	return msgDiagnostic{Message: message, Level: level, Spans: []msgSpan{}, Children: []msgDiagnostic{}}
}
