package patterns

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestHandOffNeedsSlots holds the summary's gates to the parse they
// spare: in every file of the corpus, of the golden cases and of the
// folders in $SENDFIX_HANDOFF_DIRS (colon-separated) whose tokens show no
// Send slot (mayHandOff false), handoffCalls finds no fn handed over; in
// the others, every fn it hands over is named by a word of the slot
// regions (handWords, which HandOffGate matches).
func TestHandOffNeedsSlots(t *testing.T) {
	files := append(corpusFiles(t), rsFiles(t, filepath.Join("..", "golden", "testdata"))...)
	for _, dir := range extraDirs() {
		files = append(files, rsFiles(t, dir)...)
	}
	var spared, parsed int
	for _, p := range files {
		src := mustRead(t, p)
		if !mayHandOffFns(src) {
			continue
		}
		fsy := readFile(src)
		may, calls := fsy.mayHandOff(), fsy.handCalls
		fsy.release()
		if may {
			parsed++
			// HandOffGate's promise: every call the parse hands over is
			// one of the slot regions' calls, in shape and in the scope the
			// Index reads for that shape (lexCall.matched), which it
			// matches alike (or any may be).
			if calls != nil {
				for _, c := range handoffCalls(src) {
					m := c.matched()
					if !slices.ContainsFunc(calls, func(r lexCall) bool {
						return slices.Equal(r.shape.segs, m.shape.segs) && r.shape.kind == m.shape.kind && r.mods == m.mods && r.owner == m.owner && r.trait == m.trait
					}) {
						t.Errorf("%s:%d: `%s` (in %q, %q, %q) is handed over, and no slot region of the tokens has that call", p, c.line, callText(c.shape), c.mods, c.owner, c.trait)
					}
				}
			}
			continue
		}
		spared++
		if calls := handoffCalls(src); len(calls) > 0 {
			t.Errorf("%s: no Send slot in its tokens, yet a parse hands over %d fn(s), the first at line %d", p, len(calls), calls[0].line)
		}
	}
	t.Logf("%d files may hand off: %d spared the parse, %d parsed", spared+parsed, spared, parsed)
	if spared == 0 {
		t.Error("the gate spared no file: the test checks nothing")
	}
}

// handOffFiles are three files of a crate: jobs.rs holds a guard across an
// await in `work`, run.rs hands `work` over as a Send future, other.rs
// hands over a fn that reaches no guard.
var handOffFiles = map[string]string{
	"app/src/main.rs": "mod jobs;\nmod other;\nmod run;\nfn main() {}\n",
	"app/src/jobs.rs": `use std::sync::Mutex;
pub static M: Mutex<u32> = Mutex::new(0);
async fn tick() {}
pub async fn work() {
    let mut g = M.lock().unwrap();
    *g += 1;
    tick().await;
}
`,
	"app/src/run.rs": `use futures::future::BoxFuture;
pub fn job() -> BoxFuture<'static, ()> {
    Box::pin(crate::jobs::work())
}
`,
	"app/src/other.rs": `use futures::future::BoxFuture;
async fn idle() {}
pub fn other() -> BoxFuture<'static, ()> {
    Box::pin(idle())
}
`,
}

