package patterns

import (
	"strings"
	"sync/atomic"
	"testing"
)

// rcGateCase is a crate for rc-arc's gate: its files by path, the first
// the one looked at.
type rcGateCase struct {
	name  string
	files [][2]string
}

// gateLooks returns, for the first file of c under an Index of all its
// files: whether the engine reports rc-arc there, whether rcTrigger and
// rcHeldMay let it through, and Index.MayMatch.
func gateLooks(t *testing.T, c rcGateCase) (found, trigger, held, may bool) {
	t.Helper()
	found, trigger, held, may, _ = advLooks(t, c, false)
	return found, trigger, held, may
}

// TestRcGateLetsThrough: for each way a value held by a Send-required
// future gets a type that is not Send without the body spelling it (a
// fn's result, a method's result, `self`, a field, an alias, an import
// alias, a type of another file of the crate, a trait object, a cell
// behind a reference), the engine reports it and the gate lets the file
// through.
func TestRcGateLetsThrough(t *testing.T) {
	spawnMain := func(body string) string {
		return `#[tokio::main]
async fn main() {
    ` + body + `
}
async fn tick() {}
`
	}
	cases := []rcGateCase{
		{"a fn's result", [][2]string{{"src/main.rs", `use std::rc::Rc;
fn make() -> Rc<i32> { Rc::new(1) }
` + spawnMain(`let x = make();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();`)}}},
		{"a method's result", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Maker;
impl Maker { fn shared(&self) -> Rc<i32> { Rc::new(1) } }
` + spawnMain(`let m = Maker;
    let x = m.shared();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();`)}}},
		{"Self::new", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Job { data: Rc<i32> }
impl Job {
    fn new() -> Self { Job { data: Rc::new(1) } }
    fn start() {
        let j = Self::new();
        tokio::spawn(async move { let _ = &j; tick().await; });
    }
}
async fn tick() {}
fn main() { Job::start(); }
`}}},
		{"self of an Rc-holding struct", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Job { data: Rc<i32> }
impl Job {
    async fn run(self) { let _ = &self; tick().await; }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    tokio::spawn(Job { data: Rc::new(1) }.run()).await.unwrap();
}
`}}},
		{"a field", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Job { data: Rc<i32> }
fn job() -> Job { Job { data: Rc::new(1) } }
` + spawnMain(`let x = job().data;
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();`)}}},
		{"a type alias", [][2]string{{"src/main.rs", `use std::rc::Rc;
type Shared = Rc<i32>;
async fn run(s: Shared) { let _ = &s; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { let s: Shared = Rc::new(1); tokio::spawn(run(s)).await.unwrap(); }
`}}},
		{"a struct of another file", [][2]string{
			{"src/main.rs", `mod state;
use std::rc::Rc;
use state::State;
async fn run(s: State) { let _ = &s; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(State { n: Rc::new(1) })).await.unwrap(); }
`},
			{"src/state.rs", `use std::rc::Rc;
pub struct State { pub n: Rc<i32> }
`}}},
		{"a declared type, the value opaque", [][2]string{{"src/main.rs", `use std::rc::Rc;
fn unknown<T>() -> T { todo!() }
` + spawnMain(`let x: Rc<i32> = unknown();
    tokio::spawn(async move { let _ = &x; tick().await; }).await.unwrap();`)}}},
		{"paths of std's leaves, a wrapper's argument", [][2]string{{"src/main.rs", `struct Job { data: Option<std::rc::Rc<std::cell::RefCell<u8>>> }
impl Job {
    async fn run(&self) { let _ = &self.data; tick().await; }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let j = std::sync::Arc::new(Job { data: None });
    tokio::spawn(async move { j.run().await; }).await.unwrap();
}
`}}},
		{"a trait object of a trait of the file", [][2]string{{"src/main.rs", `use std::rc::Rc;
trait Hook { fn call(&self); }
struct Hooks { all: Vec<Box<dyn Hook>> }
fn hooks() -> Hooks { Hooks { all: Vec::new() } }
fn unused() -> Rc<i32> { Rc::new(1) }
` + spawnMain(`let h = hooks();
    tokio::spawn(async move { let _ = &h; tick().await; }).await.unwrap();`)}}},
		{"a generic type of the file, its argument an Rc", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Wrap<T>(T);
async fn run(w: Wrap<Rc<u8>>) { let _ = &w; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(Wrap(Rc::new(1)))).await.unwrap(); }
`}}},
		{"a local of the block, by a method of the file", [][2]string{{"src/main.rs", `use std::rc::Rc;
