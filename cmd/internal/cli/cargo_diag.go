package cli

// Reading rustc's JSON diagnostics (cargo check --message-format=json):
// the Send failures as patterns.Sites, and the other errors as keys that
// survive edits, for judging a build. Pure functions: no I/O but the
// reader given.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sendfix/patterns"
)

// Rustc's JSON diagnostics, as much of them as sendfix reads.
type (
	cargoMessage struct {
		Reason  string      `json:"reason"`
		Message *rustcDiag  `json:"message"`
		Target  cargoTarget `json:"target"`
	}
	cargoTarget struct {
		Name string `json:"name"`
	}
	rustcDiag struct {
		Message string `json:"message"`
		Level   string `json:"level"`
		Code    *struct {
			Code string `json:"code"`
		} `json:"code"`
		Spans    []rustcSpan `json:"spans"`
		Children []rustcDiag `json:"children"`
		// line is the index of the message's line in the output read
		// (parseOutput).
		line int
	}
	rustcSpan struct {
		FileName    string  `json:"file_name"`
		LineStart   int     `json:"line_start"`
		LineEnd     int     `json:"line_end"`
		ColumnStart int     `json:"column_start"`
		IsPrimary   bool    `json:"is_primary"`
		Label       *string `json:"label"`
		// Text holds the source lines the span covers, as rustc read them.
		Text []struct {
			Text string `json:"text"`
		} `json:"text"`
	}
)

// parseMessages reads cargo's JSON lines and returns the compiler
// messages. Lines that are not JSON (cargo's own output mixed in) are
// skipped.
func parseMessages(r io.Reader) ([]*rustcDiag, error) {
	_, diags, err := parseOutput(r)
	return diags, err
}

// parseOutput is parseMessages that also returns every line read, in
// order (for passing cargo's output through: --message-format json);
// each message's line is its index there.
func parseOutput(r io.Reader) ([][]byte, []*rustcDiag, error) {
	var lines [][]byte
	var out []*rustcDiag
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		raw := append([]byte(nil), sc.Bytes()...)
		lines = append(lines, raw)
		line := bytes.TrimSpace(raw)
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var m cargoMessage
		if json.Unmarshal(line, &m) != nil {
			continue
		}
		if m.Reason == "compiler-message" && m.Message != nil {
			m.Message.line = len(lines) - 1
			out = append(out, m.Message)
		}
	}
	return lines, out, sc.Err()
}

const (
	sendMessage  = "future cannot be sent between threads safely"
	sendSuffix   = " cannot be sent between threads safely" // E0277 form
	heldNote     = "future is not `Send` as this value is used across an await"
	capturedNote = "captured value is not `Send`"
	bodyNote     = "required because it's used within this `async"
)

var (
	hasTypeLabel = regexp.MustCompile("^has type `(.*)` which is not `Send`")
	// notImplFor is rustc's help naming the type that is not Send (or
	// not Sync), and what holds it.
	notImplFor = regexp.MustCompile("^(?:within `(.*)`, )?the trait `(?:Send|Sync)` is not implemented for `(.*)`$")
	e0277Type  = regexp.MustCompile("^`(.*)` cannot be sent between threads safely$")
	// quoted are the names rustc quotes in a message or label.
	quoted = regexp.MustCompile("`([A-Za-z_][A-Za-z0-9_]*)`")
)

// sendFailure is one Send failure rustc reported: a site for the rules
// and rustc's own words for the report.
type sendFailure struct {
	// site.Path is the file's slash path relative to the workspace root.
	site patterns.Site
	// outside is the file's absolute path when it lies outside the
	// workspace root (a #[path] module, a path dependency elsewhere):
	// reported, never touched.
	outside string
	text    string // the compiler's message and labels
	// lineText is the text rustc saw at site.Line, when it gave it: a file
	// whose line differs changed after the check, and the site is stale.
	lineText *string
}

// stale reports whether src no longer has at the site's line the text the
// compiler saw there (messages read with --diagnostics from a build of
// older sources).
func (f sendFailure) stale(src []byte) bool {
	if f.lineText == nil {
		return false
	}
	line, ok := sourceLine(src, f.site.Line)
	return !ok || line != *f.lineText
}

// relPath returns file (as rustc names it: relative to root, or absolute)
// as a slash path relative to root, or ok == false when it is outside root
// (a dependency, the standard library) or names no file.
func relPath(root, file string) (rel string, ok bool) {
	if file == "" || strings.HasPrefix(file, "<") {
		return "", false
	}
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, file)
	}
	r, err := filepath.Rel(root, filepath.Clean(abs))
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

