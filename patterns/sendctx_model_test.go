package patterns

import (
	"strings"
	"testing"
)

// sendCase is a program with one body marked `// mark x`, whether that
// body must be Send, and a word its reason must hold when it must.
type sendCase struct {
	name, src string
	want      bool
	why       string
}

// checkSendCases runs each case with the index its own summary gives, as
// a single-file run does.
func checkSendCases(t *testing.T, cases []sendCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			idx := NewIndex(summaries(t, tt.src)...)
			root := parseRust(t, tt.src)
			var found *asyncBody
			for _, b := range findBodies("fa.rs", []byte(tt.src), root, idx, false) {
				for _, c := range namedChildren(b.block) {
					if c.Type() == "line_comment" && text([]byte(tt.src), c) == "// mark x" {
						found = b
					}
				}
			}
			if found == nil {
				t.Fatalf("no async body with the mark in:\n%s", tt.src)
			}
			if found.send != tt.want {
				t.Fatalf("send = %v (%s), want %v in:\n%s", found.send, found.why, tt.want, tt.src)
			}
			if tt.want && !strings.Contains(found.why, tt.why) {
				t.Errorf("why = %q, want it to hold %q", found.why, tt.why)
			}
		})
	}
}

func TestSendContextSpawners(t *testing.T) {
	checkSendCases(t, []sendCase{
		{"renamed import", `use tokio::task::spawn as go;
fn f() { go(async { // mark x
}); }`, true, "spawned at line 2"},
		{"module import", `use tokio::task;
fn f() { task::spawn(async { // mark x
}); }`, true, "spawned"},
		{"self in a use list", `use tokio::task::{self, JoinHandle};
fn f() -> JoinHandle<()> { task::spawn(async { // mark x
}) }`, true, "spawned"},
		{"leading colons", `fn f() { ::tokio::spawn(async { // mark x
}); }`, true, "spawned"},
		{"comments in the path", `fn f() { tokio :: /* c */ spawn(async { // mark x
}); }`, true, "spawned"},
		{"glob import of tokio", `use tokio::*;
fn f() { spawn(async { // mark x
}); }`, true, "spawned"},
		{"Handle::current by its path", `fn f() { tokio::runtime::Handle::current().spawn(async { // mark x
}); }`, true, "spawned"},
		{"a let-bound handle", `use tokio::runtime::Handle;
fn f() { let h = Handle::try_current().unwrap(); h.spawn(async { // mark x
}); }`, true, "spawned"},
		{"a handle parameter", `use tokio::runtime::Handle;
fn f(h: &Handle) { h.clone().spawn(async { // mark x
}); }`, true, "spawned"},
		{"a runtime built", `fn f() { let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap(); rt.spawn(async { // mark x
}); }`, true, "spawned"},
		{"a runtime's handle", `use tokio::runtime::Runtime;
fn f() { let rt = Runtime::new().unwrap(); rt.handle().spawn(async { // mark x
}); }`, true, "spawned"},
		{"a runtime in an Arc", `use std::sync::Arc;
use tokio::runtime::Runtime;
fn f(rt: Arc<Runtime>) { rt.spawn(async { // mark x
}); }`, true, "spawned"},
		{"a static runtime", `use once_cell::sync::Lazy;
static RT: Lazy<tokio::runtime::Runtime> = Lazy::new(|| tokio::runtime::Runtime::new().unwrap());
fn f() { RT.spawn(async { // mark x
}); }`, true, "spawned"},
		{"a JoinSet", `use tokio::task::JoinSet;
async fn f() { let mut set = JoinSet::new(); set.spawn(async { // mark x
}); set.join_next().await; }`, true, "spawned"},
		{"a JoinSet typed in a let", `async fn f() { let mut set: tokio::task::JoinSet<u8> = Default::default(); set.spawn(async { // mark x
1 }); }`, true, "spawned"},
		{"a JoinSet field", `use tokio::task::JoinSet;
struct S { tasks: JoinSet<()> }
impl S { fn go(&mut self) { self.tasks.spawn(async { // mark x
}); } }`, true, "spawned"},
		{"JoinSet::spawn_on", `use tokio::{runtime::Handle, task::JoinSet};
fn f(set: &mut JoinSet<()>) { set.spawn_on(async { // mark x
}, &Handle::current()); }`, true, "spawned"},
		{"a TaskTracker", `use tokio_util::task::TaskTracker;
fn f() { let tracker = TaskTracker::new(); tracker.spawn(async { // mark x
}); }`, true, "spawned"},
		{"a task Builder", `use tokio::task;
fn f() { task::Builder::new().name("w").spawn(async { // mark x
}).unwrap(); }`, true, "spawned"},
		{"a receiver returned by a method of the file", `use tokio::runtime::Handle;
struct S { h: Handle }
impl S { fn handle(&self) -> &Handle { &self.h } fn go(&self) { self.handle().spawn(async { // mark x
}); } }`, true, "spawned"},

		{"an unknown receiver", `fn f(pool: &Pool) { pool.spawn(async { // mark x
}); }`, false, ""},
		{"a local executor", `fn f() { let ex = async_executor::LocalExecutor::new(); ex.spawn(async { // mark x
}); }`, false, ""},
		{"a Handle that is not tokio's", `use other::Handle;
fn f(h: Handle) { h.spawn(async { // mark x
}); }`, false, ""},
		{"a thread Builder", `use std::thread::Builder;
fn f() { Builder::new().spawn(async { // mark x
}); }`, false, ""},
		{"a shadowed binding", `use tokio::task::JoinSet;
fn f() { let set = JoinSet::new(); { let set = Other::new(); set.spawn(async { // mark x
}); } }`, false, ""},
		{"spawn_local on a JoinSet", `use tokio::task::JoinSet;
fn f(set: &mut JoinSet<()>) { set.spawn_local(async { // mark x
}); }`, false, ""},
		{"LocalSet::spawn_local", `fn f(local: &tokio::task::LocalSet) { local.spawn_local(async { // mark x
}); }`, false, ""},
		{"block_on of a Handle", `fn f() { tokio::runtime::Handle::current().block_on(async { // mark x
}); }`, false, ""},
		{"block_on in spawn_blocking", `fn f() { tokio::task::spawn_blocking(|| { tokio::runtime::Handle::current().block_on(async { // mark x
}) }); }`, false, ""},
		{"a thread's closure", `fn f() { std::thread::spawn(move || { let fut = async { // mark x
}; }); }`, false, ""},
	})
}

