package cli

// Compiler in the loop: sendfix --cargo (and cargo sendfix, by default)
// runs `cargo check` on a scratch copy of the workspace, and for each
// Send failure rustc reports tries the rules' candidate fixes until one
// compiles (cargo_loop.go). What compiled is printed as a diff, or with
// --write written to the user's files; the findings go through the
// report layer, so every output format works. --diagnostics reads the
// messages of a build made elsewhere and makes one pass, unverified.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// ruleRustc is the rule of a finding no rule answers: a Send failure
// rustc reports that sendfix leaves as it is.
const ruleRustc = "rustc"

// cargoOptions are the flags of compiler-in-the-loop mode.
type cargoOptions struct {
	path        string // --cargo PATH ("." for --cargo alone); "" when not given
	maxRounds   int
	allowDirty  bool
	noVerify    bool     // --no-verify: cargo sendfix without the compiler
	diagnostics string   // --diagnostics FILE, "-" for standard input
	args        []string // after --: passed to cargo
}

// registerCargoFlags adds the flags of compiler-in-the-loop mode to fs.
func registerCargoFlags(fs *pflag.FlagSet, c *cargoOptions) {
	fs.StringVar(&c.path, "cargo", "", "fix what cargo check reports in the cargo package or workspace at `PATH`, keeping only the fixes that compile (--cargo alone: the current directory; Cargo.toml is searched upward). This RUNS CARGO, and so the package's build scripts and procedural macros: use it only on code you trust. Arguments after -- go to cargo. cargo sendfix does this by default")
	fs.Lookup("cargo").NoOptDefVal = "."
	fs.IntVar(&c.maxRounds, "max-rounds", 10, "--cargo: at most `N` rounds of candidate fixes, one cargo check each")
	fs.BoolVar(&c.allowDirty, "allow-dirty", false, "--cargo: write into files with uncommitted changes in git")
	fs.BoolVar(&c.noVerify, "no-verify", false, "cargo sendfix: do not run the compiler; fix what the syntax proves, as plain sendfix does")
	fs.StringVar(&c.diagnostics, "diagnostics", "", "read cargo's JSON messages (cargo check --message-format=json) from `FILE` (- for standard input) instead of running cargo; one pass, no verification")
}

func (c *cargoOptions) enabled() bool { return c.path != "" || c.diagnostics != "" }

