package patterns

import (
	"slices"
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

// TestRcGateBlockPrefix: for an async block, the gate reads the bindings
// of its fn that its values may come from (the `let NAME` statements
// before it that bind what it uses, in turn), not the whole fn; a call is
// read as callType resolves it (by the type before `::`, the free fns
// for a bare name, nothing for an awaited call), and a trait object
// bounded by Send and Sync as no leaf. The engine reports each
// of the first cases, which the gate must let through, and none of the
// others, which it must stop.
func TestRcGateBlockPrefix(t *testing.T) {
	main := func(fn string) [][2]string {
		return [][2]string{{"src/main.rs", "use std::rc::Rc;\nasync fn tick() {}\n" + fn + "\n#[tokio::main]\nasync fn main() { run().await; }\n"}}
	}
	through := []rcGateCase{
		{"a capture computed from an Rc", main(`async fn run() {
    let a = Rc::new(1);
    let b = a.clone();
    tokio::spawn(async move { let _ = &b; tick().await; }).await.unwrap();
}`)},
		{"a capture named in a format string", main(`async fn run() {
    let name = Rc::new(String::new());
    tokio::spawn(async move { tick().await; println!("{name}"); }).await.unwrap();
}`)},
		{"an associated fn's result", main(`struct Holder;
impl Holder { fn new() -> Rc<u8> { Rc::new(1) } }
struct Plain;
impl Plain { fn new() -> u8 { 1 } }
async fn run() {
    let x = Holder::new();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();
}`)},
		{"a trait object that is Send, not Sync, in an Arc", main(`use std::sync::Arc;
struct Job { f: Arc<dyn Fn() + Send> }
async fn run() {
    let j = Job { f: Arc::new(|| ()) };
    tokio::spawn(async move { (j.f)(); tick().await; }).await.unwrap();
}`)},
		{"a parameter", main(`async fn run() { go(Rc::new(1)); }
fn go(r: Rc<u8>) {
    tokio::spawn(async move { let _ = &r; tick().await; });
}`)},
	}
	for _, c := range through {
		f, trigger, held, may := gateLooks(t, c)
		if !f {
			t.Errorf("%s: the engine reports nothing: the case proves nothing", c.name)
		}
		if !(trigger && held && may) {
			t.Errorf("%s: the engine reports rc-arc, but rcTrigger %v, rcHeldMay %v, Index.MayMatch %v", c.name, trigger, held, may)
		}
	}
	stops := []rcGateCase{
		{"an Rc the block does not use", main(`async fn run() {
    let local = Rc::new(1);
    println!("{local}");
    let n = 2;
    tokio::spawn(async move { println!("{n}"); tick().await; }).await.unwrap();
}`)},
		{"an Rc after the block", main(`async fn run() {
    let n = 2;
    let h = tokio::spawn(async move { println!("{n}"); tick().await; });
    let late = Rc::new(1);
    println!("{late}");
    h.await.unwrap();
}`)},
		{"a trait object in the fn's result", main(`async fn run() { start().unwrap(); }
fn start() -> Result<(), Box<dyn std::error::Error>> {
    let n = 2;
    tokio::spawn(async move { println!("{n}"); tick().await; });
    Ok(())
}`)},
		{"a trait object that is Send and Sync", main(`use std::sync::Arc;
struct Job { f: Arc<dyn Fn() + Send + Sync> }
type Hook = dyn Fn(u8) + Sync + Send;
async fn run() {
    let j = Job { f: Arc::new(|| ()) };
    let h: Box<Hook> = Box::new(|_| ());
    tokio::spawn(async move { (j.f)(); h(1); tick().await; }).await.unwrap();
}`)},
		{"an awaited call's result", main(`async fn fetch() -> Result<u8, Rc<String>> { Ok(1) }
async fn run() {
    let v = fetch().await.unwrap();
    tokio::spawn(async move { println!("{v}"); tick().await; }).await.unwrap();
}`)},
		{"another type's fn of the same name", main(`struct Holder;
impl Holder { fn new() -> Rc<u8> { Rc::new(1) } }
struct Plain;
impl Plain { fn new() -> u8 { 1 } }
async fn run() {
    let _ = Holder::new();
    let x = Plain::new();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();
}`)},
		{"a method's name as a bare call", main(`struct Holder;
impl Holder { fn make(&self) -> Rc<u8> { Rc::new(1) } }
fn make() -> u8 { 1 }
async fn run() {
    let _ = Holder.make();
    let x = make();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();
}`)},
	}
	checkRcGateStops(t, stops)
}

// TestDynSendSync: a trait object is no leaf only when Send and Sync are
// among its own bounds (not its principal trait's arguments), and never
// when its bounds hold an arrow the parser may read otherwise.
func TestDynSendSync(t *testing.T) {
	for _, c := range []struct {
		ty   string
		want bool
	}{
		{"Box<dyn X + Send + Sync>", true},
		{"Box<dyn Send + Sync>", true},
		{"Box<dyn X + Send>", false},
		{"Box<dyn X + Sync>", false},
		{"Box<dyn Fn() -> u8 + Send + Sync>", false},
		{"Box<dyn X<A, B> + Sync + Send>", true},
		{"Box<dyn std::error::Error + std::marker::Send + Sync>", true},
		{"Box<dyn for<'a> Fn(&'a u8) + Send + Sync>", true},
		{"Box<dyn X<dyn Y + Send + Sync>>", false},
		{"&(dyn X + Send + Sync)", true},
		{"Box<dyn X + Send + Sync + 'static>", true},
		{"Box<dyn X<Send, Sync>>", false},
	} {
		src := "type T = " + c.ty + ";"
		fs := readFile([]byte(src))
		k := fs.tokenAt(strings.Index(src, "dyn"))
		_, names, ok := fs.dynBounds(k)
		if got := ok && slices.Contains(names, "Send") && slices.Contains(names, "Sync"); got != c.want {
			t.Errorf("dynBounds(%s) = %v, %v: Send and Sync %v, want %v", c.ty, names, ok, got, c.want)
		}
		fs.release()
	}
}