// isSendDiag reports whether d is rustc's Send error for a future (with or
// without E0277).
func isSendDiag(d *rustcDiag) bool {
	if d.Level != "error" {
		return false
	}
	if d.Message == sendMessage {
		return true
	}
	if !strings.HasSuffix(d.Message, sendSuffix) {
		return false
	}
	// The E0277 form also covers closures for std::thread::spawn; only
	// futures are ours.
	for _, c := range d.Children {
		if c.Message == heldNote || strings.HasPrefix(c.Message, capturedNote) || strings.HasPrefix(c.Message, bodyNote) {
			return true
		}
	}
	return false
}

// stdTypeHeads are std types whose name never makes them a struct of the
// program (Site.Struct).
var stdTypeHeads = map[string]bool{"Rc": true, "Arc": true, "Box": true, "Vec": true, "Option": true, "RefCell": true, "Cell": true,
	"Ref": true, "RefMut": true, "MutexGuard": true, "RwLockReadGuard": true, "RwLockWriteGuard": true, "Weak": true}

// programStruct returns ty as the name of a type of the program (the
// `Node` of `&Node` or `&mut Node<T>`), or "" when it is a path, a std
// type, a future or not a plain name.
func programStruct(ty string) string {
	ty = strings.TrimPrefix(strings.TrimPrefix(ty, "&"), "mut ")
	if i := strings.IndexByte(ty, '<'); i >= 0 {
		ty = ty[:i]
	}
	if ty == "" || strings.ContainsAny(ty, ":{}() *[]") || stdTypeHeads[ty] {
		return ""
	}
	return ty
}

// helpTypes returns the non-Send type rustc's help names and what it says
// holds it, from the children of d.
func helpTypes(d *rustcDiag) (inner, within string) {
	for _, c := range d.Children {
		if c.Level != "help" {
			continue
		}
		if m := notImplFor.FindStringSubmatch(c.Message); m != nil {
			return m[2], m[1]
		}
	}
	return "", ""
}