// TestHandOffGate: of the files that may hand a fn over, the gate names
// only the one whose hand-off reaches the seed (the async fn holding a
// guard across an await); parsed, that hand-off makes the seed
// Send-required. Without a seed no file is parsed.
func TestHandOffGate(t *testing.T) {
	paths := []string{"app/src/main.rs", "app/src/jobs.rs", "app/src/run.rs", "app/src/other.rs"}
	sums := make([]*Summary, len(paths))
	for i, p := range paths {
		src := []byte(handOffFiles[p])
		sums[i] = SummarizeLater(p, src, func() ([]byte, error) { return src, nil })
	}
	later := HandOffsLater(sums)
	if len(later) != 2 {
		t.Fatalf("files to parse for hand-offs: %v, want run.rs and other.rs", later)
	}
	ix := NewIndex(sums...)
	if _, ok := ix.sendFn("app/src/jobs.rs", "||work"); ok {
		t.Fatal("work is Send-required before any hand-off is read")
	}
	cfg := DefaultConfig()
	seeds := ix.HandOffSeeds("app/src/jobs.rs", []byte(handOffFiles["app/src/jobs.rs"]), nil, cfg)
	if seeds.All || !slices.Equal(seeds.Keys, []string{"||work"}) {
		t.Fatalf("seeds of jobs.rs: %+v, want [||work]", seeds)
	}
	if s := ix.HandOffSeeds("app/src/other.rs", []byte(handOffFiles["app/src/other.rs"]), nil, cfg); len(s.Keys) > 0 {
		t.Errorf("seeds of other.rs, which holds no guard: %v", s.Keys)
	}
	gate := ix.HandOffGate(sums, later, ix.SeedReach(map[string][]string{"app/src/jobs.rs": seeds.Keys}))
	if len(gate) != 1 || sums[gate[0]].Path != "app/src/run.rs" {
		t.Fatalf("gate: %v, want run.rs alone", gate)
	}
	if n := sums[gate[0]].ReadHandOffs([]byte(handOffFiles["app/src/run.rs"])); n != 1 {
		t.Fatalf("run.rs hands %d fns over, want 1", n)
	}
	if why, ok := NewIndex(sums...).sendFn("app/src/jobs.rs", "||work"); !ok || !strings.Contains(why, "returned by `job`") {
		t.Errorf("after the hand-off, work: %q, %v", why, ok)
	}
	if g := ix.HandOffGate(sums, later, ix.SeedReach(nil)); len(g) != 0 {
		t.Errorf("without a seed the gate names %v", g)
	}
}

// TestHandOffGateAlias: a fn handed over under the name an import gives
// it (`use crate::jobs::work as w;` then `Box::pin(w())`) is matched by
// the Index to the fn it imports, so the gate parses the file that hands
// it over.
func TestHandOffGateAlias(t *testing.T) {
	for _, c := range []struct{ name, run, extra string }{
		{"use-as", "use crate::jobs::work as w;\nuse futures::future::BoxFuture;\npub fn job() -> BoxFuture<'static, ()> {\n    Box::pin(w())\n}\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{
				"app/src/main.rs":  "mod jobs;\nmod run;\nmod reexp;\nfn main() {}\n",
				"app/src/jobs.rs":  handOffFiles["app/src/jobs.rs"],
				"app/src/run.rs":   c.run,
				"app/src/reexp.rs": c.extra,
			}
			sums, full := summarizeBoth(files, "app/src/main.rs", "app/src/jobs.rs", "app/src/run.rs", "app/src/reexp.rs")
			if _, ok := NewIndex(full...).sendFn("app/src/jobs.rs", "||work"); !ok {
				t.Fatal("with every hand-off read, work is not Send-required: the case tests nothing")
			}
			ix := NewIndex(sums...)
			seeds := ix.HandOffSeeds("app/src/jobs.rs", []byte(files["app/src/jobs.rs"]), nil, DefaultConfig())
			gate := ix.HandOffGate(sums, HandOffsLater(sums), ix.SeedReach(map[string][]string{"app/src/jobs.rs": seeds.Keys}))
			if len(gate) != 1 || sums[gate[0]].Path != "app/src/run.rs" {
				t.Fatalf("gate: %v, want run.rs", gate)
			}
		})
	}
}

// TestHandOffSeedsGuardFn: a call of a candidate guard-returning fn gives
// its seeds under the key, for the schedule to keep when a parse of the
// declaring file says the fn returns a guard; a lock acquisition whose
// guard is a temporary of its statement, or an awaited (tokio) lock,
// gives none.
func TestHandOffSeedsGuardFn(t *testing.T) {
	src := []byte(`use std::sync::Mutex;
async fn tick() {}
async fn held(s: &State) {
    let g = s.state();
    tick().await;
}
async fn temp(m: &Mutex<Vec<u8>>) {
    let n = m.lock().unwrap().len();
    tick().await;
}
async fn tokio_lock(m: &tokio::sync::Mutex<u8>) {
    let g = m.lock().await;
    tick().await;
}
`)
	ix := NewIndex(Summarize("src/a.rs", src))
	s := ix.HandOffSeeds("src/a.rs", src, map[string]bool{"State.state": true, "other": true}, DefaultConfig())
	if len(s.Keys) != 0 || s.All {
		t.Errorf("seeds without a guard fn: %+v", s)
	}
	if got := s.ByGuardFn["State.state"]; !slices.Equal(got, []string{"||held"}) || len(s.ByGuardFn) != 1 {
		t.Errorf("seeds by guard fn: %v, want State.state: [||held]", s.ByGuardFn)
	}
}

