package patterns

import (
	"maps"
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

// TestTokenGuardFns: where the tokens are sure of every fn returning a
// guard type, they give the keys and kinds the parse gives, on shapes
// that tell the keys apart, on every golden input and corpus file, and
// on the folders in $SENDFIX_HANDOFF_DIRS; most files with candidates
// are read so.
func TestTokenGuardFns(t *testing.T) {
	e := NewEngine(DefaultConfig(), nil)
	check := func(name string, src []byte) (certain bool) {
		r := readGuardFns(src)
		if !r.certain {
			return false
		}
		if parsed := e.GuardSummary(name, src).GuardFns; !maps.Equal(r.decls, parsed) && len(r.decls)+len(parsed) > 0 {
			t.Errorf("%s: the tokens give %v, the parse %v", name, r.decls, parsed)
		}
		return true
	}
	shapes := []struct {
		src     string
		certain bool
	}{
		{"impl S { fn a(&self) -> MutexGuard<'_, u8> { x } fn b(&'a mut self) -> MutexGuard<'_, u8> { x } fn c(mut self) -> MutexGuard<'static, u8> { x } }", true},
		{"impl S { fn d(self: Box<Self>) -> MutexGuard<'static, u8> { x } fn e() -> RwLockReadGuard<'static, u8> { x } fn f<F: Fn(u8)>(f: F) -> RwLockWriteGuard<'static, u8> { x } }", true},
		{"trait T { fn g(&self) -> MutexGuard<'_, u8>; fn h(&self) -> MutexGuard<'_, u8> { x } }", true},
		{"impl<T> Trait for a::b::Shared<T> where T: Send { fn i(&self) -> std::sync::MutexGuard<'_, T> { x } }", true},
		{"impl S { fn outer(&self) { fn inner() -> MutexGuard<'static, u8> { x } } }\nmod m { fn free() -> MutexGuard<'static, u8> { x } }", true},
		{"impl<'a, T> MutexGuard<'a, T> { fn map(this: Self) -> MutexGuard<'a, T> { x } }", true},
		{"impl S { fn j(&self) -> MutexGuard<'_, u8> where u8: Send { x } }", true},
		{"impl S { fn k(#[cfg(x)] &self) -> MutexGuard<'_, u8> { x } }", false},
		{"impl Tr for &S { fn l(&self) -> MutexGuard<'_, u8> { x } }", false},
		{"impl Tr for (A, B) { fn m(&self) -> MutexGuard<'_, u8> { x } }", false},
		{"m! { fn n() -> MutexGuard<'static, u8> { x } }", false},
		{"m!(fn o() -> MutexGuard<'static, u8> { x });", false},
		{"fn p() -> MutexGuard<'static, u8> /* c */ { x }", false},
	}
	for _, c := range shapes {
		if got := check(c.src, []byte(c.src)); got != c.certain {
			t.Errorf("%s: certain %v, want %v", c.src, got, c.certain)
		}
	}
	files := append(goldenInputs(t), corpusFiles(t)...)
	for _, dir := range extraDirs() {
		files = append(files, rsFiles(t, dir)...)
	}
	with, certain := 0, 0
	for _, p := range files {
		src := mustRead(t, p)
		if !MayDeclareGuardFn(src) || len(GuardFnCandidates(src)) == 0 {
			continue
		}
		with++
		if check(p, src) {
			certain++
		}
	}
	if certain*2 < with {
		t.Errorf("the tokens are sure of %d of %d files with candidates", certain, with)
	}
	t.Logf("sure of %d of %d files with candidates", certain, with)
}
