package patterns

import (
	"strings"
	"testing"

	"sendfix/rewrite"
)

// TestScopeDecisions runs mutex-scope (without tokio-mutex) on bodies of a
// spawned block where m is an Arc<Mutex<Vec<u32>>> and checks what it
// does: the output holds want, or the one unfixed finding's reason holds
// reason, or nothing is found.
func TestScopeDecisions(t *testing.T) {
	tests := []struct {
		name, body string
		want       string
		reason     string
	}{
		{"borrower grows the block",
			"        let g = m.lock().unwrap();\n        let f = g.first();\n        println!(\"{f:?}\");\n        tick(0).await;\n",
			"        {\n            let g = m.lock().unwrap();\n            let f = g.first();\n            println!(\"{f:?}\");\n        }\n        tick(0).await;", ""},
		{"owned value escapes",
			"        let g = m.lock().unwrap();\n        let n = g.iter().filter(|x| **x > 1).count();\n        tick(n).await;\n",
			"        let n = {\n            let g = m.lock().unwrap();\n            g.iter().filter(|x| **x > 1).count()\n        };\n        tick(n).await;", ""},
		{"hoisted argument",
			"        let g = m.lock().unwrap();\n        tick(g.len()).await;\n",
			"        let len = {\n            let g = m.lock().unwrap();\n            g.len()\n        };\n        tick(len).await;", ""},
		{"hoisted value and an escaping binding",
			"        let g = m.lock().unwrap();\n        let first = g.first().copied();\n        tick(g.len()).await;\n        println!(\"{first:?}\");\n",
			"        let (first, len) = {\n            let g = m.lock().unwrap();\n            let first = g.first().copied();\n            let len = g.len();\n            (first, len)\n        };\n        tick(len).await;", ""},
		{"a use after the await must stay held",
			"        let g = m.lock().unwrap();\n        tick(0).await;\n        println!(\"{}\", g.len());\n",
			"", "guard `g` is used after the await"},
		{"a borrow passed to the awaited call must stay held",
			"        let g = m.lock().unwrap();\n        wait(&g).await;\n",
			"", "guard `g` is used in the statement of the await"},
		{"a use in a branch of the awaited statement is not hoisted",
			"        let g = m.lock().unwrap();\n        if true { tick(g.len()).await; }\n",
			"", "guard `g` is used in the statement of the await"},
		{"hoisting before an earlier call would reorder it",
			"        let g = m.lock().unwrap();\n        let k = 2;\n        pair(next(), g.get(k).copied().unwrap_or(0) as usize).await;\n",
			"", "would change their order"},
		{"hoisting after an earlier call reads only the block",
			"        let g = m.lock().unwrap();\n        pair(next(), g.len()).await;\n",
			"        let len = {\n            let g = m.lock().unwrap();\n            g.len()\n        };\n        pair(next(), len).await;", ""},
		{"moved away before any borrow: nothing to do",
			"        let g = m.lock().unwrap();\n        consume(g);\n        tick(0).await;\n",
			"", ""},
		{"moved through an alias: nothing to do",
			"        let g = m.lock().unwrap();\n        let h = g;\n        drop(h);\n        tick(0).await;\n",
			"", ""},
		{"moved in a branch: still held",
			"        let g = m.lock().unwrap();\n        if true { drop(g); }\n        tick(0).await;\n",
			"        {\n            let g = m.lock().unwrap();\n            if true { drop(g); }\n        }", ""},
		{"dropped after a borrow: still held",
			"        let g = m.lock().unwrap();\n        let n = g.len();\n        drop(g);\n        tick(n).await;\n",
			"        let n = {\n            let g = m.lock().unwrap();\n            let n = g.len();\n            drop(g);\n            n\n        };", ""},
		{"a closure capturing the guard used before the await",
			"        let g = m.lock().unwrap();\n        let has = |x: u32| g.contains(&x);\n        println!(\"{}\", has(1));\n        tick(0).await;\n",
			"        {\n            let g = m.lock().unwrap();\n            let has = |x: u32| g.contains(&x);\n            println!(\"{}\", has(1));\n        }", ""},
		{"a value of a local closure call used after the await",
			"        let g = m.lock().unwrap();\n        let has = |x: u32| g.contains(&x);\n        let hit = has(1);\n        tick(0).await;\n        println!(\"{hit}\");\n",
			"", "cannot tell whether `hit` borrows from guard `g`"},
		{"a temporary's borrow stored in an outer binding",
			"        let mut out: Vec<&u32> = Vec::new();\n        let g = m.lock().unwrap();\n        out.extend(g.iter());\n        tick(0).await;\n        println!(\"{out:?}\");\n",
			"", "`out` borrows from guard `g`"},
		{"a tuple of guards used after",
			"        let (a, b) = (m.lock().unwrap(), m.lock().unwrap());\n        tick(0).await;\n        println!(\"{}\", a.len() + b.len());\n",
			"", "guard `a`, `b` is used after the await"},
		{"an async fn of the file holds its borrowed argument",
			"        let g = m.lock().unwrap();\n        let fut = show(&g);\n        fut.await;\n",
			"", "`fut` borrows from guard `g` (`show(..)` is an async fn"},
		{"a write through the guard needs mut",
			"        tick(m.lock().unwrap().pop().unwrap_or(0) as usize).await;\n",
			"let mut guard = m.lock().unwrap();", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "use std::sync::{Arc, Mutex, MutexGuard};\nasync fn tick(_n: usize) {}\nasync fn wait(_g: &MutexGuard<'_, Vec<u32>>) {}\n" +
				"async fn pair(_a: u32, _b: usize) {}\nasync fn show(_v: &[u32]) {}\nfn next() -> u32 { 1 }\nfn consume(_g: MutexGuard<'_, Vec<u32>>) {}\n" +
				"fn go(m: Arc<Mutex<Vec<u32>>>) {\n    tokio::spawn(async move {\n" + tt.body + "    });\n}\n"
			cfg := DefaultConfig()
			cfg.Rules[RuleTokioMutex] = false
			res := runString(t, cfg, src)
			switch {
			case tt.want != "":
				if !strings.Contains(string(res.Out), tt.want) {
					t.Errorf("output lacks\n%s\ngot:\n%s\nfindings %+v", tt.want, res.Out, res.Findings)
				}
			case tt.reason != "":
				if res.Changed() || len(res.Findings) != 1 || res.Findings[0].Fixed || !strings.Contains(res.Findings[0].Reason, tt.reason) {
					t.Errorf("want one unfixed finding with %q; findings %+v\n%s", tt.reason, res.Findings, res.Out)
				}
			default:
				if res.Changed() || len(res.Findings) != 0 {
					t.Errorf("want no finding; got %+v\n%s", res.Findings, res.Out)
				}
			}
		})
	}
}

