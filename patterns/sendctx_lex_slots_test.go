package patterns

import (
	"slices"
	"strings"
	"testing"
)

// slotsPrelude declares the Send slots the cases hand futures to: a
// bound in the generics, in a where clause, through a trait and an alias
// of the file (and an alias of that alias), on a maker's futures, on an
// impl's type parameter, a method's, and results that are Send.
const slotsPrelude = `use std::future::Future;
use std::pin::Pin;
use futures::future::{BoxFuture, FutureExt};

trait SendFut: Future<Output = ()> + Send {}
trait MoreFut: SendFut {}
type Job = Pin<Box<dyn Future<Output = ()> + Send>>;
type Job2 = Job;

fn run<F: Future<Output = ()> + Send + 'static>(f: F) {}
fn run_where<F>(f: F) where F: Future<Output = ()> + Send {}
fn run_trait(f: impl MoreFut) {}
fn run_job(j: Job2) {}
fn register<F, Fut>(f: F) where F: Fn() -> Fut, Fut: Future<Output = ()> + Send {}
struct Runner<F>(F);
impl<F: Future<Output = ()> + Send> Runner<F> {
    fn new(f: F) -> Self { Runner(f) }
}
struct Pool;
impl Pool {
    fn submit(&self, j: BoxFuture<'static, ()>) {}
}
fn make() -> impl Future<Output = ()> + Send { async { in_make(); } }
fn make_box() -> Job { Box::pin(handed_by_result()) }
async fn handed_by_result() {}
`

// bodyNames names each async body of a reading: an async fn by its name,
// an async block by the first identifier in its braces.
func bodyNames(fs *fileSyntax) map[string]bool {
	marked := map[string]bool{}
	for _, b := range fs.bodies {
		name := fs.ident(b.open + 1)
		if b.fn >= 0 {
			name = fs.fns[b.fn].name
		}
		marked[name] = marked[name] || b.handOff
	}
	return marked
}

