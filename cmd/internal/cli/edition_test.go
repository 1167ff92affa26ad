package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestEditionOf: a file gets the edition of the package that holds it,
// inherited from the workspace too; 2015 when the manifest names none;
// "" outside every package.
func TestEditionOf(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"Cargo.toml":           "[workspace]\nmembers = [\"a\", \"b\", \"c\"]\n\n[workspace.package]\nedition = \"2024\"\n",
		"a/Cargo.toml":         "[package]\nname = \"a\"\nversion = \"0.1.0\"\nedition.workspace = true\n",
		"a/src/main.rs":        "fn main() {}\n",
		"b/Cargo.toml":         "[package]\nname = \"b\"\nversion = \"0.1.0\"\nedition = \"2021\" # own\n",
		"b/src/bin/tool.rs":    "fn main() {}\n",
		"c/Cargo.toml":         "[package]\nname = \"c\"\nversion = \"0.1.0\"\n",
		"c/src/lib.rs":         "",
		"loose/not-a-crate.rs": "",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The workspace root is no package: a file under it but in no member
	// has no edition.
	ed := &editions{pkgs: newPackages()}
	for name, want := range map[string]string{"a/src/main.rs": "2024", "b/src/bin/tool.rs": "2021", "c/src/lib.rs": "2015", "loose/not-a-crate.rs": ""} {
		if got := ed.of(filepath.Join(dir, name)); got != want {
			t.Errorf("edition of %s = %q, want %q", name, got, want)
		}
	}
	// A path relative to the working directory, as the command gives it.
	t.Chdir(filepath.Join(dir, "b"))
	if got := ed.of("src/bin/tool.rs"); got != "2021" {
		t.Errorf("edition of src/bin/tool.rs (relative) = %q, want 2021", got)
	}
}
