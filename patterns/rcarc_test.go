package patterns

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"sendfix/rewrite"
)

// rcOnly runs the engine with only rc-arc (the index built from src).
func rcOnly(t *testing.T, src string, allowPublic bool) *Result {
	t.Helper()
	cfg := Config{Rules: map[string]bool{RuleRcArc: true}, AllowPublic: allowPublic}
	e := NewEngine(cfg, nil)
	defer e.Close()
	idx := NewIndex(e.Summarize("a.rs", []byte(src)))
	e2 := NewEngine(cfg, idx)
	defer e2.Close()
	return e2.Run("a.rs", []byte(src))
}

const rcBody = `
async fn tick() {}

#[tokio::main]
async fn main() {
    let name = Rc::new(String::from("x"));
    tokio::spawn(async move {
        tick().await;
        println!("{name}");
    });
}
`

func TestRcArcImports(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"single", "use std::rc::Rc;\n", "use std::sync::Arc;\n"},
		{"arc already imported", "use std::rc::Rc;\nuse std::sync::Arc;\n", "use std::sync::Arc;\n"},
		{"arc in a group", "use std::rc::Rc;\nuse std::sync::{Arc, Mutex};\n", "use std::sync::{Arc, Mutex};\n"},
		{"merge into single sync import", "use std::rc::Rc;\nuse std::sync::Mutex;\n", "use std::sync::{Arc, Mutex};\n"},
		{"merge into group, sorted", "use std::sync::{Mutex, mpsc};\nuse std::rc::Rc;\n", "use std::sync::{Arc, Mutex, mpsc};\n"},
		{"unused Weak stays in std::rc", "use std::rc::{Rc, Weak};\n", "use std::rc::Weak;\nuse std::sync::Arc;\n"},
		{"crlf", "use std::rc::Rc;\r\nuse std::sync::Mutex;\r\n", "use std::sync::{Arc, Mutex};\r\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := rcBody
			if strings.Contains(c.in, "\r\n") {
				body = strings.ReplaceAll(body, "\n", "\r\n")
			}
			res := rcOnly(t, c.in+body, false)
			want := c.want + strings.Replace(body, "Rc::new", "Arc::new", 1)
			if string(res.Out) != want {
				t.Errorf("got:\n%s\nwant:\n%s", res.Out, want)
			}
		})
	}
}

func TestRcArcImportKeptWhenRcRemains(t *testing.T) {
	src := "use std::rc::Rc;\n\nfn local() -> usize {\n    Rc::new(1).as_ref() + 1\n}\n" + rcBody
	res := rcOnly(t, src, false)
	out := string(res.Out)
	if !strings.HasPrefix(out, "use std::rc::Rc;\nuse std::sync::Arc;\n") {
		t.Fatalf("imports: got\n%s", out)
	}
	if !strings.Contains(out, "    Rc::new(1).as_ref()") || !strings.Contains(out, "let name = Arc::new(") {
		t.Errorf("only the spawned value may change:\n%s", out)
	}
}

func TestRcArcMutexFromElsewhereRefused(t *testing.T) {
	src := `use std::cell::RefCell;
use std::rc::Rc;
use tokio::sync::Mutex;

async fn tick() {}

#[tokio::main]
async fn main() {
    let _m = Mutex::new(0);
    let v = Rc::new(RefCell::new(1));
    tokio::spawn(async move {
        *v.borrow_mut() += 1;
        tick().await;
    });
}
`
	res := rcOnly(t, src, false)
	if res.Changed() {
		t.Fatalf("changed a file whose Mutex is tokio's:\n%s", res.Out)
	}
	if len(res.Findings) != 1 || res.Findings[0].Fixed || !strings.Contains(res.Findings[0].Reason, "Mutex") {
		t.Errorf("findings: %+v", res.Findings)
	}
}