// TestHandOffSlots: the token reading marks each hand-off shape of the
// tree's model, and no shape the model hands nowhere; and on each case
// the reading holds every body the model takes for Send-required.
func TestHandOffSlots(t *testing.T) {
	for _, c := range []struct {
		name      string
		src       string
		yes, no   []string
		noPrelude bool
	}{
		{name: "generic bound", src: `fn f() { run(async { yes_a(); }); }`, yes: []string{"yes_a", "in_make"}},
		{name: "turbofish", src: `fn f() { run::<_>(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "where clause", src: `fn f() { run_where(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "trait of the file", src: `fn f() { run_trait(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "alias of an alias", src: `fn f() { run_job(Box::pin(async { yes_a(); })); }`, yes: []string{"yes_a"}},
		{name: "maker", src: `async fn op_a() {}
fn f() { register(op_a); register(|| async { yes_a(); }); }`, yes: []string{"op_a", "yes_a"}},
		{name: "maker by path", src: `mod m { pub async fn op_b() {} }
fn f() { register(m::op_b); }`, yes: []string{"op_b"}},
		{name: "impl's bound", src: `fn f() { let r = Runner::new(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "method", src: `fn f(p: &Pool) { p.submit(Box::pin(async { yes_a(); })); }`, yes: []string{"yes_a"}},
		{name: "boxed", src: `fn f() { let b = async move { yes_a(); }.boxed(); }`, yes: []string{"yes_a"}},
		{name: "boxed, turbofish", src: `async fn op_t<T, U>() {}
fn f() { let b = op_t::<(), u8>().boxed(); }`, yes: []string{"op_t"}},
		{name: "typed let", src: `fn f() { let j: BoxFuture<'static, ()> = Box::pin(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "typed let, alias", src: `fn f() { let j: Job = Box::pin(async { yes_a(); }); }`, yes: []string{"yes_a"}},
		{name: "result", src: ``, yes: []string{"in_make", "handed_by_result"}},
		{name: "bound block", src: `fn f() { let fut = async { yes_a(); }; run(fut); }`, yes: []string{"yes_a"}},
		{name: "call handed", src: `async fn job() {}
fn f() { run(job()); }`, yes: []string{"job"}},
		{name: "nested block", src: `fn f() { run(async { yes_a(); let inner = async { yes_b(); }; inner.await; }); }`, yes: []string{"yes_a", "yes_b"}},
		{name: "async_trait", noPrelude: true, src: `use async_trait::async_trait;
trait Svc { async fn call(&self); }
#[async_trait]
impl Svc for X { async fn call(&self) {} }
#[async_trait(?Send)]
impl Local for X { async fn local_call(&self) {} }`, yes: []string{"call"}, no: []string{"local_call"}},
		{name: "trait's Send result", noPrelude: true, src: `use std::future::Future;
trait Svc { fn call(&self) -> impl Future<Output = ()> + Send; fn other(&self, x: impl Send) -> impl Future<Output = ()>; }
impl Svc for X { async fn call(&self) {} async fn other(&self, x: u8) {} }`, yes: []string{"call"}, no: []string{"other"}},

		{name: "slot by position", src: `fn run2<F: Future<Output = ()> + Send>(name: &str, f: F) {}
fn run_first<F: Future<Output = ()>>(f: F, n: impl Send) {}
fn name<A, B>() -> &'static str { "" }
fn apply<C, F: Future<Output = ()> + Send>(c: C, f: F) {}
fn f() {
    run2("x", async { yes_a(); });
    run_first(async { no_a(); }, 1);
    run2(name::<u8, u16>(), async { yes_b(); });
    apply(|a, b| a + b, async { yes_c(); });
    apply(async { no_b(); }, async { yes_d(); });
}`, yes: []string{"yes_a", "yes_b", "yes_c", "yes_d"}, no: []string{"no_a", "no_b"}},
		{name: "method by its path", src: `fn f(p: &Pool) { Pool::submit(p, Box::pin(async { yes_a(); })); }`, yes: []string{"yes_a"}},
		{name: "Send only on the result's parameter", src: `fn run_r<F: Future<Output = R>, R: Send>(f: F) -> R { todo!() }
fn with_task<F, R: Send>(action: F) -> impl Future<Output = R> where F: FnOnce() -> R + Send { async move { no_b(); } }
fn f() { run_r(async { no_a(); }); }`, no: []string{"no_a", "no_b"}},
		{name: "a path to an associated type is no alias", noPrelude: true, src: `use std::future::Future;
use std::pin::Pin;
struct Svc;
impl Service for Svc {
    type Future = Pin<Box<dyn Future<Output = ()> + Send>>;
    fn call(&mut self) -> Self::Future { Box::pin(async { no_a(); }) }
}`, no: []string{"no_a"}},
		{name: "boxed, no Send word in the file", noPrelude: true, src: `use futures::FutureExt;
fn check() -> Result<u8, ()> { Ok(async move { yes_a(); }
    .boxed()) }`, yes: []string{"yes_a"}},
		{name: "boxed: FutureExt by glob", noPrelude: true, src: `use futures::prelude::*;
fn f() { let b = async move { yes_a(); }.boxed(); }`, yes: []string{"yes_a"}},
		{name: "boxed: another crate's re-export of FutureExt", noPrelude: true, src: `use other::futures::FutureExt;
fn g() { let b = async move { no_a(); }.boxed(); }`, no: []string{"no_a"}},
		{name: "async_trait on an impl for a tuple", noPrelude: true, src: `use async_trait::async_trait;
#[async_trait]
impl Provider for () { async fn provide(&self) {} }`, yes: []string{"provide"}},
		{name: "tuple", src: `fn f() { run((async { no_a(); }, 1)); }`, no: []string{"no_a"}},
		{name: "Send result: what it returns, not what it holds", src: `async fn helper2() {}
fn job2() -> BoxFuture<'static, ()> { let side = async { no_a(); }; let _f = helper2; if c() { Box::pin(async { yes_a(); }) } else { Box::pin(async { yes_b(); }) } }`, yes: []string{"yes_a", "yes_b"}, no: []string{"no_a", "helper2"}},
		{name: "closure's returned block", src: `fn f() { register(|| { let pre = async { no_a(); }; async move { yes_a(); } }); }`, yes: []string{"yes_a"}, no: []string{"no_a"}},
		{name: "ops list", src: `async fn op_a() {}
async fn op_b() {}
fn f() { let ops = [op_a, op_b]; ext!(ops = [op_a, op_b]); table(op_a); }`, no: []string{"op_a", "op_b"}},
		{name: "awaited in a hand-off", src: `async fn helper() {}
fn f() { run(async { yes_a(); helper().await; }); }`, yes: []string{"yes_a"}, no: []string{"helper"}},
		{name: "other module's fn", src: `fn f() { other::run(async { no_a(); }); Other::new(async { no_b(); }); Pool::run(async { no_c(); }); }`, no: []string{"no_a", "no_b", "no_c"}},
		{name: "untyped let, Box::pin", src: `fn f() { let j = Box::pin(async { no_a(); }); let k = async { no_b(); }; }`, no: []string{"no_a", "no_b"}},
		{name: "Send in parameters only", src: `fn takes<T: Send>(t: T) { let x = async { no_a(); }; }`, no: []string{"no_a"}},
		{name: "Send only in an impl and a struct", noPrelude: true, src: `use std::future::Future;
struct W<T: Send>(T);
unsafe impl Send for X {}
async fn job() {}
fn f() { go(async { no_a(); }); let b = Box::pin(async { no_b(); }); use_it(job); W(async { no_c(); }); }`, no: []string{"no_a", "no_b", "no_c", "job"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := c.src
			if !c.noPrelude {
				src = slotsPrelude + src
			}
			fs := readFile([]byte(src))
			marked := bodyNames(fs)
			fs.release()
			for _, n := range c.yes {
				if v, ok := marked[n]; !ok || !v {
					t.Errorf("%s: not marked handed off (bodies: %v)", n, marked)
				}
			}
			for _, n := range c.no {
				if v, ok := marked[n]; !ok || v {
					t.Errorf("%s: marked handed off, or no body (bodies: %v)", n, marked)
				}
			}
			root := parseRust(t, src)
			checkReading(t, c.name, "case.rs", []byte(src), root, NewIndex(Summarize("case.rs", []byte(src))))
		})
	}
}

// TestMergeRanges: overlapping and nested ranges merge; within finds a
// token in any.
func TestMergeRanges(t *testing.T) {
	ss := &sendSlots{regions: mergeRanges([][2]int32{{10, 20}, {2, 4}, {12, 15}, {20, 25}, {30, 31}})}
	if want := [][2]int32{{2, 4}, {10, 25}, {30, 31}}; !slices.Equal(ss.regions, want) {
		t.Fatalf("merged %v, want %v", ss.regions, want)
	}
	var in []string
	for k := int32(0); k < 33; k++ {
		if ss.within(k) {
			in = append(in, itoa(int(k)))
		}
	}
	if got, want := strings.Join(in, ","), "2,3,4,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,30,31"; got != want {
		t.Fatalf("within: %s, want %s", got, want)
	}
}

// TestRegionCalls: the calls a file's slot regions may hand over are read
// as the model hands them: a call's callee (a box's argument's), a name,
// a closure's and a Send-result fn's returned values through blocks,
// `if` branches and `match` arms (whose `.boxed()` receivers are handed
// too), nothing for a tuple, a reference, a
// cast, a loop or an async block; every name where the reading cannot
// tell. Each case also holds the parse's hand-offs to them.
func TestRegionCalls(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string
	}{
		{"callee, not its arguments", `fn f(w: W) { run(go_on(prep(w))); }`, []string{"go_on()"}},
		{"box", `fn f() { run(Box::pin(a::job(x()))); }`, []string{"a::job()"}},
		{"method chain", `fn f(s: S) { run(s.inner.call(x()).map_ok(y)); }`, []string{".map_ok()"}},
		{"qualified path", `fn f() { run(<T as Tr>::go()); }`, []string{"<>::go()"}},
		{"tuple, reference, cast", `fn f() { run((Box::pin(a()), None)); run(&b()); run(c() as Job); }`, nil},
		{"maker", `fn f() { register(job); register(m::job2); }`, []string{"job()", "m::job2()"}},
		{"closure's returns", `fn f() { register(|| { setup(); loop { match g() { Ok(v) => return h(v), Err(_) => continue } } }); }`, []string{"h()"}},
		{"closure's tail", `fn f() { register(move || if c() { Box::pin(a()) } else { Box::pin(b()) }); }`, []string{"a()", "b()"}},
		{"result's tail", `fn job() -> BoxFuture<'static, ()> { let x = prep(); for i in 0..3 {} match x { A => a().boxed(), _ => { b().boxed() } } }`, []string{".boxed()", "a()", "b()"}},
		{"async block", `fn f() { run(async move { inner().await }); }`, nil},
		{"boxed receiver", `fn f() { let x = 1 + work().boxed(); }`, []string{"work()"}},
		{"typed let", `fn f() { let j: Job = make_job(prep()); }`, []string{"make_job()"}},
		{"an operator: every name", `fn f() { run(a() + b()); }`, []string{"a()", "b()"}},
	} {
		src := []byte(slotsPrelude + c.src)
		fs := readFile(src)
		var got []string
		for _, rc := range fs.handCalls {
			got = append(got, callText(rc.shape))
		}
		calls := fs.handCalls
		fs.release()
		// the prelude's own hand-offs
		got = slices.DeleteFunc(got, func(s string) bool { return s == "in_make()" || s == "handed_by_result()" })
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: region calls %q, want %q", c.name, got, want)
		}
		for _, p := range handoffCalls(src) {
			m := p.matched()
			if !slices.ContainsFunc(calls, func(r lexCall) bool {
				return slices.Equal(r.shape.segs, m.shape.segs) && r.shape.kind == m.shape.kind && r.mods == m.mods && r.owner == m.owner && r.trait == m.trait
			}) {
				t.Errorf("%s: the parse hands over %s, which no region call is", c.name, callText(p.shape))
			}
		}
	}
}
