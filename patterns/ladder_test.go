package patterns

import (
	"strings"
	"testing"

	"sendfix/rewrite"
)

// ladderOf runs Engine.Ladder on src with sites and returns the file's
// ladders.
func ladderOf(t *testing.T, src string, sites ...Site) []SiteLadder {
	t.Helper()
	cfg := DefaultConfig()
	for i := range sites {
		sites[i].Path = "test.rs"
	}
	cfg.Sites = sites
	e := NewEngine(cfg, nil)
	defer e.Close()
	r := e.Ladder("test.rs", []byte(src))
	if r.Internal != nil {
		t.Fatal(r.Internal)
	}
	if len(r.Sites) != len(sites) {
		t.Fatalf("%d ladders for %d sites", len(r.Sites), len(sites))
	}
	return r.Sites
}

// applied returns src with a candidate's edits of test.rs applied.
func applied(t *testing.T, src string, c Candidate) string {
	t.Helper()
	if len(c.Edits) == 0 {
		t.Fatalf("candidate without edits of the site's file: %+v", c)
	}
	out, err := rewrite.Apply([]byte(src), c.Edits[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A binding made from the guard that borrows from it (`trim_start`
// returns a &str) grows the block over its last use: the ladder's grown
// scope, a fix the rule stands by, the same with or without the compiler.
func TestLadderGrownScope(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
async fn tick() {}
fn start(m: Arc<Mutex<String>>) {
    tokio::spawn(async move {
        let g = m.lock().unwrap();
        let s = g.trim_start();
        println!("{s}");
        tick().await;
    });
}
`
	ls := ladderOf(t, src, Site{Kind: SiteHeld, Line: 5, Col: 13, Type: "std::sync::MutexGuard<'_, String>", AwaitLine: 8, AwaitCol: 16})
	cs := ls[0].Candidates
	if len(cs) != 1 || cs[0].Rung != RungGrownScope || cs[0].Unsure != "" {
		t.Fatalf("candidates: %+v", cs)
	}
	grown := applied(t, src, cs[0])
	if !strings.Contains(grown, "        {\n            let g = m.lock().unwrap();\n            let s = g.trim_start();\n            println!(\"{s}\");\n        }\n        tick().await;") {
		t.Errorf("grown scope:\n%s", grown)
	}
	if f := cs[0].Finding; f.Site == nil || f.Site.Line != 5 || !f.Fixed || f.Pos.Line != 5 {
		t.Errorf("candidate finding: %+v", f)
	}
	cfg := DefaultConfig()
	cfg.Sites = []Site{{Path: "test.rs", Kind: SiteHeld, Line: 5, Col: 13, Type: "std::sync::MutexGuard<'_, String>"}}
	if r := runString(t, cfg, src); grown != string(r.Out) {
		t.Errorf("Run differs from the candidate:\n%s", r.Out)
	}
}

// A binding whose ownership the syntax cannot tell (a method of no table
// and not of this file), used after the await: without the compiler a
// refusal; with it the scope that takes the binding out of the block,
// with the doubt, then the swap of the Mutex for tokio's.
func TestLadderTrustedScopeThenSwap(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
struct S { n: u64 }
async fn tick() {}
fn start(m: Arc<Mutex<S>>) {
    tokio::spawn(async move {
        let g = m.lock().unwrap();
        let v = g.summarize();
        tick().await;
        println!("{v}");
    });
}
`
	site := Site{Kind: SiteHeld, Line: 6, Col: 13, Type: "std::sync::MutexGuard<'_, S>", AwaitLine: 8, AwaitCol: 16}
	cfg := DefaultConfig()
	s := site
	s.Path = "test.rs"
	cfg.Sites = []Site{s}
	r := runString(t, cfg, src)
	if r.Changed() || len(r.Findings) != 1 || !strings.Contains(r.Findings[0].Reason, "cannot tell whether `v` borrows") || r.Findings[0].Site == nil {
		t.Fatalf("Run: %+v\n%s", r.Findings, r.Out)
	}
	cs := ladderOf(t, src, site)[0].Candidates
	if len(cs) != 2 || cs[0].Rung != RungScope || !strings.Contains(cs[0].Unsure, "cannot tell whether `v` borrows") || cs[1].Rung != RungTokioSwap {
		t.Fatalf("candidates: %+v", cs)
	}
	if got := applied(t, src, cs[0]); !strings.Contains(got, "        let v = {\n            let g = m.lock().unwrap();\n            g.summarize()\n        };\n        tick().await;") {
		t.Errorf("scope:\n%s", got)
	}
	if got := applied(t, src, cs[1]); !strings.Contains(got, "m.lock().await") || !strings.Contains(got, "tokio::sync::Mutex") {
		t.Errorf("swap:\n%s", got)
	}
}

// A scope the syntax alone cannot decide (does a method of no table
// borrow from the guard?) is a candidate for Ladder, with the doubt (Run
// may still fix the site another way: tokio-mutex swaps the file's lock).
func TestLadderUnsureIsACandidate(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
struct S { n: u64 }
async fn takes(n: u64) {}
fn start(m: Arc<Mutex<S>>) {
    tokio::spawn(async move {
        takes(m.lock().unwrap().summarize()).await;
    });
}
`
	site := Site{Kind: SiteHeld, Line: 6, Col: 15, Type: "std::sync::MutexGuard<'_, S>", AwaitLine: 6, AwaitCol: 46}
	cfg := DefaultConfig()
	s := site
	s.Path = "test.rs"
	cfg.Sites = []Site{s}
	r := runString(t, cfg, src)
	if len(r.Findings) != 1 || r.Findings[0].Site == nil {
		t.Fatalf("Run: %+v\n%s", r.Findings, r.Out)
	}
	cs := ladderOf(t, src, site)[0].Candidates
	if len(cs) == 0 || cs[0].Rung != RungHoist || !strings.Contains(cs[0].Unsure, "cannot tell whether") {
		t.Fatalf("candidates: %+v", cs)
	}
	if got := applied(t, src, cs[0]); !strings.Contains(got, "        takes({\n            let mut guard = m.lock().unwrap();\n            guard.summarize()\n        }).await;") {
		t.Errorf("hoist:\n%s", got)
	}
}

// A captured Rc is answered by the rc-arc finding at its binding: rustc
// names the use inside the async block.
func TestLadderCapturedRc(t *testing.T) {
	src := `use std::rc::Rc;
fn start() {
    let greeting = Rc::new(String::from("hi"));
    tokio::spawn(async move {
        println!("{greeting}");
    });
}
`
	ls := ladderOf(t, src, Site{Kind: SiteCaptured, Line: 5, Col: 20, Type: "Rc<String>"})
	cs := ls[0].Candidates
	if len(cs) != 1 || cs[0].Rung != RungRcArc || cs[0].Finding.Rule != RuleRcArc {
		t.Fatalf("candidates: %+v refusals %+v", cs, ls[0].Refusals)
	}
	if got := applied(t, src, cs[0]); !strings.Contains(got, "let greeting = Arc::new(") {
		t.Errorf("rc-arc:\n%s", got)
	}
}

// A guard used after the await: no scope, the tokio swap; two sites of
// one file get their own ladders.
func TestLadderSwapAndTwoSites(t *testing.T) {
	src := `use std::sync::{Arc, Mutex};
async fn tick() {}
fn start(m: Arc<Mutex<u64>>, n: Arc<Mutex<u64>>) {
    tokio::spawn(async move {
        let mut g = m.lock().unwrap();
        *g += 1;
        tick().await;
        *g += 1;
    });
    tokio::spawn(async move {
        let h = n.lock().unwrap();
        println!("{}", *h);
        tick().await;
    });
}
`
	ls := ladderOf(t, src,
		Site{Kind: SiteHeld, Line: 5, Col: 13, Type: "std::sync::MutexGuard<'_, u64>", AwaitLine: 7, AwaitCol: 16},
		Site{Kind: SiteHeld, Line: 11, Col: 13, Type: "std::sync::MutexGuard<'_, u64>", AwaitLine: 13, AwaitCol: 16})
	if cs := ls[0].Candidates; len(cs) != 1 || cs[0].Rung != RungTokioSwap {
		t.Errorf("used late: %+v", cs)
	}
	if cs := ls[1].Candidates; len(cs) < 1 || cs[0].Rung != RungScope {
		t.Errorf("scoped: %+v", cs)
	}
}
