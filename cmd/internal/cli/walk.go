package cli

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// fileEntry is one file to process.
type fileEntry struct {
	abs     string // cleaned absolute path as reached
	display string // slash path relative to the working directory
	real    string // abs with symlinks resolved; where writes go
	link    bool   // the entry itself is a symlink
	// writeOK is false for a symlink whose target lies outside the paths
	// given: sendfix never writes outside them.
	writeOK bool
}

// walkError is a path that could not be walked.
type walkError struct {
	display string
	err     error
}

// walker collects the files named by the PATH arguments.
type walker struct {
	wd       string
	noIgnore bool
	excludes []string
	roots    []string // resolved absolute paths that writes may touch
	byReal   map[string]*fileEntry
	errs     []walkError
	found    func(abs string) // see collect
}

// collect returns the files to process, deduplicated by resolved path and
// sorted by display path, and the paths that could not be walked.
//
// found, when not nil, is called with each file's absolute path as the
// walk reaches it (a file reached twice may be named twice).
func collect(wd string, args []string, noIgnore bool, excludes []string, found func(abs string)) ([]*fileEntry, []walkError) {
	w := &walker{wd: wd, noIgnore: noIgnore, excludes: excludes, byReal: map[string]*fileEntry{}, found: found}
	type arg struct {
		abs, real string // real: the resolved path of a directory, "" if unknown
		dir       bool
	}
	var todo []arg
	for _, a := range args {
		abs := w.abs(a)
		lst, err := os.Lstat(abs)
		if err != nil {
			w.fail(abs, err)
			continue
		}
		st, err := os.Stat(abs)
		if err != nil {
			// A broken symlink named explicitly: reading it reports why.
			todo = append(todo, arg{abs, "", false})
			continue
		}
		if st.IsDir() {
			real, err := filepath.EvalSymlinks(abs)
			if err == nil {
				w.roots = append(w.roots, real)
			}
			todo = append(todo, arg{abs, real, true})
			continue
		}
		// A file argument makes itself writable, but a symlink given as a
		// file does not make its target so: the target must lie under some
		// PATH given.
		if lst.Mode()&fs.ModeSymlink == 0 {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				w.roots = append(w.roots, real)
			}
		}
		todo = append(todo, arg{abs, "", false})
	}
	for _, t := range todo {
		if t.dir {
			w.walkRoot(t.abs, t.real)
		} else {
			w.add(t.abs)
		}
	}
	files := make([]*fileEntry, 0, len(w.byReal))
	for _, f := range w.byReal {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].display < files[j].display })
	return files, w.errs
}

func (w *walker) abs(p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(w.wd, p)
	}
	return filepath.Clean(p)
}

// display returns abs relative to the working directory, slash-separated.
func (w *walker) display(abs string) string { return displayPath(w.wd, abs) }

