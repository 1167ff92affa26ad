package patterns

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestHasAcquisition(t *testing.T) {
	cases := []struct {
		src  string
		pl   bool
		want bool
	}{
		{"m.lock().unwrap()", false, true},
		{"m.lock().expect(\"x\")", false, true},
		{"m.lock().unwrap_or_else(PoisonError::into_inner)", false, true},
		{"m . lock ( ) . unwrap ( )", false, true},
		{"m\n    .lock()\n    .unwrap()", false, true},
		{"m.\n    lock()", false, false},
		{"m./* c */lock/* d */(/* e */)/* f */./* g */unwrap()", false, true},
		{"m. // c\n  lock() // d\n  .unwrap()", false, true},
		{"m.lock/* a /* nested */ b */().unwrap()", false, true},
		{"(m.lock()).unwrap()", false, true},
		{"let Ok(g) = m.lock() else { return };", false, true},
		{"let Ok(g) = (m.lock()) else { return };", false, true},
		{"if let Ok(g) = m.lock() {", false, true},
		{"match m.lock() {", false, true},
		{"if let Ok(g) = m.lock() && ok {", false, true},
		{"let g = m.lock();", false, false},
		{"let g = m.lock();", true, true},
		{"m.lock().await", false, false},
		{"m.lock().await", true, false},
		{"m.lock() /* c */ . // d\n await", true, false},
		{"(m.lock()).await", true, true},
		{"m.lock().awaited()", true, true},
		{"m.lock()?", false, true},
		{"m.lock().map_err(E::from)?", false, true},
		{"m\n    .lock()\n    .map_err(|e| e.to_string())?", false, true},
		{"m.lock().ok()?", false, true},
		{"m.lock().elsewhere()", false, false},
		{"let g = m.lock(x).unwrap();", false, false},
		{"let g = m.lock(x);", true, false},
		{"m.locked().unwrap()", false, false},
		{"m.unlock().unwrap()", false, false},
		{"lock().unwrap()", false, false},
		{"Mutex::lock(&m).unwrap()", false, false},
		{"// lock()\nx.lock", false, false},
		{"m.lock(", true, false},
		{"m.lock()", false, false},
		{"m.lock()\u2028.unwrap()", false, true},
		{"m.lock(\u0085)\u200e.unwrap()", false, true},
	}
	for _, c := range cases {
		if got := hasAcquisition([]byte(c.src), []byte("lock"), c.pl, nil); got != c.want {
			t.Errorf("hasAcquisition(%q, lock, parking_lot=%v) = %v, want %v", c.src, c.pl, got, c.want)
		}
	}
}

func TestHasGuardFnCall(t *testing.T) {
	cases := []struct {
		key, src string
		want     bool
	}{
		{"state", "let g = state();", true},
		{"state", "let g = self.state();", false}, // a method call: never a free fn's
		{"state", "let g = x..state();", true},    // a range
		{"state", "let g = Self::state ();", true},
		{"state", "let g = state::<u8>(x);", true},
		{"state", "let g = state/* c */();", true},
		{"state", "let g = restate();", false},
		{"state", "let g = state_of();", false},
		{"state", "let state = 1;", false},
		{"state", "s.state.len()", false},
		{"S::state", "let g = S::state();", true},
		{"S::state", "impl S { fn f() { let g = Self:: state(); } }", true},
		{"S::state", "impl T { fn f() { let g = Self::state(); } }", false}, // no S: Self is another type
		{"S::state", "let g = state();", false},
		{"S::state", "let g = io::state();", false},
		{"S::state", "let g = crate::m::state();", false},
		{"S::state", "let g = <S as T>::state();", true},
		{"S::state", "let g = S::<u8>::state();", true},
		{"S::state", "let g = S /* c */ :: state();", true},
		{"S::state", "let g = s.state();", false},
		{"S.state", "let g = s.state();", true},
		{"S.state", "let g = S::state(&s);", true},
		{"S.state", "let g = state();", false},
		{"S.lock", "impl S { fn f(&self) { " + "let g = self.lock();" + " } }", true},
		{"S.lock", "impl S { fn f(&self) { " + "let g = self . lock ();" + " } }", true},
		{"S.lock", "impl S { fn f(&self) { " + "let g = (self).lock();" + " } }", true},
		{"S.lock", "impl S { fn f(&self) { " + "let g = self // c\n    .lock();" + " } }", true},
		{"S.lock", "impl S { fn f(&self) { " + "let g = Self::lock(self);" + " } }", true},
		{"S.lock", "let g = self.inner.lock();", false},
		{"S.lock", "let g = myself.lock();", false},
		{"S.lock", "let g = lock();", false},
		{"S.lock", "impl T { fn f(&self) { let g = self.lock(); } }", false}, // no S spelled
		{"S.state", "impl T { fn f(&self) { let g = x.state(); } }", true},   // any receiver
	}
	for _, c := range cases {
		if got := hasGuardFnCall([]byte(c.src), c.key, nil); got != c.want {
			t.Errorf("hasGuardFnCall(%q, %q) = %v, want %v", c.src, c.key, got, c.want)
		}
	}
}

