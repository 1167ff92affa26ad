// Command corpus is the benchmark's helper over a tree of Rust files.
//
//	corpus parse [-j N] PATH...   parse every .rs file with N workers (one
//	                              parser each) and nothing else: the
//	                              parse-only baseline of the benchmark
//	corpus stats [-j N] [-v] PATH...
//	                              how many files and bytes each step of the
//	                              command's schedule lets through, how many it
//	                              parses, and how the Index matched calls
//	                              (-v: the files parsed, and why)
//	corpus slow [-j N] PATH...    Engine.Run on every file (all rules,
//	                              --all-async), the ten slowest files
//
// It walks with filepath.WalkDir and no .gitignore handling, skipping
// .git and target folders as the command does: the corpus is a plain
// tree.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"sendfix/patterns"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fl := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	jobs := fl.Int("j", runtime.NumCPU(), "workers")
	verbose := fl.Bool("v", false, "list the files parsed")
	prof := fl.String("cpuprofile", "", "write a CPU profile to this file")
	fl.Parse(os.Args[2:])
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, "corpus:", err)
			os.Exit(2)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	files, err := rustFiles(fl.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(2)
	}
	switch os.Args[1] {
	case "parse":
		parseAll(files, *jobs)
	case "stats":
		stats(files, *jobs, *verbose)
	case "slow":
		slow(files, *jobs)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: corpus parse|stats|slow [-j N] PATH...")
	os.Exit(2)
}

// rustFiles returns every .rs file under the paths, sorted.
func rustFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && (d.Name() == ".git" || d.Name() == "target") {
				return filepath.SkipDir
			}
			if d.Type().IsRegular() && strings.HasSuffix(path, ".rs") {
				out = append(out, filepath.ToSlash(path))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// each runs f on every file from jobs workers; f gets its worker's number.
func each(files []string, jobs int, f func(w int, path string, src []byte)) {
	next := make(chan string)
	var wg sync.WaitGroup
	for w := range max(jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				src, err := os.ReadFile(p)
				if err != nil {
					fmt.Fprintln(os.Stderr, "corpus:", err)
					continue
				}
				f(w, p, src)
			}
		}()
	}
	for _, p := range files {
		next <- p
	}
	close(next)
	wg.Wait()
}

// parseAll parses every file and closes its tree, as sendfix would if it
// had to parse every file and did no analysis.
func parseAll(files []string, jobs int) {
	parsers := make([]*sitter.Parser, max(jobs, 1))
	for i := range parsers {
		parsers[i] = sitter.NewParser()
		parsers[i].SetLanguage(rust.GetLanguage())
	}
	var nodes atomic.Int64
	each(files, jobs, func(w int, _ string, src []byte) {
		tree, err := parsers[w].ParseCtx(context.Background(), nil, src)
		if err != nil {
			fmt.Fprintln(os.Stderr, "corpus:", err)
			return
		}
		// Touch the root so the parse cannot be skipped.
		nodes.Add(int64(tree.RootNode().ChildCount()))
		tree.Close()
	})
	fmt.Fprintf(os.Stderr, "parsed %d files (%d top-level nodes)\n", len(files), nodes.Load())
}

// count is a number of files and their bytes.
type count struct{ n, bytes atomic.Int64 }

func (c *count) add(src []byte) {
	c.n.Add(1)
	c.bytes.Add(int64(len(src)))
}

