package patterns

import (
	"bytes"
	"strings"
	"testing"

	"sendfix/rewrite"
)

func runString(t *testing.T, cfg Config, src string) *Result {
	t.Helper()
	e := NewEngine(cfg, nil)
	defer e.Close()
	return e.Run("test.rs", []byte(src))
}

const article = `use std::sync::{Arc, Mutex};

async fn some_async_function() {}

fn start(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        let mut guard = data.lock().unwrap();
        *guard += 1;

        some_async_function().await;
    });
}
`

const articleFixed = `use std::sync::{Arc, Mutex};

async fn some_async_function() {}

fn start(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        {
            let mut guard = data.lock().unwrap();
            *guard += 1;
        }

        some_async_function().await;
    });
}
`

func TestRunArticle(t *testing.T) {
	r := runString(t, DefaultConfig(), article)
	if string(r.Out) != articleFixed {
		t.Fatalf("got:\n%s", r.Out)
	}
	if len(r.Findings) != 1 || !r.Findings[0].Fixed {
		t.Fatalf("findings: %+v", r.Findings)
	}
	f := r.Findings[0]
	if f.Pos.Line != 7 || f.Pos.Col != 17 || f.Await == nil || f.Await.Line != 10 || f.Await.Col != 31 {
		t.Errorf("positions: %+v await %+v", f.Pos, f.Await)
	}
	// The reported edits turn the input into the output.
	out := r.In
	for _, pass := range r.Edits {
		var err error
		if out, err = rewrite.Apply(out, pass); err != nil {
			t.Fatal(err)
		}
	}
	if string(out) != string(r.Out) {
		t.Errorf("edits do not reproduce the output")
	}
	// Idempotent.
	if r2 := runString(t, DefaultConfig(), string(r.Out)); r2.Changed() || len(r2.Findings) != 0 {
		t.Errorf("second run changed something: %+v", r2.Findings)
	}
}

func TestRunKeepsCRLFAndBOM(t *testing.T) {
	in := "\uFEFF" + strings.ReplaceAll(article, "\n", "\r\n")
	r := runString(t, DefaultConfig(), in)
	want := "\uFEFF" + strings.ReplaceAll(articleFixed, "\n", "\r\n")
	if string(r.Out) != want {
		t.Fatalf("got %q", r.Out)
	}
	if f := r.Findings[0]; f.Pos.Line != 7 || f.Pos.Col != 17 {
		t.Errorf("position with BOM: %+v", f.Pos)
	}
}

func TestRunTabs(t *testing.T) {
	in := strings.ReplaceAll(article, "    ", "\t")
	r := runString(t, DefaultConfig(), in)
	if want := strings.ReplaceAll(articleFixed, "    ", "\t"); string(r.Out) != want {
		t.Fatalf("got:\n%s", r.Out)
	}
}

func TestRunNotSendContext(t *testing.T) {
	// main's own body is not spawned: no Send bound, nothing to fix.
	in := strings.Replace(article, "fn start(data: Arc<Mutex<i32>>) {\n    tokio::spawn(async move {", "async fn start(data: Arc<Mutex<i32>>) {\n    (async move {", 1)
	in = strings.Replace(in, "    });\n}", "    }).await;\n}", 1)
	r := runString(t, DefaultConfig(), in)
	if r.Changed() || len(r.Findings) != 0 {
		t.Fatalf("changed a future that need not be Send: %+v\n%s", r.Findings, r.Out)
	}
	cfg := DefaultConfig()
	cfg.AllAsync = true
	if r := runString(t, cfg, in); !r.Changed() {
		t.Errorf("--all-async did not scope the guard")
	}
}

func TestRunSyntaxErrorElsewhere(t *testing.T) {
	bad := "fn other() {\n    let c = async || { 1 };\n}\n"
	r := runString(t, DefaultConfig(), article+bad)
	if string(r.Out) != articleFixed+bad {
		t.Fatalf("got:\n%s", r.Out)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "line 14") {
		t.Errorf("warnings: %q", r.Warnings)
	}
	// The same error inside the function to fix: reported, not fixed.
	in := strings.Replace(article, "*guard += 1;", "*guard += 1;\n        let c = async || { 1 };", 1)
	r = runString(t, DefaultConfig(), in)
	if r.Changed() || len(r.Findings) != 1 || r.Findings[0].Fixed || !strings.Contains(r.Findings[0].Reason, "cannot parse line 9") {
		t.Fatalf("fixed next to a syntax error: %+v", r.Findings)
	}
}

