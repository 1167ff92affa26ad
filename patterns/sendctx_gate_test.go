package patterns

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandOffNeedsSlots holds the summary's gate to the parse it spares:
// in every file of the corpus, of the golden cases and of the folders in
// $SENDFIX_HANDOFF_DIRS (colon-separated) whose tokens show no Send slot
// (mayHandOff false), handoffCalls finds no fn handed over.
func TestHandOffNeedsSlots(t *testing.T) {
	files := corpusFiles(t)
	dirs := []string{filepath.Join("..", "golden", "testdata")}
	if extra := os.Getenv("SENDFIX_HANDOFF_DIRS"); extra != "" {
		dirs = append(dirs, strings.Split(extra, ":")...)
	}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".rs") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var spared, parsed int
	for _, p := range files {
		src := mustRead(t, p)
		if !mayHandOffFns(src) {
			continue
		}
		fsy := readFile(src)
		may := fsy.mayHandOff()
		fsy.release()
		if may {
			parsed++
			continue
		}
		spared++
		if calls := handoffCalls(src); len(calls) > 0 {
			t.Errorf("%s: no Send slot in its tokens, yet a parse hands over %d fn(s), the first at line %d", p, len(calls), calls[0].line)
		}
	}
	t.Logf("%d files may hand off: %d spared the parse, %d parsed", spared+parsed, spared, parsed)
	if spared == 0 {
		t.Error("the gate spared no file: the test checks nothing")
	}
}