// resolveCargo checks the cargo flags against the rest of the command line
// and takes the arguments after -- for cargo. It runs after o.paths is set.
func resolveCargo(fs *pflag.FlagSet, o *options) error {
	c := &o.cargo
	if c.noVerify {
		if c.enabled() {
			return usagef("--no-verify turns the compiler off: it cannot be used with --cargo or --diagnostics")
		}
		return nil
	}
	if !c.enabled() {
		for _, f := range []string{"max-rounds", "allow-dirty"} {
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
	case c.maxRounds < 1:
		return usagef("--max-rounds must be at least 1, not %d", c.maxRounds)
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

// cargoRun is one run of compiler-in-the-loop mode.
type cargoRun struct {
	a    *App
	o    *options
	rep  *report
	root string // the workspace root
	wd   string
}

func (r *cargoRun) notef(format string, a ...any) {
	if !r.o.quiet && !r.o.json {
		fmt.Fprintf(r.rep.stderr, "sendfix: "+format+"\n", a...)
	}
}

// display is how a file of the workspace is named in the output:
// relative to the working directory.
func (r *cargoRun) display(path string) string {
	abs := filepath.Join(r.root, filepath.FromSlash(path))
	if filepath.IsAbs(path) {
		abs = path
	}
	if rel, err := filepath.Rel(r.wd, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}

// runCargo is compiler-in-the-loop mode.
func (a *App) runCargo(o *options) int {
	c := &o.cargo
	rep := newReport(a, o, o.mode())
	wd, err := a.Getwd()
	if err != nil {
		rep.fail(".", fmt.Errorf("cannot get the working directory: %w", err))
		return rep.finish(false)
	}
	start := c.path
	if !filepath.IsAbs(start) {
		start = filepath.Join(wd, start)
	}
	root, pkg, err := workspaceRoot(start)
	if err != nil {
		rep.fail(c.path, err)
		return rep.finish(false)
	}
	r := &cargoRun{a: a, o: o, rep: rep, root: root, wd: wd}
	if c.diagnostics != "" {
		return r.fromDiagnostics()
	}
	if _, err := exec.LookPath("cargo"); err != nil {
		rep.fail(c.path, fmt.Errorf("--cargo needs cargo on PATH: %v", err))
		return rep.finish(false)
	}
	targetDir := os.Getenv("CARGO_TARGET_DIR")
	switch {
	case targetDir == "":
		targetDir = filepath.Join(root, "target")
	case !filepath.IsAbs(targetDir):
		targetDir = filepath.Join(wd, targetDir)
	}
	scratch, targetDir, release, err := scratchTree(a.Context, root, targetDir, r.notef)
	if err != nil {
		rep.fail(c.path, err)
		return rep.finish(false)
	}
	defer release()
	relPkg, _ := filepath.Rel(root, pkg)
	dir := start
	if st, err := os.Stat(start); err == nil && !st.IsDir() {
		dir = pkg
	}
	first := &cargoOutput{}
	l := &loop{
		check:     cargoCheck(dir, filepath.Join(scratch, relPkg, "Cargo.toml"), targetDir, c.args, first),
		tree:      dirTree{scratch},
		root:      scratch,
		cfg:       o.cfg,
		engine:    func(cfg patterns.Config, idx *patterns.Index) ladderer { return patterns.NewEngine(cfg, idx) },
		crates:    crateIndex,
		maxRounds: c.maxRounds,
		note:      r.notef,
	}
	if err := l.run(a.Context); err != nil {
		if a.Context.Err() != nil {
			return rep.finish(true)
		}
		rep.fail(c.path, err)
		return rep.finish(false)
	}
	if _, ok := rep.format.(*messageFormat); ok {
		rep.format = newCargoFormat(rep.stdout, o.messageFormat == "json-diagnostic-rendered-ansi", wd, root, first, scratch)
	}
	r.report(l)
	return rep.finish(a.Context.Err() != nil)
}

// report writes (with --write) the texts that compiled and reports every
// file with a finding or a change.
func (r *cargoRun) report(l *loop) {
	paths := make([]string, 0, len(l.files))
	for p := range l.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var items []cargoFile
	changed := map[string]*loopFile{}
	for _, p := range paths {
		f := l.files[p]
		fs, sites := l.findingSites(p)
		fixes := l.fixesOf(p, fs, sites)
		for i := range fs {
			if fs[i].Site != nil {
				s := *fs[i].Site
				s.Path = r.display(s.Path)
				fs[i].Site = &s
			}
		}
		out := &outcome{display: r.display(p), scanned: true, findings: fs, src: f.orig, changed: !bytes.Equal(f.orig, f.cur), fixes: fixes}
		if out.changed {
			changed[p] = f
			out.result = f.cur
			if cf, ok := r.rep.format.(*cargoFormat); ok && len(fs) == 0 {
				cf.companions[out.display] = l.companion(p)
			}
		}
		if out.changed || len(fs) > 0 {
			items = append(items, cargoFile{f, out})
		}
	}
	r.emit(items, changed, l.outside)
	fixed := 0
	for _, s := range l.order {
		if s.fix != nil {
			fixed++
		}
	}
	r.rep.cargo = &cargoStats{Rounds: l.rounds, Builds: l.builds, Seconds: l.elapsed.Seconds(), Fixed: fixed, Left: len(l.live()) + len(l.outside)}
	r.notef("cargo: %s, %s, %.1f s; %s fixed, %s left", plural(l.rounds, "round", "rounds"), plural(l.builds, "build", "builds"),
		l.elapsed.Seconds(), plural(fixed, "Send failure", "Send failures"), plural(len(l.live())+len(l.outside), "Send failure", "Send failures"))
}

// cargoFile is a file to report: its outcome, and its texts when it
// changed.
type cargoFile struct {
	f   *loopFile
	out *outcome
}

// emit writes the changed files (with --write, when allowed) or puts
// their diff in their outcome, and reports every file and the failures
// outside the workspace.
func (r *cargoRun) emit(items []cargoFile, changed map[string]*loopFile, outside []sendFailure) {
	write := r.o.write && r.allowWrite(changed)
	for _, it := range items {
		f, out := it.f, it.out
		switch {
		case f == nil || !out.changed:
		case write:
			if err := r.a.writer.WriteAtomic(filepath.Join(r.root, filepath.FromSlash(f.path)), f.orig, f.cur); err != nil {
				out.err = fmt.Errorf("not written: %w", errReason(err))
			} else {
				out.written = true
			}
		case r.o.write:
		case !r.o.list && !r.o.json:
			out.diff = rewrite.Unified(out.display, f.orig, f.cur)
			if r.o.color {
				out.diff = rewrite.Colorize(out.diff)
			}
		}
		r.rep.file(out, false)
	}
	for _, f := range outside {
		r.rep.file(&outcome{display: r.display(f.outside), findings: []patterns.Finding{
			rustcFinding(f, "the file is outside the workspace root "+r.root+"; sendfix does not touch it")}}, false)
	}
}

// allowWrite reports whether the files to change may be written: none of
// them has uncommitted changes in git (unless --allow-dirty).
func (r *cargoRun) allowWrite(files map[string]*loopFile) bool {
	if r.o.cargo.allowDirty || len(files) == 0 {
		return true
	}
	var abs []string
	for p := range files {
		abs = append(abs, filepath.Join(r.root, filepath.FromSlash(p)))
	}
	sort.Strings(abs)
	if d := gitDirty(r.a.Context, r.root, abs); len(d) > 0 {
		r.rep.fail(strings.Join(d, ", "), errors.New("refusing to write: uncommitted changes (commit or stash them, or use --allow-dirty)"))
		return false
	}
	return true
}

// cargoStats are the compiler loop's figures for the summary.
type cargoStats struct {
	Rounds  int     `json:"rounds"`
	Builds  int     `json:"builds"`
	Seconds float64 `json:"seconds"`
	Fixed   int     `json:"send_failures_fixed"`
	Left    int     `json:"send_failures_left"`
}

// triedText renders what was tried for a finding: "scope: E0597 at
// src/main.rs:9:13: `g` does not live long enough -> grown scope:
// compiles".
func triedText(f patterns.Finding) string {
	parts := make([]string, len(f.Tried))
	for i, a := range f.Tried {
		parts[i] = a.Rung.String() + ": " + a.Verdict
	}
	return strings.Join(parts, " -> ")
}

// fromDiagnostics is --diagnostics: one pass of the rules on the sites of
// a build made elsewhere, without the compiler.
func (r *cargoRun) fromDiagnostics() int {
	lines, diags, err := r.readDiagnostics()
	if err != nil {
		r.rep.fail(r.o.cargo.diagnostics, err)
		return r.rep.finish(false)
	}
	if _, ok := r.rep.format.(*messageFormat); ok {
		r.rep.format = newCargoFormat(r.rep.stdout, r.o.messageFormat == "json-diagnostic-rendered-ansi", r.wd, r.root, &cargoOutput{first: lines, diags: diags}, r.root)
	}
	failures := sendFailures(diags, r.root)
	byFile := map[string][]sendFailure{}
	var paths []string
	var outside []sendFailure
	for _, f := range failures {
		if f.outside != "" {
			outside = append(outside, f)
			continue
		}
		if byFile[f.site.Path] == nil {
			paths = append(paths, f.site.Path)
		}
		byFile[f.site.Path] = append(byFile[f.site.Path], f)
	}
	sort.Strings(paths)
	changed := map[string]*loopFile{}
	var items []cargoFile
	for _, p := range paths {
		abs := filepath.Join(r.root, filepath.FromSlash(p))
		out := &outcome{display: r.display(p)}
		items = append(items, cargoFile{out: out})
		src, err := readSource(abs)
		if err != nil {
			out.err = err
			continue
		}
		out.scanned, out.src = true, src
		cfg := r.o.cfg
		cfg.Sites = nil
		var stale []sendFailure
		for _, f := range byFile[p] {
			if f.stale(src) {
				stale = append(stale, f)
				continue
			}
			cfg.Sites = append(cfg.Sites, f.site)
		}
		e := r.a.newEngine(cfg, nil)
		res := e.Run(p, src)
		e.Close()
		if res.Internal != nil {
			out.err = fmt.Errorf("internal error, file left unchanged: %v", res.Internal)
			continue
		}
		out.findings, out.warnings, out.fixes = res.Findings, res.Warnings, res.Fixes
		for _, f := range byFile[p] {
			isStale := false
			for _, s := range stale {
				isStale = isStale || s.site == f.site
			}
			if isStale {
				out.findings = append(out.findings, rustcFinding(f, "the compiler's message does not match the file (changed since it was checked?)"))
			} else if !answered(f, out.findings) {
				out.findings = append(out.findings, rustcFinding(f, "no rule fixes this"))
			}
		}
		sort.SliceStable(out.findings, func(i, j int) bool { return out.findings[i].Pos.Line < out.findings[j].Pos.Line })
		for i := range out.findings {
			if s := out.findings[i].Site; s != nil {
				c := *s
				c.Path = out.display
				out.findings[i].Site = &c
			}
		}
		if res.Changed() {
			out.changed, out.result = true, res.Out
			lf := &loopFile{path: p, orig: src, cur: res.Out}
			items[len(items)-1].f = lf
			changed[p] = lf
		}
	}
	r.emit(items, changed, outside)
	r.notef("--diagnostics: one pass, not verified by the compiler; run cargo check")
	return r.rep.finish(r.a.Context.Err() != nil)
}

// answered reports whether a finding answers failure f.
func answered(f sendFailure, fs []patterns.Finding) bool {
	for _, fd := range fs {
		if fd.Site != nil && *fd.Site == f.site {
			return true
		}
	}
	return false
}

// rustcFinding is the finding of a Send failure no rule answers.
func rustcFinding(f sendFailure, why string) patterns.Finding {
	site := f.site
	fd := patterns.Finding{Rule: ruleRustc, Pos: patterns.Pos{Line: site.Line, Col: site.Col}, Message: f.text, Reason: why, Site: &site}
	if site.AwaitLine > 0 {
		fd.Await = &patterns.Pos{Line: site.AwaitLine, Col: site.AwaitCol}
	}
	return fd
}

func (r *cargoRun) readDiagnostics() ([][]byte, []*rustcDiag, error) {
	name := r.o.cargo.diagnostics
	if name == "-" {
		return parseOutput(r.a.Stdin)
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(r.wd, name)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return parseOutput(f)
}