// groupEdits returns, for the first triggered group of src, the original
// text under each edit and its replacement, sorted.
func groupEdits(t *testing.T, src string) ([]string, string) {
	t.Helper()
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	idx := NewIndex(e.Summarize("a.rs", []byte(src)))
	tree, err := e.parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	fc := &fileCtx{path: "a.rs", src: []byte(src), root: tree.RootNode(), style: rewrite.DetectStyle([]byte(src)), cfg: DefaultConfig(), idx: idx}
	fc.bodies = findBodies(fc.path, fc.src, fc.root, idx, false)
	r := newRcFile(fc)
	r.analyse()
	held := r.heldValues()
	if len(held) == 0 {
		return nil, "no trigger"
	}
	fx := r.decide(held)[0]
	for _, g := range r.groupOrder {
		r.planGroup(g)
	}
	var out []string
	reason := ""
	if fx.refused != nil {
		reason = fx.refused.Error()
	}
	for _, g := range fx.groups {
		if g.refused != nil && reason == "" {
			reason = g.refused.Error()
		}
		for _, ed := range g.edits {
			out = append(out, src[ed.Start:ed.End]+"->"+ed.New)
		}
	}
	sort.Strings(out)
	return out, reason
}

func TestRcArcSpans(t *testing.T) {
	src := `use std::rc::{Rc, Weak};

type Shared = Rc<Vec<u32>>;

struct Holder {
    items: Shared,
    other: Rc<u8>,
}

fn build() -> Shared {
    Rc::<Vec<u32>>::new(vec![1, 2])
}

async fn work(h: Holder) {
    let w: Vec<Weak<Vec<u32>>> = vec![h.items.clone()].iter().map(Rc::downgrade).collect();
    println!("{} {}", w.len(), Rc::strong_count(&h.items));
}

#[tokio::main]
async fn main() {
    let keep = Rc::new(1u8);
    let s = build();
    let q = std::rc::Rc::clone(&s);
    tokio::spawn(work(Holder { items: q, other: keep.clone() }));
    let local = Rc::new(String::new());
    println!("{local}");
}
`
	got, reason := groupEdits(t, src)
	if reason != "" {
		t.Fatalf("refused: %s", reason)
	}
	want := []string{
		"Rc->Arc", // alias
		"Rc->Arc", // turbofish in build
		"Rc->Arc", // map(Rc::downgrade)
		"Rc->Arc", // strong_count(&h.items)
		"Rc->Arc", // Holder.other: work holds all of h
		"Rc->Arc", // keep, which fills Holder.other
		"std::rc::Rc->std::sync::Arc",
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edits:\n got %q\nwant %q", got, want)
	}
}

func TestRcArcRefCellSpans(t *testing.T) {
	src := `use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let log: Rc<RefCell<Vec<u8>>> = Rc::new(RefCell::new(Vec::new()));
    let l2 = log.clone();
    tokio::spawn(async move {
        l2.borrow_mut().push(1);
        tick().await;
        println!("{:?}", l2.borrow());
    });
}
`
	got, reason := groupEdits(t, src)
	if reason != "" {
		t.Fatalf("refused: %s", reason)
	}
	want := []string{"Rc->Arc", "Rc->Arc", "RefCell->Mutex", "RefCell->Mutex", "borrow()->lock().unwrap()", "borrow_mut()->lock().unwrap()"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edits:\n got %q\nwant %q", got, want)
	}
}

func TestRcArcRefusals(t *testing.T) {
	cases := []struct{ name, decl, use, reason string }{
		{"cell take", "Rc::new(std::cell::Cell::new(1))", "v.take();", "take"},
		{"cell set used", "Rc::new(std::cell::Cell::new(1))", "let _u = v.set(2);", "used"},
		{"try_borrow", "Rc::new(RefCell::new(1))", "let _ = v.try_borrow();", "try_borrow"},
		{"raw pointer", "Rc::<*const u8>::new(std::ptr::null())", "let _p: *const u8 = *v;", "raw pointer"},
		{"two locks at once", "Rc::new(RefCell::new(1))", "let _ = *v.borrow() + *v.borrow();", "deadlock"},
		{"named borrow alive", "Rc::new(RefCell::new(1))", "let a = v.borrow(); let b = v.borrow(); println!(\"{a}{b}\");", "deadlock"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "use std::cell::RefCell;\nuse std::rc::Rc;\n#[tokio::main]\nasync fn main() {\n    let v = " + c.decl + ";\n    tokio::spawn(async move {\n        " + c.use + "\n    });\n}\n"
			_, reason := groupEdits(t, src)
			if !strings.Contains(reason, c.reason) {
				t.Errorf("reason %q does not mention %q", reason, c.reason)
			}
			if res := rcOnly(t, src, false); res.Changed() {
				t.Errorf("refused value was changed:\n%s", res.Out)
			}
		})
	}
}

