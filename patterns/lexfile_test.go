package patterns

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

// TestReadFileItems: the token walk keys async fns by their inline
// modules, the impl type or trait they are written right in, and their
// name, as fnKeyOf keys the parser's function_item.
func TestReadFileItems(t *testing.T) {
	src := `mod inner {
    pub async fn helper() {}
    impl<T: Clone> super::Foo<T> where T: Send {
        pub async fn run(&self) { async fn nested() {} }
    }
}
struct Foo<T>(T);
impl Trait for &'a Foo<u8> { async fn step(&self) -> u8 { 3 } }
impl<T> From<T> for (T, T) { fn from(t: T) -> Self { (t, t) } }
trait Trait { async fn step(&self) -> u8; async fn def(&self) {} }
async unsafe fn r#match() {}
m! { async fn hidden() {} }
fn sync() {}
`
	fs := readFile([]byte(src))
	var got []string
	for _, f := range fs.fns {
		if f.async {
			got = append(got, f.key)
		}
	}
	want := []string{"inner||helper", "inner|Foo|run", "inner||nested", "|Foo|step", "|Trait|def", "||match"}
	if !slices.Equal(got, want) {
		t.Errorf("async fn keys = %q, want %q", got, want)
	}
	root := parseRust(t, src)
	var tree []string
	walkTyped(root, func(n *sitter.Node, typ string, up *ancestors) bool {
		if typ == "function_item" && isAsyncFn([]byte(src), n) && n.ChildByFieldName("body") != nil {
			tree = append(tree, fnKeyOf([]byte(src), n, up))
		}
		return true
	})
	if !slices.Equal(tree, want) {
		t.Errorf("fnKeyOf gives %q, want %q", tree, want)
	}
	if f := fs.fns[3]; f.trait != "Trait" || !f.method {
		t.Errorf("step: trait %q, method %v", f.trait, f.method)
	}
}

// TestReadFileBodies: which async blocks are spawned, bound and spawned,
// run locally, or nested, and what their awaits are matched as.
func TestReadFileBodies(t *testing.T) {
	src := `use tokio::spawn;
async fn serve(x: u8) {
    let fut = async move { a::b::c(1).await; };
    spawn(fut);
    tokio::spawn(handle(x));
    tokio::spawn(async move {
        Foo::<u8>::run(&f).await;
        x.go().await?;
        self.tick().await;
        let y = || async { z().await };
        let w = |v| v + 1;
        inner().await;
    });
    tokio::task::spawn_local(async { local().await });
    match x { A | B => 1, _ => 2 };
    async { nested().await }.await;
}
fn sync_fn() { async { s().await }; }
`
	fs := readFile([]byte(src))
	type body struct {
		root bool
		via  int32
	}
	var got []body
	for _, b := range fs.bodies {
		got = append(got, body{b.root, b.via})
	}
	want := []body{{false, 0}, {true, -1}, {true, -1}, {false, -1}, {false, -1}, {false, 0}, {false, -1}}
	if !slices.Equal(got, want) {
		t.Errorf("bodies (root, via) = %v, want %v", got, want)
	}
	var calls []string
	for _, c := range fs.calls {
		calls = append(calls, strings.Join(c.shape.segs, "::")+"/"+string("BPSR"[c.shape.kind]))
	}
	wantCalls := []string{"a::b::c/P", "handle/B", "Foo::run/P", "go/R", "tick/S", "z/B", "inner/B", "local/B", "nested/B", "s/B"}
	if !slices.Equal(calls, wantCalls) {
		t.Errorf("calls = %q, want %q", calls, wantCalls)
	}
	if !fs.bare {
		t.Error("use tokio::spawn: the bare spawn is tokio's")
	}
}

