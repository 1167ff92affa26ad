package cli

import (
	"path"
	"strings"

	"sendfix/patterns"
)

// planCrates lets tokio-mutex decide its swap per crate where every file
// of a crate is among the files given (patterns.FindCrates,
// patterns.PlanCrates): a lock type spelled in one file and locked in
// another then moves in both. Only the crates holding a file that may
// report a finding (need; nil: any file) are read for it. The files of a
// crate that swaps are run even where the plan said they need no run.
func (a *App) planCrates(o *options, files []*fileEntry, readErr []error, need []bool, idx *patterns.Index) {
	if idx == nil {
		return
	}
	byDisplay := make(map[string]int, len(files))
	var paths []string
	var dirs []string // the folders of the files that may report
	for i, f := range files {
		if readErr != nil && readErr[i] != nil {
			continue
		}
		byDisplay[f.display] = i
		paths = append(paths, f.display)
		if need == nil || need[i] {
			dirs = append(dirs, path.Dir(f.display)+"/")
		}
	}
	if len(dirs) == 0 {
		return
	}
	read := func(p string) ([]byte, error) { return readSource(files[byDisplay[p]].abs) }
	// A crate can hold a file that may report only when that file lies
	// under the crate's package folder.
	near := func(pkg string) bool {
		for _, d := range dirs {
			if pkg == "." || strings.HasPrefix(d, pkg+"/") {
				return true
			}
		}
		return false
	}
	crates := patterns.FindCrates(paths, near, read)
	if len(crates) == 0 {
		return
	}
	mayHold := func(p string) bool { return need == nil || need[byDisplay[p]] }
	for _, p := range patterns.PlanCrates(o.cfg, idx, crates, mayHold, read) {
		if need != nil {
			need[byDisplay[p]] = true
		}
	}
}