func displayPath(wd, abs string) string {
	if wd != "" {
		if rel, err := filepath.Rel(wd, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(abs)
}

func (w *walker) fail(abs string, err error) {
	w.errs = append(w.errs, walkError{w.display(abs), errReason(err)})
}

// errReason strips the path from a *PathError: messages name the file
// themselves.
func errReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// add records one file. A file reached twice (the same path, overlapping
// arguments, or a symlink to a file also reached directly) is kept once,
// preferring the entry that is not a symlink.
func (w *walker) add(abs string) {
	f := &fileEntry{abs: abs, display: w.display(abs), real: abs, writeOK: true}
	if lst, err := os.Lstat(abs); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
		f.link = true
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		f.real = real
	}
	if f.link {
		f.writeOK = w.inRoots(f.real)
	}
	w.keep(f)
}

// keep records f unless a preferred entry for the same file is known.
func (w *walker) keep(f *fileEntry) {
	if w.found != nil {
		w.found(f.abs)
	}
	if old, ok := w.byReal[f.real]; ok {
		if old.link && !f.link || old.link == f.link && f.display < old.display {
			w.byReal[f.real] = f
		}
		return
	}
	w.byReal[f.real] = f
}

func (w *walker) inRoots(real string) bool {
	for _, r := range w.roots {
		if real == r || strings.HasPrefix(real, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// excluded reports whether a --exclude glob matches rel (slash path
// relative to the PATH given) or its base name.
func (w *walker) excluded(rel string) bool {
	base := path.Base(rel)
	for _, g := range w.excludes {
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
		if ok, _ := path.Match(g, base); ok {
			return true
		}
	}
	return false
}

// ignoreBase is where .gitignore patterns are anchored for a walk of dir:
// the enclosing repository's top (the nearest parent holding .git), or
// dir itself outside a repository.
func ignoreBase(dir string) (string, bool) {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		p := filepath.Dir(d)
		if p == d {
			return dir, false
		}
		d = p
	}
}

// readIgnore parses a gitignore-format file; a missing file has no
// patterns. domain is the file's directory relative to the base.
func readIgnore(file string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var ps []gitignore.Pattern
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps
}

// splitRel returns the path components of p below base.
func splitRel(base, p string) []string {
	rel, err := filepath.Rel(base, p)
	if err != nil || rel == "." {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

// walkRoot walks one directory argument. The directory itself is walked
// even if ignored or excluded: it was named.
//
// real is root with symlinks resolved ("" when that failed): the walk then
// knows each file's resolved path without resolving it.
func (w *walker) walkRoot(root, real string) {
	var ps []gitignore.Pattern
	var base string
	if !w.noIgnore {
		var inRepo bool
		base, inRepo = ignoreBase(root)
		if inRepo {
			if st, err := os.Stat(filepath.Join(base, ".git")); err == nil && st.IsDir() {
				ps = readIgnore(filepath.Join(base, ".git", "info", "exclude"), nil)
			}
			// The .gitignore files between the repository top and root
			// apply too; root's own is read by walkDir.
			parts := splitRel(base, root)
			for i := range parts {
				dir := filepath.Join(append([]string{base}, parts[:i]...)...)
				ps = append(ps, readIgnore(filepath.Join(dir, ".gitignore"), parts[:i])...)
			}
			// A directory named on the command line is walked even if it
			// (or a parent) is ignored; then the patterns above it, which
			// would match every path below it, do not apply.
			if len(parts) > 0 && len(ps) > 0 && gitignore.NewMatcher(ps).Match(parts, true) {
				ps = nil
			}
		}
	}
	w.walkDir(root, root, real, base, ps)
}

// walkDir walks dir below root. Symlinked directories are not followed:
// what they point to inside the roots is walked anyway, what lies outside
// is not ours, and a symlink loop cannot make the walk hang.
//
// realDir is dir with symlinks resolved, or "" when unknown.
func (w *walker) walkDir(root, dir, realDir, base string, ps []gitignore.Pattern) {
	if !w.noIgnore {
		ps = append(ps[:len(ps):len(ps)], readIgnore(filepath.Join(dir, ".gitignore"), splitRel(base, dir))...)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		w.fail(dir, err)
		// ReadDir returns what it read before the error; go on with it.
	}
	var m gitignore.Matcher
	if len(ps) > 0 {
		m = gitignore.NewMatcher(ps)
	}
	var shown string // dir's display path, on first need
	for _, e := range ents {
		name := e.Name()
		isDir := e.IsDir()
		if isDir && (name == ".git" || name == "target") || !isDir && !strings.HasSuffix(name, ".rs") {
			continue // a symlink is not IsDir: its target is looked at below
		}
		p := joinName(dir, name)
		if e.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err == nil && st.IsDir() {
				continue
			}
			// A symlink to a file, or a broken one, is a file here.
		}
		if len(w.excludes) > 0 {
			rel, _ := filepath.Rel(root, p)
			if w.excluded(filepath.ToSlash(rel)) {
				continue
			}
		}
		if m != nil && m.Match(splitRel(base, p), isDir) {
			continue
		}
		sub := ""
		if realDir != "" {
			sub = joinName(realDir, name)
		}
		switch {
		case isDir:
			w.walkDir(root, p, sub, base, ps)
		case e.Type()&fs.ModeSymlink == 0 && sub != "":
			if shown == "" {
				shown = w.display(dir)
			}
			w.keep(&fileEntry{abs: p, display: joinDisplay(shown, name), real: sub, writeOK: true})
		default:
			w.add(p)
		}
	}
}

// joinName is filepath.Join(dir, name) for a clean dir and a name read
// from it (no separator, not . or ..), without cleaning again.
func joinName(dir, name string) string {
	if strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir + name
	}
	return dir + string(filepath.Separator) + name
}

// joinDisplay is the display path of name in a directory shown as dir.
func joinDisplay(dir, name string) string {
	switch {
	case dir == ".":
		return name
	case strings.HasSuffix(dir, "/"):
		return dir + name
	}
	return dir + "/" + name
}
