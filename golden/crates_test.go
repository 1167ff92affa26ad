package golden

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sendfix/patterns"
)

// Crate cases: a case whose program is several files is a folder
//
//	testdata/<group>/<name>/input/<tree>    the crate as given (src/main.rs, src/db.rs, ..)
//	testdata/<group>/<name>/golden/<tree>   the expected result
//	testdata/<group>/<name>/findings        optional: `FILE RULE LINE:COL fixed|unfixed[: text]`
//
// The crate root (src/main.rs or src/lib.rs) holds the directives. Each
// side is a cargo package of its own, checked by rustc like the
// single-file cases (the input fails with the Send error, the output
// compiles, `// golden: run` runs it); the library runs over every file of
// the tree as the command does, and the command itself is checked with
// --write and --check on a scratch copy.

// crateCase is one folder case.
type crateCase struct {
	goldenCase                   // Input holds the root file; Group, Name, directives
	Dir        string            // the case folder
	In, Want   map[string][]byte // the trees, by slash path
	Root       string            // the crate root's path in the tree
	Lib        bool
	FileFinds  map[string][]expectedFinding
}

// discoverCrateCases finds every testdata/<group>/<name>/input folder.
func discoverCrateCases(root string) ([]*crateCase, error) {
	dirs, err := filepath.Glob(filepath.Join(root, "*", "*", "input"))
	if err != nil {
		return nil, err
	}
	sort.Strings(dirs)
	var out []*crateCase
	for _, in := range dirs {
		dir := filepath.Dir(in)
		c := &crateCase{Dir: dir}
		c.Group, c.Name, c.Edition = filepath.Base(filepath.Dir(dir)), filepath.Base(dir), "2021"
		c.Err = c.load()
		out = append(out, c)
	}
	return out, nil
}

// loadTree reads every file under dir, by slash path relative to it.
func loadTree(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = data
		return nil
	})
	return out, err
}

