package patterns

import (
	"slices"
	"strings"
	"sync"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

// probeLacks parses src, which declares `type Probe = T;`, and returns
// what T lacks of tr, each lack as its String.
func probeLacks(t *testing.T, src string, tr autoTrait) []string {
	t.Helper()
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	tree, err := e.parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	defs := fileTypeDefs([]byte(src), tree.RootNode())
	probe := defs["Probe"]
	if len(probe) != 1 {
		t.Fatalf("no Probe in %q", src)
	}
	env := &typeEnv{defs: defs, weak: ruleNever}
	var out []string
	for _, l := range env.lacks(probe[0].alias, tr) {
		out = append(out, l.String())
	}
	return out
}

func TestTypeLacks(t *testing.T) {
	cases := []struct {
		src  string
		tr   autoTrait
		want string // the lacks joined by "; "
	}{
		{"struct Config; struct Client { config: Rc<Config> } type Probe = Client;", traitSend,
			"`Rc<Config>` (in `Client.config`) is not Send"},
		{"type Probe = Arc<RefCell<u8>>;", traitSend, "`RefCell<u8>` is not Sync"},
		{"type Probe = Arc<Mutex<u8>>;", traitSend, ""},
		{"type Probe = std::sync::Arc<std::sync::Mutex<Vec<u8>>>;", traitSync, ""},
		{"type Probe = &'static Cell<u8>;", traitSend, "`Cell<u8>` is not Sync"},
		{"type Probe = &'static mut Cell<u8>;", traitSend, ""},
		{"type Probe = Box<dyn FnMut(u32)>;", traitSend, "`dyn FnMut(u32)` is not Send"},
		{"type Probe = Box<dyn FnMut(u32) + Send>;", traitSend, ""},
		{"type Probe = Mutex<Box<dyn FnMut() + Send>>;", traitSync, ""},
		{"type Probe = Arc<Mutex<Box<dyn FnMut()>>>;", traitSend, "`dyn FnMut()` is not Send"},
		{"trait H: Send + Sync {} type Probe = Arc<dyn H>;", traitSend, ""},
		{"trait B: Send + Sync {} trait H: B {} type Probe = Arc<dyn H>;", traitSend, ""},
		{"trait H {} type Probe = Arc<dyn H + Send>;", traitSend, "`dyn H + Send` is not Sync"},
		{"struct W<T> { v: T } type Probe = W<Rc<u8>>;", traitSend, "`Rc<u8>` (in `W.v`) is not Send"},
		{"struct W<T> { v: T } type Probe = W<u8>;", traitSend, ""},
		{"struct X { p: *const u8 } unsafe impl Send for X {} type Probe = X;", traitSend, ""},
		{"struct X { p: *const u8 } unsafe impl Send for X {} type Probe = X;", traitSync, "`*const u8` (in `X.p`) is not Sync"},
		{"enum E { A(Rc<u8>), B { c: Cell<u8> }, C } type Probe = E;", traitSync,
			"`Rc<u8>` (in `E.A.0`) is not Sync; `Cell<u8>` (in `E.B.c`) is not Sync"},
		{"struct Node { next: Option<Box<Node>>, v: Rc<u8> } type Probe = Node;", traitSend, "`Rc<u8>` (in `Node.v`) is not Send"},
		{"type Probe = Weak<u8>;", traitSend, "`Weak<u8>` is not Send"},
		{"type Probe = std::sync::Weak<u8>;", traitSend, ""},
		{"struct Rc<T>(T); type Probe = Rc<u8>;", traitSend, ""},
		{"type Probe = std::rc::Rc<u8>;", traitSend, "`std::rc::Rc<u8>` is not Send"},
		{"type Probe = other::Rc<u8>;", traitSend, ""},
		{"type Probe = tokio::sync::Mutex<Rc<u8>>;", traitSync, "`Rc<u8>` is not Send"},
		{"type Probe = (u8, [Cell<u8>; 2]);", traitSync, "`Cell<u8>` is not Sync"},
		{"type Probe = MutexGuard<'static, u8>;", traitSend, "`MutexGuard<'static, u8>` is not Send"},
		{"struct A { b: B } struct B { c: Rc<u8> } type Probe = A;", traitSend, "`Rc<u8>` (in `A.b.c`) is not Send"},
		{"type Inner = Rc<u8>; struct A { i: Inner } type Probe = A;", traitSend, "`Rc<u8>` (in `A.i`) is not Send"},
		{"type Probe = Foreign<Rc<u8>>;", traitSend, ""},
		{"type Probe = impl Fn();", traitSend, ""},
		{"mod a { pub struct S { r: Rc<u8> } } mod b { pub struct S { v: u8 } } type Probe = S;", traitSend, ""},
		// A trait of another crate may have Send as a supertrait; std's do not.
		{"type Probe = Arc<dyn HttpCache>;", traitSend, ""},
		{"type Probe = Box<dyn std::error::Error>;", traitSend, "`dyn std::error::Error` is not Send"},
		// A definition under #[cfg] may be another configuration's
		// `pub use core::marker::Send as MaybeSend;`.
		{"#[cfg(not(feature = \"sync\"))] mod inner { pub trait MaybeSend {} } trait H: MaybeSend {} type Probe = Box<dyn H>;", traitSend, ""},
		{"#[cfg(unix)] #[derive(Debug)] struct S { r: Rc<u8> } type Probe = S;", traitSend, ""},
		{"#[cfg(test)] mod t { pub struct S { r: Rc<u8> } } type Probe = S;", traitSend, "`Rc<u8>` (in `S.r`) is not Send"},
		{"mod inner { pub trait MaybeSend {} } trait H: MaybeSend {} type Probe = Box<dyn H>;", traitSend, "`dyn H` is not Send"},
	}
	for _, c := range cases {
		got := strings.Join(probeLacks(t, c.src, c.tr), "; ")
		if got != c.want {
			t.Errorf("%s\n%s: got  %q\nwant %q", c.src, c.tr, got, c.want)
		}
	}
}

// TestTokenTypeDefsAgree: on every golden input and corpus file, the
// definitions read from the tokens (for other files, through the Index)
// never find a type not Send or not Sync that the parser's definitions
// find Send and Sync, and miss few the parser finds; and every name they
// define is one declaredNames gives, and one the file's token summary
// gives (the Index reads a file's definitions for those names only).
func TestTokenTypeDefsAgree(t *testing.T) {
	var mu sync.Mutex
	checked, missed := 0, 0
	eachParsed(t, func(name string, src []byte, root *sitter.Node) {
		parsed := fileTypeDefs(src, root)
		toks := tokenTypeDefs(src, name)
		declared := declaredNames(src)
		sum := SummarizeLater(name, src, func() ([]byte, error) { return src, nil })
		for n := range toks {
			if !slices.Contains(declared, n) {
				t.Errorf("%s: `%s` has a definition, but declaredNames does not name it: the Index would not read it", name, n)
			}
			if sum.tokens && !slices.Contains(sum.types, n) {
				t.Errorf("%s: `%s` has a definition, but the summary's types do not name it: the Index would not read it", name, n)
			}
		}
		pe, te := &typeEnv{defs: parsed}, &typeEnv{defs: toks}
		for n, ds := range parsed {
			if ds[0].kind == "trait" {
				continue
			}
			probe := &ty{kind: tyPath, name: n, path: n, text: n}
			for _, tr := range []autoTrait{traitSend, traitSync} {
				p, k := len(pe.lacks(probe, tr)) > 0, len(te.lacks(probe, tr)) > 0
				mu.Lock()
				checked++
				if p && !k {
					missed++
					if missed%200 == 1 {
						t.Logf("%s: `%s` is %s by its tokens only", name, n, tr)
					}
				}
				mu.Unlock()
				if k && !p {
					t.Errorf("%s: `%s` is not %s by its tokens, but is by its tree", name, n, tr)
				}
			}
		}
	})
	if checked > 0 && missed*20 > checked {
		t.Errorf("the tokens miss %d of %d lacks the tree finds", missed, checked)
	}
	t.Logf("%d types checked, %d lacks missed", checked, missed)
}

// TestCfgGatedAgree: the tree and the tokens mark the same definitions
// as under #[cfg].
func TestCfgGatedAgree(t *testing.T) {
	src := []byte(`#[cfg(feature = "x")]
mod a {
    pub struct A;
    mod b { pub trait B {} }
}
#[cfg(unix)]
// a comment
#[derive(Debug)]
pub struct C(u8);
#[cfg(test)]
mod t { pub struct T; }
struct D;
#[cfg(windows)] type E = u8;
`)
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	tree, err := e.parse(src)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	want := map[string]bool{"A": true, "B": true, "C": true, "T": false, "D": false, "E": true}
	parsed, toks := fileTypeDefs(src, tree.RootNode()), tokenTypeDefs(src, "f.rs")
	for name, cfg := range want {
		if len(parsed[name]) != 1 || len(toks[name]) != 1 {
			t.Fatalf("%s: %d parsed, %d read from tokens", name, len(parsed[name]), len(toks[name]))
		}
		if parsed[name][0].cfg != cfg || toks[name][0].cfg != cfg {
			t.Errorf("%s: cfg parsed %v, tokens %v, want %v", name, parsed[name][0].cfg, toks[name][0].cfg, cfg)
		}
	}
}

func TestTypeLacksOfOtherCrates(t *testing.T) {
	for _, c := range []struct {
		src  string
		want string
	}{
		{"type Probe = tokio::sync::OnceCell<u8>;", ""},
		{"type Probe = std::cell::OnceCell<u8>;", "`std::cell::OnceCell<u8>` is not Sync"},
		{"type Probe = tokio::sync::MutexGuard<'static, u8>;", ""},
		{"type Probe = parking_lot::MutexGuard<'static, Cell<u8>>;", "`Cell<u8>` is not Sync"},
		{"use tokio::sync::MutexGuard; type Probe = MutexGuard<'static, u8>;", ""},
		{"use std::sync::MutexGuard; type Probe = MutexGuard<'static, Cell<u8>>;", "`Cell<u8>` is not Sync"},
	} {
		if got := strings.Join(probeLacks(t, c.src, traitSync), "; "); got != c.want {
			t.Errorf("%s: got %q, want %q", c.src, got, c.want)
		}
	}
}
