package patterns

import (
	"context"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"
)

// parseRust parses src; the tree is closed when the test ends.
func parseRust(t *testing.T, src string) *sitter.Node {
	t.Helper()
	p := sitter.NewParser()
	defer p.Close()
	p.SetLanguage(rust.GetLanguage())
	tree, err := p.ParseCtx(context.Background(), nil, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tree.Close)
	return tree.RootNode()
}

// bodyMarks returns, for each async body holding a `// mark NAME` comment
// in its own block, whether it must be Send.
func bodyMarks(t *testing.T, src string, idx *Index, allAsync bool) map[string]bool {
	t.Helper()
	root := parseRust(t, src)
	out := map[string]bool{}
	for _, b := range findBodies("fa.rs", []byte(src), root, idx, allAsync) {
		for _, c := range namedChildren(b.block) {
			if c.Type() == "line_comment" {
				if name, ok := strings.CutPrefix(text([]byte(src), c), "// mark "); ok {
					out[name] = b.send
				}
			}
		}
	}
	return out
}

func TestSendContextClassification(t *testing.T) {
	tests := []struct {
		name, src string
		want      bool
	}{
		{"tokio::spawn", `fn f() { tokio::spawn(async move { // mark x
		}); }`, true},
		{"tokio::task::spawn", `fn f() { tokio::task::spawn(async { // mark x
		}); }`, true},
		{"task::spawn", `fn f() { task::spawn(async { // mark x
		}); }`, true},
		{"bare spawn imported from tokio", `use tokio::spawn;
		fn f() { spawn(async { // mark x
		}); }`, true},
		{"bare spawn in a tokio group import", `use tokio::{spawn, sync::mpsc};
		fn f() { spawn(async { // mark x
		}); }`, true},
		{"bare spawn not from tokio", `use std::thread::spawn;
		fn f() { spawn(async { // mark x
		}); }`, false},
		{"Handle::spawn", `use tokio::runtime::Handle;
		fn f(h: Handle) { h.spawn(async { // mark x
		}); }`, true},
		{"JoinSet::spawn_on", `use tokio::{runtime::Handle, task::JoinSet};
		fn f(s: &mut JoinSet<()>, h: &Handle) { s.spawn_on(async { // mark x
		}, h); }`, true},
		{"Builder::spawn", `fn f() { tokio::task::Builder::new().name("w").spawn(async { // mark x
		}); }`, true},
		{"parenthesized", `fn f() { tokio::spawn((async { // mark x
		})); }`, true},
		{"spawned through a let", `fn f() { let fut = async move { // mark x
		}; tokio::spawn(fut); }`, true},
		{"let not spawned", `fn f() { let fut = async move { // mark x
		}; futures::executor::block_on(fut); }`, false},
		{"spawn_local", `fn f() { tokio::task::spawn_local(async { // mark x
		}); }`, false},
		{"block_on", `fn f(rt: Runtime) { rt.block_on(async { // mark x
		}); }`, false},
		{"run_until", `async fn f(l: LocalSet) { l.run_until(async { // mark x
		}).await; }`, false},
		{"tokio main body", `#[tokio::main] async fn main() { // mark x
		}`, false},
		{"nested in a spawned block", `fn f() { tokio::spawn(async { let a = async { // mark x
		}; a.await; }); }`, true},
		{"spawn_local nested in a spawned block", `fn f() { tokio::spawn(async { tokio::task::spawn_local(async { // mark x
		}); }); }`, false},
		{"behind a sync closure", `fn f() { tokio::spawn(async { let c = || async { // mark x
		}; }); }`, false},
		{"plain async fn", `async fn g() { // mark x
		}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bodyMarks(t, tt.src, NewIndex(), false)["x"]
			if !ok {
				t.Fatalf("no async body with the mark in:\n%s", tt.src)
			}
			if got != tt.want {
				t.Errorf("send = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAllAsyncMarksEveryBody(t *testing.T) {
	src := `#[tokio::main] async fn main() { // mark main
	tokio::task::spawn_local(async { // mark local
	}); }`
	got := bodyMarks(t, src, NewIndex(), true)
	if !got["main"] || !got["local"] {
		t.Errorf("--all-async: got %v, want every body Send", got)
	}
}

// summaries parses each source and returns its Summary.
func summaries(t *testing.T, srcs ...string) []*Summary {
	t.Helper()
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	var out []*Summary
	for i, s := range srcs {
		out = append(out, e.Summarize("f"+string(rune('a'+i))+".rs", []byte(s)))
	}
	return out
}

func TestIndexTransitiveAcrossFiles(t *testing.T) {
	a := `use crate::fb::route;
async fn serve(c: u32) { route(c).await; }
fn start() { tokio::spawn(serve(1)); }`
	b := `async fn route(c: u32) { self_check().await; store(c).await; }
async fn store(c: u32) {}
async fn self_check() {}
async fn unrelated() {}
#[tokio::main] async fn main() { unrelated().await; }`
	idx := NewIndex(summaries(t, a, b)...)
	for _, n := range []string{"serve", "route", "store", "self_check"} {
		if !idx.SendRequired(n) {
			t.Errorf("%s should be Send-required", n)
		}
	}
	for _, n := range []string{"unrelated", "main"} {
		if idx.SendRequired(n) {
			t.Errorf("%s should not be Send-required", n)
		}
	}
	if w := idx.Why("store"); !strings.Contains(w, "`route`") {
		t.Errorf("Why(store) = %q, want it to name the caller route", w)
	}
	if w := idx.Why("serve"); !strings.Contains(w, "spawned") {
		t.Errorf("Why(serve) = %q, want spawned", w)
	}
}

func TestIndexFromSpawnedBlockAwait(t *testing.T) {
	a := `fn f() { tokio::spawn(async { step().await; }); }
async fn step() {}`
	idx := NewIndex(summaries(t, a)...)
	if !idx.SendRequired("step") {
		t.Error("step is awaited from a spawned block: Send-required")
	}
}

// TestIndexAmbiguityIsNotPropagated: a call that two async fns may answer
// (`a.run()`, the receiver's type unknown) makes neither Send-required,
// so the guard B::run holds across an await is no finding; the call
// spelled by its path (`B::run(&b)`) is.
func TestIndexAmbiguityIsNotPropagated(t *testing.T) {
	a := `struct A; impl A { async fn run(&self) {} }
fn go(a: A) { tokio::spawn(async move { a.run().await; }); }`
	b := `use std::sync::Mutex;
struct B { m: Mutex<u32> }
impl B {
    async fn run(&self) {
        let mut g = self.m.lock().unwrap();
        *g += 1;
        tick().await;
    }
}
async fn tick() {}`
	idx := NewIndex(summaries(t, a, b)...)
	if !idx.Ambiguous("run") || idx.Declared("run") != 2 || idx.SendRequired("run") {
		t.Fatalf("run declared %d times, Send-required %v; want 2, ambiguous and not Send-required", idx.Declared("run"), idx.SendRequired("run"))
	}
	e := NewEngine(DefaultConfig(), idx)
	defer e.Close()
	if res := e.Run("fb.rs", []byte(b)); len(res.Findings) != 0 {
		t.Fatalf("findings resting on an ambiguous call: %+v", res.Findings)
	}
	byPath := strings.Replace(a, "a.run().await", "crate::fb::B::run(&b).await", 1)
	idx = NewIndex(summaries(t, byPath, b)...)
	e2 := NewEngine(DefaultConfig(), idx)
	defer e2.Close()
	res := e2.Run("fb.rs", []byte(b))
	if len(res.Findings) != 1 || !res.Findings[0].Fixed || strings.Contains(res.Findings[0].Message, "matched by name") {
		t.Fatalf("want one fixed finding for B::run called by its path, got %+v", res.Findings)
	}
}

func TestGuardFnAcrossFiles(t *testing.T) {
	a := `use std::sync::{Mutex, MutexGuard};
pub fn state(m: &Mutex<u32>) -> MutexGuard<'_, u32> { m.lock().unwrap() }`
	b := `use std::sync::{Arc, Mutex};
async fn tick() {}
fn go(m: Arc<Mutex<u32>>) {
    tokio::spawn(async move {
        let mut s = state(&m);
        *s += 1;
        tick().await;
    });
}`
	idx := NewIndex(summaries(t, a, b)...)
	if declaredGuard(idx, "state") != "MutexGuard" {
		t.Fatalf("GuardFn(state) = %q", declaredGuard(idx, "state"))
	}
	e := NewEngine(DefaultConfig(), idx)
	defer e.Close()
	res := e.Run("fb.rs", []byte(b))
	if !res.Changed() || len(res.Findings) != 1 || !res.Findings[0].Fixed {
		t.Fatalf("want the guard from state() scoped; findings %+v\n%s", res.Findings, res.Out)
	}
	// Without the other file the call is not known to return a guard.
	e2 := NewEngine(DefaultConfig(), nil)
	defer e2.Close()
	if r := e2.Run("fb.rs", []byte(b)); r.Changed() || len(r.Findings) != 0 {
		t.Errorf("single-file view should not know state(): %+v", r.Findings)
	}
}
