package patterns

import (
	"testing"
)

// The shapes an adversarial review of rc-arc's gate tried, each under the
// default config and --all-async: wherever the engine reports rc-arc,
// Index.MayMatch must let the file through (rcHeldMay, the Send slots
// read per parameter). Some of them made it stop such a file: a leading
// `::` path, tokio's owned guards, a const generic's `{ .. }` in an
// item's header, a binding as a path's head or after `..`, `->` in a
// fn's generics, `=` written against punctuation, a `crate::a::f` slot
// call, `.boxed()` with no Send word, a qualified path among arguments.

// advLooks is gateLooks under --all-async when all is set, with the
// finding's message.
func advLooks(t *testing.T, c rcGateCase, all bool) (found, trigger, held, may bool, msg string) {
	t.Helper()
	cfg := Config{Rules: map[string]bool{RuleRcArc: true}, AllAsync: all}
	var sums []*Summary
	for _, f := range c.files {
		sums = append(sums, Summarize(f[0], []byte(f[1])))
	}
	ix := NewIndex(sums...)
	path, src := c.files[0][0], []byte(c.files[0][1])
	e := NewEngine(cfg, ix)
	res := e.Run(path, src)
	e.Close()
	for _, f := range res.Findings {
		if f.Rule == RuleRcArc {
			found = true
			msg = f.Message
		}
	}
	r := ix.reading(path, src, all)
	defer r.fs.release()
	return found, r.rcTrigger(), r.rcHeldMay(ix, path), ix.MayMatch(path, src, cfg), msg
}

// runAdv checks the cases, and that the engine reports rc-arc in some.
func runAdv(t *testing.T, cases []rcGateCase) {
	t.Helper()
	found := 0
	for _, c := range cases {
		for _, all := range []bool{false, true} {
			f, tr, h, m, msg := advLooks(t, c, all)
			if f {
				found++
			}
			if f && !m {
				t.Errorf("%s (all-async %v): the engine reports %q, but rcTrigger %v, rcHeldMay %v, Index.MayMatch %v", c.name, all, msg, tr, h, m)
			}
		}
	}
	if found == 0 {
		t.Fatal("the engine reports rc-arc in no case: the check proves nothing")
	}
}

func one(name, src string) rcGateCase { return rcGateCase{name, [][2]string{{"src/main.rs", src}}} }

