package patterns

import (
	"sort"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// pkgView is a rule's read-only view of the package's other files, for
// candidates that span files (a lock swapped for tokio's in the file that
// declares its type and in every file that locks it). It exists only in
// compiler-in-the-loop mode (Config.Candidates with Config.Package set):
// without the compiler no fix leaves its file. Files are parsed on first
// use and their trees released when the file being fixed is done.
type pkgView struct {
	e     *Engine
	self  string
	files map[string]*fileCtx
	trees []*sitter.Tree
}

func newPkgView(e *Engine, self string) *pkgView {
	return &pkgView{e: e, self: self, files: map[string]*fileCtx{}}
}

// paths returns the package's other files, sorted.
func (v *pkgView) paths() []string {
	var out []string
	for p := range v.e.cfg.Package {
		if p != v.self {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// file returns the parsed view of another file of the package (its
// source without a BOM, its tree and its async bodies; no sites), or nil
// when the package has no such file or it does not parse. Edits a rule
// computes on it are offsets of that source; FileEdits wants them as
// offsets of the file as given: add bomLen(path).
func (v *pkgView) file(path string) *fileCtx {
	if fc, ok := v.files[path]; ok {
		return fc
	}
	src, ok := v.e.cfg.Package[path]
	if !ok || path == v.self {
		return nil
	}
	body := src[bomLen(src):]
	tree, err := v.e.parse(body)
	if err != nil {
		v.files[path] = nil
		return nil
	}
	v.trees = append(v.trees, tree)
	cfg := v.e.cfg
	cfg.Sites = nil
	fc := &fileCtx{path: path, src: body, root: tree.RootNode(), style: rewrite.DetectStyle(src), cfg: cfg, idx: v.e.idx}
	fc.bodies = findBodies(path, body, fc.root, v.e.idx, cfg.AllAsync)
	v.files[path] = fc
	return fc
}

// bomLen is the length of src's leading BOM, 0 when it has none.
func bomLen(src []byte) int {
	if len(src) >= len(bom) && string(src[:len(bom)]) == string(bom) {
		return len(bom)
	}
	return 0
}

// close releases the trees parsed.
func (v *pkgView) close() {
	for _, t := range v.trees {
		t.Close()
	}
	v.trees = nil
}