func TestSendContextBounds(t *testing.T) {
	checkSendCases(t, []sendCase{
		{"generic with Send", `use std::future::Future;
fn run<F: Future + Send>(f: F) {}
fn g() { run(async { // mark x
}); }`, true, "passed to `run` at line 3, which requires a Send future"},
		{"where clause with Sync and a lifetime", `fn run<F>(f: F) where F: std::future::Future<Output = ()> + Send + Sync + 'static {}
fn g() { run(async { // mark x
}); }`, true, "passed to `run`"},
		{"impl Future + Send parameter", `fn run(n: u8, f: impl std::future::Future<Output = ()> + Send) {}
fn g() { run(1, async { // mark x
}); }`, true, "passed to `run`"},
		{"a trait of the file with Send as a supertrait", `use std::future::Future;
trait SendFuture: Future + Send {}
impl<T: Future + Send> SendFuture for T {}
trait Task: SendFuture {}
fn run<F: Task>(f: F) {}
fn g() { run(async { // mark x
}); }`, true, "passed to `run`"},
		{"an impl's type parameter", `use std::future::Future;
struct Worker<F>(F);
impl<F: Future + Send> Worker<F> { fn new(f: F) -> Self { Worker(f) } }
fn g() { Worker::new(async { // mark x
}); }`, true, "passed to `new`"},
		{"a method of the file", `use std::future::Future;
struct Pool;
impl Pool { fn run<F: Future + Send + 'static>(&self, f: F) {} }
fn g(pool: Pool) { pool.run(async { // mark x
}); }`, true, "passed to `run`"},
		{"a method called by its path", `use std::future::Future;
struct Pool;
impl Pool { fn run<F: Future + Send + 'static>(&self, f: F) {} }
fn g(pool: Pool) { Pool::run(&pool, async { // mark x
}); }`, true, "passed to `run`"},
		{"Box::pin into a Send box parameter", `use std::{future::Future, pin::Pin};
fn run(f: Pin<Box<dyn Future<Output = ()> + Send>>) {}
fn g() { run(Box::pin(async { // mark x
})); }`, true, "passed to `run`"},
		{"a closure returning the block", `use std::future::Future;
fn serve<H, Fut>(h: H) where H: Fn(u32) -> Fut, Fut: Future<Output = ()> + Send {}
fn g() { serve(|n| async move { // mark x
}); }`, true, "returned by a closure passed to `serve`"},
		{"a closure's block tail", `use std::future::Future;
fn serve<H: FnMut() -> Fut, Fut: Future + Send>(h: H) {}
fn g() { serve(move || { let a = 1; async move { // mark x
} }); }`, true, "returned by a closure passed to `serve`"},
		{"impl Fn returning a Send type parameter", `use std::future::Future;
fn serve<Fut: Future + Send>(h: impl Fn() -> Fut) {}
fn g() { serve(|| async { // mark x
}); }`, true, "requires Send futures"},
		{"nested in a block handed over", `fn run<F: std::future::Future + Send>(f: F) {}
fn g() { run(async { let a = async { // mark x
}; a.await; }); }`, true, "passed to `run`"},
		{"through a let", `fn run<F: std::future::Future + Send>(f: F) {}
fn g() { let fut = async { // mark x
}; run(fut); }`, true, "the async block `fut` is passed to `run`"},

		{"a method of an impl in a module", `mod m { use std::future::Future;
fn run<F: Future + Send>(f: F) {}
struct S;
impl S { async fn job(&self) { // mark x
} fn go(&self) { run(self.job()); } } }`, true, "passed to `run`"},
		{"a path through a module", `use std::future::Future;
fn run<F: Future + Send>(f: F) {}
mod jobs { pub async fn job() { // mark x
} }
fn main() { run(crate::jobs::job()); }`, true, "passed to `run`"},
		{"a bound without Send", `use std::future::Future;
fn run<F: Future>(f: F) {}
fn g() { run(async { // mark x
}); }`, false, ""},
		{"Send on another type parameter", `use std::future::Future;
fn run<F: Future, G: Send>(f: F, g: G) {}
fn g() { run(async { // mark x
}, 1); }`, false, ""},
		{"Send on the output only", `use std::future::Future;
fn run<F>(f: F) where F: Future, F::Output: Send {}
fn g() { run(async { // mark x
}); }`, false, ""},
		{"Send on the closure, not its futures", `use std::future::Future;
fn serve<H, Fut>(h: H) where H: Fn() -> Fut + Send, Fut: Future {}
fn g() { serve(|| async { // mark x
}); }`, false, ""},
		{"a method of another type", `use std::future::Future;
struct Pool;
impl Pool { fn run<F: Future + Send + 'static>(&self, f: F) {} }
struct Local;
impl Local { fn run<F: Future>(&self, f: F) {} }
fn g(l: Local) { l.run(async { // mark x
}); }`, false, ""},
		{"a combinator name on an unknown receiver", `use std::future::Future;
struct P;
impl P { fn then<F: Future + Send>(&self, f: F) {} }
fn g(x: Option<u8>) { x.then(async { // mark x
}); }`, false, ""},
		{"fns of the file disagree", `use std::future::Future;
mod a { pub fn run<F: std::future::Future + Send>(f: F) {} }
fn run<F: Future>(f: F) {}
fn g() { run(async { // mark x
}); }`, false, ""},
	})
}

