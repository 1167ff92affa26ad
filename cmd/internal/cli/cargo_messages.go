package cli

// --message-format json with the compiler (--cargo, cargo sendfix,
// --diagnostics): cargo's own messages pass through, from the first check
// (on the files as they are on disk) or the file --diagnostics reads, and
// each Send error carries the findings that answer it, with the verified
// fix as a suggestion against the file on disk (messages_cargo.go does
// the attaching). Findings no line answers (a failure rustc showed only
// once others were fixed) follow as sendfix's own messages, then cargo's
// build-finished.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// cargoFormat is the formatter of --message-format json with the
// compiler.
type cargoFormat struct {
	cm *cargoMessages
	// wd and root are the working directory (display paths start there)
	// and the workspace root (rustc's file names start there).
	wd, root string
	lines    [][]byte     // cargo's output
	diags    []*rustcDiag // its compiler messages
	// diagRoot is where the messages' relative file names start (the
	// scratch copy's root for the loop).
	diagRoot string
	// from is the scratch copy's root, whose mentions in lines become
	// root ("" when the messages are of the workspace itself).
	from  string
	files []cargoFormatFile
	// companions are, by display path, the findings that stand for a
	// file changed by a fix of another file's site (a swap across the
	// package): its messages carry that part of the fix.
	companions map[string][]patterns.Finding
}

type cargoFormatFile struct {
	name string // relative to the workspace root, as rustc names it
	f    *fixedFile
}

func newCargoFormat(w io.Writer, color bool, wd, root string, out *cargoOutput, diagRoot string) *cargoFormat {
	c := &cargoFormat{cm: newCargoMessages(w, root, color), wd: wd, root: root, diagRoot: diagRoot, companions: map[string][]patterns.Finding{}}
	if out != nil {
		c.lines, c.diags = out.first, out.diags
	}
	if diagRoot != root {
		c.from = diagRoot
	}
	return c
}

func (c *cargoFormat) file(_ io.Writer, o *outcome) {
	fs := o.findings
	if len(fs) == 0 && o.changed {
		fs = c.companions[o.display]
	}
	if len(fs) == 0 {
		return
	}
	abs := filepath.FromSlash(o.display)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.wd, abs)
	}
	name := filepath.ToSlash(abs)
	if rel, ok := relPath(c.root, abs); ok {
		name = rel
	}
	res := &patterns.Result{In: o.src, Findings: fs, Fixes: o.fixes}
	if o.changed {
		res.Out = o.result
	}
	c.files = append(c.files, cargoFormatFile{name: name, f: c.cm.file(name, res)})
}

func (c *cargoFormat) finish(io.Writer) error {
	refs := map[int][]findingRef{}
	for _, d := range c.diags {
		seen := map[findingRef]bool{}
		for _, sf := range sendFailures([]*rustcDiag{d}, c.diagRoot) {
			for _, ff := range c.files {
				if ff.name != sf.site.Path {
					continue
				}
				for i, fd := range ff.f.findings {
					r := findingRef{ff.f, i}
					if s := fd.Site; s != nil && !seen[r] && s.Kind == sf.site.Kind && s.Line == sf.site.Line && s.Col == sf.site.Col {
						seen[r] = true
						refs[d.line] = append(refs[d.line], r)
					}
				}
			}
		}
	}
	var finished [][]byte
	for i, raw := range c.lines {
		raw = c.mapPaths(raw)
		if bytes.Contains(raw, []byte(`"reason":"build-finished"`)) {
			finished = append(finished, raw)
			continue
		}
		if err := c.cm.line(raw, refs[i]); err != nil {
			return err
		}
	}
	if err := c.cm.rest(); err != nil {
		return err
	}
	for _, raw := range finished {
		if err := c.cm.line(raw, nil); err != nil {
			return err
		}
	}
	return nil
}

// mapPaths names the workspace root where a line names the scratch copy
// (manifest and source paths, package ids), as a JSON string holds it.
func (c *cargoFormat) mapPaths(raw []byte) []byte {
	if c.from == "" {
		return raw
	}
	for _, p := range [][2]string{{c.from, c.root}, {filepath.ToSlash(c.from), filepath.ToSlash(c.root)}} {
		from, _ := json.Marshal(p[0])
		to, _ := json.Marshal(p[1])
		raw = bytes.ReplaceAll(raw, from[1:len(from)-1], to[1:len(to)-1])
	}
	return raw
}

// fixesOf groups the kept fixes of a file (its findings fs and the sites
// they answer, as findingSites returns them) with their edits against
// the original: each edit of the file's composition goes to the fixes
// whose written bytes it meets, and fixes that share an edit are one.
// It returns nil (and the caller one fix of the whole change) when an
// edit meets no kept fix.
func (l *loop) fixesOf(path string, fs []patterns.Finding, sites []*loopSite) []patterns.Fix {
	lf := l.files[path]
	if lf == nil || bytes.Equal(lf.orig, lf.cur) {
		return nil
	}
	fixed := make([]bool, len(fs))
	for i := range fs {
		fixed[i] = sites[i].fix != nil && fs[i].Fixed
	}
	owners := make([][]int, len(lf.comp))
	for c, im := range rewrite.Images(lf.comp) {
		for i, s := range sites {
			if !fixed[i] {
				continue
			}
			if sp, ok := s.fix.spans[path]; ok && sp[0] <= im[1] && im[0] <= sp[1] {
				owners[c] = append(owners[c], i)
			}
		}
		if len(owners[c]) == 0 {
			return nil
		}
	}
	var out []patterns.Fix
	for _, f := range patterns.GroupFixes(fixed, lf.comp, owners) {
		if len(f.Edits) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// companion is the finding that stands for the change of file path made
// by the kept fixes of other files' sites (see cargoFormat.companions):
// at the first byte that changed, saying whose fix it is part of.
func (l *loop) companion(path string) []patterns.Finding {
	lf := l.files[path]
	off := 0
	for off < len(lf.orig) && off < len(lf.cur) && lf.orig[off] == lf.cur[off] {
		off++
	}
	line, col := posOf(lf.orig, off)
	for _, s := range l.order {
		if s.fix == nil {
			continue
		}
		if _, ok := s.fix.spans[path]; !ok || s.failure.site.Path == path {
			continue
		}
		f := s.fix.cand.Finding
		return []patterns.Finding{{Rule: f.Rule, Pos: patterns.Pos{Line: line, Col: col, Offset: off}, Fixed: true, Fix: f.Fix,
			Message: fmt.Sprintf("part of the fix of the Send failure at %s:%d: %s", s.failure.site.Path, s.fix.from.site.Line, f.Fix)}}
	}
	return nil
}