// TestReadFileUses: the names imports bring in, groups, renames, self and
// globs.
func TestReadFileUses(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
use crate::net::{self, conn::Conn as C, *};
pub(crate) use ::ext::Thing;
mod m { use super::x as y; }
`
	var got []string
	for _, u := range readFile([]byte(src)).uses {
		s := u.mods + ":" + u.alias + "=" + strings.Join(u.path, "::")
		if u.glob {
			s += "::*"
		}
		got = append(got, s)
	}
	want := []string{":Arc=std::sync::Arc", ":Mutex=std::sync::Mutex", ":net=crate::net", ":C=crate::net::conn::Conn", ":=crate::net::*", ":Thing=::::ext::Thing", "m:y=super::x"}
	if !slices.Equal(got, want) {
		t.Errorf("uses = %q, want %q", got, want)
	}
}

// TestIndexResolution: a call reaches an async fn by its path, not by its
// bare name; several candidates, or a path outside the given files,
// propagate nothing.
func TestIndexResolution(t *testing.T) {
	files := map[string]string{
		"src/main.rs": `mod db; mod net;
use crate::db::open;
use net::Conn;
fn start(c: Conn) {
    tokio::spawn(async move {
        open().await;
        db::store::save().await;
        Conn::handshake(&c).await;
        c.serve().await;
        c.close().await;
        tokio::fs::read("x").await;
        std_like::connect().await;
    });
}`,
		"src/db/mod.rs": `pub mod store;
pub async fn open() { setup().await; }
async fn setup() {}
async fn connect() {}`,
		"src/db/store.rs": `pub async fn save() { super::setup().await; }
pub async fn read() {}`,
		"src/net.rs": `pub struct Conn;
impl Conn {
    pub async fn handshake(&self) {}
    pub async fn serve(&self) { self.flush().await; }
    async fn flush(&self) {}
    pub async fn close(&self) {}
}
pub struct Other;
impl Other { pub async fn close(&self) {} pub async fn idle(&self) {} }
pub async fn open() {}`,
	}
	var sums []*Summary
	for p, s := range files {
		sums = append(sums, Summarize(p, []byte(s)))
	}
	idx := NewIndex(sums...)
	send := func(path, key string) bool { _, ok := idx.sendFn(path, key); return ok }
	for _, c := range []struct {
		path, key string
		want      bool
	}{
		{"src/db/mod.rs", "||open", true},       // imported by path
		{"src/net.rs", "||open", false},         // the same name elsewhere
		{"src/db/mod.rs", "||setup", true},      // awaited from open and from store::save via super
		{"src/db/store.rs", "||save", true},     // a module path
		{"src/db/store.rs", "||read", false},    // tokio::fs::read is another crate's
		{"src/db/mod.rs", "||connect", false},   // std_like::connect is another crate's
		{"src/net.rs", "|Conn|handshake", true}, // Type::name
		{"src/net.rs", "|Conn|serve", true},     // the only method `serve`, Conn spelled
		{"src/net.rs", "|Conn|flush", true},     // self.flush in Conn's impl
		{"src/net.rs", "|Conn|close", false},    // two methods `close`: ambiguous
		{"src/net.rs", "|Other|close", false},
		{"src/net.rs", "|Other|idle", false},
	} {
		if got := send(c.path, c.key); got != c.want {
			t.Errorf("%s %s: Send-required = %v, want %v", c.path, c.key, got, c.want)
		}
	}
	if idx.Calls.Ambiguous != 1 {
		t.Errorf("ambiguous calls = %d, want 1 (c.close())", idx.Calls.Ambiguous)
	}
	if w, _ := idx.sendFn("src/db/mod.rs", "||setup"); !strings.Contains(w, "`open`") && !strings.Contains(w, "`save`") {
		t.Errorf("why setup: %q", w)
	}
}

// TestIndexReceiverEvidence: a method call on a receiver of unknown type
// matches the only method of that name only where the calling file spells
// the method's impl type.
func TestIndexReceiverEvidence(t *testing.T) {
	lib := `pub struct Queue; impl Queue { pub async fn recv(&self) {} }`
	spelled := `use crate::q::Queue; fn f(q: Queue) { tokio::spawn(async move { q.recv().await; }); }`
	other := `fn f(rx: Receiver) { tokio::spawn(async move { rx.recv().await; }); }`
	for src, want := range map[string]bool{spelled: true, other: false} {
		idx := NewIndex(Summarize("src/q.rs", []byte(lib)), Summarize("src/main.rs", []byte(src)))
		if _, got := idx.sendFn("src/q.rs", "|Queue|recv"); got != want {
			t.Errorf("%q: Queue::recv Send-required = %v, want %v", src, got, want)
		}
	}
}

// TestAwaitAfter: under any Index, a site counts when an await of an
// async body around it may follow it; the lexer is not fooled by braces
// in literals and comments.
func TestAwaitAfter(t *testing.T) {
	cases := []struct {
		name, src string
		want      bool
	}{
		{"held", "async fn f() { let g = @m.lock().unwrap(); x().await; }", true},
		{"await before", "async fn f() { x().await; let g = @m.lock().unwrap(); }", false},
		{"sync fn", "fn f() { let g = @m.lock().unwrap(); } async fn h() { x().await; }", false},
		{"async after", "fn f() { let g = @m.lock().unwrap(); }\nasync fn h() { x().await; }", false},
		{"block", "fn f() { spawn(async move { let g = @m.lock().unwrap(); x().await; }); }", true},
		{"block ends", "fn f() { spawn(async { let g = @m.lock().unwrap(); }); y().await; }", false},
		{"async closure", "fn f() { let c = async |x| { let g = @m.lock().unwrap(); x.await }; }", true},
		{"closure, await past its block", "fn f() { { let c = async || @m.lock(); } y.await; }", false},
		{"trait decl", "trait T { async fn a(&self); } fn f() { @m.lock(); x.await; }", false},
		{"generic fn", "async fn f<T: Into<u8>, const N: usize>(x: [u8; N]) -> Foo<{ N }>\nwhere T: Send\n{ @m.lock(); x.await; }", true},
		{"where clause", "async fn f<P>(p: P) -> io::Result<()>\nwhere\n    P: AsRef<Path>,\n{ @m.lock(); x.await; }", true},
		{"arrow in bound", "async fn f<F: Fn() -> u8>(f: F) where F: Fn(u8) -> Vec<Vec<u8>>, { @m.lock(); x.await; }", true},
		{"char braces", "async fn f() { let a = '{'; @m.lock(); let b = '}'; x.await; }", true},
		{"char braces close", "async fn f() { let a = '}'; } fn g() { @m.lock(); x.await; }", false},
		{"escaped quote", "async fn f() { let a = '\\''; let b = \"}\"; @m.lock(); x.await; }", true},
		{"string braces", "async fn f() { let s = \"}\\\"}\"; @m.lock(); x.await; }", true},
		{"raw string", "async fn f() { let s = r#\"}\"}\"#; @m.lock(); x.await; }", true},
		{"byte char", "async fn f() { let s = b'}'; @m.lock(); x.await; }", true},
		{"lifetime", "async fn f<'a>(x: &'a u8) -> &'a u8 { @m.lock(); x.await; }", true},
		{"comment braces", "async fn f() { /* } /* } */ */ // }\n @m.lock(); x.await; }", true},
		{"raw ident", "fn f() { r#async { @m.lock(); x.await; } }", false},
		{"await in comment", "async fn f() { @m.lock(); // x.await\n }", false},
		{"unbalanced", "async fn f() { @m.lock(); } } x.await", true},
	}
	for _, c := range cases {
		at := strings.IndexByte(c.src, '@')
		src := []byte(c.src[:at] + c.src[at+1:])
		var none *Index
		if got := none.reading("", src, true).awaitAfter(at); got != c.want {
			t.Errorf("%s: awaitAfter(%q at %d) = %v, want %v", c.name, src, at, got, c.want)
		}
	}
}

// TestStmtMayHold: a guard counts where it may live to an await: bound by
// let (or let-else, if let, while let, match, in the statement), assigned,
// or with the await in its own statement; a temporary of any other
// statement is dropped at its `;`.
func TestStmtMayHold(t *testing.T) {
	cases := []struct {
		name, src string
		want      bool
	}{
		{"let", "async fn f() { let g = @m.lock().unwrap(); x.await; }", true},
		{"let-else", "async fn f() { let Ok(g) = @m.lock() else { return }; x.await; }", true},
		{"attribute", "async fn f() { #[allow(unused)] let g = @m.lock().unwrap(); x.await; }", true},
		{"assignment", "async fn f() { let g; g = @m.lock().unwrap(); x.await; }", true},
		{"temporary", "async fn f() { @m.lock().unwrap().push(1); x.await; }", false},
		{"assigned through", "async fn f() { *@m.lock().unwrap() = 1; x.await; }", false},
		{"compared", "async fn f() { if a == *@m.lock().unwrap() { b(); } x.await; }", false},
		{"if let awaits", "async fn f() { if let Ok(g) = @m.lock() { x.await; } }", true},
		{"match awaits", "async fn f() { match @m.lock() { Ok(g) => x.await, _ => {} } }", true},
		{"while let awaits", "async fn f() { while let Some(j) = @q.lock().unwrap().pop() { j.await; } }", true},
		{"awaited argument", "async fn f() { send(@m.lock().unwrap().len()).await; }", true},
		{"tail of a block", "async fn f() { let n = { @m.lock().unwrap() }; x.await; }", true},
		{"tail of a block, dropped", "async fn f() { drop({ @m.lock().unwrap() }); x.await; }", false},
		{"in a macro", "async fn f() { println!(\"{}\", @m.lock().unwrap()); x.await; }", false},
		{"after a block statement", "async fn f() { if c { a(); } @m.lock().unwrap().push(1); x.await; }", false},
		{"block statement before a let", "async fn f() { if c { a(); } let g = @m.lock().unwrap(); x.await; }", true},
	}
	for _, c := range cases {
		at := strings.IndexByte(c.src, '@')
		src := []byte(c.src[:at] + c.src[at+1:])
		if got := guardSites(src)(at + len("m.")); got != c.want {
			t.Errorf("%s: guardSite(%q) = %v, want %v", c.name, src, got, c.want)
		}
	}
}

// TestIndexMayMatchSend: with the Index, a guard or an Rc counts only in
// a body that may have to be Send.
func TestIndexMayMatchSend(t *testing.T) {
	held := "use std::sync::Mutex;\nasync fn work(m: &Mutex<u8>) { let g = m.lock().unwrap(); tick().await; }\nasync fn tick() {}\n"
	rcFn := "use std::rc::Rc;\nasync fn work(r: Rc<u8>) { tick().await; }\nasync fn tick() {}\n"
	spawner := "mod work;\nfn main() { tokio::spawn(work::work(todo!())); }\n"
	local := "mod work;\nfn main() { deno_core::unsync::spawn(work::work(todo!())); }\n"
	for _, c := range []struct {
		name, src, main string
		want            bool
	}{
		{"guard, spawned", held, spawner, true},
		{"guard, spawned locally", held, local, false},
		{"Rc parameter, spawned", rcFn, spawner, true},
		{"Rc parameter, spawned locally", rcFn, local, false},
	} {
		idx := NewIndex(Summarize("src/work.rs", []byte(c.src)), Summarize("src/main.rs", []byte(c.main)))
		if got := idx.MayMatch("src/work.rs", []byte(c.src), DefaultConfig()); got != c.want {
			t.Errorf("%s: Index.MayMatch = %v, want %v", c.name, got, c.want)
		}
		all := DefaultConfig()
		all.AllAsync = true
		if !idx.MayMatch("src/work.rs", []byte(c.src), all) {
			t.Errorf("%s: Index.MayMatch under --all-async is false", c.name)
		}
	}
}

// TestReadingParsed checks the token reading against the parser on every
// golden input (each its own run) and the whole crate corpus (one run):
// checkReading.
func TestReadingParsed(t *testing.T) {
	golden := map[string]bool{}
	for _, in := range goldenInputs(t) {
		golden[in] = true
	}
	corpus := corpusFiles(t)
	var sums []*Summary
	for _, f := range corpus {
		sums = append(sums, Summarize(f, mustRead(t, f)))
	}
	corpusIdx := NewIndex(sums...)
	var fns, bodies, sends atomic.Int64
	n := eachParsed(t, func(name string, src []byte, root *sitter.Node) {
		idx := corpusIdx
		if golden[name] {
			idx = NewIndex(Summarize(name, src))
		}
		c := checkReading(t, name, name, src, root, idx)
		fns.Add(int64(c.fns))
		bodies.Add(int64(c.bodies))
		sends.Add(int64(c.sends))
	})
	t.Logf("%d files: %d async fns, %d async bodies, %d Send-required bodies checked", n, fns.Load(), bodies.Load(), sends.Load())
	if fns.Load() < 500 || bodies.Load() < 1000 || sends.Load() < 100 {
		t.Fatal("too few async fns, bodies or Send-required bodies: the check proved little")
	}
}

// readingChecks counts what checkReading checked.
type readingChecks struct{ fns, bodies, sends int }

// checkReading fails when the token reading of src (the file at path,
// without its BOM) misses what the parser sees: an async fn's key
// (fnKeyOf), an async body (it must lie in a body or loose span of the
// reading), an await keyword, a body findBodies takes for Send-required
// under idx (it must lie in a body the reading marks as one that may have
// to be Send), a body that may trigger rc-arc (rcTrigger). A file whose
// brackets do not balance counts every offset: nothing to check.
func checkReading(t *testing.T, name, path string, src []byte, root *sitter.Node, idx *Index) readingChecks {
	t.Helper()
	var c readingChecks
	r := idx.reading(path, src, false)
	if r.whole {
		return c
	}
	keys := map[string]bool{}
	for _, f := range r.fs.fns {
		if f.async {
			keys[f.key] = true
		}
	}
	awaits := map[int32]bool{}
	for _, a := range r.fs.awaits {
		awaits[a] = true
	}
	within := func(s, e int, sendOnly bool) bool {
		for i := range r.fs.bodies {
			if bs, be := r.span(i); bs <= s && e <= be && (!sendOnly || r.may[i]) {
				return true
			}
		}
		for _, l := range r.fs.loose {
			if int(l[0]) <= s && e <= int(l[1]) {
				return true
			}
		}
		return false
	}
	blockOf := func(n *sitter.Node) *sitter.Node {
		if n.Type() == "async_block" && n.NamedChildCount() > 0 {
			return n.NamedChild(int(n.NamedChildCount()) - 1)
		}
		return n.ChildByFieldName("body")
	}
	walkTyped(root, func(n *sitter.Node, typ string, up *ancestors) bool {
		switch {
		case typ == "function_item" && isAsyncFn(src, n) && n.ChildByFieldName("body") != nil:
			c.fns++
			if k := fnKeyOf(src, n, up); !keys[k] {
				t.Errorf("%s:%d: async fn %q not read (the reading has %d keys)", name, n.StartPoint().Row+1, k, len(keys))
			}
			fallthrough
		case typ == "async_block":
			if b := blockOf(n); b != nil {
				c.bodies++
				if !within(int(b.StartByte()), int(b.EndByte()), false) {
					t.Errorf("%s:%d: async body outside every body read", name, b.StartPoint().Row+1)
				}
			}
		case typ == "await_expression":
			if at := int32(n.EndByte()) - int32(len(kwAwait)); !awaits[at] {
				t.Errorf("%s:%d: await at %d not read", name, n.StartPoint().Row+1, at)
			}
		case typ == "macro_invocation" && awaitMacro(src, n):
			if at := int32(macroAwaitOffset(n)); !awaits[at] {
				t.Errorf("%s:%d: macro await at %d not read", name, n.StartPoint().Row+1, at)
			}
		}
		return true
	})
	bodies := findBodies(path, src, root, idx, false)
	for _, b := range bodies {
		if b.send {
			c.sends++
			if !within(int(b.block.StartByte()), int(b.block.EndByte()), true) {
				t.Errorf("%s:%d: a Send-required body (%s) is in no body the reading may take for one", name, b.block.StartPoint().Row+1, b.why)
			}
		}
	}
	fc := &fileCtx{path: path, src: src, root: root, idx: idx, bodies: bodies}
	if mayTrigger(fc) && !r.rcTrigger() {
		t.Errorf("%s: a body may trigger rc-arc, but the reading's rcTrigger is false", name)
	}
	return c
}

// TestReadingHostile: the reading of a file that is not Rust, or barely,
// never panics and leaves nothing out of bounds.
func TestReadingHostile(t *testing.T) {
	for _, src := range []string{"", "}", "{", "async", "async {", "fn", "fn f(", "impl", "impl<", "use", "use a::{", "mod m {",
		"|", "||", "|x", "f(|", "tokio::spawn(", "spawn(async", "x.await", ").await", "::<>::f().await", "r#", "'", "\"", "\xff\xfe",
		strings.Repeat("(", 1000) + "async {" + strings.Repeat(")", 999)} {
		fs := readFile([]byte(src))
		for _, b := range fs.bodies {
			if b.open < 0 || int(b.open) >= len(fs.toks) || int(b.close) >= len(fs.toks) {
				t.Errorf("%q: body out of the tokens: %+v", src, b)
			}
		}
		s := Summarize("x.rs", []byte(src))
		NewIndex(s).MayMatch("x.rs", []byte(src), DefaultConfig())
	}
}