struct Maker { n: u8 }
impl Maker { fn shared(&self) -> Rc<i32> { Rc::new(1) } }
` + spawnMain(`tokio::spawn(async move { let m = Maker { n: 1 }; let x = m.shared(); tick().await; let _ = &x; }).await.unwrap();`)}}},
		{"a trait object", [][2]string{{"src/main.rs", `use std::rc::Rc;
fn hook() -> Box<dyn Fn()> { Box::new(|| ()) }
fn unused() -> Rc<i32> { Rc::new(1) }
` + spawnMain(`let _ = unused();
    let h = hook();
    tokio::spawn(async move { h(); tick().await; }).await.unwrap();`)}}},
	}
	found := 0
	for _, c := range cases {
		f, trigger, held, may := gateLooks(t, c)
		if f {
			found++
		} else {
			t.Logf("%s: no finding", c.name)
		}
		if f && !(trigger && held && may) {
			t.Errorf("%s: the engine reports rc-arc, but rcTrigger %v, rcHeldMay %v, Index.MayMatch %v", c.name, trigger, held, may)
		}
	}
	if found < len(cases)-2 {
		t.Fatalf("the engine reports rc-arc in %d of %d cases: the check proves little", found, len(cases))
	}
}

// TestRcGateStops: files that spell Rc and spawn, where no Send-required
// body's fn spells anything that leads to a type that is not Send, are
// not let through, though rcTrigger alone would.
func TestRcGateStops(t *testing.T) {
	cases := []rcGateCase{
		{"Rc in a sync fn only", [][2]string{{"src/main.rs", `use std::rc::Rc;
fn count(r: Rc<i32>) -> i32 { *r }
fn local() -> i32 { count(Rc::new(1)) }
#[tokio::main]
async fn main() {
    let n = local();
    tokio::spawn(async move { println!("{n}"); }).await.unwrap();
}
`}}},
		{"a method of a Send struct", [][2]string{{"src/main.rs", `use std::rc::Rc;
use std::sync::Arc;
struct Server { port: u16, name: Arc<String> }
impl Server {
    async fn serve(&self) { println!("{} {}", self.port, self.name); }
}
fn cache() -> Rc<Vec<u8>> { Rc::new(Vec::new()) }
#[tokio::main]
async fn main() {
    let s = Arc::new(Server { port: 1, name: Arc::new(String::new()) });
    tokio::spawn(async move { s.serve().await; }).await.unwrap();
}
fn warm() { let _ = cache(); }
`}}},
		{"an Rc-holding struct of another crate's file", [][2]string{
			{"src/main.rs", `use std::rc::Rc;
struct Plain { n: u64 }
fn plain() -> Plain { Plain { n: 1 } }
#[tokio::main]
async fn main() {
    let p = plain();
    tokio::spawn(async move { println!("{}", p.n); }).await.unwrap();
}
fn shared() -> Rc<u8> { Rc::new(1) }
`},
			{"other/src/lib.rs", `use std::rc::Rc;
pub struct Plain { pub n: Rc<u64> }
`}}},
		{"a spawn in a static's initializer", [][2]string{{"src/main.rs", `use std::rc::Rc;