// TestAcquisitionShapes checks the shape and nodes each guard records for
// tokio-mutex.
func TestAcquisitionShapes(t *testing.T) {
	tests := []struct {
		body          string
		shape         acqShape
		expr, handler string
	}{
		{"let g = m.lock().unwrap();", acqUnwrap, "m.lock().unwrap()", ""},
		{"let g = m.lock().expect(\"poisoned\");", acqExpect, "m.lock().expect(\"poisoned\")", "m.lock().expect(\"poisoned\")"},
		{"let g = m.lock().unwrap_or_else(|e| e.into_inner());", acqUnwrapOrElse, "m.lock().unwrap_or_else(|e| e.into_inner())", "m.lock().unwrap_or_else(|e| e.into_inner())"},
		{"let g = m\n            .lock()\n            .map_err(|e| e.to_string())?;", acqMapErrTry, "m\n            .lock()\n            .map_err(|e| e.to_string())?", "m\n            .lock()\n            .map_err(|e| e.to_string())"},
		{"let g = m.lock().ok()?;", acqOkTry, "m.lock().ok()?", "m.lock().ok()"},
		{"let g = m.lock()?;", acqTry, "m.lock()?", "m.lock()?"},
		{"let Ok(g) = m.lock() else { return None };", acqLetElse, "m.lock()", "{ return None }"},
		{"let g = match m.lock() { Ok(g) => g, Err(e) => e.into_inner() };", acqPoisonMatch, "match m.lock() { Ok(g) => g, Err(e) => e.into_inner() }", ""},
	}
	for _, tt := range tests {
		src := "use std::sync::{Arc, Mutex};\nasync fn tick() {}\nasync fn f(m: Arc<Mutex<Vec<u32>>>) -> Option<()> {\n        " + tt.body + "\n        tick().await;\n        None\n}\nfn go(m: Arc<Mutex<Vec<u32>>>) { tokio::spawn(f(m)); }\n"
		root := parseRust(t, src)
		fc := &fileCtx{path: "fa.rs", src: []byte(src), root: root, style: rewrite.DetectStyle([]byte(src)), cfg: DefaultConfig(), idx: NewIndex(summaries(t, src)...)}
		fc.bodies = findBodies(fc.path, fc.src, root, fc.idx, false)
		gs := findGuards(fc)
		if len(gs) != 1 {
			t.Errorf("%s: %d guards", tt.body, len(gs))
			continue
		}
		g := gs[0]
		handler := ""
		if g.acq.handler != nil {
			handler = text(fc.src, g.acq.handler)
		}
		if g.acq.shape != tt.shape || text(fc.src, g.acq.expr) != tt.expr || handler != tt.handler || g.recv == nil || text(fc.src, g.recv) != "m" {
			t.Errorf("%s: shape %d expr %q handler %q recv %v; want %d %q %q", tt.body, g.acq.shape, text(fc.src, g.acq.expr), handler, g.recv != nil, tt.shape, tt.expr, tt.handler)
		}
	}
}