func TestMayMatchRules(t *testing.T) {
	only := func(rules ...string) Config {
		c := Config{Rules: map[string]bool{}}
		for _, r := range rules {
			c.Rules[r] = true
		}
		return c
	}
	// Spawned, so that the bodies must be Send whatever the Index.
	held := []byte("fn f() { tokio::spawn(async { let g = m.lock().unwrap(); x().await; }); }")
	rc := []byte("fn f() { let r = Rc::new(1); tokio::spawn(async move { r.len() }); }")
	// The future spawned is an async fn's: its parameter, where the Rc
	// lands, is another file's business.
	rcArg := []byte("fn f() { let r = Rc::new(1); tokio::spawn(g(r)); }")
	plain := []byte("fn f() { let g = m.lock().unwrap(); }")
	for _, c := range []struct {
		name string
		src  []byte
		cfg  Config
		want bool
	}{
		{"guard/all", held, DefaultConfig(), true},
		{"guard/mutex-scope", held, only(RuleMutexScope), true},
		{"guard/tokio-mutex", held, only(RuleTokioMutex), true},
		{"guard/rc-arc", held, only(RuleRcArc), false},
		{"guard/none", held, only(), false},
		{"rc/all", rc, DefaultConfig(), true},
		{"rc/rc-arc", rc, only(RuleRcArc), true},
		{"rc/mutex-scope", rc, only(RuleMutexScope), false},
		{"rc-arg/all", rcArg, DefaultConfig(), false},
		{"sync/all", plain, DefaultConfig(), false},
		{"sync/sites", plain, Config{Rules: DefaultConfig().Rules, Sites: []Site{{Path: "x.rs", Kind: SiteBody, Line: 1, Col: 1}}}, true},
	} {
		if got := MayMatch(c.src, c.cfg); got != c.want {
			t.Errorf("%s: MayMatch = %v, want %v", c.name, got, c.want)
		}
		if got := NewIndex().MayMatch("x.rs", c.src, c.cfg); got != c.want {
			t.Errorf("%s: Index.MayMatch = %v, want %v", c.name, got, c.want)
		}
	}
	// A BOM or Unicode whitespace before a keyword is no identifier byte.
	bom := []byte("\ufeffasync fn f(m: &M) {\u2028let g = m.lock().unwrap();\u2028x().await; }")
	var any *Index
	if !any.MayMatch("x.rs", bom, DefaultConfig()) {
		t.Error("Index.MayMatch rejects a file starting with a BOM before async")
	}
	// Weak counts for rc-arc only with std::rc in sight.
	for src, want := range map[string]bool{
		"use std::sync::{Arc, Weak}; async fn f(w: Weak<u8>) { Arc::new(1); }": false,
		"use std::rc::Weak; async fn f(w: Weak<u8>) {}":                        true,
		"use std::{rc::Weak}; async fn f(w: Weak<u8>) {}":                      true,
		"async fn f(w: std::rc::Weak<u8>) {}":                                  true,
	} {
		if got := MayMatch([]byte(src), only(RuleRcArc)); got != want {
			t.Errorf("MayMatch(%q, rc-arc) = %v, want %v", src, got, want)
		}
	}
	// A guard from a fn of another file: only the index knows.
	other := []byte("fn f(s: S) { tokio::spawn(async move { let g = state(&s); x().await; g.len(); }); }")
	if !MayMatch(other, DefaultConfig()) {
		t.Error("MayMatch must let a file through whose guard may come from another file")
	}
	if NewIndex().MayMatch("x.rs", other, DefaultConfig()) {
		t.Error("Index.MayMatch with no guard-returning fns should reject the file")
	}
	ix := NewIndex(&Summary{Path: "s.rs", GuardFns: map[string]string{"state": "MutexGuard"}})
	if !ix.MayMatch("x.rs", other, DefaultConfig()) {
		t.Error("Index.MayMatch must let the file through when another file declares state() returning a guard")
	}
}

// goldenInputs returns every golden input file, sorted.
func goldenInputs(t *testing.T) []string {
	t.Helper()
	in, err := filepath.Glob(filepath.Join("..", "golden", "testdata", "*", "*.input.rs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(in) == 0 {
		t.Fatal("no golden inputs under ../golden/testdata")
	}
	sort.Strings(in)
	return in
}

// checkPrefilter runs src, the file at path, through the engine under
// cfg and idx and fails when the engine reports a finding that MayMatch
// or Index.MayMatch ruled out, with idx and with schedIdx (the Index a run
// builds, whose guard-returning fns are only those of the declarations
// the schedule parses). It returns the number of findings.
func checkPrefilter(t *testing.T, name, path string, src []byte, cfg Config, idx, schedIdx *Index) int {
	e := NewEngine(cfg, idx)
	res := e.Run(path, src)
	e.Close()
	if len(res.Findings) == 0 {
		return 0
	}
	f := res.Findings[0]
	if !MayMatch(src, cfg) {
		t.Errorf("%s: MayMatch is false but the engine reports %s at %d:%d", name, f.Rule, f.Pos.Line, f.Pos.Col)
	}
	if !idx.MayMatch(path, src, cfg) {
		t.Errorf("%s: Index.MayMatch is false but the engine reports %s at %d:%d", name, f.Rule, f.Pos.Line, f.Pos.Col)
	}
	if !schedIdx.MayMatch(path, src, cfg) {
		t.Errorf("%s: Index.MayMatch with the scheduled guard fns is false but the engine reports %s at %d:%d", name, f.Rule, f.Pos.Line, f.Pos.Col)
	}
	if !schedIdx.MayNeedLook(Summarize(path, src), cfg) {
		t.Errorf("%s: Index.MayNeedLook is false but the engine reports %s at %d:%d", name, f.Rule, f.Pos.Line, f.Pos.Col)
	}
	return len(res.Findings)
}

// TestPrefilterGolden: every golden input passes the prefilter, and no
// case's findings are ruled out by it or by Scan, with every rule on, with
// --all-async, and with each rule alone.
func TestPrefilterGolden(t *testing.T) {
	cfgs := map[string]Config{"default": DefaultConfig()}
	all := DefaultConfig()
	all.AllAsync = true
	cfgs["all-async"] = all
	for _, r := range AllRules {
		cfgs[r] = Config{Rules: map[string]bool{r: true}}
	}
	findings := 0
	for _, in := range goldenInputs(t) {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(in)) + "/" + filepath.Base(in)
		if !MayMatch(src, DefaultConfig()) {
			t.Errorf("%s: fails MayMatch", name)
		}
		s := NewEngine(DefaultConfig(), nil)
		idx := NewIndex(s.Summarize("src/main.rs", src))
		s.Close()
		for _, cfg := range cfgs {
			findings += checkPrefilter(t, name, "src/main.rs", src, cfg, idx, idx)
		}
	}
	if findings == 0 {
		t.Fatal("no golden input produced a finding: the check proved nothing")
	}
}