func TestRcArcNotTriggered(t *testing.T) {
	cases := map[string]string{
		"spawn_local":  "let v = Rc::new(1);\n    tokio::task::spawn_local(async move { println!(\"{v}\"); });",
		"sync closure": "let v = Rc::new(1);\n    std::thread::scope(|_| println!(\"{v}\"));",
		"made inside":  "tokio::spawn(async { let v = Rc::new(1); println!(\"{v}\"); });",
		"main body":    "let v = Rc::new(1);\n    tokio::task::yield_now().await;\n    println!(\"{v}\");",
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			src := "use std::rc::Rc;\n#[tokio::main]\nasync fn main() {\n    " + body + "\n}\n"
			res := rcOnly(t, src, false)
			if res.Changed() || len(res.Findings) != 0 {
				t.Errorf("changed or reported: %+v\n%s", res.Findings, res.Out)
			}
		})
	}
}

func TestRcArcAllowPublic(t *testing.T) {
	src := "use std::rc::Rc;\n\npub struct S {\n    pub v: Rc<u8>,\n}\n\nasync fn go(s: S) {\n    println!(\"{}\", s.v);\n}\n\n#[tokio::main]\nasync fn main() {\n    tokio::spawn(go(S { v: Rc::new(1) }));\n}\n"
	if res := rcOnly(t, src, false); res.Changed() || len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Reason, "--allow-public") {
		t.Fatalf("without --allow-public: changed=%v findings=%+v", res.Changed(), res.Findings)
	}
	res := rcOnly(t, src, true)
	if !strings.Contains(string(res.Out), "pub v: Arc<u8>") || !strings.Contains(string(res.Out), "S { v: Arc::new(1) }") {
		t.Errorf("with --allow-public:\n%s", res.Out)
	}
}

func TestMergeNames(t *testing.T) {
	got := mergeNames([]string{"Mutex", "OnceLock"}, []string{"Arc", "RwLock"})
	want := []string{"Arc", "Mutex", "OnceLock", "RwLock"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v want %v", got, want)
	}
}

// TestRcArcParamMatchedAcrossFiles: an async fn that only shares its name
// with a fn spawned in another file is not Send-required, and its
// parameter, a `&str` fed by deref from a local Rc, changes nothing.
func TestRcArcParamMatchedAcrossFiles(t *testing.T) {
	spawner := "async fn show(n: u32) { println!(\"{n}\"); }\n\n#[tokio::main]\nasync fn main() {\n    tokio::spawn(show(3)).await.unwrap();\n}\n"
	util := "use std::rc::Rc;\n\nasync fn show(s: &str) {\n    println!(\"{s}\");\n}\n\npub async fn report() {\n    let name: Rc<str> = Rc::from(\"x\");\n    show(&name).await;\n}\n"
	cfg := Config{Rules: map[string]bool{RuleRcArc: true}}
	e := NewEngine(cfg, nil)
	defer e.Close()
	idx := NewIndex(e.Summarize("main.rs", []byte(spawner)), e.Summarize("util.rs", []byte(util)))
	e2 := NewEngine(cfg, idx)
	defer e2.Close()
	res := e2.Run("util.rs", []byte(util))
	if string(res.Out) != util {
		t.Errorf("the local Rc changed:\n%s", res.Out)
	}
	for _, f := range res.Findings {
		t.Errorf("unexpected finding %+v", f)
	}
	// The same fn with an Rc parameter is fixed when it is Send-required:
	// awaited from report, which main.rs spawns by its path.
	util2 := strings.Replace(strings.Replace(util, "s: &str", "s: Rc<str>", 1), "show(&name)", "show(name.clone())", 1)
	spawner2 := "mod util;\n\n#[tokio::main]\nasync fn main() {\n    tokio::spawn(util::report()).await.unwrap();\n}\n"
	idx = NewIndex(e.Summarize("main.rs", []byte(spawner2)), e.Summarize("util.rs", []byte(util2)))
	e3 := NewEngine(cfg, idx)
	defer e3.Close()
	if out := string(e3.Run("util.rs", []byte(util2)).Out); !strings.Contains(out, "s: Arc<str>") || !strings.Contains(out, "let name: Arc<str> = Arc::from") {
		t.Errorf("an Rc parameter of a Send-required fn must change:\n%s", out)
	}
}

