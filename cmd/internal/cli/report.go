package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"sendfix/patterns"
)

// outcome is what became of one file, ready to be reported.
type outcome struct {
	display  string // slash path relative to the working directory
	given    string // the path as the user gave it, for the findings (report.given)
	err      error  // the file was not read, not written, or rejected
	warnings []string
	findings []patterns.Finding
	scanned  bool
	changed  bool
	written  bool
	diff     []byte // the diff to print, when one is printed
	skipped  bool   // not started because the run was interrupted
	// src is the file as read, for the source lines of the findings.
	src []byte
	// suppressed counts the findings silenced in the source.
	suppressed int
	// fixes are the engine's fixes against src; result is the fixed file,
	// when it changed.
	fixes  []patterns.Fix
	result []byte
}

// report prints the outcomes, one at a time and in the order given, and
// keeps the counts for the summary. It is used by one goroutine.
type report struct {
	o      *options
	mode   string
	stdout *bufio.Writer
	stderr io.Writer
	json   *jsonWriter
	format formatter     // --format other than human; nil otherwise
	human  *humanPrinter // the rustc-style findings on stderr
	prog   *progress     // nil unless a progress line may be shown
	name   string        // how the user calls the command, for hints
	wd     string        // the working directory, for given

	// cargo are the compiler loop's figures, for the JSON summary.
	cargo *cargoStats

	scanned, changed, written, errors int
	suppressed, reported              int
	fixed, unfixed                    map[string]int
}

func newReport(a *App, o *options, mode string) *report {
	r := &report{o: o, mode: mode, stdout: bufio.NewWriter(a.Stdout), stderr: a.Stderr,
		fixed: map[string]int{}, unfixed: map[string]int{}, name: a.commandName()}
	if wd, err := a.Getwd(); err == nil {
		r.wd = wd
	}
	switch {
	case o.json:
		r.json = newJSONWriter(r.stdout, mode, o.check)
	case o.format != "" && o.format != "human":
		r.format = newFormatter(a, o, r)
	}
	r.human = &humanPrinter{color: o.colorErr}
	if o.progress {
		r.prog = newProgress(a.Stderr, a.progressDelay)
		r.stderr = r.prog
	}
	return r
}

// given returns a file's path as the user gave it, from its display path
// (relative to the working directory): the display path, unless the file
// lies outside the working directory under a PATH given as an absolute
// path, which then shows absolute rather than with ../ steps (as rustc
// and ast-grep print paths).
func (r *report) given(display string) string {
	if r.wd == "" || display != ".." && !strings.HasPrefix(display, "../") {
		return display
	}
	abs := filepath.Join(r.wd, filepath.FromSlash(display))
	for _, p := range r.o.paths {
		if !filepath.IsAbs(p) {
			continue
		}
		p = filepath.Clean(p)
		if rel, err := filepath.Rel(p, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(abs)
		}
	}
	return display
}

// succeeded reports whether the run so far ends with exit status 0.
func (r *report) succeeded() bool {
	return r.errors == 0 && !(r.o.check && r.changed > 0)
}

// startProgress shows a progress line over total files when the run
// takes long enough (see progress.go).
func (r *report) startProgress(total int) {
	if r.prog != nil {
		r.prog.start(total)
	}
}

// fail reports an error about a path that is not a processed file (a
// directory that could not be walked, for instance).
func (r *report) fail(display string, err error) {
	r.errors++
	fmt.Fprintf(r.stderr, "sendfix: %s: %v\n", display, err)
	if r.json != nil {
		r.json.error(display, err.Error())
	}
}

var digits = regexp.MustCompile(`\b[0-9]+\b`) // numbers, not digits inside names like `l2`

