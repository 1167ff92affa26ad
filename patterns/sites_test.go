package patterns

import (
	"strings"
	"testing"

	"sendfix/rewrite"
)

// siteSrc has three futures no syntactic rule sees as Send-required or
// as holding a guard: an async block passed to a fn of another file with
// a Send bound,
// a guard returned by a method, and an async fn another crate spawns.
const siteSrc = `use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

async fn tick() {}

// in_background, a fn of another file, takes an F: Future + Send and
// spawns it: nothing in this file shows the Send bound.
use tasks::in_background;

struct Store(Mutex<Vec<u64>>);

impl Store {
    fn entries(&self) -> MutexGuard<'_, Vec<u64>> {
        self.0.lock().unwrap()
    }
}

fn start(c: Arc<Mutex<u64>>, s: Arc<Store>) {
    in_background(async move {
        let mut n = c.lock().unwrap();
        *n += 1;
        tick().await;
    });
    in_background(async move {
        let e = s.entries();
        println!("{}", e.len());
        tick().await;
    });
}

pub async fn record(s: Arc<Store>, v: u64) {
    let mut e = s.entries();
    e.push(v);
    tick().await;
}
`

func TestSitesMakeBodiesSendRequired(t *testing.T) {
	// Without sites nothing is Send-required but the spawn in in_background.
	r := runString(t, DefaultConfig(), siteSrc)
	if r.Changed() {
		t.Fatalf("without sites the file changed:\n%s", r.Out)
	}
	cfg := DefaultConfig()
	cfg.Sites = []Site{
		{Path: "test.rs", Kind: SiteHeld, Line: 20, Col: 13, Type: "std::sync::MutexGuard<'_, u64>", AwaitLine: 22, AwaitCol: 16},
		{Path: "test.rs", Kind: SiteHeld, Line: 25, Col: 13, Type: "std::sync::MutexGuard<'_, Vec<u64>>", AwaitLine: 27, AwaitCol: 16},
		{Path: "test.rs", Kind: SiteBody, Line: 31, Col: 44, Type: "std::sync::MutexGuard<'_, Vec<u64>>"},
		{Path: "other.rs", Kind: SiteBody, Line: 1, Col: 1, Type: "std::sync::MutexGuard<'_, u64>"},
	}
	r = runString(t, cfg, siteSrc)
	want := strings.NewReplacer(
		"        let mut n = c.lock().unwrap();\n        *n += 1;\n",
		"        {\n            let mut n = c.lock().unwrap();\n            *n += 1;\n        }\n",
		"        let e = s.entries();\n        println!(\"{}\", e.len());\n",
		"        {\n            let e = s.entries();\n            println!(\"{}\", e.len());\n        }\n",
		"    let mut e = s.entries();\n    e.push(v);\n",
		"    {\n        let mut e = s.entries();\n        e.push(v);\n    }\n",
	).Replace(siteSrc)
	if string(r.Out) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", r.Out, want)
	}
	if len(r.Findings) != 3 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	for i, line := range []int{20, 25, 32} {
		if f := r.Findings[i]; !f.Fixed || f.Pos.Line != line {
			t.Errorf("finding %d: %+v, want fixed at line %d", i, f, line)
		}
	}
}

func TestSiteGuardUsedAfterAwaitIsRefused(t *testing.T) {
	src := `use std::sync::MutexGuard;
async fn tick() {}
fn g(s: &'static Store) {
    tokio::spawn(async move {
        let mut e = s.entries();
        e.push(1);
        tick().await;
        e.push(2);
    });
}
`
	cfg := DefaultConfig()
	cfg.Sites = []Site{{Path: "test.rs", Kind: SiteHeld, Line: 5, Col: 13, Type: "MutexGuard<'_, Vec<u64>>", AwaitLine: 7, AwaitCol: 16}}
	r := runString(t, cfg, src)
	if r.Changed() {
		t.Fatalf("changed:\n%s", r.Out)
	}
	if len(r.Findings) != 1 || r.Findings[0].Fixed || !strings.Contains(r.Findings[0].Reason, "used after the await") {
		t.Fatalf("findings: %+v", r.Findings)
	}
}

// A value of any type rustc names as not Send is scoped when it is not
// used after the await (a RefCell's Ref here), and reported with its type
// when it is.
func TestSiteOfAnyNonSendTypeIsScoped(t *testing.T) {
	src := `async fn tick() {}
fn g(s: &'static Store) {
    tokio::spawn(async move {
        let e = s.cell();
        println!("{}", *e);
        tick().await;
    });
}
`
	cfg := DefaultConfig()
	cfg.Sites = []Site{{Path: "test.rs", Kind: SiteHeld, Line: 4, Col: 13, Type: "Ref<'_, u64>", AwaitLine: 6, AwaitCol: 16}}
	r := runString(t, cfg, src)
	if !strings.Contains(string(r.Out), "        {\n            let e = s.cell();\n            println!(\"{}\", *e);\n        }\n        tick().await;") {
		t.Fatalf("not scoped:\n%s", r.Out)
	}
	if len(r.Findings) != 1 || r.Findings[0].Site == nil || r.Findings[0].Site.Line != 4 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	late := strings.Replace(src, "        tick().await;\n", "        tick().await;\n        drop(e);\n", 1)
	r = runString(t, cfg, late)
	if r.Changed() || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Reason, "`e` has type `Ref<'_, u64>`, which is not Send, and is used after the await") {
		t.Fatalf("used after the await: %+v\n%s", r.Findings, r.Out)
	}
}

func TestLineColOffset(t *testing.T) {
	src := []byte("\xEF\xBB\xBFab\nçd\n")
	for _, c := range []struct{ line, col, off int }{{1, 1, 0}, {1, 2, 1}, {2, 1, 3}, {2, 2, 5}, {3, 1, 7}} {
		off, ok := lineColOffset(src, 3, c.line, c.col)
		if !ok || off != c.off {
			t.Errorf("%d:%d -> %d %v, want %d", c.line, c.col, off, ok, c.off)
		}
	}
	if _, ok := lineColOffset(src, 3, 1, 9); ok {
		t.Errorf("column past the line end resolved")
	}
}

func TestForward(t *testing.T) {
	passes := [][]rewrite.Edit{
		{{Start: 2, End: 2, New: "xx"}, {Start: 5, End: 8, New: "y"}},
		{{Start: 0, End: 1, New: ""}},
	}
	for _, c := range []struct{ in, out int }{{0, 0}, {1, 0}, {2, 3}, {4, 5}, {6, 6}, {9, 8}} {
		if got := forward(c.in, passes); got != c.out {
			t.Errorf("forward(%d) = %d, want %d", c.in, got, c.out)
		}
	}
}