// TestPrefilterVariants: the byte-level tests tolerate whitespace and
// comments between the tokens they look for, as the grammar does. Every
// golden input is rewritten with the tokens of each acquisition shape the
// prefilter accepts (the lock call, what follows it, the receiver of a
// guard-returning method, the await) spread out, and must still pass
// wherever the engine finds something.
func TestPrefilterVariants(t *testing.T) {
	spread := func(old, new string) func(string) string {
		return func(s string) string { return strings.ReplaceAll(s, old, new) }
	}
	variants := []func(string) string{
		spread(".lock()", ". lock ()"),
		spread(".lock()", "\n.lock\n()"),
		spread(".lock()", "./* x */lock/* y */(/* z */)"),
		spread(".lock()", ". // x\nlock()"),
		spread(".lock()", ".lock() /* x */"),
		spread(".lock()", ".lock() // x\n"),
		spread(".lock().", ".lock()\n    .\n    "),
		spread(".lock().", ".lock() /* x /* y */ */ . // z\n"),
		spread(".read()", "\n. read ( ) // x\n"),
		spread(".read().", ".read()\n/* x */.\n"),
		spread(".write()", "\n. write ( ) /* x */\n"),
		spread(".write().", ".write()\n// x\n."),
		spread(".await", "\n.await"),
		spread(".await", "./* x */await"),
		spread("self.", "self\n    ."),
		spread("self.", "self /* x */ . // y\n"),
		spread("::", " ::/* x */\n"),
		func(s string) string { return "\ufeff" + strings.TrimLeft(s, " \t\r\n") },
	}
	tried := make([]int, len(variants))
	for _, in := range goldenInputs(t) {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range variants {
			out := []byte(v(string(src)))
			if bytes.Equal(out, src) {
				continue
			}
			name := filepath.Base(in) + "#" + string(rune('a'+i))
			s := NewEngine(DefaultConfig(), nil)
			idx := NewIndex(s.Summarize("src/main.rs", out))
			s.Close()
			tried[i] += checkPrefilter(t, name, "src/main.rs", out, DefaultConfig(), idx, idx)
		}
	}
	for i, n := range tried {
		if n == 0 {
			t.Errorf("variant %c produced no finding in any golden input: it checks nothing", 'a'+i)
		}
	}
}

// TestPrefilterGuardFnsElsewhere: a guard may come from a fn declared in
// another file, which Index.MayMatch knows of by its declaration's shape
// alone. Every golden input that declares guard-returning fns is checked
// as if those declarations were in another file (the guard types renamed
// away here, the fns given through the index), alone and with the calls'
// tokens spread out.
func TestPrefilterGuardFnsElsewhere(t *testing.T) {
	hide := strings.NewReplacer("MutexGuard", "MutexGrd", "RwLockReadGuard", "RwLockReadGrd", "RwLockWriteGuard", "RwLockWriteGrd")
	variants := []func(string) string{
		func(s string) string { return s },
		func(s string) string { return strings.ReplaceAll(s, "self.", "self\n    .") },
		func(s string) string { return strings.ReplaceAll(s, "self.", "self /* x */ . // y\n") },
		func(s string) string { return strings.ReplaceAll(s, "::", " ::/* x */\n") },
	}
	found := 0
	for _, in := range goldenInputs(t) {
		src, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		e := NewEngine(DefaultConfig(), nil)
		decls := e.Summarize("src/lock.rs", src).GuardFns
		if len(decls) == 0 {
			e.Close()
			continue
		}
		cands := GuardFnCandidates(src)
		checkCandidates(t, in, cands, decls)
		names := map[string]bool{}
		for _, n := range cands {
			names[n] = true
		}
		for i, v := range variants {
			out := []byte(hide.Replace(v(string(src))))
			if MayDeclareGuardFn(out) {
				t.Fatalf("%s: the guard types are still spelled", in)
			}
			name := filepath.Base(in) + "#" + string(rune('a'+i))
			sum := e.Summarize("src/main.rs", out)
			guards := &Summary{Path: "src/lock.rs", GuardFns: decls}
			// The schedule's Index gets only the declarations a run parses:
			// those of src's candidate keys that out calls.
			lazy := &Summary{Path: "src/lock.rs", GuardFns: map[string]string{}}
			for _, k := range CalledKeys(out, names) {
				if v, ok := decls[k]; ok {
					lazy.GuardFns[k] = v
				}
			}
			found += checkPrefilter(t, name, "src/main.rs", out, DefaultConfig(), NewIndex(sum, guards), NewIndex(sum, lazy))
		}
		e.Close()
	}
	if found == 0 {
		t.Fatal("no golden input found a guard from a fn of another file: the check proved nothing")
	}
}