// file reports one outcome: in the human format every finding goes to
// stderr in rustc's shape, then the diff (or the path, under --list) to
// stdout. applied says the fixes are in the output (filter mode).
func (r *report) file(o *outcome, applied bool) {
	if o.skipped {
		return
	}
	o.given = r.given(o.display)
	r.prog.hold()
	defer r.prog.release()
	r.suppressed += o.suppressed
	if o.scanned {
		r.scanned++
	}
	if o.changed {
		r.changed++
	}
	if o.written {
		r.written++
	}
	for _, f := range o.findings {
		switch {
		case f.Fixed && r.mode == "write" && !o.written:
			// The fix was computed but the file could not be written
			// (its error is reported): the summary must not claim it.
			r.unfixed["fix not written: the file could not be written"]++
		case f.Fixed:
			r.fixed[f.Rule]++
		default:
			r.unfixed[digits.ReplaceAllString(f.Reason, "N")]++
		}
	}
	if o.err != nil {
		r.fail(o.display, o.err)
	}
	if r.json != nil {
		if o.changed || o.err != nil || len(o.findings) > 0 || len(o.warnings) > 0 {
			jf := jsonFile{Path: o.display, Changed: o.changed, Written: o.written,
				Findings: toJSONFindings(o.findings), Warnings: o.warnings}
			if o.err != nil {
				jf.Error = o.err.Error()
			}
			r.json.file(jf)
		}
		r.stdout.Flush()
		return
	}
	for _, w := range o.warnings {
		fmt.Fprintf(r.stderr, "sendfix: warning: %s: %s\n", o.display, w)
	}
	if r.format != nil {
		r.format.file(r.stdout, o)
		r.stdout.Flush()
		return
	}
	// --list is gofmt -l: names only.
	if !r.o.list && len(o.findings) > 0 {
		where := "in the diff"
		switch {
		case r.mode == "write" && o.written:
			where = "applied"
		case r.mode == "write":
			where = "not written"
		case applied && !r.o.check:
			where = "applied"
		}
		var b bytes.Buffer
		for _, f := range o.findings {
			r.human.finding(&b, o.given, o.src, f, where)
			r.reported++
		}
		r.stderr.Write(b.Bytes())
	}
	switch {
	case r.o.list:
		if o.changed {
			fmt.Fprintln(r.stdout, o.display)
		}
	case o.diff != nil:
		r.stdout.Write(o.diff)
	}
	r.stdout.Flush()
}

// finish writes the summary and returns the exit status.
func (r *report) finish(interrupted bool) int {
	r.prog.stop()
	if r.json != nil {
		err := r.json.finish(jsonSummary{
			FilesScanned: r.scanned, FilesChanged: r.changed, FilesWritten: r.written,
			Errors: r.errors, Fixed: r.fixed, Unfixed: r.unfixed, Suppressed: r.suppressed,
			Interrupted: interrupted, Cargo: r.cargo,
		})
		r.stdout.Flush()
		if err != nil {
			fmt.Fprintf(r.stderr, "sendfix: writing the JSON output: %v\n", err)
			r.errors++
		}
	} else {
		if r.format != nil {
			if err := r.format.finish(r.stdout); err != nil {
				fmt.Fprintf(r.stderr, "sendfix: writing the %s output: %v\n", r.o.format, err)
				r.errors++
			}
		}
		if !r.o.quiet || interrupted {
			fmt.Fprintln(r.stderr, r.summary(interrupted))
		}
		if !r.o.quiet && !interrupted && r.format == nil {
			r.hints()
		}
	}
	if err := r.stdout.Flush(); err != nil {
		fmt.Fprintf(r.stderr, "sendfix: writing the output: %v\n", err)
		r.errors++
	}
	switch {
	case interrupted:
		return exitInterrupted
	case r.errors > 0:
		return exitError
	case r.o.check && r.changed > 0:
		return exitChanges
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// counts renders a map as "k1 n1, k2 n2" sorted by key.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s: %d", k, m[k])
	}
	return strings.Join(parts, "; ")
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// summary is the one-line account of the run.
func (r *report) summary(interrupted bool) string {
	parts := []string{plural(r.scanned, "file scanned", "files scanned")}
	switch r.mode {
	case "write":
		parts = append(parts, plural(r.written, "file changed", "files changed"))
	default:
		parts = append(parts, plural(r.changed, "file would change", "files would change"))
	}
	if n := total(r.fixed); n > 0 {
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(n, "fix", "fixes"), counts(r.fixed)))
	} else {
		parts = append(parts, "0 fixes")
	}
	if n := total(r.unfixed); n > 0 {
		parts = append(parts, fmt.Sprintf("%s left unfixed (%s)", plural(n, "finding", "findings"), counts(r.unfixed)))
	}
	if r.suppressed > 0 {
		parts = append(parts, plural(r.suppressed, "finding suppressed", "findings suppressed"))
	}
	if r.errors > 0 {
		parts = append(parts, plural(r.errors, "error", "errors"))
	}
	s := "sendfix: " + strings.Join(parts, ", ")
	if interrupted {
		s += "; interrupted"
	}
	return s
}

