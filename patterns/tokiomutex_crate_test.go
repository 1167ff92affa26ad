package patterns

import (
	"os"
	"strings"
	"testing"
)

func TestCrateRoots(t *testing.T) {
	for _, tc := range []struct {
		path      string
		root, lib bool
		pkg       string
	}{
		{"src/main.rs", true, false, "."},
		{"app/src/lib.rs", true, true, "app"},
		{"app/src/bin/tool.rs", true, false, "app"},
		{"app/src/bin/tool/main.rs", true, false, "app"},
		{"app/examples/demo.rs", true, false, "app"},
		{"app/tests/it.rs", true, false, "app"},
		{"app/src/db.rs", false, false, ""},
		{"app/src/net/main.rs", false, false, ""},
		{"main.rs", false, false, ""},
	} {
		root, lib := crateRoot(tc.path)
		if root != tc.root || lib != tc.lib {
			t.Errorf("%s: root %v lib %v", tc.path, root, lib)
		}
		if root && packageDir(tc.path) != tc.pkg {
			t.Errorf("%s: package %q, want %q", tc.path, packageDir(tc.path), tc.pkg)
		}
	}
	for _, tc := range []struct {
		file   string
		isRoot bool
		d      modDecl
		want   string
	}{
		{"src/main.rs", true, modDecl{name: "db"}, "src/db.rs src/db/mod.rs"},
		{"src/db.rs", false, modDecl{name: "pool"}, "src/db/pool.rs src/db/pool/mod.rs"},
		{"src/db/mod.rs", false, modDecl{name: "pool"}, "src/db/pool.rs src/db/pool/mod.rs"},
		{"src/lib.rs", true, modDecl{inline: []string{"a"}, name: "b"}, "src/a/b.rs src/a/b/mod.rs"},
	} {
		if got := strings.Join(moduleFiles(tc.file, tc.isRoot, tc.d), " "); got != tc.want {
			t.Errorf("%s mod %v: %s, want %s", tc.file, tc.d, got, tc.want)
		}
	}
}

func TestFindCrates(t *testing.T) {
	files := map[string]string{
		"a/src/main.rs":     "mod db;\nmod net { mod tcp; }\nfn main() {}\n",
		"a/src/db.rs":       "mod pool;\n",
		"a/src/db/pool.rs":  "",
		"a/src/net/tcp.rs":  "",
		"b/src/lib.rs":      "mod gone;\n",
		"c/src/main.rs":     "#[path = \"x.rs\"]\nmod x;\nfn main() {}\n",
		"c/src/x.rs":        "",
		"d/src/main.rs":     "include!(\"gen.rs\");\nfn main() {}\n",
		"e/src/bin/tool.rs": "fn main() {}\n",
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	read := func(p string) ([]byte, error) {
		if s, ok := files[p]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	var got []string
	for _, c := range FindCrates(paths, nil, read) {
		got = append(got, c.Root+"="+strings.Join(c.Files, ","))
	}
	want := "a/src/main.rs=a/src/main.rs,a/src/db.rs,a/src/db/pool.rs,a/src/net/tcp.rs e/src/bin/tool.rs=e/src/bin/tool.rs"
	if strings.Join(got, " ") != want {
		t.Errorf("crates\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if cs := FindCrates(paths, func(pkg string) bool { return pkg == "e" }, read); len(cs) != 1 || cs[0].Root != "e/src/bin/tool.rs" {
		t.Errorf("near: %v", cs)
	}
}