func TestSendContextReturnsAndBoxes(t *testing.T) {
	checkSendCases(t, []sendCase{
		{"impl Future + Send", `use std::future::Future;
fn make() -> impl Future<Output = ()> + Send { async move { // mark x
} }`, true, "returned by `make` at line 2, declared to return a Send future"},
		{"through if and return", `use std::future::Future;
fn make(a: bool) -> impl Future<Output = ()> + Send + 'static {
    if a { return async move { // mark x
    }; }
    async move {}
}`, true, "returned by `make`"},
		{"Pin<Box<dyn Future + Send>>", `use std::{future::Future, pin::Pin};
fn make() -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> { Box::pin(async move { // mark x
}) }`, true, "returned by `make`"},
		{"an alias of the file", `use std::{future::Future, pin::Pin};
type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
fn make<'a>() -> BoxFut<'a, u8> { Box::pin(async move { // mark x
1 }) }`, true, "returned by `make`"},
		{"futures' BoxFuture", `use futures::future::BoxFuture;
fn make() -> BoxFuture<'static, ()> { Box::pin(async move { // mark x
}) }`, true, "returned by `make`"},
		{"a let typed as BoxFuture", `use futures::future::BoxFuture;
fn make() { let f: BoxFuture<'static, ()> = Box::pin(async move { // mark x
}); }`, true, "boxed at line 2 as a Send future"},
		{".boxed()", `use futures::FutureExt;
fn make() { let f = async move { // mark x
}.boxed(); }`, true, "boxed by `.boxed()`"},
		{"an #[async_trait] impl", `use async_trait::async_trait;
#[async_trait]
impl Store for Db { async fn put(&self) { // mark x
} }`, true, "`#[async_trait]` (line 2)"},
		{"an #[async_trait] trait's default method", `#[async_trait::async_trait]
trait Store { async fn put(&self) { // mark x
} }`, true, "#[async_trait]"},
		{"a trait of the file declaring a Send future", `use std::future::Future;
trait Store { fn put(&self) -> impl Future<Output = ()> + Send; }
struct Db;
impl Store for Db { async fn put(&self) { // mark x
} }`, true, "trait `Store` declares `put` to return a Send future (line 2)"},
		{"a handler registered through a fn of the file", `use std::future::Future;
fn get<H, Fut>(h: H) -> u8 where H: Fn() -> Fut, Fut: Future<Output = ()> + Send { 0 }
fn route(path: &str, r: u8) {}
async fn handler() { // mark x
}
fn main() { route("/", get(handler)); }`, true, "async fn `handler` must be Send: it is passed to `get`, which requires Send futures"},
		{"an async fn's future handed over", `fn run<F: std::future::Future + Send>(f: F) {}
async fn job(n: u8) { // mark x
}
fn main() { run(job(1)); }`, true, "its future is passed to `run`"},

		{"impl Future without Send", `use std::future::Future;
fn make() -> impl Future<Output = ()> { async move { // mark x
} }`, false, ""},
		{"a box without Send", `use std::{future::Future, pin::Pin};
fn make() -> Pin<Box<dyn Future<Output = ()>>> { Box::pin(async move { // mark x
}) }`, false, ""},
		{"LocalBoxFuture", `use futures::future::LocalBoxFuture;
fn make() -> LocalBoxFuture<'static, ()> { Box::pin(async move { // mark x
}) }`, false, ""},
		{"a BoxFuture of unknown origin", `use crate::util::BoxFuture;
fn make() -> BoxFuture<'static, ()> { Box::pin(async move { // mark x
}) }`, false, ""},
		{"an alias without Send", `use std::{future::Future, pin::Pin};
type BoxFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;
fn make() -> BoxFuture<'static> { Box::pin(async move { // mark x
}) }`, false, ""},
		{".boxed_local()", `use futures::FutureExt;
fn make() { let f = async move { // mark x
}.boxed_local(); }`, false, ""},
		{".boxed() without FutureExt", `fn make() { let f = async move { // mark x
}.boxed(); }`, false, ""},
		{"#[async_trait(?Send)]", `use async_trait::async_trait;
#[async_trait(?Send)]
impl Store for Db { async fn put(&self) { // mark x
} }`, false, ""},
		{"a trait declaring a future without Send", `use std::future::Future;
trait Store { fn put(&self) -> impl Future<Output = ()>; }
struct Db;
impl Store for Db { async fn put(&self) { // mark x
} }`, false, ""},
		{"a handler passed where the bound is not Send", `use std::future::Future;
fn get<H, Fut>(h: H) -> u8 where H: Fn() -> Fut, Fut: Future<Output = ()> { 0 }
async fn handler() { // mark x
}
fn main() { get(handler); }`, false, ""},
		{"a closure parameter is not a fn", `use std::future::Future;
fn get<H, Fut>(h: H) where H: Fn() -> Fut, Fut: Future<Output = ()> + Send {}
async fn h() { // mark x
}
fn wrap<H, Fut>(h: H) where H: Fn() -> Fut, Fut: Future<Output = ()> + Send { get(h) }`, false, ""},
	})
}