func TestRcArcStructFromAssocFnAndClone(t *testing.T) {
	cases := []struct{ name, decl, let string }{
		{"Self literal, Self::new inside the impl", `impl Config {
    fn new(name: &str) -> Self {
        Self { name: Rc::new(name.to_string()) }
    }
    fn make() -> Config {
        Self::new("x")
    }
}`, "let cfg = Config::make();"},
		{"clone of a moved clone", `impl Config {
    fn show(&self) -> String {
        self.name.to_string()
    }
}`, "let a = Config { name: Rc::new(String::new()) };\n    let b = a.clone();\n    let cfg = b;"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "use std::rc::Rc;\n\n#[derive(Clone)]\nstruct Config {\n    name: Rc<String>,\n}\n\n" + c.decl + `

async fn tick() {}

#[tokio::main]
async fn main() {
    ` + c.let + `
    tokio::spawn(async move {
        tick().await;
        println!("{}", cfg.name);
    });
}
`
			res := rcOnly(t, src, false)
			out := string(res.Out)
			if strings.Contains(out, "Rc") || !strings.Contains(out, "name: Arc<String>") || !strings.Contains(out, "Arc::new(") {
				t.Errorf("the struct's Rc field must become Arc:\n%s", out)
			}
		})
	}
}

func TestRcArcDynTrait(t *testing.T) {
	cases := []struct {
		name, trait, typ string
		fixed            bool
	}{
		{"plain dyn", "trait G {}", "Rc<dyn G>", true},
		{"Send only", "trait G {}", "Rc<dyn G + Send>", true},
		{"Send and Sync bounds", "trait G {}", "Rc<dyn G + Send + Sync>", true},
		{"Send and Sync supertraits", "trait G: Send + Sync {}", "Rc<dyn G>", true},
		{"boxed closure inside", "trait G {}", "Rc<Box<dyn Fn()>>", true},
		{"impl not Send", "trait G {}\nstruct F(Rc<u8>);\nimpl G for F {}", "Rc<dyn G>", false},
		{"closure captures an Rc", "trait G {}", "Rc<Box<dyn Fn()>>", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			val := "Rc::new(E)"
			if strings.Contains(c.typ, "Fn") {
				val = "Rc::new(Box::new(|| {}))"
				if !c.fixed {
					val = "Rc::new(Box::new(move || println!(\"{n}\")))"
				}
			}
			src := "use std::rc::Rc;\n\n" + c.trait + "\nstruct E;\nimpl G for E {}\n\nasync fn tick() {}\n\n#[tokio::main]\nasync fn main() {\n    let n = Rc::new(1);\n    let g: " + c.typ + " = " + val + ";\n    tokio::spawn(async move {\n        tick().await;\n        let _g = g;\n    });\n    println!(\"{n}\");\n}\n"
			res := rcOnly(t, src, false)
			if len(res.Findings) != 1 {
				t.Fatalf("want one finding, got %+v", res.Findings)
			}
			f := res.Findings[0]
			if c.fixed {
				if f.Fix == "" || strings.Contains(string(res.Out), "let g: Rc") || !strings.Contains(string(res.Out), "Send + Sync") {
					t.Errorf("want fixed, got %+v:\n%s", f, res.Out)
				}
				return
			}
			if f.Fix != "" || string(res.Out) != src || !strings.Contains(f.Reason, "not Send") {
				t.Errorf("want refused with a reason and no change, got %+v:\n%s", f, res.Out)
			}
		})
	}
}

