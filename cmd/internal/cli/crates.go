package cli

import "sendfix/patterns"

// planCrates lets tokio-mutex decide its swap per crate where every file
// of a crate is among the files given (patterns.PlanCrates): a lock type
// spelled in one file and locked in another then moves in both. Only the
// files that may report a finding (need; nil: any file) are probed, and
// only the crates around one that asks for a swap are read. The files of
// a crate that swaps are run even where the schedule said they need no run.
func (a *App) planCrates(o *options, files []*fileEntry, readErr []error, need []bool, idx *patterns.Index) {
	if idx == nil {
		return
	}
	byDisplay := make(map[string]int, len(files))
	var paths []string
	for i, f := range files {
		if readErr != nil && readErr[i] != nil {
			continue
		}
		byDisplay[f.display] = i
		paths = append(paths, f.display)
	}
	read := func(p string) ([]byte, error) { return readSource(files[byDisplay[p]].abs) }
	mayHold := func(p string) bool { return need == nil || need[byDisplay[p]] }
	for _, p := range patterns.PlanCrates(o.cfg, idx, paths, mayHold, read) {
		if need != nil {
			need[byDisplay[p]] = true
		}
	}
}