func (c *crateCase) load() error {
	if !nameRE.MatchString(c.Group) || !nameRE.MatchString(c.Name) {
		return fmt.Errorf("case %s: group and name must be lowercase-with-dashes", c.FullName())
	}
	var err error
	if c.In, err = loadTree(filepath.Join(c.Dir, "input")); err != nil {
		return err
	}
	for _, r := range []string{"src/main.rs", "src/lib.rs"} {
		if _, ok := c.In[r]; ok {
			c.Root, c.Lib = r, r == "src/lib.rs"
			break
		}
	}
	if c.Root == "" {
		return fmt.Errorf("case %s: no src/main.rs or src/lib.rs under input/", c.FullName())
	}
	c.Input = c.In[c.Root]
	if err := c.parseDirectives(); err != nil {
		return fmt.Errorf("%s: %v", c.Root, err)
	}
	if c.Want, err = loadTree(filepath.Join(c.Dir, "golden")); err != nil && !os.IsNotExist(err) {
		return err
	}
	data, err := os.ReadFile(filepath.Join(c.Dir, "findings"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	c.HasFindings = true
	c.FileFinds = map[string][]expectedFinding{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		file, rest, _ := strings.Cut(line, " ")
		fs, err := parseFindings([]byte(rest))
		if err != nil || len(fs) != 1 {
			return fmt.Errorf("%s/findings line %d: want `FILE RULE LINE:COL fixed|unfixed[: text]`", c.FullName(), i+1)
		}
		c.FileFinds[file] = append(c.FileFinds[file], fs[0])
	}
	return nil
}

// changes reports whether the case expects a change.
func (c *crateCase) changes() bool {
	if len(c.In) != len(c.Want) {
		return true
	}
	for p, b := range c.In {
		if !bytes.Equal(b, c.Want[p]) {
			return true
		}
	}
	return false
}

// runFiles runs the library over a set of files as the command does:
// summaries and the index, the crates among the files and the swap's
// decision for each, then every file.
func runFiles(t *testing.T, args []string, edition string, files map[string][]byte) map[string]*patterns.Result {
	t.Helper()
	cfg, err := configFor(args)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Edition = edition
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	sum := patterns.NewEngine(cfg, nil)
	var sums []*patterns.Summary
	for _, p := range paths {
		sums = append(sums, sum.Summarize(p, files[p]))
	}
	sum.Close()
	idx := patterns.NewIndex(sums...)
	read := func(p string) ([]byte, error) {
		if b, ok := files[p]; ok {
			return b, nil
		}
		return nil, os.ErrNotExist
	}
	patterns.PlanCrates(cfg, idx, paths, nil, read)
	eng := patterns.NewEngine(cfg, idx)
	defer eng.Close()
	out := map[string]*patterns.Result{}
	for _, p := range paths {
		out[p] = eng.Run(p, files[p])
	}
	return out
}

// TestGoldenCrates runs every folder case: subtests are
// <group>/<name>/{output,findings,idempotent,command,rustc}.
func TestGoldenCrates(t *testing.T) {
	cases, err := discoverCrateCases("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("no folder cases under testdata/*/*/input")
	}
	judge := newCrateJudge(cases)
	for _, c := range cases {
		t.Run(c.FullName(), func(t *testing.T) {
			if c.Err != nil {
				t.Fatal(c.Err)
			}
			res := runFiles(t, c.Args, c.Edition, c.In)
			if *update {
				updateCrateCase(t, c, res)
			}
			t.Run("output", func(t *testing.T) {
				for p, r := range res {
					if r.Internal != nil {
						t.Errorf("%s: internal failure: %v", p, r.Internal)
					}
					if !bytes.Equal(r.Out, c.Want[p]) {
						t.Errorf("%s differs from golden/%s:\n%s", p, p, describeDiff(t, c.Want[p], r.Out))
					}
				}
			})
			t.Run("findings", func(t *testing.T) {
				if !c.HasFindings {
					t.Skip("no findings file")
				}
				for p, r := range res {
					for _, prob := range compareFindings(c.FileFinds[p], r.Findings) {
						t.Errorf("%s: %s", p, prob)
					}
				}
			})
			t.Run("idempotent", func(t *testing.T) {
				for p, r := range runFiles(t, c.Args, c.Edition, c.Want) {
					if !bytes.Equal(r.Out, c.Want[p]) {
						t.Errorf("running on golden/%s changes it:\n%s", p, describeDiff(t, c.Want[p], r.Out))
					}
				}
			})
			t.Run("command", func(t *testing.T) { checkCrateCommand(t, c) })
			t.Run("rustc", func(t *testing.T) { checkCrateRustc(t, c, judge) })
		})
	}
}

// updateCrateCase rewrites the golden tree and the findings from the
// library's results; the input is never written.
func updateCrateCase(t *testing.T, c *crateCase, res map[string]*patterns.Result) {
	var lines []string
	c.Want = map[string][]byte{}
	for p, r := range res {
		if r.Internal != nil {
			t.Fatalf("not updating: %s: internal failure: %v", p, r.Internal)
		}
		dst := filepath.Join(c.Dir, "golden", filepath.FromSlash(p))
		if old, err := os.ReadFile(dst); err != nil || !bytes.Equal(old, r.Out) {
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			writeOrFail(t, dst, r.Out)
		}
		c.Want[p] = r.Out
		for _, l := range strings.Split(strings.TrimSpace(string(formatFindings(actualFindings(r.Findings)))), "\n") {
			if l != "" {
				lines = append(lines, p+" "+l)
			}
		}
	}
	sort.Strings(lines)
	if c.HasFindings || len(lines) > 0 {
		data := []byte(strings.Join(lines, "\n") + "\n")
		if old, _ := os.ReadFile(filepath.Join(c.Dir, "findings")); !bytes.Equal(old, data) {
			writeOrFail(t, filepath.Join(c.Dir, "findings"), data)
		}
		c.HasFindings = true
		c.FileFinds = map[string][]expectedFinding{}
		for _, l := range lines {
			file, rest, _ := strings.Cut(l, " ")
			fs, _ := parseFindings([]byte(rest))
			c.FileFinds[file] = append(c.FileFinds[file], fs...)
		}
	}
}

// checkCrateCommand runs the built command on a scratch copy of the
// input: --write gives the golden tree, --check exits 1 on the input of a
// fix case (0 otherwise) and 0 on the golden tree.
func checkCrateCommand(t *testing.T, c *crateCase) {
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	dir := writeTree(t, c.In)
	if out, errOut, code := sendfix(t, dir, append([]string{"--write"}, c.Args...)...); code != 0 {
		t.Fatalf("sendfix --write exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	got, err := loadTree(dir)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range c.Want {
		if !bytes.Equal(got[p], want) {
			t.Errorf("--write: %s differs from golden/%s:\n%s", p, p, describeDiff(t, want, got[p]))
		}
	}
	dir = writeTree(t, c.In)
	want := 0
	if c.changes() {
		want = 1
	}
	if _, errOut, code := sendfix(t, dir, append([]string{"--check"}, c.Args...)...); code != want {
		t.Errorf("sendfix --check on the input exited %d, want %d\nstderr:\n%s", code, want, errOut)
	}
	dir = writeTree(t, c.Want)
	if out, errOut, code := sendfix(t, dir, append([]string{"--check"}, c.Args...)...); code != 0 {
		t.Errorf("sendfix --check on the golden tree exited %d (not idempotent)\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// crateJudge compiles every folder case once, each side a package of one
// cargo workspace next to the single-file one (sharing its target folder,
// so tokio is built once). Its verdicts are by package name.
type crateJudge struct {
	compileJudge
	crates []*crateCase
}

func newCrateJudge(cases []*crateCase) *crateJudge {
	j := &crateJudge{crates: cases}
	j.build = func(*compileJudge) { j.compileCrates() }
	return j
}

// pkgName is the cargo package of one side of a case.
func pkgName(c *crateCase, side string) string {
	return "c-" + c.Group + "-" + c.Name + "-" + side
}

func (j *crateJudge) compileCrates() {
	if j.skip = toolchainSkip(); j.skip != "" {
		return
	}
	dir, unlock, err := lockedCargoDir("crates")
	if err != nil {
		j.fatal = err
		return
	}
	defer unlock()
	base := filepath.Dir(dir)
	deps := caseDeps()
	files := map[string][]byte{}
	var members []string
	j.verdicts = map[string]*binVerdict{}
	var runs []string
	for _, c := range j.crates {
		if c.Err != nil || c.Want == nil {
			continue
		}
		sides := map[string]map[string][]byte{"in": c.In}
		if c.changes() {
			sides["out"] = c.Want
		}
		for side, tree := range sides {
			pkg := pkgName(c, side)
			members = append(members, fmt.Sprintf("%q", pkg))
			j.verdicts[pkg] = &binVerdict{}
			files[filepath.Join(pkg, "Cargo.toml")] = []byte(fmt.Sprintf("[package]\nname = %q\nversion = \"0.0.0\"\nedition = \"%s\"\npublish = false\n\n[dependencies]\n%s", pkg, c.Edition, deps))
			for p, b := range tree {
				files[filepath.Join(pkg, filepath.FromSlash(p))] = b
			}
			if c.Run && !c.Lib && (side == "out" || !c.changes()) {
				runs = append(runs, pkg)
			}
		}
	}
	sort.Strings(members)
	files["Cargo.toml"] = []byte("# Generated by sendfix's golden tests; rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [" + strings.Join(members, ", ") + "]\n")
	files[filepath.Join(".cargo", "config.toml")] = []byte("[source.crates-io]\nreplace-with = \"debian\"\n[source.debian]\ndirectory = \"" + registry + "\"\n[net]\noffline = true\n")
	// Packages of cases gone or renamed go.
	if old, _ := filepath.Glob(filepath.Join(dir, "c-*")); len(old) > 0 {
		for _, p := range old {
			if _, keep := j.verdicts[filepath.Base(p)]; !keep {
				if err := os.RemoveAll(p); err != nil {
					j.fatal = err
					return
				}
			}
		}
	}
	for _, pkg := range members {
		// A tree's files are rewritten whole: stale files of a case go.
		_ = os.RemoveAll(filepath.Join(dir, strings.Trim(pkg, "\""), "src"))
	}
	for rel, data := range files {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			j.fatal = err
			return
		}
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			j.fatal = err
			return
		}
	}
	env := "CARGO_TARGET_DIR=" + filepath.Join(base, "target")
	out, stderr, err := runCargoEnv(dir, env, "check", "--workspace", "--all-targets", "--keep-going", "--message-format=json")
	var log bytes.Buffer
	log.WriteString(stderr)
	j.parse(out)
	if err != nil && !anyErrors(j.verdicts) {
		j.fatal = fmt.Errorf("cargo check failed without a diagnostic: %v", err)
	}
	if len(runs) > 0 && j.fatal == nil {
		args := []string{"build", "--message-format=json"}
		for _, p := range runs {
			if len(j.verdicts[p].Errors) == 0 {
				args = append(args, "-p", p)
			}
		}
		out, stderr, err := runCargoEnv(dir, env, args...)
		log.WriteString(stderr)
		j.parse(out)
		if err != nil {
			j.fatal = fmt.Errorf("cargo build of the run cases: %v", err)
		}
	}
	j.log = tail(log.String(), 4000)
}

// parse attributes cargo's messages to the packages, by target name: a
// bin's is the package's, a library's has `_` for `-`.
func (j *crateJudge) parse(out []byte) {
	byTarget := map[string]*binVerdict{}
	for pkg, v := range j.verdicts {
		byTarget[pkg] = v
		byTarget[strings.ReplaceAll(pkg, "-", "_")] = v
	}
	parseCargoJSON(out, byTarget)
}

// runCargoEnv is runCargo with one more environment variable.
func runCargoEnv(dir, env string, args ...string) ([]byte, string, error) {
	cmd := exec.Command("cargo", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CARGO_TERM_COLOR=never", "CARGO_TERM_PROGRESS_WHEN=never", env)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.Bytes(), errb.String(), err
}

// checkCrateRustc asserts the compiler's judgement of a folder case.
func checkCrateRustc(t *testing.T, c *crateCase, j *crateJudge) {
	judgeSides(t, c.changes(), c.ExpectSendError, c.Run, j.get(t, pkgName(c, "in")), func() *binVerdict { return j.get(t, pkgName(c, "out")) })
}