// hints ends a human report the way cargo and rustc do: how to apply what
// the diff shows, and where to read more.
func (r *report) hints() {
	if (r.mode == "dry-run") && r.changed > 0 && !r.o.list {
		fmt.Fprintf(r.stderr, "help: to apply the fixes, run `%s --write` with the same paths, or apply the diff with `git apply`\n", r.name)
	}
	if r.reported > 0 {
		fmt.Fprintf(r.stderr, "For more information about a rule, try `%s --explain RULE`.\n", r.name)
	}
}

// humanPrinter renders findings as rustc renders its diagnostics:
//
//	warning[mutex-scope]: `MutexGuard` `guard` is held across an await point
//	  --> src/worker.rs:41:13
//	   |
//	41 |         let mut guard = data.lock().unwrap();
//	   |                 ----- guard created here
//	...
//	44 |         some_async_function().await;
//	   |                               ^^^^^ await occurs here
//	   |
//	   = fix: scoped the guard so it is dropped before the await (applied)
//
// The primary location (in the header) is the binding; the await is
// marked with carets, as rustc marks it in the Send error's note. Tabs
// show as four spaces, as in rustc.
type humanPrinter struct {
	color bool
}

// ANSI styles of rustc's output.
const (
	styleReset   = "\x1b[0m"
	styleBold    = "\x1b[1m"
	styleWarning = "\x1b[1;33m"
	styleGutter  = "\x1b[1;94m"
)

func (h *humanPrinter) paint(style, s string) string {
	if !h.color || s == "" {
		return s
	}
	return style + s + styleReset
}

// mark is one underlined span of a source line.
type mark struct {
	line, col int // 1-based; col in characters
	width     int // in characters, at least 1
	primary   bool
	label     string
}

// bindingLabel is what the mark under a finding's binding says.
func bindingLabel(f patterns.Finding) string {
	switch {
	case f.Rule == ruleRustc && f.Site != nil && f.Site.Type != "":
		return "has type `" + f.Site.Type + "`, which is not `Send`"
	case f.Rule == patterns.RuleRcArc:
		return "is not `Send`"
	case strings.ContainsAny(f.Name, "(."):
		return "temporary guard created here"
	}
	return "guard created here"
}