use std::sync::LazyLock;
async fn tick() {}
static STARTED: LazyLock<()> = LazyLock::new(|| {
    let n = 1;
    tokio::spawn(async move {
        tick().await;
        println!("{n}");
    });
});
fn local() -> Rc<i32> { Rc::new(1) }
fn main() { LazyLock::force(&STARTED); let _ = local(); }
`}}},
		{"what the model does not see into", [][2]string{{"src/main.rs", `use std::rc::Rc;
use std::sync::Arc;
use tokio::sync::mpsc;
struct Server {
    tx: mpsc::UnboundedSender<Rc<u8>>,
    names: tokio::sync::OnceCell<Vec<String>>,
    parent: std::sync::Weak<u8>,
    hook: Box<dyn other::Hook>,
}
impl Server {
    async fn serve(&self) { tick().await; }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let s: Arc<Server> = todo!();
    tokio::spawn(async move { s.serve().await; }).await.unwrap();
}
`}}},
		{"values the model types as opaque", [][2]string{{"src/main.rs", `use std::rc::Rc;
async fn make_rc() -> Rc<u8> { Rc::new(1) }
async fn tick() {}
#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let a = other::make(Rc::new(1));
        let b = vec![Rc::new(2)];
        let c = { Rc::new(3) };
        let d = if true { Rc::new(4) } else { Rc::new(5) };
        let e = [Rc::new(6)][0].clone();
        tick().await;
        println!("{a:?} {b:?} {c:?} {d:?} {e:?}");
    }).await.unwrap();
}
`}}},
		{"Send only on another parameter", [][2]string{{"src/main.rs", `use std::future::Future;
use std::rc::Rc;
fn run_here<F: Future<Output = R>, R: Send>(f: F) -> R { todo!() }
async fn tick() {}
fn main() {
    let r = Rc::new(1);
    run_here(async move { tick().await; let _ = &r; });
    tokio::spawn(async move { tick().await; });
}
`}}},
	}
	checkRcGateStops(t, cases)
}

// checkRcGateStops checks that the engine reports no rc-arc in each case,
// that rcTrigger lets it through and that rcHeldMay stops it.
func checkRcGateStops(t *testing.T, cases []rcGateCase) {
	t.Helper()
	for _, c := range cases {
		f, trigger, held, may := gateLooks(t, c)
		if f {
			t.Errorf("%s: the engine reports rc-arc in a file meant to have nothing", c.name)
		}
		if !trigger {
			t.Errorf("%s: rcTrigger stops it already: the case proves nothing of rcHeldMay", c.name)
		}
		if held || may {
			t.Errorf("%s: rcHeldMay %v, Index.MayMatch %v; want both false", c.name, held, may)
		}
	}
}

// TestRcGateWords: the words the gate reads as leading to a leaf, in the
// parameters and body of the fn around a Send-required body.
func TestRcGateWords(t *testing.T) {
	src := `use std::rc::Rc;
