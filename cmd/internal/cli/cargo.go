package cli

// Compiler in the loop: sendfix --cargo runs `cargo check`, turns rustc's
// "future cannot be sent between threads safely" diagnostics into
// patterns.Sites, runs the rules on exactly those sites, writes, checks
// again while the number of Send failures goes down, and restores every
// touched file when the final build has an error it did not have before.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// cargoOptions are the flags of compiler-in-the-loop mode.
type cargoOptions struct {
	path        string // --cargo PATH ("." for --cargo alone); "" when not given
	maxPasses   int
	brokenCode  bool
	allowDirty  bool
	diagnostics string   // --diagnostics FILE, "-" for standard input
	args        []string // after --: passed to cargo
}

// registerCargoFlags adds the flags of compiler-in-the-loop mode to fs.
func registerCargoFlags(fs *pflag.FlagSet, c *cargoOptions) {
	fs.StringVar(&c.path, "cargo", "", "fix what cargo check reports in the cargo package or workspace at `PATH` (--cargo alone: the current directory; Cargo.toml is searched upward). This RUNS CARGO, and so the package's build scripts and procedural macros: use it only on code you trust. Arguments after -- go to cargo")
	fs.Lookup("cargo").NoOptDefVal = "."
	fs.IntVar(&c.maxPasses, "max-passes", 4, "--cargo: at most `N` check-and-fix passes")
	fs.BoolVar(&c.brokenCode, "broken-code", false, "--cargo: keep the fixes even when the build then has new errors (default: restore the original files)")
	fs.BoolVar(&c.allowDirty, "allow-dirty", false, "--cargo: write into files with uncommitted changes in git")
	fs.StringVar(&c.diagnostics, "diagnostics", "", "read cargo's JSON messages (cargo check --message-format=json) from `FILE` (- for standard input) instead of running cargo; one pass, no verification")
}

func (c *cargoOptions) enabled() bool { return c.path != "" || c.diagnostics != "" }

// resolveCargo checks the cargo flags against the rest of the command line
// and takes the arguments after -- for cargo. It runs after o.paths is set.
func resolveCargo(fs *pflag.FlagSet, o *options) error {
	c := &o.cargo
	if !c.enabled() {
		for _, f := range []string{"max-passes", "broken-code", "allow-dirty"} {
			if fs.Changed(f) {
				return usagef("--%s needs --cargo or --diagnostics", f)
			}
		}
		return nil
	}
	args := fs.Args()
	pre := args
	if d := fs.ArgsLenAtDash(); d >= 0 {
		pre, c.args = args[:d], args[d:]
	}
	switch {
	case c.maxPasses < 1:
		return usagef("--max-passes must be at least 1, not %d", c.maxPasses)
	case o.list || o.json || o.check:
		return usagef("--list, --json and --check cannot be used with --cargo or --diagnostics")
	case c.diagnostics != "" && len(c.args) > 0:
		return usagef("arguments after -- go to cargo, which --diagnostics does not run")
	case len(pre) > 1:
		return usagef("--cargo takes one PATH, got %s", strings.Join(pre, " "))
	case len(pre) == 1 && pre[0] == "-":
		return usagef(`PATH "-" cannot be used with --cargo`)
	}
	// `--cargo DIR` (space, not =) leaves DIR as an argument.
	if len(pre) == 1 {
		if fs.Changed("cargo") && c.path != "." {
			return usagef("--cargo=%s and PATH %s: give one", c.path, pre[0])
		}
		c.path = pre[0]
	}
	if c.path == "" {
		c.path = "."
	}
	return nil
}

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
	}
	rustcSpan struct {
		FileName    string  `json:"file_name"`
		LineStart   int     `json:"line_start"`
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
	var out []*rustcDiag
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var m cargoMessage
		if json.Unmarshal(line, &m) != nil {
			continue
		}
		if m.Reason == "compiler-message" && m.Message != nil {
			out = append(out, m.Message)
		}
	}
	return out, sc.Err()
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
	notImplFor   = regexp.MustCompile("the trait `Send` is not implemented for `(.*)`$")
	e0277Type    = regexp.MustCompile("^`(.*)` cannot be sent between threads safely$")
)

