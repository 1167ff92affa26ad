package patterns

import (
	"bytes"
	"sync/atomic"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

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

// TestRcMayTriggerParsed: wherever the parsed file has a body that can
// trigger rc-arc (mayTrigger, every async body Send-required), the
// lexer's rcMayTrigger says so too; on every golden input and corpus file.
func TestRcMayTriggerParsed(t *testing.T) {
	var triggered atomic.Int64
	eachParsed(t, func(name string, src []byte, root *sitter.Node) {
		fc := &fileCtx{src: src, root: root}
		fc.bodies = findBodies("", src, fc.root, NewIndex(), true)
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
