// Command corpus is the benchmark's helper over a tree of Rust files.
//
//	corpus parse [-j N] PATH...   parse every .rs file with N workers (one
//	                              parser each) and nothing else: the
//	                              parse-only baseline of the benchmark
//	corpus scan PATH...           the first phase of a run: Engine.Scan on
//	                              every file (guard-returning fns indexed
//	                              first), a count of files needing a run
//	corpus slow PATH...           Engine.Run on every file (all rules,
//	                              --all-async), the ten slowest files
//	corpus stats PATH...          how many files and bytes each step of the
//	                              command's plan lets through
//
// It walks with filepath.WalkDir and no .gitignore handling: the corpus is
// a plain tree.
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
		stats(files, *jobs)
	case "scan":
		scan(files, *jobs)
	case "slow":
		slow(files, *jobs)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: corpus parse|stats [-j N] PATH...")
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
			if d.Type().IsRegular() && strings.HasSuffix(path, ".rs") {
				out = append(out, path)
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

// stats prints what fraction of the corpus each step of the command's
// plan lets through (see cmd/internal/cli/plan.go).
func stats(files []string, jobs int) {
	cfg := patterns.DefaultConfig()
	var n, size, guardN, guardB, mayN, mayB, ixN, ixB, needN, needB atomic.Int64
	engines := make([]*patterns.Engine, max(jobs, 1))
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, nil)
	}
	guards, parsed := guardSummaries(files, jobs, cfg, engines)
	idx := patterns.NewIndex(guards...)
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, idx)
	}
	var parsedN, parsedB atomic.Int64
	each(files, jobs, func(w int, path string, src []byte) {
		b := int64(len(src))
		n.Add(1)
		size.Add(b)
		count := func(k, kb *atomic.Int64) {
			k.Add(1)
			kb.Add(b)
		}
		if patterns.MayDeclareGuardFn(src) {
			count(&guardN, &guardB)
		}
		if parsed[path] {
			count(&parsedN, &parsedB)
		}
		if patterns.MayMatch(src, cfg) {
			count(&mayN, &mayB)
		}
		if idx.MayMatch(src, cfg) {
			count(&ixN, &ixB)
		}
		if engines[w].Scan(path, src) {
			count(&needN, &needB)
		}
	})
	line := func(what string, k, kb *atomic.Int64) {
		fmt.Printf("%-40s %6d files (%5.1f%%) %9d bytes (%5.1f%%)\n", what, k.Load(),
			100*float64(k.Load())/float64(max(n.Load(), 1)), kb.Load(), 100*float64(kb.Load())/float64(max(size.Load(), 1)))
	}
	line("corpus (read once)", &n, &size)
	line("name a guard type (scanned for fn names)", &guardN, &guardB)
	line("MayMatch (read again)", &mayN, &mayB)
	line("declare a fn called (parsed for fns)", &parsedN, &parsedB)
	line("Index.MayMatch (parsed, rules run once)", &ixN, &ixB)
	line("Scan: need a run", &needN, &needB)
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

// scan is the command's first phase, without its walking and output.
func scan(files []string, jobs int) {
	cfg := patterns.DefaultConfig()
	engines := make([]*patterns.Engine, max(jobs, 1))
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, nil)
	}
	sums, _ := guardSummaries(files, jobs, cfg, engines)
	idx := patterns.NewIndex(sums...)
	for i := range engines {
		engines[i] = patterns.NewEngine(cfg, idx)
	}
	var need atomic.Int64
	each(files, jobs, func(w int, path string, src []byte) {
		if engines[w].Scan(path, src) {
			need.Add(1)
		}
	})
	fmt.Fprintf(os.Stderr, "%d files, %d guard summaries, %d need a run\n", len(files), len(sums), need.Load())
}

// guardSummaries is the command's choice of the files to parse for their
// guard-returning fns (see cmd/internal/cli/plan.go): those naming a guard
// type that declare, by a byte scan, a fn whose name a file passing
// MayMatch calls. It returns their summaries and paths.
func guardSummaries(files []string, jobs int, cfg patterns.Config, engines []*patterns.Engine) ([]*patterns.Summary, map[string]bool) {
	var mu sync.Mutex
	cands := map[string][]string{}
	names := map[string]bool{}
	var may []string
	each(files, jobs, func(_ int, path string, src []byte) {
		var c []string
		if patterns.MayDeclareGuardFn(src) {
			c = patterns.GuardFnCandidates(src)
		}
		m := patterns.MayMatch(src, cfg)
		mu.Lock()
		defer mu.Unlock()
		if len(c) > 0 {
			cands[path] = c
			for _, n := range c {
				names[n] = true
			}
		}
		if m {
			may = append(may, path)
		}
	})
	called := map[string]bool{}
	each(may, jobs, func(_ int, _ string, src []byte) {
		ns := patterns.CalledKeys(src, names)
		mu.Lock()
		defer mu.Unlock()
		for _, n := range ns {
			called[n] = true
		}
	})
	var decl []string
	for p, c := range cands {
		for _, n := range c {
			if called[n] {
				decl = append(decl, p)
				break
			}
		}
	}
	var sums []*patterns.Summary
	parsed := map[string]bool{}
	each(decl, jobs, func(w int, path string, src []byte) {
		s := engines[w].GuardSummary(path, src)
		mu.Lock()
		defer mu.Unlock()
		sums = append(sums, s)
		parsed[path] = true
	})
	return sums, parsed
}