// TestReachOfGuardFn: a seed resting on a candidate guard fn counts only
// when a declaring file's guard fns name the key.
func TestReachOfGuardFn(t *testing.T) {
	src := []byte("async fn tick() {}\nasync fn held() { tick().await; }\nasync fn caller() { held().await; }\n")
	ix := NewIndex(Summarize("src/a.rs", src))
	found := []Seeds{{ByGuardFn: map[string][]string{"State.state": {"||held"}}}}
	if reach, all := ix.ReachOf([]string{"src/a.rs"}, found, nil); all || len(reach) != 0 {
		t.Errorf("no guard fn known: reach %v (all %v), want none", reach, all)
	}
	guards := []*Summary{{Path: "src/state.rs", GuardFns: map[string]string{"State.state": "State.state"}}}
	reach, _ := ix.ReachOf([]string{"src/a.rs"}, found, guards)
	names := map[string]bool{}
	for id := range reach {
		names[ix.fns[id].name] = true
	}
	if !names["held"] || !names["caller"] || names["tick"] || len(names) != 2 {
		t.Errorf("with State.state a guard fn: reach %v, want held and its caller", reach)
	}
}

// TestHandOffGateByPath: a hand-off is matched to fns as the Index
// matches calls, by path and scope, not by name: the file is parsed when
// the call may mean the seed (its type's fn, Self's, self's, a unique
// method, an ambiguous method one of whose fns is the seed, through a
// glob import), and not when it means another type's fn of that name, a
// fn of another module, or a sync fn. Each case is checked first with
// every hand-off read: the seed is Send-required (or noted) exactly when
// the gate parses.
func TestHandOffGateByPath(t *testing.T) {
	const seed = `use std::sync::Mutex;
pub static M: Mutex<u32> = Mutex::new(0);
async fn tick() {}
pub struct Worker;
impl Worker {
    pub async fn new() {
        let mut g = M.lock().unwrap();
        *g += 1;
        tick().await;
    }
    pub async fn run(&self) {
        let mut g = M.lock().unwrap();
        *g += 1;
        tick().await;
    }
}
pub struct Other;
impl Other {
    pub async fn new() {}
    pub fn sync_new() {}
}
pub async fn work() {}
`
	const head = "use futures::future::BoxFuture;\nuse crate::jobs::{Worker, Other};\n"
	for _, c := range []struct {
		name, run string
		parse     bool
	}{
		{"its type's fn", head + "pub fn job() -> BoxFuture<'static, ()> { Box::pin(Worker::new()) }\n", true},
		{"another type's fn of that name", head + "pub fn job() -> BoxFuture<'static, ()> { Box::pin(Other::new()) }\n", false},
		{"a fn of another module", head + "pub fn job() -> BoxFuture<'static, ()> { Box::pin(crate::jobs::work()) }\n", false},
		{"a sync fn", head + "pub fn job() -> BoxFuture<'static, ()> { Other::sync_new(); Box::pin(async {}) }\n", false},
		{"a unique method", head + "pub fn job(w: &'static Worker) -> BoxFuture<'static, ()> { Box::pin(w.run()) }\n", true},
		{"Self", head + "pub struct W2;\nimpl Worker { pub fn job() -> BoxFuture<'static, ()> { Box::pin(Self::new()) } }\n", true},
		{"a glob import", "use futures::future::BoxFuture;\nuse crate::jobs::*;\npub fn job() -> BoxFuture<'static, ()> { Box::pin(Worker::new()) }\n", true},
		{"an alias", "use futures::future::BoxFuture;\nuse crate::jobs::Worker as W;\npub fn job() -> BoxFuture<'static, ()> { Box::pin(W::new()) }\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{
				"app/src/main.rs": "mod jobs;\nmod run;\nfn main() {}\n",
				"app/src/jobs.rs": seed,
				"app/src/run.rs":  c.run,
			}
			sums, full := summarizeBoth(files, "app/src/main.rs", "app/src/jobs.rs", "app/src/run.rs")
			later := HandOffsLater(sums)
			if len(later) != 1 {
				t.Fatalf("files to parse for hand-offs: %v, want run.rs", later)
			}
			all := NewIndex(full...)
			_, newSend := all.sendFn("app/src/jobs.rs", "|Worker|new")
			_, runSend := all.sendFn("app/src/jobs.rs", "|Worker|run")
			reached := newSend || runSend || all.ambiguityNote("app/src/jobs.rs", "|Worker|run") != ""
			if reached != c.parse {
				t.Fatalf("with every hand-off read, a seed is reached: %v, the case says %v", reached, c.parse)
			}
			ix := NewIndex(sums...)
			seeds := ix.HandOffSeeds("app/src/jobs.rs", []byte(seed), nil, DefaultConfig())
			if len(seeds.Keys) != 2 {
				t.Fatalf("seeds %v, want Worker's new and run", seeds.Keys)
			}
			gate := ix.HandOffGate(sums, later, ix.SeedReach(map[string][]string{"app/src/jobs.rs": seeds.Keys}))
			if got := len(gate) == 1; got != c.parse {
				t.Errorf("the gate parses run.rs: %v, want %v", got, c.parse)
			}
		})
	}
}

