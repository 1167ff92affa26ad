package patterns

import (
	"slices"
	"testing"
)

// TestCalledNamesSearched: the search for each name gives what reading
// every word gives (or declines), on every golden input and corpus
// file, for the names of guard fns a run looks for and words common in
// Rust, with and without a keep; and on words next to characters outside
// ASCII, where it declines or agrees.
func TestCalledNamesSearched(t *testing.T) {
	sets := []map[string]bool{
		{"lock": true, "read": true, "write": true, "blocking_lock": true, "guard": true, "read_guard": true, "write_guard": true, "read_recursive": true},
		{"new": true, "get": true},
		{"inner": true, "state": true, "r#type": true},
	}
	keeps := []func(int) bool{nil, func(off int) bool { return off%3 != 0 }}
	check := func(name string, src []byte) bool {
		declined := false
		for _, names := range sets {
			for _, keep := range keeps {
				want := calledNamesWords(src, names, keep)
				got, ok := calledNamesSearched(src, names, keep)
				if !ok {
					declined = true
					continue
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: searched %q, every word %q", name, got, want)
				}
			}
		}
		return declined
	}
	files := append(goldenInputs(t), corpusFiles(t)...)
	n := 0
	for _, p := range files {
		if !check(p, mustRead(t, p)) {
			n++
		}
	}
	if n*10 < len(files)*9 {
		t.Errorf("the search declined on %d of %d files", len(files)-n, len(files))
	}
	for _, src := range []string{
		"\ufefflock();", "é lock();", "élock();", "x\u2028lock();", "x\u0085lock()", "\u200elock::<T>()", "lock\u2029();",
		"a.lock(); blocking_lock(); r#type(); 9lock(); lock_x(); (lock)(); lock /* c */ ();",
	} {
		check(src, []byte(src))
	}
}
