package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// scaleModule is one module of the generated package: n spawned futures,
// each holding a std guard of the module's Mutex across an await; every
// fifth also takes a value from the guard by a method the syntax cannot
// judge (`Head::head`, declared in main.rs, returns a &str into the
// guard) and uses it after the await: the scope the compiler is asked
// about first is E0597, and the swap of the module's Mutex for tokio's,
// next, compiles. Its ladder is two deep.
func scaleModule(n int) string {
	var b strings.Builder
	b.WriteString("#![allow(unused_imports, unused_mut)]\nuse crate::Head;\nuse std::sync::{Arc, Mutex};\nuse std::time::Duration;\n\nasync fn tick() {\n    tokio::time::sleep(Duration::from_millis(1)).await;\n}\n\n")
	b.WriteString("pub async fn run() {\n    let m = Arc::new(Mutex::new(String::from(\" s\")));\n    let mut handles = Vec::new();\n")
	for i := 0; i < n; i++ {
		use := "        g.push('x');\n        tick().await;\n"
		if i%5 == 4 {
			use = "        let word = g.head();\n        tick().await;\n        println!(\"{word}\");\n"
		}
		fmt.Fprintf(&b, "    let m%d = m.clone();\n    handles.push(tokio::spawn(async move {\n        let mut g = m%d.lock().unwrap();\n%s    }));\n", i, i, use)
	}
	b.WriteString("    for h in handles {\n        h.await.unwrap();\n    }\n}\n")
	return b.String()
}

// writeScalePackage writes a cargo package with files modules of perFile
// failing sites each, and a main that runs them all.
func writeScalePackage(t *testing.T, dir string, files, perFile int) {
	t.Helper()
	put := func(rel, s string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	put("Cargo.toml", "[package]\nname = \"scale\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ntokio = { version = \"1\", features = [\"full\"] }\n")
	put(".cargo/config.toml", "[source.crates-io]\nreplace-with = \"debian\"\n[source.debian]\ndirectory = \""+registry+"\"\n[net]\noffline = true\n")
	var main strings.Builder
	for i := 0; i < files; i++ {
		fmt.Fprintf(&main, "mod m%d;\n", i)
		put(fmt.Sprintf("src/m%d.rs", i), scaleModule(perFile))
	}
	main.WriteString("\npub trait Head {\n    fn head(&self) -> &str;\n}\n\nimpl Head for String {\n    fn head(&self) -> &str {\n        self.trim_start()\n    }\n}\n\n#[tokio::main]\nasync fn main() {\n")
	for i := 0; i < files; i++ {
		fmt.Fprintf(&main, "    m%d::run().await;\n", i)
	}
	main.WriteString("}\n")
	put("src/main.rs", main.String())
}

// TestCargoScale: a generated package with 50 failing sites in 10 files
// (SENDFIX_CARGO_SCALE=FILESxPERFILE for another size) is fixed in as many
// rounds as its deepest ladder, 2, whatever the number of sites: every
// site's candidate goes into the same cargo check. The figures are logged
// (go test ./golden -run TestCargoScale -v).
func TestCargoScale(t *testing.T) {
	files, perFile := 10, 5
	if s := os.Getenv("SENDFIX_CARGO_SCALE"); s != "" {
		a, b, _ := strings.Cut(s, "x")
		var err1, err2 error
		files, err1 = strconv.Atoi(a)
		perFile, err2 = strconv.Atoi(b)
		if err1 != nil || err2 != nil || files < 1 || perFile < 1 {
			t.Fatalf("SENDFIX_CARGO_SCALE=%q: want FILESxPERFILE, such as 10x5", s)
		}
	}
	cargoWorkspace(t) // skips or fails without cargo
	dir := t.TempDir()
	writeScalePackage(t, dir, files, perFile)
	stdout, stderr, code := sendfixCargo(t, dir, nil, "--cargo", "--write", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	r := parseReport(t, stdout)
	c := r.Summary.Cargo
	sites := files * perFile
	t.Logf("%d sites in %d files: %d rounds, %d builds, %.1f s", sites, files, c.Rounds, c.Builds, c.Seconds)
	if c.Fixed != sites || c.Left != 0 {
		t.Errorf("%d fixed, %d left; want %d and 0", c.Fixed, c.Left, sites)
	}
	deep := perFile >= 5
	want := 1
	if deep {
		want = 2
	}
	if c.Rounds != want || c.Builds != want+1 {
		t.Errorf("%d rounds and %d builds, want %d and %d", c.Rounds, c.Builds, want, want+1)
	}
	if _, errs := cargoErrors(t, dir); len(errs) > 0 {
		t.Fatalf("cargo check after:\n%s", strings.Join(errs, "\n"))
	}
}
