package patterns

import (
	"strings"
	"testing"
)

// gateProgram wraps body in a spawned block of a program that locks a
// std Mutex m, may call a guard-returning fn state, and awaits x().
func gateProgram(body string) string {
	return `use std::sync::{Arc, Mutex, MutexGuard};
fn state(m: &Mutex<Vec<u8>>) -> MutexGuard<'_, Vec<u8>> { m.lock().unwrap() }
async fn x() {}
#[tokio::main]
async fn main() {
    let m = Arc::new(Mutex::new(vec![1u8]));
    tokio::spawn(async move {
        ` + body + `
    }).await.unwrap();
}
`
}

// TestGuardGateStatements: a guard counts only where its statement can
// keep it to an await: a temporary of a statement with no await after it,
// a `let` whose value is more than the acquisition (a method, an argument
// of a call or macro), a `let` no await follows in its block, and an `if
// let` or `while let` that does not await are dropped before any await.
// Each case is also run through the engine: where the gate says no, the
// engine must report nothing.
func TestGuardGateStatements(t *testing.T) {
	cases := []struct {
		name, body string
		want       bool
	}{
		{"let", "let g = m.@lock().unwrap(); x().await;", true},
		{"let, then a method", "let v = m.@lock().unwrap().pop(); x().await;", false},
		{"let, a field", "let n = m.@lock().unwrap().len; x().await;", false},
		{"let, an argument", "let w = Some(m.@lock().unwrap()); x().await;", false},
		{"let, a macro argument", "let s = format!(\"{:?}\", m.@lock().unwrap()); x().await;", false},
		{"let, a tuple", "let (a, b) = (m.@lock().unwrap(), 1); x().await; drop((a, b));", true},
		{"let, a tuple's second", "let (b, a) = (1, m.@lock().unwrap()); x().await; drop((a, b));", true},
		{"let, a tuple in a call", "let w = f((m.@lock().unwrap(), 1)); x().await;", false},
		{"let, grouped", "let g = (m.@lock().unwrap()); x().await; drop(g);", true},
		{"let, borrowed", "let g = &mut *m.@lock().unwrap(); x().await; g.push(1);", true},
		{"let, try", "let g = m.@lock().map_err(|_| ())?; x().await; drop(g);", true},
		{"let, poison match", "let g = match m.@lock() { Ok(g) => g, Err(e) => e.into_inner() }; x().await; drop(g);", true},
		{"let-else", "let Ok(g) = m.@lock() else { return }; x().await; drop(g);", true},
		{"let, await in an inner block after", "let g = m.@lock().unwrap(); if g.is_empty() { x().await; }", true},
		{"let, no await after in its block", "{ let g = m.@lock().unwrap(); drop(g); } x().await;", false},
		{"let, in a closure", "let f = move || { let g = m.@lock().unwrap(); g.len() }; f(); x().await;", false},
		{"let, await before it in a loop", "loop { x().await; let g = m.@lock().unwrap(); drop(g); }", false},
		{"let, await in its statement", "let n = m.@lock().unwrap().len() + { x().await; 1 };", true},
		{"if let, no await in it", "if let Ok(mut g) = m.@lock() { g.push(1); } x().await;", false},
		{"if let, awaits", "if let Ok(g) = m.@lock() { x().await; drop(g); }", true},
		{"while let, no await in it", "while let Some(j) = m.@lock().unwrap().pop() { drop(j); } x().await;", false},
		{"after a block statement", "if true { x().await; } let g = m.@lock().unwrap(); x().await; drop(g);", true},
		{"assignment", "let mut g = state(&m); g = m.@lock().unwrap(); x().await; drop(g);", true},
		{"guard fn", "let g = @state(&m); x().await; drop(g);", true},
		{"guard fn, an argument", "let n = Some(@state(&m)); x().await; drop(n);", false},
		{"guard fn, then a method", "let n = @state(&m).len(); x().await; drop(n);", false},
	}
	for _, c := range cases {
		src := gateProgram(c.body)
		at := strings.IndexByte(src, '@')
		src = src[:at] + src[at+1:]
		if got := guardSites([]byte(src))(at); got != c.want {
			t.Errorf("%s: guardSite = %v, want %v", c.name, got, c.want)
		}
		idx := NewIndex(Summarize("src/main.rs", []byte(src)))
		may := idx.MayMatch("src/main.rs", []byte(src), DefaultConfig())
		e := NewEngine(DefaultConfig(), idx)
		res := e.Run("src/main.rs", []byte(src))
		e.Close()
		if testing.Verbose() {
			t.Logf("%s: gate %v, may %v, findings %d", c.name, c.want, may, len(res.Findings))
		}
		if len(res.Findings) > 0 && !may {
			t.Errorf("%s: Index.MayMatch is false but the engine reports %s", c.name, res.Findings[0].Rule)
		}
		if c.want && len(res.Findings) == 0 {
			t.Errorf("%s: the engine reports nothing: the program does not hold the guard", c.name)
		}
	}
}

// TestGuardGateAwaitedLock: `.lock().await` is tokio's lock, a future:
// no guard even where the file names parking_lot (whose any
// zero-argument lock call counts).
func TestGuardGateAwaitedLock(t *testing.T) {
	src := "use parking_lot::Mutex;\nasync fn f(m: &tokio::sync::Mutex<u8>) { let g = m.lock().await; x().await; }\nfn main() { tokio::spawn(f(todo!())); }\n"
	idx := NewIndex(Summarize("src/main.rs", []byte(src)))
	if idx.MayMatch("src/main.rs", []byte(src), DefaultConfig()) {
		t.Errorf("MayMatch is true for an awaited lock call")
	}
	plain := strings.Replace(src, "m.lock().await", "m.lock()", 1)
	if !idx.MayMatch("src/main.rs", []byte(plain), DefaultConfig()) {
		t.Errorf("MayMatch is false for parking_lot's lock")
	}
}