// summarizeBoth returns the summaries of files at paths as the schedule
// takes them (SummarizeLater: hand-offs put off) and with every hand-off
// read (Summarize).
func summarizeBoth(files map[string]string, paths ...string) (later, full []*Summary) {
	for _, p := range paths {
		src := []byte(files[p])
		later = append(later, SummarizeLater(p, src, func() ([]byte, error) { return src, nil }))
		full = append(full, Summarize(p, src))
	}
	return later, full
}

// TestHandedFiles: only the files holding a fn a pending hand-off may
// reach, through the fns it awaits, need reading for seeds.
func TestHandedFiles(t *testing.T) {
	files := map[string]string{
		"app/src/main.rs":  "mod jobs;\nmod run;\nmod deep;\nmod alone;\nfn main() {}\n",
		"app/src/jobs.rs":  "pub async fn work() { crate::deep::inner().await; }\n",
		"app/src/deep.rs":  "pub async fn inner() {}\n",
		"app/src/alone.rs": "pub async fn unrelated() { crate::deep::inner().await; }\n",
		"app/src/run.rs":   "use futures::future::BoxFuture;\npub fn job() -> BoxFuture<'static, ()> { Box::pin(crate::jobs::work()) }\n",
	}
	sums, _ := summarizeBoth(files, "app/src/main.rs", "app/src/jobs.rs", "app/src/deep.rs", "app/src/alone.rs", "app/src/run.rs")
	got, all := NewIndex(sums...).HandedFiles()
	if all || !got["app/src/jobs.rs"] || !got["app/src/deep.rs"] || got["app/src/alone.rs"] || got["app/src/main.rs"] || len(got) != 2 {
		t.Errorf("handed files %v (all %v), want jobs.rs and deep.rs", got, all)
	}
	// A pending file whose reading cannot tell: every file may matter.
	files["app/src/run.rs"] += "fn broken() { (\n"
	sums, _ = summarizeBoth(files, "app/src/main.rs", "app/src/jobs.rs", "app/src/deep.rs", "app/src/alone.rs", "app/src/run.rs")
	if _, all := NewIndex(sums...).HandedFiles(); !all {
		t.Error("an unbalanced pending file: want all files")
	}
}

// extraDirs returns the folders of $SENDFIX_HANDOFF_DIRS (colon-separated):
// more sources the corpus properties hold on, when given.
func extraDirs() []string {
	if extra := os.Getenv("SENDFIX_HANDOFF_DIRS"); extra != "" {
		return strings.Split(extra, ":")
	}
	return nil
}

// rsFiles returns the .rs files under dir.
func rsFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".rs") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