// sourceLine returns line n (1-based) of src without its line ending (and
// without a BOM), and whether src has it.
func sourceLine(src []byte, n int) (string, bool) {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// displayCol turns a 1-based character column of line into a 0-based
// display column, tabs counting four.
func displayCol(line string, col int) int {
	d, c := 0, 1
	for _, r := range line {
		if c >= col {
			break
		}
		if r == '\t' {
			d += 4
		} else {
			d++
		}
		c++
	}
	return d + max(col-c, 0)
}

// finding writes one finding. where says what became of a fix: "applied",
// "in the diff" or "not written".
func (h *humanPrinter) finding(w io.Writer, path string, src []byte, f patterns.Finding, where string) {
	fmt.Fprintf(w, "%s%s\n", h.paint(styleWarning, "warning["+f.Rule+"]"), h.paint(styleBold, ": "+f.Message))
	marks := []mark{{line: f.Pos.Line, col: f.Pos.Col, width: max(markWidth(src, f.Pos, f.Name), 1), label: bindingLabel(f)}}
	if f.Await != nil && f.Await.Line > 0 {
		marks = append(marks, mark{line: f.Await.Line, col: f.Await.Col, width: max(markWidth(src, *f.Await, "await"), 1),
			primary: true, label: "await occurs here"})
	}
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].line != marks[j].line {
			return marks[i].line < marks[j].line
		}
		return marks[i].col < marks[j].col
	})
	gw := len(strconv.Itoa(marks[len(marks)-1].line))
	bar := func() string { return strings.Repeat(" ", gw+1) + h.paint(styleGutter, "|") }
	fmt.Fprintf(w, "%s%s %s:%d:%d\n", strings.Repeat(" ", gw), h.paint(styleGutter, "-->"), path, f.Pos.Line, f.Pos.Col)
	fmt.Fprintln(w, bar())
	printLine := func(n int, text string) {
		text = strings.ReplaceAll(text, "\t", "    ")
		num := strconv.Itoa(n)
		fmt.Fprintf(w, "%s %s\n", h.paint(styleGutter, num+strings.Repeat(" ", gw-len(num))+" |"), text)
	}
	prev := 0
	for i := 0; i < len(marks); {
		n := marks[i].line
		j := i
		for j < len(marks) && marks[j].line == n {
			j++
		}
		text, ok := sourceLine(src, n)
		if !ok {
			break // no source: the header says where
		}
		if prev > 0 && n > prev+1 {
			if mid, ok := sourceLine(src, prev+1); ok && n == prev+2 {
				printLine(prev+1, mid)
			} else {
				fmt.Fprintln(w, h.paint(styleGutter, "..."))
			}
		}
		printLine(n, text)
		h.underline(w, bar(), text, marks[i:j])
		prev, i = n, j
	}
	fmt.Fprintln(w, bar())
	eq := strings.Repeat(" ", gw+1) + h.paint(styleGutter, "=")
	// Continuation lines align under the text, as rustc aligns its notes.
	indent := func(kind, text string) string {
		return strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", gw+4+len(kind)))
	}
	if f.Fixed {
		fmt.Fprintf(w, "%s %s %s (%s)\n", eq, h.paint(styleBold, "fix:"), indent("fix:", f.Fix), where)
	} else {
		fmt.Fprintf(w, "%s %s %s\n", eq, h.paint(styleBold, "note:"), indent("note:", "not fixed: "+f.Reason))
	}
	if len(f.Tried) > 0 {
		fmt.Fprintf(w, "%s %s %s\n", eq, h.paint(styleBold, "tried:"), indent("tried:", triedText(f)))
	}
	for _, n := range f.Notes {
		fmt.Fprintf(w, "%s %s %s\n", eq, h.paint(styleBold, "note:"), indent("note:", n))
	}
	fmt.Fprintln(w)
}

// underline writes the marks of one line: the spans with their labels,
// the rightmost label inline and the others below, hung from `|`.
func (h *humanPrinter) underline(w io.Writer, bar, text string, ms []mark) {
	type span struct {
		at, width int
		m         mark
	}
	spans := make([]span, len(ms))
	for k, m := range ms {
		spans[k] = span{displayCol(text, m.col), m.width, m}
	}
	style := func(m mark) string {
		if m.primary {
			return styleWarning
		}
		return styleGutter
	}
	var b strings.Builder
	col := 0
	for _, s := range spans {
		if s.at < col {
			continue // overlapping spans: the first wins
		}
		b.WriteString(strings.Repeat(" ", s.at-col))
		c := "-"
		if s.m.primary {
			c = "^"
		}
		b.WriteString(h.paint(style(s.m), strings.Repeat(c, s.width)))
		col = s.at + s.width
	}
	last := spans[len(spans)-1]
	fmt.Fprintf(w, "%s %s %s\n", bar, b.String(), h.paint(style(last.m), last.m.label))
	// The others, right to left, each on its own line below a connector.
	for k := len(spans) - 2; k >= 0; k-- {
		hang := func(end string) string {
			var l strings.Builder
			c := 0
			for q := 0; q < k; q++ {
				l.WriteString(strings.Repeat(" ", max(spans[q].at-c, 0)))
				l.WriteString(h.paint(style(spans[q].m), "|"))
				c = spans[q].at + 1
			}
			l.WriteString(strings.Repeat(" ", max(spans[k].at-c, 0)))
			l.WriteString(end)
			return l.String()
		}
		fmt.Fprintf(w, "%s %s\n", bar, hang(h.paint(style(spans[k].m), "|")))
		fmt.Fprintf(w, "%s %s\n", bar, hang(h.paint(style(spans[k].m), spans[k].m.label)))
	}
}
