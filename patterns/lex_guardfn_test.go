package patterns

import (
	"slices"
	"testing"
)

// TestGuardFnCandidatesTokio: a fn whose result the tokens show to be
// tokio's guard (its path, or the guard type imported from tokio at the
// file's top level, after the fn too) is no candidate; an import of
// another name, in a module, in a macro, or a result type the tokens are
// unsure of (a comment after it) keeps it. Each case is checked against
// the parse: every guard fn it finds is a candidate, and where the tokens
// drop a candidate the parse finds none.
func TestGuardFnCandidatesTokio(t *testing.T) {
	const lock = "pub struct S;\nimpl S {\n    pub fn lock(&self) -> MutexGuard<'_, u8> { todo!() }\n}\n"
	cases := []struct {
		name, src string
		want      []string
		unsure    bool // the tokens keep what the parse drops
	}{
		{"tokio list", "use tokio::sync::{Mutex, MutexGuard};\n" + lock, nil, false},
		{"tokio nested", "use tokio::{\n    io,\n    sync::{Mutex, MutexGuard, Notify},\n};\n" + lock, nil, false},
		{"tokio path", "impl S { fn lock(&self) -> tokio::sync::MutexGuard<'_, u8> { todo!() } }", nil, false},
		{"tokio leading colons", "use ::tokio::sync::MutexGuard;\n" + lock, nil, false},
		{"tokio self", "use tokio::sync::MutexGuard::{self};\n" + lock, nil, false},
		{"tokio after the fn", lock + "pub(crate) use tokio::sync::MutexGuard;\n", nil, false},
		{"tokio, std path", "use tokio::sync::MutexGuard;\nimpl S { fn lock(&self) -> std::sync::MutexGuard<'_, u8> { todo!() } }", []string{"S.lock", "S::lock"}, false},
		{"tokio alias", "use tokio::sync::MutexGuard as TokioGuard;\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"std", "use std::sync::{Mutex, MutexGuard};\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"tokio in a module", "mod m { use tokio::sync::MutexGuard; }\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"tokio in a fn", "fn f() { use tokio::sync::MutexGuard; }\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"tokio in a macro", "m! { use tokio::sync::MutexGuard; }\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"tokio glob", "use tokio::sync::*;\n" + lock, []string{"S.lock", "S::lock"}, false},
		{"comment after the type", "use tokio::sync::MutexGuard;\nimpl S { fn lock(&self) -> MutexGuard<'_, u8> /* std */ { todo!() } }", []string{"S.lock", "S::lock"}, true},
		{"one of two", "use tokio::sync::RwLockReadGuard;\nimpl S {\n    fn a(&self) -> RwLockReadGuard<'_, u8> { todo!() }\n    fn b(&self) -> MutexGuard<'_, u8> { todo!() }\n}\n", []string{"S.b", "S::b"}, false},
	}
	e := NewEngine(DefaultConfig(), nil)
	for _, c := range cases {
		got := GuardFnCandidates([]byte(c.src))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: GuardFnCandidates = %q, want %q", c.name, got, c.want)
		}
		parsed := e.GuardSummary("a.rs", []byte(c.src)).GuardFns
		checkCandidates(t, c.name, got, parsed)
		if len(c.want) > 0 && len(parsed) == 0 != c.unsure {
			t.Errorf("%s: the parse finds guard fns %v, the case says it finds them: %v", c.name, parsed, !c.unsure)
		}
	}
}