// TestSummaryOfAFileWithoutAsync: a file that only registers a handler of
// another file, through a fn with a Send bound, contributes to the Index,
// and MayNeedSummary lets it through.
func TestSummaryOfAFileWithoutAsync(t *testing.T) {
	reg := `use std::future::Future;
fn get<H, Fut>(h: H) where H: Fn() -> Fut, Fut: Future<Output = ()> + Send {}
fn main() { get(crate::fb::index); }`
	handlers := `pub async fn index() {}`
	if !MayNeedSummary([]byte(reg)) {
		t.Fatal("MayNeedSummary is false for a file handing a fn to a Send bound")
	}
	idx := NewIndex(summaries(t, reg, handlers)...)
	if !idx.SendRequired("index") || !strings.Contains(idx.Why("index"), "passed to `get`") {
		t.Errorf("index: SendRequired %v, why %q", idx.SendRequired("index"), idx.Why("index"))
	}
}

func TestSendContextReceiverTypes(t *testing.T) {
	checkSendCases(t, []sendCase{
		{"a unit struct's method", `use std::future::Future;
struct Pool;
impl Pool { fn go<F: Future + Send>(&self, f: F) {} }
struct Local;
impl Local { fn go<F: Future>(&self, f: F) {} }
fn g() { let p = Pool; p.go(async { // mark x
}); }`, true, "passed to `go`"},
		{"a struct literal's method", `use std::future::Future;
struct Pool { n: u8 }
impl Pool { fn go<F: Future + Send>(&self, f: F) {} }
struct Local;
impl Local { fn go<F: Future>(&self, f: F) {} }
fn g() { let p = Pool { n: 1 }; p.go(async { // mark x
}); }`, true, "passed to `go`"},
		{"the other type's method", `use std::future::Future;
struct Pool;
impl Pool { fn go<F: Future + Send>(&self, f: F) {} }
struct Local;
impl Local { fn go<F: Future>(&self, f: F) {} }
fn g() { let l = Local; l.go(async { // mark x
}); }`, false, ""},
	})
}