// TestRcArcOneFindingPerBinding: a parameter whose type spells an Rc and
// names a struct of the file holding one triggers two groups; it is one
// finding with the edits of both.
func TestRcArcOneFindingPerBinding(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "golden", "testdata", "rc-arc", "generic-struct-rc-argument.input.rs"))
	if err != nil {
		t.Fatal(err)
	}
	r := checkContract(t, DefaultConfig(), src)
	if len(r.Findings) != 1 || !r.Findings[0].Fixed {
		t.Fatalf("want one fixed finding, got %+v", r.Findings)
	}
	if bytes.Contains(r.Out, []byte("Rc<")) || bytes.Contains(r.Out, []byte("Rc::")) {
		t.Errorf("an Rc is left:\n%s", r.Out)
	}
}

// TestRcArcTypeOfAnotherFile: a struct of another file of the crate seen
// through the Index makes the value that holds it not Send; the fix would
// be in that file, so the finding names it and changes nothing.
func TestRcArcTypeOfAnotherFile(t *testing.T) {
	client := []byte("use std::rc::Rc;\npub struct Config;\npub struct Client {\n    pub config: Rc<Config>,\n}\n")
	user := []byte("use std::rc::Rc;\nuse crate::client::Client;\nasync fn tick() {}\nfn go(c: Client, n: Rc<u8>) {\n    drop(n);\n    tokio::spawn(async move {\n        tick().await;\n        let _c = c;\n    });\n}\n")
	e := NewEngine(Config{Rules: map[string]bool{RuleRcArc: true}}, nil)
	defer e.Close()
	idx := NewIndex(e.Summarize("app/src/client.rs", client), e.Summarize("app/src/user.rs", user))
	e2 := NewEngine(Config{Rules: map[string]bool{RuleRcArc: true}}, idx)
	defer e2.Close()
	res := e2.Run("app/src/user.rs", user)
	if len(res.Findings) != 1 || res.Findings[0].Fixed || !strings.Contains(res.Findings[0].Reason, "another file") ||
		!strings.Contains(res.Findings[0].Message, "`Rc<Config>` (in `Client.config`)") || res.Changed() {
		t.Fatalf("findings %+v", res.Findings)
	}
	// Another crate's Client is not this one.
	idx = NewIndex(e.Summarize("other/src/client.rs", client), e.Summarize("app/src/user.rs", user))
	e3 := NewEngine(Config{Rules: map[string]bool{RuleRcArc: true}}, idx)
	defer e3.Close()
	if res := e3.Run("app/src/user.rs", user); len(res.Findings) != 0 {
		t.Fatalf("a type of another crate was taken for this crate's: %+v", res.Findings)
	}
}

// TestRcArcAsyncFnBody: a local of a Send-required async fn's own body
// (its future spawned, or awaited from a spawned block) held across an
// await is found; the same fn awaited only where no Send is needed is not.
func TestRcArcAsyncFnBody(t *testing.T) {
	const fn = `use std::rc::Rc;
async fn tick() {}
async fn task() {
    let local = Rc::new(1u32);
    for _ in 0..2 {
        tick().await;
    }
    println!("{local}");
}
`
	cases := []struct {
		name, main string
		want       bool
	}{
		{"spawned", "tokio::spawn(task());", true},
		{"awaited from a spawned block", "tokio::spawn(async move { task().await });", true},
		{"awaited in main", "task().await;", false},
		{"spawn_local", "tokio::task::spawn_local(task());", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := fn + "#[tokio::main]\nasync fn main() {\n    " + c.main + "\n}\n"
			res := rcOnly(t, src, false)
			got := strings.Contains(string(res.Out), "let local = Arc::new(1u32);")
			if got != c.want || !c.want && string(res.Out) != src {
				t.Errorf("changed = %v, want %v; findings %+v\n%s", got, c.want, res.Findings, res.Out)
			}
		})
	}
}
