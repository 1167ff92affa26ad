package patterns

import (
	"strings"
	"testing"
)

// guardAdapters declares guard-returning fns the way lock_api, parking_lot
// and tokio do: on the guard types themselves. None is an acquisition.
const guardAdapters = `pub struct RwLockReadGuard<'a, T>(&'a T);
pub struct RwLockWriteGuard<'a, T>(&'a T);
impl<'a, T> RwLockReadGuard<'a, T> {
    pub fn map<U, F: FnOnce(&T) -> &U>(this: Self, f: F) -> RwLockReadGuard<'a, U> { todo!() }
}
impl<'a, T> RwLockWriteGuard<'a, T> {
    pub fn downgrade(self) -> RwLockReadGuard<'a, T> { todo!() }
}
pub struct Upgradable<'a, T>(&'a T);
impl<'a, T> Upgradable<'a, T> {
    pub fn upgrade(self) -> RwLockWriteGuard<'a, T> { todo!() }
}`

// runWith runs the default rules on src with an Index of the other files.
func runWith(t *testing.T, src string, others ...string) *Result {
	t.Helper()
	idx := NewIndex(summaries(t, append(others, src)...)...)
	e := NewEngine(DefaultConfig(), idx)
	defer e.Close()
	return e.Run("main.rs", []byte(src))
}

func TestGuardFnAdaptersAndStdNamesAreNotAcquisitions(t *testing.T) {
	src := `use std::sync::Arc;
async fn tick() {}
fn go(tx: Arc<Tx>, w: Weak) {
    tokio::spawn(async move {
        let processes = (0..10usize).map(|i| i + 1);
        let tx_weak = tx.clone().downgrade();
        tick().await;
        if let Some(sender) = w.upgrade() {
            tick().await;
            drop(sender);
        }
        drop((processes, tx_weak));
    });
}`
	if r := runWith(t, src, guardAdapters); len(r.Findings) != 0 || r.Changed() {
		t.Errorf("map/downgrade/upgrade of guard types elsewhere are not acquisitions: %+v", r.Findings)
	}
}

const stateMethod = `use std::sync::{Mutex, MutexGuard};
pub struct Shared(Mutex<u32>);
impl Shared {
    pub fn state(&self) -> MutexGuard<'_, u32> { self.0.lock().unwrap() }
}`

const spawnState = `use std::sync::Arc;
async fn tick() {}
fn go(s: Arc<Shared>) {
    tokio::spawn(async move {
        let mut g = s.state();
        *g += 1;
        tick().await;
    });
}
`

func TestGuardMethodUnambiguousCallMatches(t *testing.T) {
	r := runWith(t, spawnState, stateMethod)
	if len(r.Findings) != 1 || !r.Findings[0].Fixed || r.Findings[0].Name != "g" {
		t.Fatalf("s.state() of the one guard-returning state() should be scoped: %+v", r.Findings)
	}
	if idx := NewIndex(summaries(t, stateMethod)...); declaredGuard(idx, "state") != "MutexGuard" {
		t.Errorf("GuardFn(state) = %q", declaredGuard(idx, "state"))
	}
}

func TestGuardMethodAmbiguousCallDoesNotMatch(t *testing.T) {
	// A state() of this file that returns no guard: s.state() may be it.
	local := spawnState + "pub struct Other;\nimpl Other { pub fn state(&self) -> u32 { 0 } }\n"
	if r := runWith(t, local, stateMethod); len(r.Findings) != 0 {
		t.Errorf("s.state() is ambiguous with Other::state in the calling file: %+v", r.Findings)
	}
	// Two guard-returning state() fns in the given files.
	other := `use std::sync::{Mutex, MutexGuard};
pub struct B(Mutex<u32>);
impl B { pub fn state(&self) -> MutexGuard<'_, u32> { self.0.lock().unwrap() } }`
	if r := runWith(t, spawnState, stateMethod, other); len(r.Findings) != 0 {
		t.Errorf("s.state() is ambiguous between two impls: %+v", r.Findings)
	}
}

func TestGuardFreeFnMatchesOnlyFreeCalls(t *testing.T) {
	free := `use std::sync::{Mutex, MutexGuard};
pub fn state(m: &Mutex<u32>) -> MutexGuard<'_, u32> { m.lock().unwrap() }`
	if r := runWith(t, spawnState, free); len(r.Findings) != 0 {
		t.Errorf("a method call s.state() is not a call of the free fn state(): %+v", r.Findings)
	}
	pathCall := strings.Replace(spawnState, "s.state()", "crate::state(&s.0)", 1)
	if r := runWith(t, pathCall, free); len(r.Findings) != 1 || !r.Findings[0].Fixed {
		t.Errorf("crate::state(..) calls the free fn: %+v", r.Findings)
	}
	typeCall := strings.Replace(spawnState, "s.state()", "Shared::state(&s.0)", 1)
	if r := runWith(t, typeCall, free); len(r.Findings) != 0 {
		t.Errorf("Shared::state(..) is an associated fn, not the free fn: %+v", r.Findings)
	}
}

func TestGuardMethodSelfCallsInItsImpl(t *testing.T) {
	// `map` is a common name: only self.map() inside impl Shared matches.
	src := `use std::sync::{Arc, Mutex, MutexGuard};
async fn tick() {}
pub struct Shared(Mutex<u32>);
impl Shared {
    fn map(&self) -> MutexGuard<'_, u32> { self.0.lock().unwrap() }
    fn go(self: Arc<Self>) {
        tokio::spawn(async move {
            let mut g = self.map();
            *g += 1;
            tick().await;
        });
    }
    fn assoc(s: &Shared) -> MutexGuard<'_, u32> { s.0.lock().unwrap() }
    fn go2(self: Arc<Self>) {
        tokio::spawn(async move {
            let mut g = Self::assoc(&self);
            *g += 1;
            tick().await;
        });
    }
}
pub struct Other;
impl Other {
    fn go(v: Vec<u32>) {
        tokio::spawn(async move {
            let it = v.iter().map(|x| x + 1);
            tick().await;
            drop(it);
        });
    }
}`
	r := runWith(t, src)
	if len(r.Findings) != 2 {
		t.Fatalf("want self.map() and Self::assoc() guards, not v.iter().map(): %+v", r.Findings)
	}
	for _, f := range r.Findings {
		if !f.Fixed || f.Name != "g" {
			t.Errorf("finding %+v should be a fixed guard g", f)
		}
	}
}

func TestGuardFnOfTokioGuardIsNotIndexed(t *testing.T) {
	tokioState := `use tokio::sync::{Mutex, MutexGuard};
pub fn state(m: &Mutex<u32>) -> MutexGuard<'_, u32> { m.try_lock().unwrap() }`
	free := strings.Replace(spawnState, "s.state()", "state(&s.0)", 1)
	if r := runWith(t, free, tokioState); len(r.Findings) != 0 {
		t.Errorf("tokio's MutexGuard is Send: %+v", r.Findings)
	}
	if ix := NewIndex(summaries(t, tokioState)...); declaredGuard(ix, "state") != "" {
		t.Errorf("GuardFn(state) = %q for a tokio guard", declaredGuard(ix, "state"))
	}
}

// declaredGuard returns the guard type that a fn called name is declared
// to return in the indexed files, or "".
func declaredGuard(ix *Index, name string) string {
	for k, v := range ix.guardDecls {
		if k[strings.LastIndexAny(k, ".:")+1:] == name {
			return v
		}
	}
	return ""
}