// TestSummaryWithoutFuture: a file that MayNeedSummary drops contributes
// nothing: a bare `T: Send` bound hands no async fn to the Index.
func TestSummaryWithoutFuture(t *testing.T) {
	src := `fn run<T: Send>(t: T) {}
fn main() { run(job(1)); }`
	if MayNeedSummary([]byte(src)) {
		t.Fatal("MayNeedSummary is true: the test checks nothing")
	}
	s := summaries(t, src)[0]
	if len(s.calls) != 0 || len(s.fns) != 0 {
		t.Errorf("summary of a file MayNeedSummary drops: %+v", s)
	}
}

// TestSendContextHandoffThroughIndex: an async fn handed to a Send bound
// of the file reaches the Index, so the async fns it awaits must be Send
// too; a bound without Send hands nothing over.
func TestSendContextHandoffThroughIndex(t *testing.T) {
	checkSendCases(t, []sendCase{
		{"awaited from a handed fn", `use std::future::Future;
fn run<F: Future + Send>(f: F) {}
async fn job() { inner().await; }
async fn inner() { // mark x
}
fn main() { run(job()); }`, true, "awaited from `job`"},
		{"a fn handed as a maker", `use std::future::Future;
fn serve<H, Fut>(h: H) where H: Fn() -> Fut, Fut: Future<Output = ()> + Send {}
async fn handler() { inner().await; }
async fn inner() { // mark x
}
fn main() { serve(handler); }`, true, "awaited from `handler`"},
		{"a method of an impl in a module", `mod m { use std::future::Future;
fn run<F: Future + Send>(f: F) {}
struct S;
impl S { async fn job(&self) { // mark x
} fn go(&self) { run(self.job()); } } }`, true, "passed to `run`"},
		{"a path through a module", `use std::future::Future;
fn run<F: Future + Send>(f: F) {}
mod jobs { pub async fn job() { // mark x
} }
fn main() { run(crate::jobs::job()); }`, true, "passed to `run`"},
		{"a bound without Send", `use std::future::Future;
fn run<F: Future>(f: F) {}
async fn job() { inner().await; }
async fn inner() { // mark x
}
fn main() { run(job()); }`, false, ""},
	})
}