// sendFailures maps rustc's diagnostics to the Send failures they report,
// deduplicated (cargo reports a lib's error once per target that builds
// it, rustc sometimes twice with another help) and in file and line
// order. root is the workspace root rustc's relative paths start from.
func sendFailures(diags []*rustcDiag, root string) []sendFailure {
	type key struct {
		path      string
		kind      patterns.SiteKind
		line, col int
		ty, out   string
	}
	seen := map[key]bool{}
	var out []sendFailure
	add := func(f sendFailure) {
		k := key{f.site.Path, f.site.Kind, f.site.Line, f.site.Col, f.site.Type, f.outside}
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	place := func(file string) (path, outside string) {
		if rel, ok := relPath(root, file); ok {
			return rel, ""
		}
		abs := file
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(root, file)
		}
		return filepath.ToSlash(filepath.Clean(abs)), filepath.Clean(abs)
	}
	for _, d := range diags {
		if !isSendDiag(d) {
			continue
		}
		inner, within := helpTypes(d)
		found := false
		for _, c := range d.Children {
			if c.Message != heldNote && !strings.HasPrefix(c.Message, capturedNote) {
				continue
			}
			var val, aw *rustcSpan
			var ty, awLabel string
			for i := range c.Spans {
				s := &c.Spans[i]
				if s.Label == nil {
					continue
				}
				if m := hasTypeLabel.FindStringSubmatch(*s.Label); m != nil && val == nil {
					val, ty = s, m[1]
				} else if strings.HasPrefix(*s.Label, "await occurs here") && aw == nil {
					aw, awLabel = s, *s.Label
				}
			}
			if val == nil || val.FileName == "" || strings.HasPrefix(val.FileName, "<") {
				continue
			}
			path, outside := place(val.FileName)
			site := patterns.Site{Path: path, Kind: patterns.SiteCaptured, Line: val.LineStart, Col: val.ColumnStart, Type: ty}
			text := fmt.Sprintf("%s: %s (%s)", d.Message, c.Message, *val.Label)
			if c.Message == heldNote {
				site.Kind = patterns.SiteHeld
				if aw != nil && aw.FileName == val.FileName {
					site.AwaitLine, site.AwaitCol = aw.LineStart, aw.ColumnStart
					text += fmt.Sprintf("; %d:%d: %s", aw.LineStart, aw.ColumnStart, awLabel)
				}
			}
			setInner(&site, inner, within)
			f := sendFailure{site: site, outside: outside, text: text}
			if len(val.Text) > 0 {
				f.lineText = &val.Text[0].Text
			}
			add(f)
			found = true
		}
		if found {
			continue
		}
		// No value named: the async body rustc says must be Send (an async
		// fn of another crate of the workspace, a value moved in whole).
		ty := ""
		if m := e0277Type.FindStringSubmatch(d.Message); m != nil {
			ty = m[1]
		}
		if ty == "" {
			ty = inner
		}
		for _, c := range d.Children {
			if !strings.HasPrefix(c.Message, bodyNote) || len(c.Spans) == 0 {
				continue
			}
			s := c.Spans[0]
			if s.FileName == "" || strings.HasPrefix(s.FileName, "<") {
				continue
			}
			path, outside := place(s.FileName)
			site := patterns.Site{Path: path, Kind: patterns.SiteBody, Line: s.LineStart, Col: s.ColumnStart, Type: ty}
			setInner(&site, inner, within)
			add(sendFailure{site: site, outside: outside, text: fmt.Sprintf("%s: %s (holds a `%s`)", d.Message, c.Message, ty)})
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].site, out[j].site
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return out
}

// setInner fills a site's Inner and Struct from rustc's help.
func setInner(site *patterns.Site, inner, within string) {
	if inner != "" && inner != site.Type {
		site.Inner = inner
	}
	site.Struct = programStruct(within)
	if site.Struct == "" && site.Inner != "" {
		site.Struct = programStruct(site.Type)
	}
}

// buildError is one error diagnostic other than a Send failure.
type buildError struct {
	path      string // the primary span's file, relative to the root; "" outside it
	line, col int
	code      string // "E0597", or "" (rustc gives many errors no code)
	message   string
	// names are the identifiers rustc quotes in the message and the
	// labels of the primary span's file (`g` of "`g` does not live long
	// enough"), to tell which fix the error is about.
	names []string
	// lines are the lines of the primary span's file that the error's
	// spans cover.
	lines [][2]int
}

// key identifies an error across edits that move it: file, code and
// message.
func (e buildError) key() string { return e.path + "\x00" + e.code + "\x00" + e.message }

// String is how a verdict names the error: "E0597 at src/main.rs:9:13:
// `g` does not live long enough".
func (e buildError) String() string {
	what := "error"
	if e.code != "" {
		what = e.code
	}
	return fmt.Sprintf("%s at %s:%d:%d: %s", what, e.path, e.line, e.col, e.message)
}

// buildErrors returns the error diagnostics other than Send failures, in
// the order given, each at its primary span (when that is in a file under
// root; errors elsewhere have path "").
func buildErrors(diags []*rustcDiag, root string) []buildError {
	var out []buildError
	for _, d := range diags {
		if d.Level != "error" || isSendDiag(d) || strings.HasPrefix(d.Message, "aborting due to") {
			continue
		}
		e := buildError{message: d.Message}
		if d.Code != nil {
			e.code = d.Code.Code
		}
		var file string
		for _, s := range d.Spans {
			if s.IsPrimary {
				file = s.FileName
				e.path, _ = relPath(root, s.FileName)
				e.line, e.col = s.LineStart, s.ColumnStart
				break
			}
		}
		for _, m := range quoted.FindAllStringSubmatch(d.Message, -1) {
			e.names = append(e.names, m[1])
		}
		var spans []rustcSpan
		spans = append(spans, d.Spans...)
		for _, c := range d.Children {
			spans = append(spans, c.Spans...)
		}
		for _, s := range spans {
			if s.FileName != file {
				continue
			}
			e.lines = append(e.lines, [2]int{s.LineStart, max(s.LineEnd, s.LineStart)})
			if s.Label != nil {
				for _, m := range quoted.FindAllStringSubmatch(*s.Label, -1) {
					e.names = append(e.names, m[1])
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// newErrors returns the errors of after that before did not have, counted
// per file, code and message (an error an edit moved is not new), among
// the files of touched when it is not nil. Cargo reports an error once per
// target that builds its file: an error counts once per location.
func newErrors(before, after []buildError, touched map[string]bool) []buildError {
	loc := func(e buildError) string { return fmt.Sprintf("%s:%d:%d", e.key(), e.line, e.col) }
	count := func(errs []buildError) map[string]int {
		m := map[string]int{}
		seen := map[string]bool{}
		for _, e := range errs {
			if !seen[loc(e)] {
				seen[loc(e)] = true
				m[e.key()]++
			}
		}
		return m
	}
	had := count(before)
	seen := map[string]bool{}
	var out []buildError
	for _, e := range after {
		if touched != nil && !touched[e.path] || seen[loc(e)] {
			continue
		}
		seen[loc(e)] = true
		if had[e.key()] > 0 {
			had[e.key()]--
			continue
		}
		out = append(out, e)
	}
	return out
}
