package patterns

import (
	"strings"
	"testing"

	"sendfix/rewrite"
)

func TestUsesName(t *testing.T) {
	tests := []struct {
		stmt string
		want bool
	}{
		{`*g += 1;`, true},
		{`println!("{}", g.len());`, true},
		{`println!("{g:?}");`, true},
		{`println!("{g}");`, true},
		{`println!("{{g}}");`, false},
		{`println!("{gx}");`, false},
		{`let n = other.g;`, false},
		{`let s = S { g: 1 };`, false},
		{`let s = S { g };`, true},
		{`let f = m::g();`, false},
		{`let c = || g.len();`, true},
		{`drop(g);`, true},
		{`let x = 1;`, false},
	}
	for _, tt := range tests {
		src := "fn f() {\n" + tt.stmt + "\n}\n"
		root := parseRust(t, src)
		block := root.NamedChild(0).ChildByFieldName("body")
		stmt := statements(block)[0]
		if got := usesName([]byte(src), stmt, "g"); got != tt.want {
			t.Errorf("usesName(%q, g) = %v, want %v", tt.stmt, got, tt.want)
		}
	}
}

// runScope parses src and runs mutex-scope once, returning the proposals
// and the file context (for fc.held).
func runScope(t *testing.T, src string, cfg Config) ([]proposal, *fileCtx) {
	t.Helper()
	root := parseRust(t, src)
	fc := &fileCtx{path: "t.rs", src: []byte(src), root: root, style: rewrite.DetectStyle([]byte(src)), cfg: cfg, idx: NewIndex()}
	fc.bodies = findBodies(fc.path, fc.src, root, fc.idx, cfg.AllAsync)
	return runMutexScope(fc), fc
}

const usedAfterSrc = `use std::sync::{Arc, Mutex};
async fn tick() {}
fn go(m: Arc<Mutex<u32>>) {
    tokio::spawn(async move {
        let mut g = m.lock().unwrap();
        *g += 1;
        tick().await;
        println!("{g}");
    });
}
`

func TestUsedAfterAwaitIsHandedToTokioMutex(t *testing.T) {
	props, fc := runScope(t, usedAfterSrc, DefaultConfig())
	if len(props) != 0 {
		t.Errorf("mutex-scope should leave the finding to tokio-mutex, got %+v", props)
	}
	if len(fc.held) != 1 || fc.held[0].name != "g" || !fc.held[0].usedLate {
		t.Errorf("held = %+v, want guard g used late", fc.held)
	}
}

func TestUsedAfterAwaitReportedWithoutTokioMutex(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Rules[RuleTokioMutex] = false
	props, fc := runScope(t, usedAfterSrc, cfg)
	if len(fc.held) != 0 {
		t.Errorf("held should be empty when tokio-mutex is off")
	}
	if len(props) != 1 || len(props[0].edits) != 0 {
		t.Fatalf("want one unfixed proposal, got %+v", props)
	}
	r := props[0].f.Reason
	for _, want := range []string{"`g`", "line 7", "used after"} {
		if !strings.Contains(r, want) {
			t.Errorf("reason %q lacks %q", r, want)
		}
	}
}

func TestAllAsyncNeverHandsOff(t *testing.T) {
	cfg := DefaultConfig()
	cfg.AllAsync = true
	props, fc := runScope(t, usedAfterSrc, cfg)
	if len(fc.held) != 0 {
		t.Errorf("--all-async must leave fileCtx.held empty, got %d", len(fc.held))
	}
	if len(props) != 1 || !strings.Contains(props[0].f.Reason, "--all-async") {
		t.Errorf("want the guard reported with --all-async in the reason, got %+v", props)
	}
}

// runBody runs the default rules on a spawned block holding body.
func runBody(t *testing.T, body string) *Result {
	t.Helper()
	src := "use std::sync::{Arc, Mutex};\nasync fn tick(_n: usize) {}\nfn go(m: Arc<Mutex<Vec<u32>>>) {\n    tokio::spawn(async move {\n" + body + "    });\n}\n"
	cfg := DefaultConfig()
	cfg.Rules[RuleTokioMutex] = false
	return runString(t, cfg, src)
}

