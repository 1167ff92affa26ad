package golden

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// readCommandSources reads every Go file of the module outside golden/.
// The command tests run a sendfix binary that TestMain builds with `go
// build`, which go test's result cache cannot see; go test does record the
// files a test opens, so reading them makes a change to the command's code
// (cmd/internal is not importable from here) invalidate cached results.
func readCommandSources() {
	root := ".."
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			switch d.Name() {
			case "golden", "testdata", ".git":
				if p != root {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") || d.Name() == "go.mod" || d.Name() == "go.sum" {
			_, _ = os.ReadFile(p)
		}
		return nil
	})
}
