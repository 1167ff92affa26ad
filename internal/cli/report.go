package cli

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"sendfix/patterns"
)

// outcome is what became of one file, ready to be reported.
type outcome struct {
	display  string
	err      error // the file was not read, not written, or rejected
	warnings []string
	findings []patterns.Finding
	scanned  bool
	changed  bool
	written  bool
	diff     []byte // the diff to print, when one is printed
	skipped  bool   // not started because the run was interrupted
}

// report prints the outcomes, one at a time and in the order given, and
// keeps the counts for the summary. It is used by one goroutine.
type report struct {
	o      *options
	mode   string
	stdout *bufio.Writer
	stderr io.Writer
	json   *jsonWriter

	scanned, changed, written, errors int
	fixed, unfixed                    map[string]int
}

func newReport(a *App, o *options, mode string) *report {
	r := &report{o: o, mode: mode, stdout: bufio.NewWriter(a.Stdout), stderr: a.Stderr,
		fixed: map[string]int{}, unfixed: map[string]int{}}
	if o.json {
		r.json = newJSONWriter(r.stdout, mode, o.check)
	}
	return r
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

var digits = regexp.MustCompile(`[0-9]+`)

// file reports one outcome. notes lists every finding on stderr (filter
// mode, where no diff shows the fixes); otherwise only unfixed ones.
func (r *report) file(o *outcome, allNotes bool) {
	if o.skipped {
		return
	}
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
		if f.Fixed {
			r.fixed[f.Rule]++
		} else {
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
	if !r.o.quiet {
		for _, f := range o.findings {
			switch {
			case !f.Fixed:
				fmt.Fprintf(r.stderr, "%s:%d:%d: %s: %s (not fixed: %s)\n", o.display, f.Pos.Line, f.Pos.Col, f.Rule, f.Message, f.Reason)
			case allNotes:
				fmt.Fprintf(r.stderr, "%s:%d:%d: %s: %s (fixed: %s)\n", o.display, f.Pos.Line, f.Pos.Col, f.Rule, f.Message, f.Fix)
			}
		}
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
	if r.json != nil {
		err := r.json.finish(jsonSummary{
			FilesScanned: r.scanned, FilesChanged: r.changed, FilesWritten: r.written,
			Errors: r.errors, Fixed: r.fixed, Unfixed: r.unfixed, Interrupted: interrupted,
		})
		r.stdout.Flush()
		if err != nil {
			fmt.Fprintf(r.stderr, "sendfix: writing the JSON output: %v\n", err)
			r.errors++
		}
	} else if !r.o.quiet || interrupted {
		fmt.Fprintln(r.stderr, r.summary(interrupted))
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
	if r.errors > 0 {
		parts = append(parts, plural(r.errors, "error", "errors"))
	}
	s := "sendfix: " + strings.Join(parts, ", ")
	if interrupted {
		s += "; interrupted"
	}
	return s
}
