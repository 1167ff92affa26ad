package patterns

import (
	"bytes"
	"strings"
	"sync/atomic"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

// TestAwaitAfter: a site counts when an await of the same async body may
// follow it; the lexer is not fooled by braces in literals and comments.
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
		{"closure", "fn f() { let c = async |x| { let g = @m.lock().unwrap(); x.await }; }", true},
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
		if got := lexAsync(src).awaitAfter(at); got != c.want {
			t.Errorf("%s: awaitAfter(%q at %d) = %v, want %v", c.name, src, at, got, c.want)
		}
	}
}

// TestLexAsyncParsed checks the lexer against the parser on every golden
// input and the whole crate corpus (checkLexAsync).
func TestLexAsyncParsed(t *testing.T) {
	var bodies, awaits, whole atomic.Int64
	n := eachParsed(t, func(name string, src []byte, root *sitter.Node) {
		b, a, ok := checkLexAsync(t, name, src, root)
		bodies.Add(int64(b))
		awaits.Add(int64(a))
		if !ok {
			whole.Add(1)
		}
	})
	t.Logf("%d files: %d async bodies, %d awaits checked; %d files unbalanced", n, bodies.Load(), awaits.Load(), whole.Load())
	if bodies.Load() < 1000 || awaits.Load() < 1000 {
		t.Fatal("too few async bodies and awaits: the check proved little")
	}
}

// eachParsed parses every golden input and corpus file (without its BOM)
// and calls f on it from parallel workers; it returns the number of files.
func eachParsed(t *testing.T, f func(name string, src []byte, root *sitter.Node)) int {
	files := append(goldenInputs(t), corpusFiles(t)...)
	parallel(t, files, func(e **Engine, i int, src []byte) {
		src = bytes.TrimPrefix(src, bom)
		if *e == nil {
			*e = NewEngine(DefaultConfig(), nil)
		}
		tree, err := (*e).parse(src)
		if err != nil {
			t.Error(err)
			return
		}
		defer tree.Close()
		f(files[i], src, tree.RootNode())
	})
	return len(files)
}

// checkLexAsync fails when an async body the parser finds in src (without
// its BOM) lies outside every span lexAsync gives, or an await keyword is
// not lexed. It returns how many bodies and awaits it checked, and false
// when the braces did not balance (every offset counts then: nothing to
// check).
func checkLexAsync(t *testing.T, name string, src []byte, root *sitter.Node) (bodies, awaits int, balanced bool) {
	t.Helper()
	spans := lexAsync(src)
	if spans.whole {
		return 0, 0, false
	}
	inSpan := func(s, e int) bool {
		for _, sp := range spans.spans {
			if sp[0] <= s && e <= sp[1]+1 {
				return true
			}
		}
		return false
	}
	awaitSet := map[int]bool{}
	for _, a := range spans.awaits {
		awaitSet[a] = true
	}
	walk(root, func(n *sitter.Node) bool {
		switch {
		case n.Type() == "async_block" || isAsyncFn(src, n):
			b := n.ChildByFieldName("body")
			if n.Type() == "async_block" && n.NamedChildCount() > 0 {
				b = n.NamedChild(int(n.NamedChildCount()) - 1) // the block after `async move`
			}
			if b != nil {
				bodies++
				if !inSpan(int(b.StartByte()), int(b.EndByte())) {
					t.Errorf("%s:%d: async body outside every span %v", name, b.StartPoint().Row+1, spans.spans)
				}
			}
		case n.Type() == "await_expression":
			awaits++
			if at := int(n.EndByte()) - len(kwAwait); !awaitSet[at] {
				t.Errorf("%s:%d: await at %d not lexed", name, n.StartPoint().Row+1, at)
			}
		}
		return true
	})
	return bodies, awaits, true
}

// TestRcMayTriggerParsed: wherever the parsed file has a body that can
// trigger rc-arc (mayTrigger, every async body Send-required), the
// lexer's rcMayTrigger says so too; on every golden input and corpus file.
func TestRcMayTriggerParsed(t *testing.T) {
	var triggered atomic.Int64
	eachParsed(t, func(name string, src []byte, root *sitter.Node) {
		fc := &fileCtx{src: src, root: root}
		fc.bodies = findBodies(src, fc.root, NewIndex(), true)
		if mayTrigger(fc) {
			triggered.Add(1)
			if !rcMayTrigger(src) {
				t.Errorf("%s: a body may trigger rc-arc, but rcMayTrigger is false", name)
			}
		}
	})
	t.Logf("%d files may trigger rc-arc", triggered.Load())
	if triggered.Load() < 20 {
		t.Fatal("too few files may trigger rc-arc: the check proved little")
	}
}

func TestRcMayTrigger(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"fn f() { tokio::spawn(async move { r.len() }); }", true},
		{"fn f() { h.spawn( /* c */ (async { 1 })); }", true},
		{"fn f() { spawn_local(async { 1 }); block_on(async {}); }", false},
		{"fn f() { tokio::spawn(worker(r)); let x = async {}; }", false},
		{"async fn f(r: Rc<u8>) {}", true},
		{"async fn f(j: &Job) {} struct Job;", true},
		{"async fn f(x: u8) {} fn g(r: Rc<u8>) {}", false},
		{"// tokio::spawn(async {})\nasync fn f() {}", false},
		{"fn f() { tokio::spawn::<_>(async move { r.len() }); }", true},
		{"fn f() { tokio::task::spawn::<Vec<u8>, >(async move { r.len() }); }", true},
		{"fn f() { spawn::Builder::new(async {}); }", false},
		{"impl J { async fn f(&self) {} }", true},
		{"async fn f() { let r = Rc::new(1); g().await; }", true},
		{"async fn f() { let j = Job::new(); g().await; } struct Job;", true},
		{"async fn f() { g().await; } fn h() { let r = Rc::new(1); }", false},
		{"fn f() { let b = async { Rc::new(1) }; }", true},
	}
	for _, c := range cases {
		if got := rcMayTrigger([]byte(c.src)); got != c.want {
			t.Errorf("rcMayTrigger(%q) = %v, want %v", c.src, got, c.want)
		}
	}
}
