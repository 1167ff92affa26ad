package cli

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// The compiler loop's logic, tested against a fake compiler: a checker
// that reads the work tree and reports, as rustc would, a std guard held
// across an await (a `let g = m.lock().unwrap();` whose block reaches an
// `.await` at its own indentation) and an E0597 for a block whose value is
// `g.summarize()` (a method the syntax cannot judge, which here returns a
// reference into the guard the block drops).

// memTree is a workTree in memory.
type memTree struct {
	files  map[string][]byte
	writes int
}

func (m *memTree) read(p string) ([]byte, error) {
	b, ok := m.files[p]
	if !ok {
		return nil, fmt.Errorf("%s: no such file", p)
	}
	return b, nil
}

func (m *memTree) write(p string, data []byte) error {
	m.writes++
	m.files[p] = append([]byte(nil), data...)
	return nil
}

func (m *memTree) packageOf(string) string { return "" }

func (m *memTree) rustFiles() ([]string, error) {
	var out []string
	for p := range m.files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

var fakeGuard = regexp.MustCompile(`^(\s*)let (mut )?(\w+) = \w+\.lock\(\)\.unwrap\(\);`)

// fakeRustc is the fake compiler's judgement of the tree.
func fakeRustc(m *memTree) []*rustcDiag {
	var out []*rustcDiag
	paths, _ := m.rustFiles()
	for _, p := range paths {
		lines := strings.Split(string(m.files[p]), "\n")
		for i, l := range lines {
			if strings.TrimSpace(l) == "g.summarize()" {
				col := strings.Index(l, "g") + 1
				out = append(out, &rustcDiag{Level: "error", Message: "`g` does not live long enough", Code: &struct {
					Code string `json:"code"`
				}{"E0597"},
					Spans: []rustcSpan{{FileName: p, LineStart: i + 1, LineEnd: i + 1, ColumnStart: col, IsPrimary: true}}})
			}
			g := fakeGuard.FindStringSubmatch(l)
			if g == nil {
				continue
			}
			ind := len(g[1])
			for j := i + 1; j < len(lines); j++ {
				t := lines[j]
				if strings.TrimSpace(t) == "" {
					continue
				}
				if len(t)-len(strings.TrimLeft(t, " ")) < ind {
					break
				}
				if k := strings.Index(t, ".await"); k >= 0 && len(t)-len(strings.TrimLeft(t, " ")) == ind {
					out = append(out, fakeSend(p, i+1, len(g[1])+len("let ")+len(g[2])+1, g[3], j+1, k+2))
					break
				}
			}
		}
	}
	return out
}

func fakeSend(path string, line, col int, name string, awLine, awCol int) *rustcDiag {
	has := "has type `std::sync::MutexGuard<'_, String>` which is not `Send`"
	aw := "await occurs here, with `" + name + "` maybe used later"
	return &rustcDiag{Level: "error", Message: sendMessage, Children: []rustcDiag{{Level: "note", Message: heldNote, Spans: []rustcSpan{
		{FileName: path, LineStart: awLine, LineEnd: awLine, ColumnStart: awCol, IsPrimary: true, Label: &aw},
		{FileName: path, LineStart: line, LineEnd: line, ColumnStart: col, Label: &has},
	}}}}
}

// newFakeLoop is a loop over files with the fake compiler.
func newFakeLoop(files map[string]string) (*loop, *memTree) {
	m := &memTree{files: map[string][]byte{}}
	for p, s := range files {
		m.files[p] = []byte(s)
	}
	l := &loop{
		check:     func(context.Context) ([]*rustcDiag, error) { return fakeRustc(m), nil },
		tree:      m,
		root:      "/WS",
		cfg:       patterns.DefaultConfig(),
		engine:    func(cfg patterns.Config, idx *patterns.Index) ladderer { return patterns.NewEngine(cfg, idx) },
		maxRounds: 10,
		note:      func(string, ...any) {},
	}
	return l, m
}

const fakeSpawn = `    let m%[1]d = m.clone();
    tokio::spawn(async move {
        let g = m%[1]d.lock().unwrap();
        println!("{}", g.len());
        tick().await;
    });
`

// fakeFile is a file of spawns, each holding a guard across an await; the
// ones in trim also take a value from the guard (by a method the syntax
// cannot judge) that is used after the await.
func fakeFile(n int, trim map[int]bool) string {
	var b strings.Builder
	b.WriteString("use std::sync::{Arc, Mutex};\nasync fn tick() {}\nfn start(m: Arc<Mutex<String>>) {\n")
	for i := 0; i < n; i++ {
		s := fmt.Sprintf(fakeSpawn, i)
		if trim[i] {
			s = strings.Replace(s, "        println!(\"{}\", g.len());\n        tick().await;\n", "        let s = g.summarize();\n        tick().await;\n        println!(\"{s}\");\n", 1)
		}
		b.WriteString(s)
	}
	b.WriteString("}\n")
	return b.String()
}

// The number of rounds follows the ladder, not the number of sites:
// 50 sites in 10 files are fixed in one round (two builds: the first
// check and the round's).
func TestLoopRoundsDoNotGrowWithSites(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 10; i++ {
		files[fmt.Sprintf("src/f%d.rs", i)] = fakeFile(5, nil)
	}
	l, m := newFakeLoop(files)
	if err := l.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.rounds != 1 || l.builds != 2 {
		t.Errorf("%d rounds, %d builds; want 1 and 2", l.rounds, l.builds)
	}
	if d := fakeRustc(m); len(d) != 0 {
		t.Errorf("the work tree still fails: %d messages", len(d))
	}
	fixed := 0
	for p, f := range l.files {
		for _, fd := range l.findings(p) {
			if fd.Fixed && len(fd.Tried) == 1 && fd.Tried[0].Verdict == "compiles" && fd.Site != nil {
				fixed++
			}
		}
		if string(f.cur) != string(m.files[p]) {
			t.Errorf("%s: the committed text is not what was checked", p)
		}
	}
	if fixed != 50 {
		t.Errorf("%d fixed findings, want 50", fixed)
	}
}

// A fix that breaks the build is rolled back alone: the other fixes of
// its file stay, and its site moves to its next candidate (the scope the
// syntax could not judge fails; the swap for tokio's Mutex, computed on
// the file with the kept fixes, compiles).
func TestLoopRollsBackOneFix(t *testing.T) {
	src := fakeFile(3, map[int]bool{1: true})
	l, m := newFakeLoop(map[string]string{"src/main.rs": src})
	if err := l.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.rounds != 2 || l.builds != 3 {
		t.Errorf("%d rounds, %d builds; want 2 and 3", l.rounds, l.builds)
	}
	got := string(m.files["src/main.rs"])
	if d := fakeRustc(m); len(d) != 0 {
		t.Fatalf("still failing:\n%s", got)
	}
	if strings.Count(got, "        {\n            let g = m") != 2 || !strings.Contains(got, "        let g = m1.lock().await;\n        let s = g.summarize();\n        tick().await;") {
		t.Errorf("fixed file:\n%s", got)
	}
	fs := l.findings("src/main.rs")
	if len(fs) != 3 {
		t.Fatalf("findings: %+v", fs)
	}
	for i, f := range fs {
		want := "scope: compiles"
		if i == 1 {
			want = "scope: E0597 at src/main.rs:16:13: `g` does not live long enough -> tokio swap: compiles"
		}
		if !f.Fixed || triedText(f) != want {
			t.Errorf("finding %d: fixed %v, tried %q, want %q", i, f.Fixed, triedText(f), want)
		}
		// Positions are of the original file.
		if line := []int{6, 12, 19}[i]; f.Pos.Line != line || f.Site.Line != line {
			t.Errorf("finding %d at %d (site %d), want %d", i, f.Pos.Line, f.Site.Line, line)
		}
	}
	// After round 1 the other two fixes were already in the file.
	if fs[0].Tried[0].Kept != true || fs[1].Tried[0].Kept != false || fs[1].Tried[1].Kept != true {
		t.Errorf("kept flags: %+v", fs[1].Tried)
	}
}

// A candidate that leaves its Send failure is rolled back; a site with no
// candidate left is reported with what was tried.
func TestLoopStillNotSendAndExhausted(t *testing.T) {
	// The fake compiler says the guard is held whatever its block: no
	// candidate can satisfy it.
	src := fakeFile(1, nil)
	l, _ := newFakeLoop(map[string]string{"src/main.rs": src})
	real := l.check
	l.check = func(ctx context.Context) ([]*rustcDiag, error) {
		d, err := real(ctx)
		if len(d) == 0 {
			d = []*rustcDiag{fakeSend("src/main.rs", 7, 13, "g", 10, 16)}
		}
		return d, err
	}
	if err := l.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	fs := l.findings("src/main.rs")
	if len(fs) != 1 || fs[0].Fixed || !strings.HasPrefix(triedText(fs[0]), "scope: still not Send") ||
		!strings.HasPrefix(fs[0].Reason, "no candidate compiled: scope: still not Send") {
		t.Fatalf("findings: %+v", fs)
	}
	if string(l.files["src/main.rs"].cur) != src {
		t.Errorf("the file changed:\n%s", l.files["src/main.rs"].cur)
	}
	if !l.checked {
		t.Errorf("the loop ended on a state the compiler has not checked")
	}
}

// scriptedLadder is a ladderer whose candidates replace a site's line: the
// site on line "a0" has the candidates "a1" then "a2", and so on.
type scriptedLadder struct{ cfg patterns.Config }

func (s scriptedLadder) Close() {}

func (s scriptedLadder) Ladder(path string, src []byte) *patterns.LadderResult {
	res := &patterns.LadderResult{Path: path}
	for _, site := range s.cfg.Sites {
		sl := patterns.SiteLadder{Site: site}
		start := offsetOf(src, site.Line, 1)
		end := start + strings.IndexByte(string(src[start:]), '\n')
		word := string(src[start:end])
		for i, r := range []patterns.Rung{patterns.RungScope, patterns.RungGrownScope} {
			c := patterns.Candidate{Rung: r, Finding: patterns.Finding{Rule: "mutex-scope", Fixed: true, Fix: fmt.Sprintf("%c%d", word[0], i+1), Pos: patterns.Pos{Offset: start}}}
			c.Edits = []patterns.FileEdits{{Path: path, Edits: []rewrite.Edit{{Start: start, End: end, New: c.Finding.Fix}}}}
			sl.Candidates = append(sl.Candidates, c)
		}
		res.Sites = append(res.Sites, sl)
	}
	return res
}

// A type error masks the borrow checker's errors, as rustc's phases do: a
// fix kept while another's type error hid its own error is undone when
// the error shows, with every later fix of its file, and its site moves
// on; the result is checked.
func TestLoopUndoesAFixAMaskedErrorHid(t *testing.T) {
	m := &memTree{files: map[string][]byte{"src/main.rs": []byte("a0\nb0\n")}}
	diag := func(line int, code, msg string) *rustcDiag {
		return &rustcDiag{Level: "error", Message: msg, Code: &struct {
			Code string `json:"code"`
		}{code}, Spans: []rustcSpan{{FileName: "src/main.rs", LineStart: line, LineEnd: line, ColumnStart: 1, IsPrimary: true}}}
	}
	check := func(context.Context) ([]*rustcDiag, error) {
		var out, borrow []*rustcDiag
		for i, l := range strings.Split(string(m.files["src/main.rs"]), "\n") {
			switch l {
			case "a0", "b0":
				out = append(out, fakeSend("src/main.rs", i+1, 1, "g", i+1, 2))
			case "b1":
				out = append(out, diag(i+1, "E0308", "mismatched types"))
			case "a1":
				borrow = append(borrow, diag(i+1, "E0597", "borrowed value does not live long enough"))
			}
		}
		for _, d := range out {
			if d.Code != nil {
				return out, nil // the type error hides the borrow errors
			}
		}
		return append(out, borrow...), nil
	}
	l := &loop{check: check, tree: m, root: "/WS", cfg: patterns.DefaultConfig(),
		engine: func(cfg patterns.Config, _ *patterns.Index) ladderer { return scriptedLadder{cfg} }, maxRounds: 10, note: func(string, ...any) {}}
	if err := l.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := string(m.files["src/main.rs"]); got != "a2\nb2\n" || string(l.files["src/main.rs"].cur) != got || !l.checked {
		t.Fatalf("result %q (checked %v)", got, l.checked)
	}
	fs := l.findings("src/main.rs")
	if len(fs) != 2 {
		t.Fatalf("findings %+v", fs)
	}
	if got := triedText(fs[0]); got != "scope: compiled, then E0597 at src/main.rs:1:1: borrowed value does not live long enough -> grown scope: compiles" {
		t.Errorf("a: %s", got)
	}
	if got := triedText(fs[1]); got != "scope: E0308 at src/main.rs:2:1: mismatched types -> grown scope: compiles (undone with a fix of the same file) -> grown scope: compiles" {
		t.Errorf("b: %s", got)
	}
}

// The crate plan is made once per package and round, whatever the number
// of files with a site: 10 files, one round, one plan.
func TestLoopPlansOncePerPackageAndRound(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 10; i++ {
		files[fmt.Sprintf("src/f%d.rs", i)] = fakeFile(2, nil)
	}
	l, _ := newFakeLoop(files)
	plans := 0
	l.crates = func(cfg patterns.Config, sources map[string][]byte) (*patterns.Index, []string) {
		plans++
		if len(sources) != 10 || len(cfg.Sites) != 20 {
			t.Errorf("plan over %d files and %d sites, want 10 and 20", len(sources), len(cfg.Sites))
		}
		return crateIndex(cfg, sources)
	}
	if err := l.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if l.rounds != 1 || plans != 1 {
		t.Errorf("%d rounds, %d plans; want 1 and 1", l.rounds, plans)
	}
}

// The swap's edits in the file that decides the lock's type are the
// small edits of its fixes, not a replacement of the whole file, so a
// suggestion's span covers what changes.
func TestCrateSwapEditsAreSmall(t *testing.T) {
	state := "//! The state.\nuse std::sync::Mutex;\n\npub(crate) struct State {\n    pub(crate) jobs: Mutex<Vec<u32>>,\n}\n"
	main := "mod state;\nuse std::sync::Arc;\nuse state::State;\nasync fn tick() {}\n" +
		"fn start(s: Arc<State>) {\n    tokio::spawn(async move {\n        let mut jobs = s.jobs.lock().unwrap();\n        jobs.push(1);\n        tick().await;\n        jobs.push(2);\n    });\n}\n"
	l, _ := newFakeLoop(map[string]string{"src/state.rs": state, "src/main.rs": main})
	l.crates, l.files = crateIndex, map[string]*loopFile{}
	site := patterns.Site{Path: "src/main.rs", Kind: patterns.SiteHeld, Line: 7, Col: 17, Type: "std::sync::MutexGuard<'_, Vec<u32>>", AwaitLine: 9, AwaitCol: 16}
	pp := l.plan("", []patterns.Site{site})
	if len(pp.crateFiles) == 0 {
		t.Fatal("the crate does not swap")
	}
	es := l.crateSwapEdits(pp)["src/state.rs"]
	if len(es) == 0 {
		t.Fatalf("no swap edits for src/state.rs: %v", l.crateSwapEdits(pp))
	}
	for _, e := range es {
		if e.End-e.Start > len("std::sync::Mutex") || len(e.New) > len("tokio::sync::Mutex")+2 {
			t.Errorf("edit %d..%d %q is not small", e.Start, e.End, e.New)
		}
	}
	got, err := rewrite.Apply([]byte(state), es)
	if err != nil || !strings.Contains(string(got), "use tokio::sync::Mutex;") {
		t.Errorf("applied: %v\n%s", err, got)
	}
}
