package patterns

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"
)

// The benchmarks compare a whole Engine.Run (parse, analysis, fixes,
// re-parse of each pass) with a bare tree-sitter parse of the same bytes,
// on a file of realistic size and on a large synthetic one. Run them with
//
//	go test ./patterns -run '^$' -bench . -benchmem
//
// and read Run against Parse: the difference is the analysis. Bytes per
// second are reported so that sizes compare.

// benchUnit is one stretch of typical tokio service code: a struct with
// std Mutex state, sync helpers, and async fns that hold a guard across an
// await (scopable, and used after the await), spawned from a sync fn.
const benchUnit = `
#[derive(Debug, Default)]
pub struct Shard%[1]d {
    hits: Mutex<u64>,
    names: RwLock<HashMap<String, u32>>,
    log: Vec<String>,
}

impl Shard%[1]d {
    pub fn record(&self, name: &str) -> u32 {
        let mut names = self.names.write().unwrap();
        let n = names.entry(name.to_string()).or_insert(0);
        *n += 1;
        *n
    }

    pub fn total(&self) -> u64 {
        *self.hits.lock().unwrap()
    }

    fn describe(&self) -> String {
        match self.log.len() {
            0 => "empty".to_string(),
            1 => format!("one entry: {}", self.log[0]),
            n => format!("{} entries, last {:?}", n, self.log.last()),
        }
    }
}

async fn fetch%[1]d(id: u64) -> u64 {
    tokio::time::sleep(Duration::from_millis(id %% 3)).await;
    id * 2
}

async fn handle%[1]d(state: Arc<Shard%[1]d>, id: u64) -> u64 {
    let mut hits = state.hits.lock().unwrap();
    *hits += 1;
    let seen = *hits;
    let fetched = fetch%[1]d(id).await;
    fetched + seen
}

async fn audit%[1]d(state: Arc<Shard%[1]d>) {
    let names = state.names.read().unwrap();
    let count = names.len();
    tokio::task::yield_now().await;
    println!("{} names, {} total", count, names.len());
}

pub fn start%[1]d(state: Arc<Shard%[1]d>) {
    for id in 0..4 {
        let s = state.clone();
        tokio::spawn(handle%[1]d(s, id));
    }
    let s = state.clone();
    tokio::spawn(async move {
        audit%[1]d(s).await;
    });
    let total: u64 = (0..16u64).filter(|x| x %% 2 == 0).map(|x| x * x).sum();
    assert!(total > 0, "total {}", total);
}
`

const benchHeader = `use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
`

// benchSource returns a file of about lines lines made of benchUnit.
func benchSource(lines int) []byte {
	var b bytes.Buffer
	b.WriteString(benchHeader)
	for i := 0; bytes.Count(b.Bytes(), []byte("\n")) < lines; i++ {
		fmt.Fprintf(&b, benchUnit, i)
	}
	return b.Bytes()
}

var benchSizes = []struct {
	name  string
	lines int
}{
	{"realistic-500", 500},
	{"large-50k", 50_000},
}

// BenchmarkParse is the floor: a tree-sitter parse of the file and
// nothing else.
func BenchmarkParse(b *testing.B) {
	for _, sz := range benchSizes {
		src := benchSource(sz.lines)
		b.Run(sz.name, func(b *testing.B) {
			p := sitter.NewParser()
			defer p.Close()
			p.SetLanguage(rust.GetLanguage())
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				tree, err := p.ParseCtx(context.Background(), nil, src)
				if err != nil {
					b.Fatal(err)
				}
				tree.Close()
			}
		})
	}
}

// BenchmarkRun is a full run of every rule, fixes included, on a file
// with a guard held across an await every 80 lines.
func BenchmarkRun(b *testing.B) {
	for _, sz := range benchSizes {
		src := benchSource(sz.lines)
		b.Run(sz.name, func(b *testing.B) {
			cfg := DefaultConfig()
			idx := NewIndex(Summarize("bench.rs", src))
			e := NewEngine(cfg, idx)
			defer e.Close()
			res := e.Run("bench.rs", src)
			if len(res.Findings) == 0 || !res.Changed() {
				b.Fatalf("the benchmark file should have findings and fixes: %d findings", len(res.Findings))
			}
			b.SetBytes(int64(len(src)))
			b.ResetTimer()
			for b.Loop() {
				e.Run("bench.rs", src)
			}
		})
	}
}

// BenchmarkSummarize is the cross-file phase on the same files of async
// code: the token reading every file holding `async` or `spawn` gets in
// the first look (no parse), with its allocations.
func BenchmarkSummarize(b *testing.B) {
	for _, sz := range benchSizes {
		src := benchSource(sz.lines)
		b.Run(sz.name, func(b *testing.B) {
			if s := Summarize("bench.rs", src); len(s.fns) == 0 || len(s.calls) == 0 {
				b.Fatalf("the benchmark file should have async fns and calls: %d fns, %d calls", len(s.fns), len(s.calls))
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Summarize("bench.rs", src)
			}
		})
	}
}

// BenchmarkIndexMayMatch is the second look at a file of async code that
// passes the first: its reading narrowed by the Index (every spawned fn
// of the file Send-required) and the guard and rc-arc conditions.
func BenchmarkIndexMayMatch(b *testing.B) {
	for _, sz := range benchSizes {
		src := benchSource(sz.lines)
		b.Run(sz.name, func(b *testing.B) {
			cfg := DefaultConfig()
			idx := NewIndex(Summarize("bench.rs", src))
			if !idx.MayMatch("bench.rs", src, cfg) {
				b.Fatal("the benchmark file should pass")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				idx.MayMatch("bench.rs", src, cfg)
			}
		})
	}
}

// BenchmarkGlance is the byte-level first look every file of a run
// gets, on a file it rejects (the common case: sync code without await),
// so that every test runs to the end of the file.
func BenchmarkGlance(b *testing.B) {
	src := bytes.ReplaceAll(benchSource(50_000), []byte("await"), []byte("wait_"))
	src = bytes.ReplaceAll(src, []byte("async"), []byte("sync_"))
	cfg := DefaultConfig()
	if Glance(src, cfg).MayMatch {
		b.Fatal("the benchmark file should fail the prefilter")
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Glance(src, cfg)
	}
}

// BenchmarkReadFile is the token walk that reads a file's items, async
// bodies, awaits and spawns (readFile), under Summarize and
// Index.MayMatch.
func BenchmarkReadFile(b *testing.B) {
	src := benchSource(50_000)
	if len(readFile(src).bodies) == 0 {
		b.Fatal("the benchmark file should have async bodies")
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		readFile(src)
	}
}
