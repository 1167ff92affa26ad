package patterns

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/rewrite"
)

// checkFixes asserts what Result.Fixes promises: every fixed finding is in
// exactly one Fix and no unfixed one is; the Fixes' edits are sorted,
// never overlap or touch, and applied to In give Out.
func checkFixes(t *testing.T, r *Result) {
	t.Helper()
	for _, w := range r.Warnings {
		if strings.HasPrefix(w, "internal:") {
			t.Fatalf("warning: %s", w)
		}
	}
	if !r.Changed() {
		if len(r.Fixes) != 0 {
			t.Errorf("unchanged file, but %d fixes", len(r.Fixes))
		}
		return
	}
	in := map[int]int{}
	var all []rewrite.Edit
	for k, fx := range r.Fixes {
		if len(fx.Findings) == 0 {
			t.Errorf("fix %d has no finding", k)
		}
		for n, i := range fx.Findings {
			if i < 0 || i >= len(r.Findings) || n > 0 && i <= fx.Findings[n-1] {
				t.Fatalf("fix %d: bad finding indexes %v", k, fx.Findings)
			}
			in[i]++
			if !r.Findings[i].Fixed {
				t.Errorf("fix %d holds an unfixed finding: %+v", k, r.Findings[i])
			}
		}
		all = append(all, fx.Edits...)
	}
	for i, f := range r.Findings {
		if f.Fixed && in[i] != 1 {
			t.Errorf("fixed finding %d is in %d fixes: %+v", i, in[i], f)
		}
	}
	sorted, err := rewrite.Normalize(all, len(r.In))
	if err != nil {
		t.Fatalf("the fixes' edits: %v", err)
	}
	for i := 1; i < len(sorted); i++ {
		if sorted[i].Start <= sorted[i-1].End {
			t.Errorf("edits %+v and %+v touch", sorted[i-1], sorted[i])
		}
	}
	out, err := rewrite.Apply(r.In, all)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, r.Out) {
		t.Errorf("the fixes give\n%s\n--- the output is\n%s", out, r.Out)
	}
}

// TestFixesGolden checks the Fixes of every golden input under every
// configuration the fuzz targets use, and with CRLF line endings and with
// a BOM under the default one.
func TestFixesGolden(t *testing.T) {
	forms := map[string]func([]byte) []byte{
		"plain": func(b []byte) []byte { return b },
		"crlf":  func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) },
		"bom":   func(b []byte) []byte { return append([]byte(rewrite.BOM), b...) },
	}
	fixes, shared := 0, 0
	for _, name := range goldenInputs(t) {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for form, f := range forms {
			configs := fuzzConfigs
			if form != "plain" {
				configs = fuzzConfigs[:1]
			}
			for c, cfg := range configs {
				r := fuzzRun(cfg(), f(src))
				checkFixes(t, r)
				if t.Failed() {
					t.Fatalf("%s (%s, config %d)", name, form, c)
				}
				fixes += len(r.Fixes)
				for _, fx := range r.Fixes {
					if len(fx.Findings) > 1 {
						shared++
					}
				}
			}
		}
	}
	if fixes < 300 || shared == 0 {
		t.Errorf("%d fixes, %d shared by several findings: too few to prove much", fixes, shared)
	}
	t.Logf("%d fixes, %d of them shared by several findings", fixes, shared)
}

// TestFixesAcrossPasses: rc-arc turns a RefCell borrow into a lock in the
// first pass, and mutex-scope scopes that lock in the second; the scope's
// edits hold text rc-arc wrote, so the two findings share one Fix, which
// alone gives the output.
func TestFixesAcrossPasses(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "golden", "testdata", "rc-arc", "refcell-borrows-around-awaits.input.rs"))
	if err != nil {
		t.Fatal(err)
	}
	r := fuzzRun(DefaultConfig(), src)
	checkFixes(t, r)
	if len(r.Edits) < 2 {
		t.Fatalf("want at least two passes, got %d", len(r.Edits))
	}
	if len(r.Fixes) != 1 {
		t.Fatalf("want one fix, got %d: %+v", len(r.Fixes), r.Fixes)
	}
	rules := map[string]bool{}
	for _, i := range r.Fixes[0].Findings {
		rules[r.Findings[i].Rule] = true
	}
	if !rules[RuleRcArc] || !rules[RuleMutexScope] {
		t.Errorf("the fix should hold the rc-arc and the mutex-scope finding; findings %+v", r.Findings)
	}
}

// TestFixesApart: two guards in different fns are fixed apart.
func TestFixesApart(t *testing.T) {
	src := []byte(`use std::sync::{Arc, Mutex};
async fn tick() {}
fn a(m: Arc<Mutex<u8>>) {
    tokio::spawn(async move {
        let g = m.lock().unwrap();
        println!("{}", *g);
        tick().await;
    });
}
fn b(m: Arc<Mutex<u8>>) {
    tokio::spawn(async move {
        let g = m.lock().unwrap();
        println!("{}", *g);
        tick().await;
    });
}
`)
	r := fuzzRun(DefaultConfig(), src)
	checkFixes(t, r)
	if len(r.Findings) != 2 || len(r.Fixes) != 2 {
		t.Fatalf("want 2 findings in 2 fixes, got %d in %d", len(r.Findings), len(r.Fixes))
	}
	for k, fx := range r.Fixes {
		if len(fx.Findings) != 1 || fx.Findings[0] != k {
			t.Errorf("fix %d holds %v", k, fx.Findings)
		}
	}
}