// checkCandidates fails when a guard-returning fn of decls (by
// guardDeclKey) is not among the candidate keys of its file.
func checkCandidates(t *testing.T, name string, cands []string, decls map[string]string) {
	t.Helper()
	for k := range decls {
		if !slices.Contains(cands, k) {
			t.Errorf("%s: the guard-returning fn %s is not among the candidates %q", name, k, cands)
		}
	}
}

// TestGuardFnCandidates: the token scan finds the keys of the fns whose
// signature returns a guard, wherever the signature ends and whatever
// impl or trait they are written in.
func TestGuardFnCandidates(t *testing.T) {
	cases := []struct {
		src  string
		want []string
	}{
		{"fn state(&self) -> MutexGuard<'_, u8> { x }", []string{"state"}},
		{"fn plain(&self) -> u8 { let g: MutexGuard<u8> = m; 0 }", nil},
		{"trait T { fn g(&self) -> RwLockReadGuard<'_, u8>; fn h(&self); }", []string{"T.g", "T::g"}},
		{"impl<T: Into<u8>> a::Shared<T> where T: Send { fn g(&self) -> MutexGuard<'_, T> { x } }", []string{"Shared.g", "Shared::g"}},
		{"impl<T> From<T> for Shared<T> { fn g() -> MutexGuard<'static, T> { x } }", []string{"Shared.g", "Shared::g"}},
		{"#[cfg(x)]\nimpl Shared { fn f(&self) -> impl Fn() { || {} } fn g(&self) -> MutexGuard<u8> { x } }", []string{"Shared.g", "Shared::g"}},
		{"impl S { fn f(&self) { fn inner() -> MutexGuard<'static, u8> { x } } }", []string{"inner"}},
		{"mod m { fn g() -> MutexGuard<'static, u8> { x } }", []string{"g"}},
		{"fn f(x: impl Fn()) {} fn g() -> MutexGuard<'static, u8> { x }", []string{"g"}},
		{"impl<'a, T> RwLockReadGuard<'a, T> { fn map(this: Self) -> RwLockReadGuard<'a, T> { x } }", nil},
		{"impl Buf<[u8; { N }]> { fn g(&self) -> MutexGuard<u8> { x } }", []string{"Buf.g", "Buf::g"}},
		{"fn r#match(&self) -> MutexGuard<u8> {}", []string{"r#match"}},
		{"fn c(x: [u8; 4]) -> MutexGuard<u8> {}", []string{"c"}},
		{"fn k(x: Foo<{ N }>) -> MutexGuard<u8> {}", []string{"k"}},
		{"fn k2(x: Foo<A, { N }>, y: Foo<N = {3}>) -> MutexGuard<u8> {}", []string{"k2"}},
		{"fn w<T>(&self) -> std::sync::MutexGuard<T>\nwhere\n    T: Send,\n{}", []string{"w"}},
		{"fn cm(&self) /* { ; */ -> // {\n MutexGuard<u8> {}", []string{"cm"}},
		{"fn at(#[doc = \"{;\"] x: u8) -> MutexGuard<u8> {}", []string{"at"}},
		{"fn p(f: fn() -> u8) -> MutexGuard<u8> {}", []string{"p"}},
		{"fn\n  spaced /* x */ () -> MutexGuard<u8> {}", []string{"spaced"}},
		{"fn a() -> u8 {} fn b() -> RwLockWriteGuard<u8> {} fn a2() {}", []string{"b"}},
		{"my_fn(x) -> MutexGuard", nil},
		{"fn verrouillé(&self) -> MutexGuard<u8> {}", []string{"verrouillé"}},
		{"fn t(&self) -> Result<MutexGuard<u8>, E> {} fn m(&self) -> MappedMutexGuard<u8> {}", nil},
		{"fn s(&self) -> std :: sync /* x */ :: MutexGuard<u8> {}", []string{"s"}},
		{"fn n(&self, g: MutexGuard<u8>) {}", nil},
	}
	for _, c := range cases {
		got := GuardFnCandidates([]byte(c.src))
		if !slices.Equal(got, c.want) {
			t.Errorf("GuardFnCandidates(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

// TestCalledNames: a name counts as called when `(` or a turbofish
// follows it, past whitespace and comments.
func TestCalledNames(t *testing.T) {
	names := map[string]bool{"state": true, "guard": true, "other": true, "verrouillé": true, "lock": true}
	cases := []struct {
		src  string
		want []string
	}{
		{"let g = self.state();", []string{"state"}},
		{"let g = self.verrouillé();", []string{"verrouillé"}},
		{"let g = Shared::state /* x */ (&s);", []string{"state"}},
		{"let g = guard::<u8>(); let h = state\n(x);", []string{"guard", "state"}},
		{"let state = 1; other.len(); x.state_of(); my_state();", nil},
		{"\ufeffstate();", []string{"state"}},
		{"r#state();", []string{"state"}},
		{"let s = S { guard: 1 }; let guard: u8 = 2;", nil}, // a field or a type, not a turbofish
		{"étatstate(); stateé();", nil},
		{"state\u2028();", []string{"state"}},   // Unicode whitespace ends a name
		{"x;\u2028state();", []string{"state"}}, // and starts none
		// lock is a common method: after a dot only a self receiver counts.
		{"m.lock(); m.inner.lock().unwrap();", nil},
		{"self.lock();", []string{"lock"}},
		{"(self).lock();", []string{"lock"}},
		{"Self::lock(self);", []string{"lock"}},
		{"lock();", []string{"lock"}},
	}
	for _, c := range cases {
		got := calledNames([]byte(c.src), names, nil)
		if !slices.Equal(got, c.want) {
			t.Errorf("calledNames(%q) = %q, want %q", c.src, got, c.want)
		}
	}
}

// corpusRoot is where Debian's Rust crate sources are installed.
const corpusRoot = "/usr/share/cargo/registry"

// TestPrefilterCorpus checks the prefilter's promise, and that the default
// rules report nothing on code that compiles, on every .rs file of
// the Debian crate sources (about 2,900 files, 35 MB): whenever the engine
// reports a finding in a file, MayMatch and Index.MayMatch let that file
// through. The index is built from the whole corpus, as one run over
// it would, and the engine runs under the default rules and under
// --all-async (every async body Send-required, the most any index can
// give). Files are checked in parallel, one engine per worker.
func TestPrefilterCorpus(t *testing.T) {
	files := corpusFiles(t)
	cfg := DefaultConfig()
	all := DefaultConfig()
	all.AllAsync = true

	sums := make([]*Summary, len(files))
	parallel(t, files, func(e **Engine, i int, src []byte) {
		if *e == nil {
			*e = NewEngine(cfg, nil)
		}
		sums[i] = (*e).Summarize(files[i], src)
	})
	// The guard index is the one a run builds: the declaring files whose
	// candidate keys (a token scan) a file passing MayMatch calls.
	cands := map[string]bool{}
	candsOf := make([][]string, len(files))
	for i, s := range sums {
		if s == nil {
			continue
		}
		src := mustRead(t, files[i])
		if !MayDeclareGuardFn(src) {
			continue
		}
		candsOf[i] = GuardFnCandidates(src)
		checkCandidates(t, files[i], candsOf[i], s.GuardFns)
		for _, n := range candsOf[i] {
			cands[n] = true
		}
	}
	tokens := make([]*Summary, len(sums))
	for i, s := range sums {
		tokens[i] = &Summary{Path: s.Path, fns: s.fns, calls: s.calls, uses: s.uses, types: s.types, mods: s.mods, words: s.words}
	}
	idx := NewIndex(sums...)
	// The schedule's Index, for each configuration: the tokens' facts, and the
	// guard-returning fns of the declaring files whose candidate keys a
	// file passing MayMatch calls in the second look (Index.Look).
	scheduled := map[bool]*Index{}
	for _, c := range []Config{cfg, all} {
		tokIdx := NewIndex(tokens...)
		called := map[string]bool{}
		for i, f := range files {
			if src := mustRead(t, f); MayMatch(src, c) {
				ns, _ := tokIdx.Look(files[i], src, cands, c)
				for _, n := range ns {
					called[n] = true
				}
			}
		}
		var guardSums []*Summary
		for i, cs := range candsOf {
			for _, n := range cs {
				if called[n] {
					guardSums = append(guardSums, &Summary{Path: files[i], GuardFns: sums[i].GuardFns})
					break
				}
			}
		}
		tokIdx.AddGuardFns(guardSums...)
		scheduled[c.AllAsync] = tokIdx
	}

	var mu sync.Mutex
	passed, found := 0, 0
	parallel(t, files, func(_ **Engine, i int, src []byte) {
		n := 0
		for _, c := range []Config{cfg, all} {
			k := checkPrefilter(t, files[i], files[i], src, c, idx, scheduled[c.AllAsync])
			if k > 0 && !c.AllAsync {
				// The corpus compiles: a finding under the default
				// rules is a false one.
				t.Errorf("%s: %d findings with the default rules on code that compiles", files[i], k)
			}
			n += k
		}
		mu.Lock()
		defer mu.Unlock()
		if idx.MayMatch(files[i], src, cfg) {
			passed++
		}
		if n > 0 {
			found++
		}
	})
	t.Logf("%d corpus files: %d (%.1f%%) pass Index.MayMatch, %d have findings", len(files), passed, 100*float64(passed)/float64(len(files)), found)
}

// corpusFiles lists the corpus, or skips (loudly) when it is absent and
// the environment does not require it.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	root := corpusRoot
	if _, err := os.Stat(root); err != nil {
		if os.Getenv("SENDFIX_REQUIRE_RUSTC") != "" {
			t.Fatalf("%s is missing (SENDFIX_REQUIRE_RUSTC is set): apt-get install -y librust-tokio-dev", root)
		}
		t.Skipf("SKIP: %s is missing; apt-get install -y librust-tokio-dev to run the corpus property", root)
	}
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".rs") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("only %d .rs files under %s; is librust-tokio-dev installed?", len(files), root)
	}
	sort.Strings(files)
	return files
}

func mustRead(t *testing.T, path string) []byte {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// parallel calls f on every file from GOMAXPROCS workers; each worker has
// an engine slot f may fill, closed at the end.
func parallel(t *testing.T, files []string, f func(e **Engine, i int, src []byte)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var e *Engine
			defer func() {
				if e != nil {
					e.Close()
				}
			}()
			for i := range next {
				src, err := os.ReadFile(files[i])
				if err != nil {
					t.Error(err)
					continue
				}
				f(&e, i, src)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
}

// TestGlance: Glance gives what MayMatch, MayNeedSummary,
// MayDeclareGuardFn and GuardFnCandidates give one by one, on every golden
// input and corpus file, under every rule set.
func TestGlance(t *testing.T) {
	cfgs := []Config{DefaultConfig(), {Rules: map[string]bool{RuleRcArc: true}}, {Rules: map[string]bool{RuleMutexScope: true}}}
	files := append(goldenInputs(t), corpusFiles(t)...)
	var may, cands atomic.Int64
	parallel(t, files, func(_ **Engine, i int, src []byte) {
		for _, cfg := range cfgs {
			f := Glance(src, cfg)
			var want []string
			if MayDeclareGuardFn(src) {
				want = GuardFnCandidates(src)
			}
			if f.MayMatch != MayMatch(src, cfg) || f.MayNeedSummary != MayNeedSummary(src) || !slices.Equal(f.GuardFnCandidates, want) {
				t.Errorf("%s: Glance = %+v, want %v, %v, %q", files[i], f, MayMatch(src, cfg), MayNeedSummary(src), want)
			}
			if f.MayMatch {
				may.Add(1)
			}
			if len(f.GuardFnCandidates) > 0 {
				cands.Add(1)
			}
		}
	})
	if may.Load() == 0 || cands.Load() == 0 {
		t.Fatalf("no file passed (%d) or had candidates (%d): the check proved little", may.Load(), cands.Load())
	}
}

// TestIndex: index finds what bytes.Index finds, the anchor byte anywhere.
func TestIndex(t *testing.T) {
	srcs := []string{"", "a", "async", "yasync", "asyn", "syncasync", "aasync", "y async",
		"await", "wawait", "spawn", "spawspawn", "wn spawn", "Rc", "RRc", "cRc", "Weak", "WWeak", "a\x00sync async"}
	for _, s := range srcs {
		for w := range anchors {
			if got, want := index([]byte(s), []byte(w)), strings.Index(s, w); got != want {
				t.Errorf("index(%q, %q) = %d, want %d", s, w, got, want)
			}
		}
	}
	for _, in := range goldenInputs(t) {
		src := mustRead(t, in)
		for w := range anchors {
			for off := 0; off < len(src); off += 97 {
				if got, want := index(src[off:], []byte(w)), bytes.Index(src[off:], []byte(w)); got != want {
					t.Fatalf("%s[%d:]: index(%q) = %d, want %d", in, off, w, got, want)
				}
			}
		}
	}
}

// TestCalledKeys: a key counts when a call in its shape sits in an async
// body with an await after it.
func TestCalledKeys(t *testing.T) {
	keys := map[string]bool{"RwLock.read": true, "RwLock::read": true, "Shared.state": true, "helper": true}
	cases := []struct {
		src  string
		want []string
	}{
		{"async fn f() { let d = std::fs::read(p); x.await; }", nil},
		{"async fn f(l: &L) { let g = l.read(); x.await; }", nil},
		{"impl RwLock { async fn f(&self) { let g = self.read(); x.await; } }", []string{"RwLock.read"}},
		{"async fn f() { let g = RwLock::read(&l); x.await; }", []string{"RwLock.read", "RwLock::read"}},
		{"async fn f() { let g = s.state(); x.await; let h = helper(); }", []string{"Shared.state"}},
		{"fn f() { let g = s.state(); } async fn h() { let g = helper(); x.await; }", []string{"helper"}},
		// A guard in a statement that neither binds it nor awaits is
		// dropped at its `;`.
		{"async fn h() { helper().push(1); x.await; }", nil},
		{"async fn h() { helper().push(x.await); }", []string{"helper"}},
	}
	for _, c := range cases {
		if got := CalledKeys([]byte(c.src), keys); !slices.Equal(got, c.want) {
			t.Errorf("CalledKeys(%q) = %q, want %q", c.src, got, c.want)
		}
	}
	// Index.Look, which reads once, gives what CalledKeys and
	// Index.MayMatch give apart, with a nil Index (any Send requirement)
	// and with the file's own, on every golden input that passes
	// MayMatch, with the keys of the fns the inputs declare.
	all := map[string]bool{}
	inputs := goldenInputs(t)
	for _, in := range inputs {
		for _, k := range GuardFnCandidates(mustRead(t, in)) {
			all[k] = true
		}
	}
	checked := 0
	for _, in := range inputs {
		src := mustRead(t, in)
		if !MayMatch(src, DefaultConfig()) {
			continue
		}
		var none *Index
		called, may := none.Look("src/main.rs", src, all, DefaultConfig())
		if !slices.Equal(called, CalledKeys(src, all)) || may != none.MayMatch("src/main.rs", src, DefaultConfig()) {
			t.Errorf("%s: Look = %q, %v", in, called, may)
		}
		own := NewIndex(Summarize("src/main.rs", src))
		_, may = own.Look("src/main.rs", src, nil, DefaultConfig())
		if may != own.MayMatch("src/main.rs", src, DefaultConfig()) {
			t.Errorf("%s: Look and Index.MayMatch disagree", in)
		}
		checked++
	}
	if checked < 100 || len(all) == 0 {
		t.Fatalf("checked %d inputs with %d keys: too few", checked, len(all))
	}
}

// TestPrefilterCounterexamples: programs that reviews found the prefilter
// or the schedule's lazily parsed declarations to skip, and the variants around
// them; valid Rust that rustc rejects only with the Send error, but for two
// the parser reads without errors all the same (`async const fn`, an impl
// for the never type, which needs nightly). Each must get a finding from
// the engine and pass every step.
func TestPrefilterCounterexamples(t *testing.T) {
	caller := func(call string) string {
		return `mod lock;
use std::sync::{Arc, Mutex};
async fn audit(event: &str) { println!("audit: {event}"); }
#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u64));
    let h = hits.clone();
    tokio::spawn(async move {
        let mut count = ` + call + `;
        *count += 1;
        audit("hit").await;
    }).await.unwrap();
}
`
	}
	single := map[string]string{
		"shift in an async fn's array parameter": `use std::sync::{Arc, Mutex};
const HDR: usize = 8;
async fn audit(event: &str) { println!("audit: {event}"); }
async fn record(h: Arc<Mutex<u64>>, _key: [u8; HDR >> 1], _val: [u8; 16]) {
    let mut count = h.lock().unwrap();
    *count += 1;
    audit("hit").await;
}
#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u64));
    tokio::spawn(record(hits.clone(), [0; HDR >> 1], [0; 16])).await.unwrap();
}
`,
		"shift before an Rc parameter": `use std::rc::Rc;
async fn run(a: [u8; 4 >> 1], b: [u8; 2], r: Rc<i32>) { let _ = (a, b, r); }
fn main() { tokio::spawn(run([0; 2], [0; 2], Rc::new(1))); }
`,
		"Rc captured in a static's initializer": `use std::rc::Rc;
use std::sync::LazyLock;
async fn tick() {}
static STARTED: LazyLock<()> = LazyLock::new(|| {
    let r = Rc::new(1);
    tokio::spawn(async move {
        tick().await;
        println!("{r}");
    });
});
fn main() { LazyLock::force(&STARTED); }
`,
		"Rc reached through a static's initializer's fn": `use std::rc::Rc;
use std::sync::LazyLock;
async fn tick() {}
fn shared() -> Rc<i32> { Rc::new(1) }
static STARTED: LazyLock<()> = LazyLock::new(|| {
    let r = shared();
    tokio::spawn(async move {
        tick().await;
        println!("{r}");
    });
});
fn main() { LazyLock::force(&STARTED); }
`,
		"comment after struct": `use std::rc::Rc;
struct /* state */ Job { data: Rc<i32> }
async fn run(j: Job) { let _ = j.data; }
fn main() { let j = Job { data: Rc::new(1) }; tokio::spawn(run(j)); }
`,
		"comment after type": `use std::rc::Rc;
type // shared state
    Shared = Rc<i32>;
async fn run(s: Shared) { let _ = s; }
fn main() { tokio::spawn(run(Rc::new(1))); }
`,
		"spaced rc path": `use std :: rc :: *;
fn main() {
    let w: Weak<i32> = Weak::new();
    tokio::spawn(async move { let _ = w.upgrade(); });
}
`,
		"commented rc path": `use std::rc/* the rc module */::{Weak};
fn main() {
    let w: Weak<i32> = Weak::new();
    tokio::spawn(async move { let _ = w.upgrade(); });
}
`,
		"brace macro holding an impl before a guard fn": `use std::sync::{Arc, Mutex, MutexGuard};
macro_rules! marker { ($($t:tt)*) => {}; }
marker! { impl Send }
fn state(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
async fn audit(event: &str) { println!("audit: {event}"); }
#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u64));
    let h = hits.clone();
    tokio::spawn(async move {
        let mut count = state(&h);
        *count += 1;
        audit("hit").await;
    }).await.unwrap();
}
`,
		"async const fn with an Rc parameter (the parser takes any order)": `use std::rc::Rc;
async const fn run(r: Rc<i32>) { let _ = r; }
fn main() { tokio::spawn(run(Rc::new(1))); }
`,
		"brace macro as an async fn's return type": `use std::sync::{Arc, Mutex};
macro_rules! id { ($t:ty) => { $t }; }
async fn audit(event: &str) { println!("audit: {event}"); }
async fn record(h: Arc<Mutex<u64>>) -> id!{()} {
    let mut count = h.lock().unwrap();
    *count += 1;
    audit("hit").await;
}
#[tokio::main]
async fn main() {
    tokio::spawn(record(Arc::new(Mutex::new(0)))).await.unwrap();
}
`,
		"shebang with a quote": "#!/x\"\n" + `use std::sync::{Arc, Mutex};
async fn audit(event: &str) { println!("audit: {event}"); }
#[tokio::main]
async fn main() {
    let h = Arc::new(Mutex::new(0u64));
    tokio::spawn(async move {
        let mut count = h.lock().unwrap();
        *count += 1;
        audit("hit").await;
    }).await.unwrap();
}
`,
	}
	cross := map[string][2]string{
		"const block with a shift in an impl header": {`use std::sync::{Mutex, MutexGuard};
pub struct Buf<const N: usize>;
impl Buf<{ 1 << 10 }> {
    pub fn capacity(&self) -> usize { 1 << 10 }
}
pub fn state(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::state(&h)")},
		"method after a const block impl": {`use std::sync::{Mutex, MutexGuard};
pub struct Buf<const N: usize>;
impl Buf<{ 1 << 10 }> {
    pub fn capacity(&self) -> usize { 1 << 10 }
}
pub struct Shared(pub Mutex<u64>);
impl Shared {
    pub fn snapshot(&self) -> MutexGuard<'_, u64> { self.0.lock().unwrap() }
}
`, strings.Replace(caller("s.snapshot()"), "let h = hits.clone();", "let _ = hits; let s = lock::Shared(Mutex::new(0));", 1)},
		"shift in a guard fn's parameter": {`use std::sync::{Mutex, MutexGuard};
const LEN: usize = 8;
pub fn state(m: &Mutex<u64>, _pad: [[u8; LEN >> 1]; 2]) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::state(&h, [[0; 4]; 2])")},
		"brace macro holding an impl": {`use std::sync::{Mutex, MutexGuard};
macro_rules! marker { ($($t:tt)*) => {}; }
marker! { impl Send }
pub fn state(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::state(&h)")},
		"brace macro holding an unclosed angle": {`use std::sync::{Mutex, MutexGuard};
macro_rules! marker { ($($t:tt)*) => {}; }
marker! { impl < }
marker! { trait Tr for < ; }
pub fn state(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::state(&h)")},
		"impl for the never type (nightly)": {`use std::sync::{Mutex, MutexGuard};
pub trait Tr {}
impl Tr for ! {}
pub fn state(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::state(&h)")},
		"brace macro holding a trait before an impl": {`use std::sync::{Mutex, MutexGuard};
macro_rules! marker { ($($t:tt)*) => {}; }
pub struct Shared(pub Mutex<u64>);
marker! { trait Sync }
impl Shared {
    marker! { impl Send }
    pub fn snapshot(&self) -> MutexGuard<'_, u64> { self.0.lock().unwrap() }
}
`, strings.Replace(caller("lock::Shared::snapshot(&s)"), "let h = hits.clone();", "let _ = hits; let s = lock::Shared(Mutex::new(0));", 1)},
		"raw identifier in an impl header": {`use std::sync::MutexGuard;
impl crate::r#Shared {
    pub fn lock(&self) -> MutexGuard<'_, u64> { self.0.lock().unwrap() }
}
`, `mod lock;
use std::sync::{Arc, Mutex};
pub struct Shared(Mutex<u64>);
async fn audit(event: &str) { println!("audit: {event}"); }
impl r#Shared {
    async fn bump(&self) {
        let mut count = self.lock();
        *count += 1;
        audit("hit").await;
    }
}
#[tokio::main]
async fn main() {
    let s = Arc::new(Shared(Mutex::new(0u64)));
    tokio::spawn(async move { s.bump().await }).await.unwrap();
}
`},
		"raw identifier": {`use std::sync::{Mutex, MutexGuard};
pub fn r#ref(m: &Mutex<u64>) -> MutexGuard<'_, u64> { m.lock().unwrap() }
`, caller("lock::r#ref(&h)")},
	}
	for name, src := range single {
		b := []byte(src)
		if n := syntaxErrors(t, b); n != 0 {
			t.Fatalf("%s: %d syntax errors", name, n)
		}
		s := NewEngine(DefaultConfig(), nil)
		sum := s.Summarize("src/main.rs", b)
		s.Close()
		checkCandidates(t, name, GuardFnCandidates(b), sum.GuardFns)
		if checkPrefilter(t, name, "src/main.rs", b, DefaultConfig(), NewIndex(sum), scheduledGuards(b, b, sum)) == 0 {
			t.Errorf("%s: the engine reports nothing", name)
		}
	}
	for name, files := range cross {
		decl, call := []byte(files[0]), []byte(files[1])
		for _, b := range [][]byte{decl, call} {
			if n := syntaxErrors(t, b); n != 0 {
				t.Fatalf("%s: %d syntax errors", name, n)
			}
		}
		s := NewEngine(DefaultConfig(), nil)
		declSum, callSum := s.Summarize("src/lock.rs", decl), s.Summarize("src/main.rs", call)
		s.Close()
		checkCandidates(t, name, GuardFnCandidates(decl), declSum.GuardFns)
		if checkPrefilter(t, name, "src/main.rs", call, DefaultConfig(), NewIndex(declSum, callSum), scheduledGuards(call, decl, declSum, callSum)) == 0 {
			t.Errorf("%s: the engine reports nothing", name)
		}
	}
}

// scheduledGuards is the Index a run builds for the file caller from a
// declaring file, its source decl summarized in sum: the summaries' token
// facts, and the declarations of decl's candidate keys
// (GuardFnCandidates) that caller calls before an await.
func scheduledGuards(caller, decl []byte, sum *Summary, others ...*Summary) *Index {
	cands := map[string]bool{}
	for _, k := range GuardFnCandidates(decl) {
		cands[k] = true
	}
	lazy := &Summary{Path: sum.Path, GuardFns: map[string]string{}}
	for _, k := range CalledKeys(caller, cands) {
		if v, ok := sum.GuardFns[k]; ok {
			lazy.GuardFns[k] = v
		}
	}
	tokens := &Summary{Path: sum.Path, fns: sum.fns, calls: sum.calls, uses: sum.uses, types: sum.types, mods: sum.mods, words: sum.words}
	return NewIndex(append([]*Summary{tokens, lazy}, others...)...)
}