use std::cell::RefCell as Slot;
struct Holds { x: Rc<u8> }
struct Plain { y: u8 }
struct Nested { h: Holds }
struct Ptr { p: *const u8 }
impl Holds { fn get(&self) -> Self { todo!() } fn n(&self) -> u8 { 1 } }
impl Plain { fn get(&self) -> Self { todo!() } }
fn mk() -> Nested { todo!() }
fn plain() -> Plain { todo!() }
fn calls(h: Holds, p: Plain) { @mk(); @plain(); h.@n(); Holds::@get(&h); Plain::@get(&p); h.@get(); @get(); let f = @mk; @mk::<u8>(); }
`
	var at []int
	for i := strings.IndexByte(src, '@'); i >= 0; i = strings.IndexByte(src, '@') {
		at = append(at, i)
		src = src[:i] + src[i+1:]
	}
	fs := readFile([]byte(src))
	defer fs.release()
	ix := NewIndex(Summarize("src/main.rs", []byte(src)))
	g := newRCGate(fs, ix, "src/main.rs")
	for w, want := range map[string]bool{
		"Rc": true, "Weak": true, "RefCell": true, "Cell": true, "MutexGuard": true, "dyn": true,
		"Slot": true, "Holds": true, "Nested": true, "Ptr": true, "Plain": false, "u8": false, "Arc": false, "Mutex": false,
	} {
		if got := g.leads(w); got != want {
			t.Errorf("leads(%s) = %v, want %v", w, got, want)
		}
	}
	// mk(), plain(), h.n(), Holds::get, Plain::get, h.get() (any impl's),
	// get() (no free fn get), mk not called, mk with a turbofish.
	for i, want := range []bool{true, false, false, true, false, true, false, false, true} {
		if got := g.callLeads(fs.tokenAt(at[i])); got != want {
			t.Errorf("callLeads at call %d (%q) = %v, want %v", i, src[at[i]:at[i]+12], got, want)
		}
	}
	for _, c := range []struct {
		impl string
		want bool
	}{{"Holds", true}, {"Plain", false}} {
		k := int32(strings.Index(src, "impl "+c.impl+" { fn get(&self)"))
		self := fs.tokenAt(int(k) + len("impl "+c.impl+" { fn get(&"))
		if got := g.implLeads(self); got != c.want {
			t.Errorf("implLeads(self of %s) = %v, want %v", c.impl, got, c.want)
		}
	}
}

// TestRcGateCycle: a name decided while another is still being decided
// around it (B, through A's field) is not kept as leading to no leaf: B
// holds A, which holds an Rc.
func TestRcGateCycle(t *testing.T) {
	src := []byte(`use std::rc::Rc;
struct A { b: Option<Box<B>>, r: Rc<u8> }
struct B { a: Box<A> }
async fn f(b: B) {}
`)
	sum := Summarize("src/main.rs", src)
	fs := readFile(src)
	defer fs.release()
	g := newRCGate(fs, NewIndex(sum), "src/main.rs")
	if !g.leads("A") {
		t.Fatal("A holds an Rc: it leads to a leaf")
	}
	if !g.leads("B") {
		t.Error("B holds an A: it leads to a leaf, yet the answer kept while A was decided says no")
	}
}

// TestRcGateCorpus: under rc-arc alone, with --all-async (every async
// body Send-required, so the gate reads every one) and without, every
// file of Debian's sources, of the golden inputs and of the folders in
// $SENDFIX_HANDOFF_DIRS where the rule reports something is let through
// by Index.MayMatch, under an Index of its folder's files.
func TestRcGateCorpus(t *testing.T) {
	sets := [][]string{corpusFiles(t), goldenInputs(t)}
	for _, dir := range extraDirs() {
		sets = append(sets, rsFiles(t, dir))
	}
	var found, through atomic.Int64
	for _, files := range sets {
		sums := make([]*Summary, len(files))
		parallel(t, files, func(e **Engine, i int, src []byte) {
			if *e == nil {
				*e = NewEngine(DefaultConfig(), nil)
			}
			sums[i] = (*e).Summarize(files[i], src)
		})
		idx := NewIndex(sums...)
		for _, all := range []bool{true, false} {
			cfg := Config{Rules: map[string]bool{RuleRcArc: true}, AllAsync: all}
			parallel(t, files, func(_ **Engine, i int, src []byte) {
				may := idx.MayMatch(files[i], src, cfg)
				if may {
					through.Add(1)
				}
				e := NewEngine(cfg, idx)
				res := e.Run(files[i], src)
				e.Close()
				if len(res.Findings) == 0 {
					return
				}
				found.Add(1)
				if !may {
					f := res.Findings[0]
					t.Errorf("%s:%d:%d: rc-arc reports %q (all-async %v), and Index.MayMatch is false", files[i], f.Pos.Line, f.Pos.Col, f.Message, all)
				}
			})
		}
	}
	if found.Load() == 0 {
		t.Fatal("rc-arc reports nothing: the check proves nothing")
	}
	t.Logf("%d files with rc-arc findings, %d let through", found.Load(), through.Load())
}