func TestTemporaryChains(t *testing.T) {
	tests := []struct {
		name, body string
		want       string // substring of the output, or "" for unfixed
		reason     string // substring of the reason when unfixed
	}{
		{"owned len in awaited arg", "        tick(m.lock().unwrap().len()).await;\n",
			"tick({\n            let guard = m.lock().unwrap();\n            guard.len()\n        }).await;", ""},
		{"pop needs mut", "        while let Some(x) = m.lock().unwrap().pop() { tick(x as usize).await; }\n",
			"{\n            let mut guard = m.lock().unwrap();\n            guard.pop()\n        }", ""},
		{"get then cloned", "        if let Some(x) = m.lock().unwrap().get(0).cloned() { tick(x as usize).await; }\n",
			"{\n            let guard = m.lock().unwrap();\n            guard.get(0).cloned()\n        }", ""},
		{"deref on literal arms", "        match *m.lock().unwrap().first().unwrap() { 0 => tick(0).await, _ => {} }\n",
			"match {\n            let guard = m.lock().unwrap();\n            *guard.first().unwrap()\n        } {", ""},
		{"deref on other arms", "        match *m.lock().unwrap().first().unwrap() { n if n > 1 => tick(0).await, _ => {} }\n",
			"", "dereferenced"},
		{"first is a reference", "        if let Some(x) = m.lock().unwrap().first() { tick(*x as usize).await; }\n",
			"", "reference"},
		{"iter then cloned is owned", "        if let Some(x) = m.lock().unwrap().iter().cloned().next() { tick(x as usize).await; }\n",
			"{\n            let guard = m.lock().unwrap();\n            guard.iter().cloned().next()\n        }", ""},
		{"drain has a destructor: the value gets a let", "        if let Some(x) = m.lock().unwrap().drain(..).next() { tick(x as usize).await; }\n",
			"{\n            let mut guard = m.lock().unwrap();\n            let value = guard.drain(..).next();\n            value\n        }", ""},
		{"receiver of the awaited call", "        m.lock().unwrap().len().pow(1).checked_add(0);\n        tick(0).await;\n",
			"", ""},
		{"scrutinee await after body has none", "        if let Some(x) = m.lock().unwrap().pop() { println!(\"{x}\"); }\n        tick(0).await;\n",
			"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runBody(t, tt.body)
			switch {
			case tt.want != "":
				if !strings.Contains(string(res.Out), tt.want) {
					t.Errorf("output lacks %q:\n%s\nfindings %+v", tt.want, res.Out, res.Findings)
				}
			case tt.reason != "":
				if res.Changed() || len(res.Findings) != 1 || res.Findings[0].Fixed || !strings.Contains(res.Findings[0].Reason, tt.reason) {
					t.Errorf("want one unfixed finding with %q; findings %+v\n%s", tt.reason, res.Findings, res.Out)
				}
			default:
				if res.Changed() || len(res.Findings) != 0 {
					t.Errorf("want no finding; got %+v\n%s", res.Findings, res.Out)
				}
			}
		})
	}
}

func TestEscapingBorrowIsRefused(t *testing.T) {
	res := runBody(t, "        let v = m.lock().unwrap();\n        let first = v.first();\n        tick(0).await;\n        println!(\"{first:?}\");\n")
	if res.Changed() || len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Reason, "`first` borrows from guard `v`") {
		t.Errorf("want the borrow reported; findings %+v\n%s", res.Findings, res.Out)
	}
}

func TestInterleavedGuardsShareOneBlock(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
async fn tick() {}
fn go(a: Arc<Mutex<u32>>, b: Arc<Mutex<u32>>) {
    tokio::spawn(async move {
        let mut x = a.lock().unwrap();
        let mut y = b.lock().unwrap();
        *x += 1;
        *y += 1;
        tick().await;
    });
}
`
	res := runString(t, DefaultConfig(), src)
	if len(res.Findings) != 2 || !res.Findings[0].Fixed || !res.Findings[1].Fixed {
		t.Fatalf("want both guards fixed, got %+v", res.Findings)
	}
	if n := strings.Count(string(res.Out), "        {\n"); n != 1 {
		t.Errorf("want one scope block, got %d:\n%s", n, res.Out)
	}
}

func TestShadowingKeepsOldGuardAlive(t *testing.T) {
	res := runBody(t, "        let g = m.lock().unwrap();\n        let g = g.len();\n        tick(g).await;\n")
	want := "        let g = {\n            let g = m.lock().unwrap();\n            g.len()\n        };\n"
	if !strings.Contains(string(res.Out), want) {
		t.Errorf("output lacks the expression block:\n%s", res.Out)
	}
}