// sendFailure is one Send failure rustc reported, as a site for the rules
// and as the compiler's own location and text for the report.
type sendFailure struct {
	site patterns.Site // Path is the display path
	abs  string        // the file
	loc  string        // path:line:col of the non-Send value
	text string        // the compiler's message and labels
	// outside: the value is in a file outside the workspace root (a
	// #[path] module, a path dependency elsewhere); reported, not touched.
	outside bool
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
	lines := bytes.Split(bytes.TrimPrefix(src, []byte(rewrite.BOM)), []byte("\n"))
	if f.site.Line < 1 || f.site.Line > len(lines) {
		return true
	}
	return string(bytes.TrimSuffix(lines[f.site.Line-1], []byte("\r"))) != *f.lineText
}

// outsideLocation is the absolute and display path of a span's file that
// location refused, for the report.
func outsideLocation(root, wd, file string) (abs, display string) {
	abs = file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, file)
	}
	abs = filepath.Clean(abs)
	display = abs
	if rel, err := filepath.Rel(wd, abs); err == nil {
		display = rel
	}
	return abs, filepath.ToSlash(display)
}

// location resolves a span's file to an absolute path and a display path
// (relative to wd), or ok == false when it is outside root (a dependency,
// the standard library) or has no file.
func location(root, wd, file string) (abs, display string, ok bool) {
	if file == "" || strings.HasPrefix(file, "<") {
		return "", "", false
	}
	abs = file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, file)
	}
	abs = filepath.Clean(abs)
	if rel, err := filepath.Rel(root, abs); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", "", false
	}
	display = abs
	if rel, err := filepath.Rel(wd, abs); err == nil {
		display = rel
	}
	return abs, filepath.ToSlash(display), true
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

