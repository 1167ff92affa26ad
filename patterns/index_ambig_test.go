package patterns

import (
	"strings"
	"testing"
)

// The files of the ambiguity tests: two modules each with an async fn
// `open`, the one of fb holding a std guard across an await, and read,
// which fb's open awaits (by its path) and which holds a guard too.
const (
	ambFa = `pub async fn open() {}`
	ambFb = `use std::sync::Mutex;
static M: Mutex<u32> = Mutex::new(0);
pub async fn open() {
    let mut g = M.lock().unwrap();
    *g += 1;
    tick().await;
    read().await;
}
pub async fn read() {
    let mut g = M.lock().unwrap();
    *g += 1;
    tick().await;
}
async fn tick() {}`
)

// runAmb runs the engine on fb.rs with the Index of the given files
// (fa.rs, fb.rs, fc.rs, ... in order).
func runAmb(t *testing.T, cfg Config, srcs ...string) []Finding {
	t.Helper()
	e := NewEngine(cfg, NewIndex(summaries(t, srcs...)...))
	defer e.Close()
	res := e.Run("fb.rs", []byte(srcs[1]))
	if res.Internal != nil {
		t.Fatal(res.Internal)
	}
	return res.Findings
}

// TestAmbiguousCallMakesNoFinding: `open()` spawned by its bare name, with
// both modules' globs imported, may mean either open: neither open nor
// what it awaits becomes Send-required, so fb's guards are no finding
// (and a note alone makes none).
func TestAmbiguousCallMakesNoFinding(t *testing.T) {
	spawner := `use crate::fa::*;
use crate::fb::*;
fn start() { tokio::spawn(open()); }`
	srcs := []string{ambFa, ambFb, spawner}
	idx := NewIndex(summaries(t, srcs...)...)
	if idx.Calls.Ambiguous != 1 || idx.SendRequired("open") || idx.SendRequired("read") {
		t.Fatalf("ambiguous calls %d, open Send-required %v, read %v; want 1, false, false", idx.Calls.Ambiguous, idx.SendRequired("open"), idx.SendRequired("read"))
	}
	if fs := runAmb(t, DefaultConfig(), srcs...); len(fs) != 0 {
		t.Fatalf("findings resting on a name shared by two fns: %+v", fs)
	}
	// The same call by its path is precise: both guards are findings,
	// and no note.
	precise := strings.Replace(spawner, "spawn(open())", "spawn(crate::fb::open())", 1)
	fs := runAmb(t, DefaultConfig(), ambFa, ambFb, precise)
	if len(fs) != 2 {
		t.Fatalf("want the two guards of fb found when open is called by its path, got %+v", fs)
	}
	for _, f := range fs {
		if len(f.Notes) != 0 {
			t.Errorf("%s: notes %q on a precise match", f.Name, f.Notes)
		}
	}
}

// TestAmbiguousCallNote: where something else makes a fn Send-required
// (a precise spawn, --all-async), its findings note the ambiguous call
// that would also have: the fn it may mean, and what that fn awaits.
func TestAmbiguousCallNote(t *testing.T) {
	spawner := `use crate::fa::*;
use crate::fb::*;
fn start() { tokio::spawn(open()); }`
	wantNote := "`open()` at fc.rs:3 matched 2 async fns: the Send requirement was not taken from it"
	t.Run("read spawned by its path", func(t *testing.T) {
		other := spawner + "\nfn more() { tokio::spawn(crate::fb::read()); }"
		fs := runAmb(t, DefaultConfig(), ambFa, ambFb, other)
		if len(fs) != 1 || fs[0].Pos.Line != 10 || !fs[0].Fixed {
			t.Fatalf("want read's guard (line 10) fixed, the only finding; got %+v", fs)
		}
		if len(fs[0].Notes) != 1 || fs[0].Notes[0] != wantNote {
			t.Errorf("notes %q, want [%q]", fs[0].Notes, wantNote)
		}
	})
	t.Run("all-async", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.AllAsync = true
		fs := runAmb(t, cfg, ambFa, ambFb, spawner)
		if len(fs) != 2 {
			t.Fatalf("--all-async: want both guards of fb, got %+v", fs)
		}
		for _, f := range fs {
			if len(f.Notes) != 1 || f.Notes[0] != wantNote {
				t.Errorf("line %d: notes %q, want [%q]", f.Pos.Line, f.Notes, wantNote)
			}
		}
	})
	t.Run("awaited from a fn that is not Send-required", func(t *testing.T) {
		// The ambiguous call carries nothing from where it is: no note.
		idle := `use crate::fa::*;
use crate::fb::*;
async fn idle() { open().await; }
fn more() { tokio::spawn(crate::fb::read()); }`
		fs := runAmb(t, DefaultConfig(), ambFa, ambFb, idle)
		if len(fs) != 1 || len(fs[0].Notes) != 0 {
			t.Errorf("want read's finding without a note, got %+v", fs)
		}
	})
	t.Run("in the same file", func(t *testing.T) {
		// A method call whose receiver's type is not read, two impls
		// with the method: the note gives the line alone.
		src := `use std::sync::Mutex;
struct A; struct B { m: Mutex<u32> }
impl A { async fn open(&self) {} }
impl B {
    async fn open(&self) {
        let mut g = self.m.lock().unwrap();
        *g += 1;
        tick().await;
    }
}
async fn tick() {}
fn start(a: A, b: B) {
    tokio::spawn(async move { a.open().await });
    tokio::spawn(async move { B::open(&b).await });
}`
		fs := runAmb(t, DefaultConfig(), "", src)
		want := "`.open()` at line 13 matched 2 async fns: the Send requirement was not taken from it"
		if len(fs) != 1 || len(fs[0].Notes) != 1 || fs[0].Notes[0] != want {
			t.Errorf("want one finding noting %q, got %+v", want, fs)
		}
	})
}
