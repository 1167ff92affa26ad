package cli

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The article's Solution 1 example, from the golden cases, through the
// command with the real engine.
const article = "../../golden/testdata/foundation/article-solution-1"

func TestEndToEndArticleSolution1(t *testing.T) {
	input := readFile(t, article+".input.rs")
	golden := readFile(t, article+".golden.rs")
	if input == golden {
		t.Fatal("the article case expects no change")
	}
	dir := t.TempDir()
	tree(t, dir, map[string]string{"src/main.rs": input})
	ctx := context.Background()

	r := runIn(t, ctx, dir, nil, "", "--check")
	if r.code != 1 || !strings.HasPrefix(r.stdout, "--- a/src/main.rs\n+++ b/src/main.rs\n@@ ") {
		t.Fatalf("--check before: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "1 file would change, 1 fix (mutex-scope: 1)") {
		t.Errorf("summary: %q", r.stderr)
	}
	// The printed diff applies with git to give what --write writes.
	applied := t.TempDir()
	tree(t, applied, map[string]string{"src/main.rs": input, "fix.diff": r.stdout})
	cmd := exec.Command("git", "apply", "fix.diff")
	cmd.Dir = applied
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}

	r = runIn(t, ctx, dir, nil, "", "--json")
	d := decodeJSON(t, r.stdout)
	if r.code != 0 || len(d.Files) != 1 || len(d.Files[0].Findings) != 1 {
		t.Fatalf("--json: exit %d, %s", r.code, r.stdout)
	}
	f := d.Files[0].Findings[0]
	if f.Rule != "mutex-scope" || f.Line != 8 || f.Column != 17 || f.Fixed == nil || !*f.Fixed {
		t.Errorf("finding: %+v", f)
	}

	r = runIn(t, ctx, dir, nil, input, "--stdin-filename", "src/main.rs", "-")
	if r.code != 0 || r.stdout != golden {
		t.Errorf("filter mode: exit %d, output:\n%s", r.code, r.stdout)
	}

	r = runIn(t, ctx, dir, nil, "", "-w")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("-w: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if got := readFile(t, filepath.Join(dir, "src/main.rs")); got != golden {
		t.Errorf("-w wrote:\n%s\nwant:\n%s", got, golden)
	}
	if got := readFile(t, filepath.Join(applied, "src/main.rs")); got != golden {
		t.Errorf("git apply gave:\n%s\nwant:\n%s", got, golden)
	}
	r = runIn(t, ctx, dir, nil, "", "--check")
	if r.code != 0 || r.stdout != "" {
		t.Errorf("--check after: exit %d, stdout %q", r.code, r.stdout)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "src")); len(ents) != 1 {
		t.Errorf("files left in src: %v", ents)
	}
}