// sendFailures maps rustc's diagnostics to the sites of their Send
// failures in files under root, deduplicated (cargo reports a lib's error
// once per target that builds it) and in file and line order.
func sendFailures(diags []*rustcDiag, root, wd string) []sendFailure {
	seen := map[patterns.Site]bool{}
	var out []sendFailure
	add := func(f sendFailure) {
		if !seen[f.site] {
			seen[f.site] = true
			out = append(out, f)
		}
	}
	for _, d := range diags {
		if !isSendDiag(d) {
			continue
		}
		found := false
		for _, c := range d.Children {
			switch {
			case c.Message == heldNote, strings.HasPrefix(c.Message, capturedNote):
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
				if val == nil {
					continue
				}
				abs, disp, ok := location(root, wd, val.FileName)
				if !ok {
					if val.FileName == "" || strings.HasPrefix(val.FileName, "<") {
						continue
					}
					abs, disp = outsideLocation(root, wd, val.FileName)
				}
				site := patterns.Site{Path: disp, Kind: patterns.SiteCaptured, Line: val.LineStart, Col: val.ColumnStart, Type: ty}
				text := fmt.Sprintf("%s: %s (%s)", d.Message, c.Message, *val.Label)
				if c.Message == heldNote {
					site.Kind = patterns.SiteHeld
					if aw != nil && aw.FileName == val.FileName {
						site.AwaitLine, site.AwaitCol = aw.LineStart, aw.ColumnStart
						text += fmt.Sprintf("; %d:%d: %s", aw.LineStart, aw.ColumnStart, awLabel)
					}
				}
				f := sendFailure{site: site, abs: abs, loc: fmt.Sprintf("%s:%d:%d", disp, site.Line, site.Col), text: text, outside: !ok}
				if len(val.Text) > 0 {
					f.lineText = &val.Text[0].Text
				}
				add(f)
				found = true
			}
		}
		if found {
			continue
		}
		// No value named: the async body rustc says must be Send (an async
		// fn of another crate of the workspace).
		ty := ""
		if m := e0277Type.FindStringSubmatch(d.Message); m != nil {
			ty = m[1]
		}
		for _, c := range d.Children {
			if ty == "" && c.Level == "help" {
				if m := notImplFor.FindStringSubmatch(c.Message); m != nil {
					ty = m[1]
				}
			}
		}
		for _, c := range d.Children {
			if !strings.HasPrefix(c.Message, bodyNote) || len(c.Spans) == 0 {
				continue
			}
			s := c.Spans[0]
			if s.FileName == "" || strings.HasPrefix(s.FileName, "<") {
				continue
			}
			abs, disp, ok := location(root, wd, s.FileName)
			if !ok {
				abs, disp = outsideLocation(root, wd, s.FileName)
			}
			site := patterns.Site{Path: disp, Kind: patterns.SiteBody, Line: s.LineStart, Col: s.ColumnStart, Type: ty}
			add(sendFailure{site: site, abs: abs, loc: fmt.Sprintf("%s:%d:%d", disp, s.LineStart, s.ColumnStart),
				text: fmt.Sprintf("%s: %s (holds a `%s`)", d.Message, c.Message, ty), outside: !ok})
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

// buildError is one error diagnostic, keyed for comparing two builds.
type buildError struct {
	abs, loc string // the primary span's file and path:line:col
	line     int
	key      string // file, code and message: stable when lines move
	text     string
}

// buildErrors returns the error diagnostics other than Send failures, in
// the order given, each with its primary span in a file under root.
func buildErrors(diags []*rustcDiag, root, wd string) []buildError {
	var out []buildError
	for _, d := range diags {
		if d.Level != "error" || isSendDiag(d) {
			continue
		}
		code := ""
		if d.Code != nil {
			code = d.Code.Code
		}
		for _, s := range d.Spans {
			if !s.IsPrimary {
				continue
			}
			abs, disp, ok := location(root, wd, s.FileName)
			if !ok {
				break
			}
			text := "error: " + d.Message
			if code != "" {
				text = "error[" + code + "]: " + d.Message
			}
			out = append(out, buildError{abs: abs, loc: fmt.Sprintf("%s:%d:%d", disp, s.LineStart, s.ColumnStart), line: s.LineStart,
				key: abs + "\x00" + code + "\x00" + d.Message, text: text})
			break
		}
	}
	return out
}

// newErrors returns the errors of after, in files of touched, that before
// did not have (counted per file, code and message, so that errors moved
// by an edit are not new). Cargo reports an error once per target that
// builds the file, so counts are of distinct locations.
func newErrors(before, after []buildError, touched map[string]bool) []buildError {
	count := func(errs []buildError) map[string]int {
		m := map[string]int{}
		seen := map[string]bool{}
		for _, e := range errs {
			if !seen[e.key+e.loc] {
				seen[e.key+e.loc] = true
				m[e.key]++
			}
		}
		return m
	}
	had := count(before)
	seen := map[string]bool{}
	var out []buildError
	for _, e := range after {
		if !touched[e.abs] || seen[e.key+e.loc] {
			continue
		}
		seen[e.key+e.loc] = true
		if had[e.key] > 0 {
			had[e.key]--
			continue
		}
		out = append(out, e)
	}
	return out
}

// manifestHasWorkspace matches a [workspace] table header.
var manifestHasWorkspace = regexp.MustCompile(`(?m)^\s*\[workspace\]`)

// workspaceRoot finds the cargo package at or above start and the
// workspace root above it: the nearest Cargo.toml with a [workspace]
// table, or the package itself.
func workspaceRoot(start string) (root, pkg string, err error) {
	dir := start
	if st, err := os.Stat(start); err != nil {
		return "", "", err
	} else if !st.IsDir() {
		dir = filepath.Dir(start)
	}
	for d := dir; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "Cargo.toml"))
		if err == nil {
			if pkg == "" {
				pkg = d
			}
			if manifestHasWorkspace.Match(data) {
				return d, pkg, nil
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if pkg == "" {
		return "", "", fmt.Errorf("no Cargo.toml in %s or any folder above it", dir)
	}
	return pkg, pkg, nil
}

// cargoRun is one run of compiler-in-the-loop mode.
type cargoRun struct {
	a       *App
	o       *options
	root    string // the workspace root: where rustc's relative paths start
	dir     string // where cargo runs
	wd      string
	orig    map[string][]byte // the original bytes of every file written
	written map[string][]byte // what was last written to it
	display map[string]string
	fixes   []fixNote // every fix written, in order
	errs    int
}

// fixNote is a fix sendfix wrote: which finding, in which file and pass.
type fixNote struct {
	abs, display string
	pass         int
	f            patterns.Finding
}

func (r *cargoRun) errorf(format string, a ...any) {
	r.errs++
	fmt.Fprintf(r.a.Stderr, "sendfix: "+format+"\n", a...)
}

func (r *cargoRun) notef(format string, a ...any) {
	if !r.o.quiet {
		fmt.Fprintf(r.a.Stderr, "sendfix: "+format+"\n", a...)
	}
}

// check runs cargo check and returns its compiler messages.
func (r *cargoRun) check() ([]*rustcDiag, error) {
	args := append([]string{"check", "--message-format=json", "--all-targets", "--keep-going"}, r.o.cargo.args...)
	cmd := exec.CommandContext(r.a.Context, "cargo", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "CARGO_TERM_COLOR=never", "CARGO_TERM_PROGRESS_WHEN=never")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	diags, err := parseMessages(&stdout)
	if err != nil {
		return nil, fmt.Errorf("reading cargo's output: %v", err)
	}
	if runErr != nil {
		if r.a.Context.Err() != nil {
			return nil, r.a.Context.Err()
		}
		hasError := false
		for _, d := range diags {
			hasError = hasError || d.Level == "error"
		}
		if !hasError {
			// Cargo failed before rustc said anything: a manifest error,
			// a missing dependency. Its stderr says why.
			return nil, fmt.Errorf("cargo check failed: %v\n%s", runErr, tailString(stderr.String(), 3000))
		}
	}
	return diags, nil
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// fixed is what one pass made of one file.
type fixed struct {
	abs, display string
	res          *patterns.Result
}

// pass runs the rules on the files of failures with their sites.
func (r *cargoRun) pass(failures []sendFailure) []fixed {
	cfg := r.o.cfg
	cfg.Sites = nil
	var files []string
	abs := map[string]string{}
	for _, f := range failures {
		if f.outside {
			continue
		}
		if src, err := readSource(f.abs); err == nil && f.stale(src) {
			r.errorf("%s: the compiler's message does not match the file (changed since it was checked?); not fixed", f.loc)
			continue
		}
		cfg.Sites = append(cfg.Sites, f.site)
		if _, ok := abs[f.site.Path]; !ok {
			abs[f.site.Path] = f.abs
			files = append(files, f.site.Path)
			r.display[f.abs] = f.site.Path
		}
	}
	sort.Strings(files)
	e := r.a.newEngine(cfg, nil)
	defer e.Close()
	var out []fixed
	for _, disp := range files {
		src, err := readSource(abs[disp])
		if err != nil {
			r.errorf("%s: %v", disp, err)
			continue
		}
		res := e.Run(disp, src)
		for _, w := range res.Warnings {
			r.notef("warning: %s: %s", disp, w)
		}
		if res.Internal != nil {
			r.errorf("%s: internal error, file left unchanged: %v", disp, res.Internal)
			continue
		}
		out = append(out, fixed{abs: abs[disp], display: disp, res: res})
	}
	return out
}

// dirty returns the files among abs that git reports as modified, staged
// or untracked. Outside a git work tree nothing is dirty.
func (r *cargoRun) dirty(abs []string) []string {
	if len(abs) == 0 {
		return nil
	}
	if _, err := exec.LookPath("git"); err != nil {
		return nil
	}
	args := append([]string{"status", "--porcelain", "-z", "--"}, abs...)
	cmd := exec.CommandContext(r.a.Context, "git", args...)
	cmd.Dir = r.root
	out, err := cmd.Output()
	if err != nil {
		return nil // not a git work tree
	}
	var d []string
	for _, rec := range strings.Split(string(out), "\x00") {
		if len(rec) > 3 {
			d = append(d, rec[3:])
		}
	}
	return d
}

// write writes the changed files of a pass. It refuses, writing nothing,
// when a file not written before has uncommitted changes (unless
// --allow-dirty).
func (r *cargoRun) write(pass int, fs []fixed) (int, bool) {
	var fresh []string
	for _, f := range fs {
		if _, done := r.orig[f.abs]; !done && f.res.Changed() {
			fresh = append(fresh, f.abs)
		}
	}
	if !r.o.cargo.allowDirty {
		if d := r.dirty(fresh); len(d) > 0 {
			r.errorf("refusing to write: uncommitted changes in %s (commit or stash them, or use --allow-dirty)", strings.Join(d, ", "))
			return 0, false
		}
	}
	n := 0
	for _, f := range fs {
		if !f.res.Changed() {
			continue
		}
		if err := r.a.writer.WriteAtomic(f.abs, f.res.In, f.res.Out); err != nil {
			r.errorf("%s: not written: %v", f.display, errReason(err))
			continue
		}
		if _, ok := r.orig[f.abs]; !ok {
			r.orig[f.abs] = f.res.In
		}
		r.written[f.abs] = f.res.Out
		n++
		for _, fd := range f.res.Findings {
			if fd.Fixed {
				r.fixes = append(r.fixes, fixNote{abs: f.abs, display: f.display, pass: pass, f: fd})
			}
		}
	}
	return n, true
}

// restore puts back the original bytes of every file written.
func (r *cargoRun) restore() int {
	n := 0
	paths := make([]string, 0, len(r.orig))
	for p := range r.orig {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := r.a.writer.WriteAtomic(p, r.written[p], r.orig[p]); err != nil {
			r.errorf("%s: could not restore the original: %v", r.display[p], errReason(err))
			continue
		}
		n++
	}
	return n
}

// culprit names the fix most likely to have caused e: the last fix written
// in e's file at or above its line, else the first in that file.
func (r *cargoRun) culprit(e buildError) string {
	line := e.line
	var best *fixNote
	for i := range r.fixes {
		fx := &r.fixes[i]
		if fx.abs != e.abs {
			continue
		}
		if best == nil || fx.f.Pos.Line <= line && fx.f.Pos.Line >= best.f.Pos.Line {
			best = fx
		}
	}
	if best == nil {
		return "the fixes of other files"
	}
	return fmt.Sprintf("the %s fix of `%s` at %s:%d:%d (pass %d)", best.f.Rule, best.f.Name, best.display, best.f.Pos.Line, best.f.Pos.Col, best.pass)
}

// listUnfixed prints the Send failures left, with the compiler's location
// and text and why they were not fixed: the rule's reason when a rule of
// last (a pass on exactly these failures) refused the site, notWritten
// when a rule fixed it but the fix was not written.
func (r *cargoRun) listUnfixed(failures []sendFailure, last []fixed, notWritten string) {
	for _, f := range failures {
		why := "no rule fixes this"
		if f.outside {
			why = "the file is outside the workspace root " + r.root + "; sendfix does not touch it"
		}
		for _, fx := range last {
			if fx.display != f.site.Path || f.outside {
				continue
			}
			for _, fd := range fx.res.Findings {
				if !siteMatches(f.site, fd) {
					continue
				}
				if fd.Fixed {
					why = "a " + fd.Rule + " fix exists but was not written: " + notWritten
					break
				}
				why = fd.Rule + ": " + fd.Reason
			}
		}
		fmt.Fprintf(r.a.Stderr, "%s: error: %s (not fixed: %s)\n", f.loc, f.text, why)
	}
}

// siteMatches reports whether finding fd, in the site's file, is about the
// site: the same line for a held value; for a captured value or an async
// body any rc-arc or guard finding of the file, since the finding sits at
// the Rc's or guard's binding, not at the capture or the body's start.
func siteMatches(s patterns.Site, fd patterns.Finding) bool {
	if s.Kind == patterns.SiteHeld {
		return fd.Pos.Line == s.Line
	}
	if s.Kind == patterns.SiteCaptured {
		return fd.Rule == patterns.RuleRcArc
	}
	return fd.Rule != patterns.RuleRcArc
}

// runCargo is compiler-in-the-loop mode.
func (a *App) runCargo(o *options) int {
	c := &o.cargo
	wd, err := a.Getwd()
	if err != nil {
		fmt.Fprintf(a.Stderr, "sendfix: cannot get the working directory: %v\n", err)
		return exitError
	}
	start := c.path
	if !filepath.IsAbs(start) {
		start = filepath.Join(wd, start)
	}
	root, pkg, err := workspaceRoot(start)
	if err != nil {
		fmt.Fprintf(a.Stderr, "sendfix: --cargo %s: %v\n", c.path, err)
		return exitError
	}
	dir := start
	if st, err := os.Stat(start); err == nil && !st.IsDir() {
		dir = pkg
	}
	r := &cargoRun{a: a, o: o, root: root, dir: dir, wd: wd,
		orig: map[string][]byte{}, written: map[string][]byte{}, display: map[string]string{}}

	var diags []*rustcDiag
	if c.diagnostics != "" {
		diags, err = r.readDiagnostics()
	} else {
		if _, lerr := exec.LookPath("cargo"); lerr != nil {
			fmt.Fprintf(a.Stderr, "sendfix: --cargo needs cargo on PATH: %v\n", lerr)
			return exitError
		}
		diags, err = r.check()
	}
	if err != nil {
		return r.fatal(err)
	}
	failures := sendFailures(diags, root, wd)
	r.notef("cargo check: %s", plural(len(failures), "Send failure", "Send failures"))
	if len(failures) == 0 {
		return r.exit()
	}
	if !o.write {
		// Dry run: the first pass's fixes as a diff; nothing on disk changes.
		fs := r.pass(failures)
		out := bufio.NewWriter(a.Stdout)
		nfix := 0
		for _, f := range fs {
			for _, fd := range f.res.Findings {
				if fd.Fixed {
					nfix++
				}
			}
			if f.res.Changed() {
				d := rewrite.Unified(f.display, f.res.In, f.res.Out)
				if o.color {
					d = rewrite.Colorize(d)
				}
				out.Write(d)
			}
		}
		if err := out.Flush(); err != nil {
			r.errorf("writing the output: %v", err)
		}
		r.listUnfixed(unfixedAfter(failures, fs), fs, "dry run")
		r.notef("dry run, first pass: %s; nothing written (later passes may find more once these are fixed)", plural(nfix, "fix", "fixes"))
		return r.exit()
	}

	before := buildErrors(diags, root, wd)
	prev := len(failures)
	passes := 0
	var last []fixed // a pass on exactly the failures left, when one ran
	stop := fmt.Sprintf("--max-passes %d reached", c.maxPasses)
	for passes < c.maxPasses && len(failures) > 0 {
		fs := r.pass(failures)
		last = fs
		n, ok := r.write(passes+1, fs)
		if !ok {
			stop = "writing was refused"
			break
		}
		if n == 0 {
			break
		}
		passes++
		r.notef("pass %d: wrote %s", passes, plural(n, "file", "files"))
		if c.diagnostics != "" {
			// The build is someone else's: no re-check, no verification.
			r.notef("--diagnostics: the fixes were not verified; run cargo check")
			r.listUnfixed(unfixedAfter(failures, fs), fs, "not written")
			return r.exit()
		}
		if diags, err = r.check(); err != nil {
			return r.fatal(err)
		}
		fixedSome := len(unfixedAfter(failures, fs)) < len(failures)
		failures = sendFailures(diags, root, wd)
		last = nil
		r.notef("cargo check: %s", plural(len(failures), "Send failure", "Send failures"))
		// Progress is fewer failures, or as many when this pass fixed
		// some: rustc reports one failure per function at a time, so a
		// fix may reveal the next one.
		if len(failures) > prev || len(failures) == prev && !fixedSome {
			stop = "the previous pass did not reduce the Send failures"
			break
		}
		prev = len(failures)
	}

	// Verify: the last check must have no error it did not have before in
	// a file sendfix touched.
	touched := map[string]bool{}
	for p := range r.orig {
		touched[p] = true
	}
	if bad := newErrors(before, buildErrors(diags, root, wd), touched); len(bad) > 0 {
		e := bad[0]
		if c.brokenCode {
			r.errorf("the fixes broke the build: %s: %s, after %s; kept (--broken-code)", e.loc, e.text, r.culprit(e))
			return r.exit()
		}
		n := r.restore()
		r.errorf("the fixes broke the build: %s: %s, after %s; restored the original of %s (--broken-code keeps them)",
			e.loc, e.text, r.culprit(e), plural(n, "file", "files"))
		return r.exit()
	}
	if last == nil && len(failures) > 0 {
		// No rule has seen these sites yet (found by the last check): a
		// pass that writes nothing says which ones a rule would fix.
		last = r.pass(failures)
	}
	r.listUnfixed(failures, last, stop)
	status := "cargo check clean"
	switch errs := buildErrors(diags, root, wd); {
	case len(failures) > 0:
		status = "cargo check: " + plural(len(failures), "Send failure", "Send failures") + " left"
	case len(errs) > 0:
		status = "cargo check: other errors, none new"
	}
	r.notef("%s, %s, %s; %s", plural(passes, "pass", "passes"), plural(len(r.orig), "file changed", "files changed"),
		plural(len(r.fixes), "fix", "fixes"), status)
	return r.exit()
}

// unfixedAfter returns the failures a dry or unverified pass did not fix:
// those at which no finding was fixed.
func unfixedAfter(failures []sendFailure, fs []fixed) []sendFailure {
	var out []sendFailure
	for _, f := range failures {
		done := false
		for _, fx := range fs {
			if fx.display != f.site.Path {
				continue
			}
			for _, fd := range fx.res.Findings {
				done = done || fd.Fixed && siteMatches(f.site, fd)
			}
		}
		if !done {
			out = append(out, f)
		}
	}
	return out
}

func (r *cargoRun) readDiagnostics() ([]*rustcDiag, error) {
	name := r.o.cargo.diagnostics
	if name == "-" {
		return parseMessages(r.a.Stdin)
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(r.wd, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("--diagnostics: %w", err)
	}
	defer f.Close()
	return parseMessages(f)
}

func (r *cargoRun) fatal(err error) int {
	if errors.Is(err, r.a.Context.Err()) && r.a.Context.Err() != nil {
		if len(r.orig) > 0 && !r.o.cargo.brokenCode {
			r.restore()
		}
		fmt.Fprintln(r.a.Stderr, "sendfix: interrupted")
		return exitInterrupted
	}
	r.errorf("%v", err)
	if len(r.orig) > 0 && !r.o.cargo.brokenCode {
		n := r.restore()
		r.notef("restored the original of %s", plural(n, "file", "files"))
	}
	return exitError
}

func (r *cargoRun) exit() int {
	if r.a.Context.Err() != nil {
		return exitInterrupted
	}
	if r.errs > 0 {
		return exitError
	}
	return exitOK
}