func TestRunUsedAfterAwait(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Rules[RuleTokioMutex] = false
	in := strings.Replace(article, "some_async_function().await;", "some_async_function().await;\n        println!(\"{}\", *guard);", 1)
	r := runString(t, cfg, in)
	if r.Changed() || len(r.Findings) != 1 || r.Findings[0].Fixed || !strings.Contains(r.Findings[0].Reason, "used after the await at line 10") {
		t.Fatalf("%+v", r.Findings)
	}
}

func TestMapBack(t *testing.T) {
	edits := []rewrite.Edit{{Start: 2, End: 4, New: "xyz"}, {Start: 6, End: 6, New: "ab"}}
	// in:  01[23]45^67   out: 01xyz45ab67
	for out, want := range map[int]int{0: 0, 1: 1, 2: 2, 3: 2, 4: 2, 5: 4, 6: 5, 7: 6, 9: 6, 10: 7} {
		if got := mapBack(out, edits); got != want {
			t.Errorf("mapBack(%d) = %d, want %d", out, got, want)
		}
	}
}

func TestRunFileOverMaxFileSize(t *testing.T) {
	// A file over the limit is not parsed: it stays as it is, with a
	// warning and no error, and Summarize gives an empty summary.
	cfg := DefaultConfig()
	cfg.MaxFileSize = len(article) - 1
	r := runString(t, cfg, article)
	if r.Changed() || r.Internal != nil || len(r.Findings) != 0 {
		t.Fatalf("changed=%v internal=%v findings=%+v", r.Changed(), r.Internal, r.Findings)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "--max-file-size") {
		t.Errorf("warnings: %q", r.Warnings)
	}
	e := NewEngine(cfg, nil)
	defer e.Close()
	if s := e.Summarize("a.rs", []byte(article)); len(s.fns) != 0 || len(s.GuardFns) != 0 {
		t.Errorf("summarized a file over the limit: %+v", s)
	}
	cfg.MaxFileSize = len(article)
	if r := runString(t, cfg, article); !r.Changed() {
		t.Errorf("a file at the limit was not fixed")
	}
}

func TestPassEditsAreNormalized(t *testing.T) {
	// Two fixes sharing an identical edit (as tokio-mutex findings share
	// their import swap) apply it once; the recorded edits must hold it
	// once too, or positions mapped through them shift twice.
	src := []byte("fn a() {}\nfn b() {}\n")
	shared := rewrite.Edit{Start: 0, End: 0, New: "use x;\n"}
	norm, err := rewrite.Normalize([]rewrite.Edit{shared, {Start: 10, End: 12, New: "fn"}, shared}, len(src))
	if err != nil || len(norm) != 2 {
		t.Fatalf("Normalize: %v %v", norm, err)
	}
	out, _ := rewrite.Apply(src, norm)
	// "fn b" starts at 10 in the input and 17 in the output.
	if string(out[17:21]) != "fn b" || mapBack(17, norm) != 10 {
		t.Errorf("mapBack(17) = %d, want 10 (output %q)", mapBack(17, norm), out)
	}
}

// TestReparseMatchesParse: the tree Run edits and parses again
// incrementally after each pass of fixes is the tree a fresh parse of the
// pass's output gives, on every golden input the engine changes.
func TestReparseMatchesParse(t *testing.T) {
	e := NewEngine(DefaultConfig(), nil)
	defer e.Close()
	checked := 0
	for _, src := range goldenSources(t) {
		res := fuzzRun(fuzzConfigs[1](), src)
		cur := bytes.TrimPrefix(src, bom)
		for _, pass := range res.Edits {
			edits := shiftEdits(pass, -(len(src) - len(bytes.TrimPrefix(src, bom))))
			next, err := rewrite.Apply(cur, edits)
			if err != nil {
				t.Fatal(err)
			}
			old, err := e.parse(cur)
			if err != nil {
				t.Fatal(err)
			}
			inc, err := e.reparse(old, cur, next, edits)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := e.parse(next)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := inc.RootNode().String(), fresh.RootNode().String(); a != b {
				t.Errorf("incremental and fresh parses differ after a pass:\n%s\n---\n%s", a, b)
			}
			inc.Close()
			fresh.Close()
			cur = next
			checked++
		}
	}
	if checked < 50 {
		t.Fatalf("only %d passes checked", checked)
	}
}