func TestRcGateAdversarial1(t *testing.T) {
	runAdv(t, []rcGateCase{
		one("leading ::std path param", `async fn run(x: ::std::rc::Rc<u8>) { let _ = &x; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(::std::rc::Rc::new(1))).await.unwrap(); }
`),
		one("leading ::std path let in block", `fn make() -> ::std::rc::Rc<u8> { todo!() }
async fn tick() {}
fn main() {
    let x = make();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("tokio OwnedMutexGuard arg", `use std::rc::Rc;
async fn run(g: tokio::sync::OwnedMutexGuard<Rc<u8>>) { let _ = &g; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { let g = todo!(); tokio::spawn(run(g)).await.unwrap(); }
`),
		one("const generic block in result", `use std::rc::Rc;
struct Foo<const N: usize>;
fn make() -> Result<Foo<{ 1 }>, Rc<u8>> { todo!() }
async fn tick() {}
fn main() {
    let x = make();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("const generic block in impl header self", `use std::rc::Rc;
struct Job<const N: usize> { data: Rc<u8> }
impl Job<{ 1 }> {
    async fn run(&self) { tick().await; }
}
async fn tick() {}
fn main() {}
`),
		one("const generic block in impl header method result", `use std::rc::Rc;
struct Maker<const N: usize> { n: u8 }
impl Maker<{ 1 }> { fn shared(&self) -> Rc<i32> { Rc::new(1) } }
async fn tick() {}
fn main() {
    let m = Maker::<1> { n: 1 };
    let x = m.shared();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("const generic default in struct", `use std::rc::Rc;
struct Job<const N: usize = { 1 }> { data: Rc<u8> }
async fn run(j: Job) { let _ = &j; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(todo!())).await.unwrap(); }
`),
		one("alias with const block", `use std::rc::Rc;
struct Arr<const N: usize>;
type Shared = Result<Arr<{ 1 }>, Rc<u8>>;
async fn run(s: Shared) { let _ = &s; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(todo!())).await.unwrap(); }
`),
		one("path head binding", `use std::rc::Rc;
mod x { pub const N: u8 = 1; }
async fn tick() {}
fn main() {
    let x = Rc::new(1);
    tokio::spawn(async move { let _ = x::N; tick().await; });
}
`),
		one("path head binding in macro", `use std::rc::Rc;
mod x { pub const N: u8 = 1; }
async fn tick() {}
fn main() {
    let x = Rc::new(1);
    tokio::spawn(async move { println!("{}", x::N); tick().await; });
}
`),
		one("crate path slot", `use std::future::Future;
use std::rc::Rc;
fn run<F: Future + Send>(f: F) {}
async fn tick() {}
fn main() {
    let r = Rc::new(1);
    crate::other::run(async move { let _ = &r; tick().await; });
}
`),
	})
}

func slotCase(name, decls, call string) rcGateCase {
	return one(name, `use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
`+decls+`
async fn tick() {}
fn main() {
    let r = Rc::new(1);
    `+call+`
}
`)
}

func TestRcGateAdversarial2(t *testing.T) {
	runAdv(t, []rcGateCase{
		slotCase("box pin arg", `fn run<F: Future + Send>(f: F) {}`, `run(Box::pin(async move { let _ = &r; tick().await; }));`),
		slotCase("closure maker", `fn run<F: Fn() -> Fut, Fut: Future + Send>(f: F) {}`, `run(move || async move { let _ = &r; tick().await; });`),
		slotCase("closure maker 2 params, 2nd slot", `fn run<F: Fn(u8, u8) -> Fut, Fut: Future + Send>(n: u8, f: F) {}`, `run(1, move |a, b| async move { let _ = &r; tick().await; });`),
		slotCase("closure typed params", `fn run<F: Fn(Vec<u8>, u8) -> Fut, Fut: Future + Send>(f: F, n: u8) {}`, `run(move |a: Vec<u8>, b: u8| async move { let _ = &r; tick().await; }, 1);`),
		slotCase("ufcs method", `struct Runner; impl Runner { fn run<F: Future + Send>(&self, f: F) {} }`, `Runner::run(&Runner, async move { let _ = &r; tick().await; });`),
		slotCase("method call", `struct Runner; impl Runner { fn run<F: Future + Send>(&self, f: F) {} }`, `Runner.run(async move { let _ = &r; tick().await; });`),
		slotCase("turbofish", `fn run<F: Future + Send>(f: F) {}`, `run::<_>(async move { let _ = &r; tick().await; });`),
		slotCase("bound block", `fn run<F: Future + Send>(f: F) {}`, `let fut = async move { let _ = &r; tick().await; }; run(fut);`),
		slotCase("parens", `fn run<F: Future + Send>(f: F) {}`, `run((async move { let _ = &r; tick().await; }));`),
		slotCase("where clause", `fn run<F>(n: u8, f: F) where F: Future<Output = ()> + Send + 'static {}`, `run(1, async move { let _ = &r; tick().await; });`),
		slotCase("impl header bound", `struct Runner<F>(F); impl<F: Future + Send> Runner<F> { fn new(f: F) -> Self { Runner(f) } }`, `Runner::new(async move { let _ = &r; tick().await; });`),
		slotCase("impl where bound", `struct Runner<F>(F); impl<F> Runner<F> where F: Future + Send { fn new(f: F) -> Self { Runner(f) } }`, `Runner::new(async move { let _ = &r; tick().await; });`),
		slotCase("trait method", `trait Exec { fn exec<F: Future + Send + 'static>(&self, f: F); } struct X; impl Exec for X { fn exec<F: Future + Send + 'static>(&self, f: F) {} }`, `X.exec(async move { let _ = &r; tick().await; });`),
		slotCase("trait ufcs", `trait Exec { fn exec<F: Future + Send + 'static>(&self, f: F); } struct X; impl Exec for X { fn exec<F: Future + Send + 'static>(&self, f: F) {} }`, `Exec::exec(&X, async move { let _ = &r; tick().await; });`),
		slotCase("impl Trait param", `fn run(n: u8, f: impl Future<Output = ()> + Send) {}`, `run(1, async move { let _ = &r; tick().await; });`),
		slotCase("send box param", `fn run(f: Pin<Box<dyn Future<Output = ()> + Send>>) {}`, `run(Box::pin(async move { let _ = &r; tick().await; }));`),
		slotCase("alias send box param", `type Fut = Pin<Box<dyn Future<Output = ()> + Send>>; fn run(f: Fut) {}`, `run(Box::pin(async move { let _ = &r; tick().await; }));`),
		slotCase("trait implies send", `trait SendFut: Future + Send {} fn run<F: SendFut>(f: F) {}`, `run(async move { let _ = &r; tick().await; });`),
		slotCase("typed let send box", ``, `let f: Pin<Box<dyn Future<Output = ()> + Send>> = Box::pin(async move { let _ = &r; tick().await; }); drop(f);`),
		slotCase("typed let send box joined >>=", ``, `let f: Pin<Box<dyn Future<Output = ()> + Send>>= Box::pin(async move { let _ = &r; tick().await; }); drop(f);`),
		slotCase("self path slot", `fn run<F: Future + Send>(f: F) {}`, `self::run(async move { let _ = &r; tick().await; });`),
		slotCase("crate path slot", `fn run<F: Future + Send>(f: F) {}`, `crate::run(async move { let _ = &r; tick().await; });`),
		slotCase("crate mod path slot", `fn run<F: Future + Send>(f: F) {}`, `crate::rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("super mod path slot", `fn run<F: Future + Send>(f: F) {}`, `super::rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("crate Type path slot", `fn run<F: Future + Send>(f: F) {}`, `crate::Rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("inline mod slot", `mod rt { pub fn run<F: std::future::Future + Send>(f: F) {} }`, `rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("nested mod path", `mod a { pub mod rt { pub fn run<F: std::future::Future + Send>(f: F) {} } }`, `a::rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("self type first seg", `fn run<F: Future + Send>(f: F) {}`, `self::Rt::run(async move { let _ = &r; tick().await; });`),
		slotCase("Fn returns box", `fn run<F: Fn() -> Pin<Box<dyn Future<Output = ()> + Send>>>(f: F) {}`, `run(move || Box::pin(async move { let _ = &r; tick().await; }));`),
		slotCase("closure block body", `fn run<F: FnOnce() -> Fut, Fut: Future + Send>(f: F) {}`, `run(move || { let y = 1; async move { let _ = &r; let _ = y; tick().await; } });`),
		slotCase("closure match body", `fn run<F: FnOnce() -> Fut, Fut: Future + Send>(f: F) {}`, `run(move || match 1 { _ => async move { let _ = &r; tick().await; } });`),
	})
}

func TestRcGateAdversarial3(t *testing.T) {
	runAdv(t, []rcGateCase{
		one("struct update base", `use std::rc::Rc;
struct Opts { name: Rc<str>, n: u8 }
fn consume(_: Opts) {}
async fn tick() {}
fn main() {
    let base = Opts { name: Rc::from("x"), n: 1 };
    tokio::spawn(async move { consume(Opts { n: 2, ..base }); tick().await; });
}
`),
		one("range end", `use std::rc::Rc;
async fn tick() {}
fn main() {
    let n = Rc::new(3);
    tokio::spawn(async move { let _ = ..n; tick().await; });
}
`),
		one("range in macro", `use std::rc::Rc;
async fn tick() {}
fn main() {
    let n = Rc::new(3);
    tokio::spawn(async move { println!("{:?}", ..n); tick().await; });
}
`),
		one("fn arrow in generics, async fn param", `use std::rc::Rc;
async fn run<F: Fn() -> u8>(f: F, x: Rc<u8>) { tick().await; let _ = &x; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(|| 1, Rc::new(1))).await.unwrap(); }
`),
		one("fn arrow in generics, block capture of param", `use std::rc::Rc;
async fn tick() {}
fn start<F: Fn() -> u8>(f: F, x: Rc<u8>) {
    tokio::spawn(async move { let _ = &x; tick().await; });
}
fn main() {}
`),
		one("fn arrow in generics, method self", `use std::rc::Rc;
struct Job { r: Rc<u8> }
impl Job {
    async fn run<F: FnOnce() -> u8>(&self, f: F) { tick().await; }
}
async fn tick() {}
fn main() {}
`),
		one("raw ident binding", `use std::rc::Rc;
async fn tick() {}
fn main() {
    let r#type = Rc::new(3);
    tokio::spawn(async move { let _ = &r#type; tick().await; });
}
`),
		one("shadowed in block", `use std::rc::Rc;
async fn tick() {}
fn main() {
    let x = Rc::new(3);
    let y = x;
    tokio::spawn(async move { let _ = &y; tick().await; });
}
`),
		one("let chain through method of impl for Rc", `use std::rc::Rc;
struct Job;
trait Mk { fn mk(&self) -> Self; }
impl Mk for Rc<Job> { fn mk(&self) -> Self { self.clone() } }
async fn tick() {}
fn main() {
    let j: Rc<Job> = Rc::new(Job);
    let k = j.mk();
    tokio::spawn(async move { let _ = &k; tick().await; });
}
`),
		one("self typed Rc param method", `use std::rc::Rc;
struct Job { n: u8 }
impl Job {
    fn start(self: Rc<Self>) {
        let me = self;
        tokio::spawn(async move { let _ = &me; tick().await; });
    }
}
async fn tick() {}
fn main() {}
`),
		one("async fn self Rc<Self> allasync", `use std::rc::Rc;
struct Job { n: u8 }
impl Job {
    async fn run(self: Rc<Self>) { tick().await; }
}
async fn tick() {}
fn main() {}
`),
		one("tuple struct call", `use std::rc::Rc;
struct Holder(Rc<u8>);
async fn tick() {}
fn main() {
    let h = Holder(Rc::new(1));
    tokio::spawn(async move { let _ = &h; tick().await; });
}
`),
		one("enum variant", `use std::rc::Rc;
enum Msg { Text(Rc<str>), None }
async fn tick() {}
fn main() {
    let m = Msg::None;
    tokio::spawn(async move { let _ = &m; tick().await; });
}
`),
		one("try on result fn", `use std::rc::Rc;
fn make() -> Result<Rc<u8>, ()> { todo!() }
async fn tick() {}
async fn go() -> Result<(), ()> {
    let x = make()?;
    tick().await;
    let _ = &x;
    Ok(())
}
#[tokio::main]
async fn main() { tokio::spawn(go()); }
`),
		one("trait default fn free call", `use std::rc::Rc;
trait T { fn make() -> Rc<u8> { todo!() } }
async fn tick() {}
fn main() {
    let x = make();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("turbofish call", `use std::rc::Rc;
fn make<T>() -> Rc<T> { todo!() }
async fn tick() {}
fn main() {
    let x = make::<u8>();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("Self::new in impl Trait for", `use std::rc::Rc;
struct Job { d: Rc<u8> }
trait New { fn new() -> Self; }
impl New for Job { fn new() -> Self { todo!() } }
impl Job {
    fn start() {
        let j = Self::new();
        tokio::spawn(async move { let _ = &j; tick().await; });
    }
}
async fn tick() {}
fn main() {}
`),
		one("field of self", `use std::rc::Rc;
struct Inner { d: Rc<u8> }
struct Job { inner: Inner }
impl Job {
    fn start(&self) {
        let d = self.inner.d.clone();
        tokio::spawn(async move { let _ = &d; tick().await; });
    }
}
async fn tick() {}
fn main() {}
`),
		one("weak downgrade of self arc", `use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
struct Job { c: RefCell<u8> }
impl Job {
    fn start(self: Arc<Self>) {
        let w = Arc::downgrade(&self);
        tokio::spawn(async move { let _ = &w; tick().await; });
    }
}
async fn tick() {}
fn main() { let _ = Rc::new(1); }
`),
		one("const in param type", `use std::rc::Rc;
async fn run(x: [Rc<u8>; 2]) { tick().await; let _ = &x; }
async fn tick() {}
#[tokio::main]
async fn main() { tokio::spawn(run(todo!())).await.unwrap(); }
`),
	})
}

func TestRcGateAdversarial4(t *testing.T) {
	pre := `use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
async fn tick() {}
`
	runAdv(t, []rcGateCase{
		one("send result tail block", pre+`fn make(r: Rc<u8>) -> impl Future<Output = ()> + Send { async move { let _ = &r; tick().await; } }
fn main() {}
`),
		one("send result boxed if/else", pre+`fn make(r: Rc<u8>, c: bool) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    if c { Box::pin(async move { let _ = &r; tick().await; }) } else { Box::pin(async {}) }
}
fn main() {}
`),
		one("send result return stmt", pre+`fn make(r: Rc<u8>, c: bool) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    if c { return Box::pin(async move { let _ = &r; tick().await; }); }
    Box::pin(async {})
}
fn main() {}
`),
		one("send result match arms", pre+`fn make(r: Rc<u8>, c: u8) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    match c { 0 => Box::pin(async move { let _ = &r; tick().await; }), _ => Box::pin(async {}) }
}
fn main() {}
`),
		one("send result after loop stmt", pre+`fn make(r: Rc<u8>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    for _ in 0..1 {}
    Box::pin(async move { let _ = &r; tick().await; })
}
fn main() {}
`),
		one("send result labeled block tail", pre+`fn make(r: Rc<u8>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    'a: { break 'a; }
    Box::pin(async move { let _ = &r; tick().await; })
}
fn main() {}
`),
		one("send result via bound var", pre+`fn make(r: Rc<u8>) -> Pin<Box<dyn Future<Output = ()> + Send>> {
    let f = async move { tick().await; let _ = &r; };
    Box::pin(f)
}
fn main() {}
`),
		one("send result generic arrow", pre+`fn make<F: Fn() -> u8>(f: F, r: Rc<u8>) -> impl Future<Output = ()> + Send { async move { let _ = &r; tick().await; } }
fn main() {}
`),
		one("send result where", pre+`fn make<T>(r: Rc<u8>, t: T) -> impl Future<Output = ()> + Send where T: Clone { async move { let _ = &r; tick().await; } }
fn main() {}
`),
		one("send result const block ret", pre+`struct A<const N: usize>;
fn make(r: Rc<u8>) -> Pin<Box<dyn Future<Output = A<{ 1 }>> + Send>> { Box::pin(async move { let _ = &r; tick().await; A }) }
fn main() {}
`),
		one("slot fn with const block sig", pre+`struct A<const N: usize>;
fn run<F: Future + Send>(f: F) -> A<{ 1 }> { A }
fn main() { let r = Rc::new(1); run(async move { let _ = &r; tick().await; }); }
`),
		one("boxed", pre+`use futures::FutureExt;
fn main() { let r = Rc::new(1); let _f = async move { let _ = &r; tick().await; }.boxed(); }
`),
		one("boxed in arg", pre+`use futures::FutureExt;
fn keep<T>(_: T) {}
fn main() { let r = Rc::new(1); keep(async move { let _ = &r; tick().await; }.boxed()); }
`),
		one("async_trait", pre+`use async_trait::async_trait;
struct Job { r: Rc<u8> }
#[async_trait]
trait Run { async fn run(&self); }
#[async_trait]
impl Run for Job { async fn run(&self) { tick().await; } }
fn main() {}
`),
		one("trait send result impl async fn", pre+`struct Job { r: Rc<u8> }
trait Run { fn run(&self) -> impl Future<Output = ()> + Send; }
impl Run for Job { async fn run(&self) { tick().await; } }
fn main() {}
`),
		one("trait send result impl async fn, path trait", pre+`struct Job { r: Rc<u8> }
mod t { pub trait Run { fn run(&self) -> impl std::future::Future<Output = ()> + Send; } }
trait Run { fn run(&self) -> impl Future<Output = ()> + Send; }
impl self::Run for Job { async fn run(&self) { tick().await; } }
fn main() {}
`),
		one("async fn handed by call", pre+`fn run<F: Future + Send>(f: F) {}
async fn job(r: Rc<u8>) { tick().await; let _ = &r; }
fn main() { run(job(Rc::new(1))); }
`),
		one("async fn handed by crate path call", pre+`fn run<F: Future + Send>(f: F) {}
async fn job(r: Rc<u8>) { tick().await; let _ = &r; }
fn main() { crate::rt::run(job(Rc::new(1))); }
`),
		one("async fn as maker path", pre+`fn run<F: Fn(Rc<u8>) -> Fut, Fut: Future + Send>(f: F) {}
async fn job(r: Rc<u8>) { tick().await; let _ = &r; }
fn main() { run(job); }
`),
	})
}

func TestRcGateAdversarial5(t *testing.T) {
	runAdv(t, []rcGateCase{
		one("boxed minimal", `use futures::FutureExt;
use std::rc::Rc;
async fn tick() {}
fn main() { let r = Rc::new(1); let _f = async move { let _ = &r; tick().await; }.boxed(); }
`),
		one("boxed with Send word", `use futures::FutureExt;
use std::rc::Rc;
// Send
async fn tick() {}
fn main() { let r = Rc::new(1); let _f = async move { let _ = &r; tick().await; }.boxed(); }
`),
		one("boxed futures glob", `use futures::prelude::*;
use std::rc::Rc;
async fn tick() {}
fn main() { let r = Rc::new(1); let _f = async move { let _ = &r; tick().await; }.boxed(); }
`),
	})
}

func two(name, main, other string) rcGateCase {
	return rcGateCase{name, [][2]string{{"src/main.rs", main}, {"src/other.rs", other}}}
}

func TestRcGateAdversarial6(t *testing.T) {
	m := `mod other;
use std::rc::Rc;
use other::State;
async fn run(s: State) { let _ = &s; tick().await; }
async fn tick() {}
#[tokio::main]
async fn main() { let _ = Rc::new(1); tokio::spawn(run(todo!())).await.unwrap(); }
`
	runAdv(t, []rcGateCase{
		two("crate: leading ::std", m, `pub struct State { pub n: ::std::rc::Rc<u8> }
`),
		two("crate: tokio owned guard", m, `pub struct State { pub g: tokio::sync::OwnedMutexGuard<std::rc::Rc<u8>> }
`),
		two("crate: const default", m, `pub struct State<const N: usize = { 1 }> { pub n: std::rc::Rc<u8> }
`),
		two("crate: alias result const", m, `pub struct A<const N: usize>;
pub type State = Result<A<{ 1 }>, std::rc::Rc<u8>>;
`),
		two("crate: enum", m, `pub enum State { A(std::rc::Rc<u8>), B }
`),
		two("crate: dyn local trait", m, `pub trait Hook { fn f(&self); }
pub struct State { pub h: Box<dyn Hook> }
`),
		two("crate: generic wrapper", m, `pub struct Wrap<T>(pub T);
pub type State = Wrap<std::cell::RefCell<u8>>;
`),
		two("crate: raw pointer", m, `pub struct State { pub p: *const u8 }
`),
		two("crate: rc::Weak", m, `use std::rc;
pub struct State { pub w: rc::Weak<u8> }
`),
		two("crate: NonNull", m, `pub struct State { pub p: std::ptr::NonNull<u8> }
`),
		two("crate: tuple field", m, `pub struct State(pub std::cell::Cell<u8>, pub u8);
`),
		two("crate: union", m, `pub union State { pub p: *mut u8, pub n: u64 }
`),
		two("crate: nested generic in std", m, `pub struct State { pub m: std::collections::HashMap<u8, Vec<std::rc::Rc<u8>>> }
`),
	})
}

func TestRcGateAdversarial7(t *testing.T) {
	pre := `use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
async fn tick() {}
`
	runAdv(t, []rcGateCase{
		one("fn where const block", pre+`struct A<const N: usize>;
trait Ok {}
impl Ok for A<1> {}
fn start(x: Rc<u8>) where A<{ 1 }>: Ok {
    tokio::spawn(async move { let _ = &x; tick().await; });
}
fn main() {}
`),
		one("impl where const block", pre+`struct A<const N: usize>;
trait Ok {}
impl Ok for A<1> {}
struct Job { r: Rc<u8> }
impl Job where A<{ 1 }>: Ok {
    async fn run(&self) { tick().await; }
}
fn main() {}
`),
		one("paren boxed with BoxFuture word", pre+`use futures::FutureExt;
use futures::future::BoxFuture;
fn main() { let r = Rc::new(1); let _f: Vec<BoxFuture<'static, ()>> = vec![(async move { let _ = &r; tick().await; }).boxed()]; }
`),
		one("typed let alias", pre+`type Fut = Pin<Box<dyn Future<Output = ()> + Send>>;
fn main() { let r = Rc::new(1); let _f: Fut = Box::pin(async move { let _ = &r; tick().await; }); }
`),
		one("trait default send result", pre+`trait Mk { fn make(&self, r: Rc<u8>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> { Box::pin(async move { let _ = &r; tick().await; }) } }
fn main() {}
`),
		one("turbofish type path slot", pre+`struct Runner<T>(T);
impl<T> Runner<T> { fn run<F: Future + Send>(f: F) {} }
fn main() { let r = Rc::new(1); Runner::<u8>::run(async move { let _ = &r; tick().await; }); }
`),
		one("Self path slot", pre+`struct Runner;
impl Runner {
    fn run<F: Future + Send>(f: F) {}
    fn go() { let r = Rc::new(1); Self::run(async move { let _ = &r; tick().await; }); }
}
fn main() {}
`),
		one("qualified path arg miscount", pre+`use std::collections::HashMap;
struct A; struct B;
impl A { fn run<F: Future + Send>(&self, m: HashMap<u8, u8>, f: F) {} }
impl B { fn run<F: Future + Send>(&self, f: F, a: u8, b: u8) {} }
fn main() { let r = Rc::new(1); let a = A; a.run(<HashMap<u8, u8> as Default>::default(), async move { let _ = &r; tick().await; }); }
`),
		one("nested block in spawned block", pre+`fn make() -> Rc<u8> { todo!() }
fn main() {
    tokio::spawn(async move {
        let inner = async { let x = make(); tick().await; let _ = &x; };
        inner.await;
    });
}
`),
		one("spawn in closure", pre+`fn make() -> Rc<u8> { todo!() }
fn main() {
    let x = make();
    let f = move || { tokio::spawn(async move { let _ = &x; tick().await; }); };
    f();
}
`),
		one("spawn in async closure", pre+`fn make() -> Rc<u8> { todo!() }
fn main() {
    let x = make();
    let f = async move || { tokio::spawn(async move { let _ = &x; tick().await; }); };
}
`),
		one("spawn inside match arm", pre+`fn make() -> Rc<u8> { todo!() }
fn main() {
    let x = make();
    match 1 { _ => { tokio::spawn(async move { let _ = &x; tick().await; }); } }
}
`),
		one("let in if-let scope", pre+`fn make() -> Option<Rc<u8>> { todo!() }
fn main() {
    if let Some(y) = make() {
        let x = y;
        tokio::spawn(async move { let _ = &x; tick().await; });
    }
}
`),
		one("let typed via Self alias in impl", pre+`struct Job { r: Rc<u8> }
impl Job {
    fn start(&self) {
        let j: &Self = self;
        let k: Option<Box<Self>> = None;
        tokio::spawn(async move { let _ = &k; tick().await; });
    }
}
fn main() {}
`),
		one("static spawn", pre+`use std::sync::LazyLock;
fn make() -> Rc<u8> { todo!() }
static S: LazyLock<()> = LazyLock::new(|| { let x = make(); tokio::spawn(async move { let _ = &x; tick().await; }); });
fn main() {}
`),
		one("impl const fn body", pre+`struct Job;
impl Job {
    const N: usize = 1;
    fn make() -> Rc<u8> { todo!() }
    fn go() { let x = Self::make(); tokio::spawn(async move { let _ = &x; tick().await; }); }
}
fn main() {}
`),
	})
}

func TestRcGateAdversarial8(t *testing.T) {
	pre := `use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
async fn tick() {}
fn make() -> Rc<u8> { todo!() }
`
	runAdv(t, []rcGateCase{
		one("let =( joined", pre+`fn main() {
    let x=(make());
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("let =& joined chain", pre+`fn main() {
    let y = make();
    let x=&y;
    tokio::spawn(async move { let _ = x; tick().await; });
}
`),
		one("let =& joined async fn local", pre+`async fn go() {
    let x=(make());
    tick().await;
    let _ = &x;
}
#[tokio::main]
async fn main() { tokio::spawn(go()); }
`),
		one("typed let =Box joined", pre+`fn main() { let r = Rc::new(1); let _f: Pin<Box<dyn Future<Output = ()> + Send>> =Box::pin(async move { let _ = &r; tick().await; }); }
`),
		one("let spaced", pre+`fn main() {
    let x = (make());
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
	})
}

func TestRcGateAdversarial9(t *testing.T) {
	runAdv(t, []rcGateCase{
		one("typed send let =( joined", `use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
async fn tick() {}
fn main() { let r = Rc::new(1); let _f: Pin<Box<dyn Future<Output = ()> + Send>> =(Box::pin(async move { let _ = &r; tick().await; })); }
`),
		one("min ::std", `async fn tick() {}
fn main() {
    let x: ::std::rc::Rc<u8> = todo!();
    tokio::spawn(async move { let _ = &x; tick().await; });
}
`),
		one("min owned guard", `use std::rc::Rc;
async fn tick() {}
fn main() {
    let g: tokio::sync::OwnedMutexGuard<Rc<u8>> = todo!();
    tokio::spawn(async move { let _ = &g; tick().await; });
}
`),
		one("min owned guard imported", `use std::rc::Rc;
use tokio::sync::OwnedRwLockWriteGuard;
async fn tick() {}
fn main() {
    let g: OwnedRwLockWriteGuard<Rc<u8>> = todo!();
    tokio::spawn(async move { let _ = &g; tick().await; });
}
`),
	})
}