// stats prints what fraction of the corpus each step of the command's
// schedule lets through (see cmd/internal/cli/schedule.go), the files it parses,
// and the files with findings when those are run.
func stats(files []string, jobs int, verbose bool) {
	cfg := patterns.DefaultConfig()
	var all, async, may, handed, guardDecl, guardTokens, need, found count
	sums := make([]*patterns.Summary, len(files))
	pos := map[string]int{}
	for i, f := range files {
		pos[f] = i
	}
	candsOf := make([][]string, len(files))
	mayOf := make([]bool, len(files))
	each(files, jobs, func(_ int, path string, src []byte) {
		i := pos[path]
		all.add(src)
		facts := patterns.Glance(src, cfg)
		sums[i] = patterns.SummarizeLater(path, src, func() ([]byte, error) { return os.ReadFile(path) })
		if patterns.MayNeedSummary(src) {
			async.add(src)
		}
		candsOf[i], mayOf[i] = facts.GuardFnCandidates, facts.MayMatch
		if facts.MayMatch {
			may.add(src)
		}
	})
	t0 := time.Now()
	idx := patterns.NewIndex(sums...)
	built := time.Since(t0)
	keys := map[string]bool{}
	for _, c := range candsOf {
		for _, k := range c {
			keys[k] = true
		}
	}
	var mu sync.Mutex
	engines := make([]*patterns.Engine, max(jobs, 1))
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, nil)
	}
	guardOf := make([]*patterns.Summary, len(files)) // the declaring files read for their guard fns
	// guardFns is the schedule's guardSummary: the tokens where they are
	// sure, else a parse.
	guardFns := func(w int, path string, src []byte) *patterns.Summary {
		if g, ok := patterns.GuardFnsFromTokens(path, src, cfg); ok {
			guardTokens.add(src)
			return g
		}
		guardDecl.add(src)
		return engines[w].GuardSummary(path, src)
	}
	// The hand-off gate (cmd/internal/cli/schedule_handoff.go): the seeds
	// of the files that may hold a finding (those resting on a candidate
	// guard fn when its declaring file, parsed, says it is one), and the
	// files whose hand-offs may reach one, parsed.
	if later := patterns.HandOffsLater(sums); len(later) > 0 {
		var seedFiles []string
		reached, all := idx.HandedFiles()
		for i, f := range files {
			if mayOf[i] && sums[i].MaySeed() && (all || reached[f]) {
				seedFiles = append(seedFiles, f)
			}
		}
		found := make([]patterns.Seeds, len(files))
		each(seedFiles, jobs, func(_ int, path string, src []byte) {
			found[pos[path]] = idx.HandOffSeeds(path, src, keys, cfg)
		})
		var declFiles []string
		for _, i := range patterns.Declarers(candsOf, patterns.GuardKeysCalled(found)) {
			declFiles = append(declFiles, files[i])
		}
		each(declFiles, jobs, func(w int, path string, src []byte) {
			guardOf[pos[path]] = guardFns(w, path, src)
		})
		if reach, all := idx.ReachOf(files, found, guardOf); !all {
			later = idx.HandOffGate(sums, later, reach)
		}
		var parse []string
		for _, i := range later {
			parse = append(parse, files[i])
		}
		var added atomic.Int64
		each(parse, jobs, func(_ int, path string, src []byte) {
			handed.add(src)
			added.Add(int64(sums[pos[path]].ReadHandOffs(src)))
		})
		if added.Load() > 0 {
			idx = patterns.NewIndex(sums...)
		}
	}
	// The second look, and the guard-returning fns: the declaring files
	// of a key a passing file calls.
	var passing []string
	for i, f := range files {
		if mayOf[i] {
			passing = append(passing, f)
		}
	}
	calls := make([][]string, len(files))
	needOf := make([]bool, len(files))
	each(passing, jobs, func(_ int, path string, src []byte) {
		i := pos[path]
		calls[i], needOf[i] = idx.Look(path, src, keys, cfg)
	})
	var decl []string
	guards := slices.DeleteFunc(slices.Clone(guardOf), func(g *patterns.Summary) bool { return g == nil })
	for _, i := range patterns.Declarers(candsOf, calls) {
		if guardOf[i] == nil {
			decl = append(decl, files[i])
		}
	}
	each(decl, jobs, func(w int, path string, src []byte) {
		g := guardFns(w, path, src)
		mu.Lock()
		guards = append(guards, g)
		mu.Unlock()
	})
	idx.AddGuardFns(guards...)
	rules := map[string]patterns.Config{}
	for _, r := range patterns.AllRules {
		c := patterns.DefaultConfig()
		c.Rules = map[string]bool{r: true}
		rules[r] = c
	}
	var parsed []string
	why := map[string]string{}
	each(passing, jobs, func(_ int, path string, src []byte) {
		n := needOf[pos[path]]
		for _, k := range calls[pos[path]] {
			n = n || idx.GuardFn(k)
		}
		if !n {
			return
		}
		if n != idx.MayMatch(path, src, cfg) {
			fmt.Fprintf(os.Stderr, "corpus: %s: the schedule's second look and Index.MayMatch disagree\n", path)
		}
		need.add(src)
		var by []string
		for _, r := range patterns.AllRules {
			if idx.MayMatch(path, src, rules[r]) {
				by = append(by, r)
			}
		}
		mu.Lock()
		parsed = append(parsed, path)
		why[path] = "(" + strings.Join(by, ", ") + ")"
		mu.Unlock()
	})
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, idx)
	}
	sort.Strings(parsed)
	each(parsed, jobs, func(w int, path string, src []byte) {
		res := engines[w].Run(path, src)
		mu.Lock()
		defer mu.Unlock()
		if len(res.Findings) > 0 {
			found.add(src)
			why[path] += fmt.Sprintf(" %d findings", len(res.Findings))
		}
	})
	line := func(what string, c *count) {
		fmt.Printf("%-46s %6d files (%5.1f%%) %9d bytes (%5.1f%%)\n", what, c.n.Load(),
			100*float64(c.n.Load())/float64(max(all.n.Load(), 1)), c.bytes.Load(), 100*float64(c.bytes.Load())/float64(max(all.bytes.Load(), 1)))
	}
	line("corpus (read once, summarized from tokens)", &all)
	line("name async, spawn or Guard", &async)
	line("MayMatch (read again)", &may)
	line("parsed for hand-offs (gate)", &handed)
	line("declare a guard fn called (read from tokens)", &guardTokens)
	line("declare a guard fn called (parsed for it)", &guardDecl)
	line("Index.MayMatch (parsed and run)", &need)
	line("with findings", &found)
	fmt.Printf("Index: %d calls matched to one fn, %d to several (not propagated), %d to none of the given files; built in %v\n",
		idx.Calls.Precise, idx.Calls.Ambiguous, idx.Calls.None, built.Round(time.Millisecond))
	fmt.Printf("files parsed: %d (%d for hand-offs, %d for guard fns, %d run); files with findings: %d\n",
		handed.n.Load()+guardDecl.n.Load()+need.n.Load(), handed.n.Load(), guardDecl.n.Load(), need.n.Load(), found.n.Load())
	if verbose {
		for _, p := range parsed {
			fmt.Printf("  parsed %s %s\n", p, why[p])
		}
	}
}

// slow runs the engine on every file, the prefilter bypassed, and prints
// the files that took longest: where the analysis is not linear.
func slow(files []string, jobs int) {
	cfg := patterns.DefaultConfig()
	cfg.AllAsync = true
	type took struct {
		path string
		size int
		d    time.Duration
	}
	var mu sync.Mutex
	var all []took
	engines := make([]*patterns.Engine, max(jobs, 1))
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, nil)
	}
	each(files, jobs, func(w int, path string, src []byte) {
		t0 := time.Now()
		engines[w].Run(path, src)
		d := time.Since(t0)
		mu.Lock()
		all = append(all, took{path, len(src), d})
		mu.Unlock()
	})
	sort.Slice(all, func(i, j int) bool { return all[i].d > all[j].d })
	var total time.Duration
	for _, t := range all {
		total += t.d
	}
	fmt.Printf("total %v over %d files\n", total, len(all))
	for _, t := range all[:min(10, len(all))] {
		fmt.Printf("%8v %8d bytes %s\n", t.d.Round(time.Millisecond), t.size, t.path)
	}
}
