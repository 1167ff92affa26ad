package golden

import (
	"bytes"
	"strings"
	"testing"
)

// TestGeneratorParts checks the generator without a compiler: a program
// is the same every time its seed and index are given, and every part of
// every dimension is chosen in a few thousand programs (a part whose fits
// never holds would never be tested).
func TestGeneratorParts(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 4000; i++ {
		g := generate(1, i)
		src := g.Render()
		if !bytes.Equal(src, generate(1, i).Render()) {
			t.Fatalf("index %d: two renderings differ", i)
		}
		if i < 50 && bytes.Equal(src, generate(2, i).Render()) {
			t.Errorf("index %d: seeds 1 and 2 give the same program", i)
		}
		for _, kv := range g.header {
			dim, names, _ := strings.Cut(kv, "=")
			for _, n := range strings.Split(names, "+") {
				seen[dim+"="+n] = true
			}
		}
	}
	want := []string{}
	for _, e := range editions {
		want = append(want, "edition="+e)
	}
	add := func(dim string, names ...string) {
		for _, n := range names {
			want = append(want, dim+"="+n)
		}
	}
	add("lock", partNames(lockParts)...)
	add("take", partNames(takeParts)...)
	add("unwrap", partNames(unwrapParts)...)
	add("use", partNames(useParts)...)
	add("use", "none")
	add("end", partNames(endParts)...)
	add("escape", partNames(escapeParts)...)
	add("await", partNames(awaitParts)...)
	add("wrap", partNames(wrapParts)...)
	add("ctx", partNames(ctxParts)...)
	add("rc", partNames(rcParts)...)
	add("outside", partNames(outsideParts)...)
	for _, w := range want {
		if !seen[w] {
			t.Errorf("part %s is never chosen in 4000 programs", w)
		}
	}
}

func partNames[P namedPart](parts []P) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p.partName())
	}
	return out
}

func TestLostCode(t *testing.T) {
	in := "// parts: x\nfn main() {\n    if let Ok(g) = m.lock() {\n        sink(g.len());\n    } else {\n        tick().await;\n    }\n}\n"
	out := "fn main() {\n    {\n        let g = m.lock().await;\n        sink(g.len());\n    }\n}\n"
	if got := lostCode([]byte(in), []byte(out)); got != "tick() 1 -> 0" {
		t.Errorf("got %q", got)
	}
	scoped := "fn main() {\n    let n = {\n        let g = m.lock().unwrap();\n        sink(g.len())\n    };\n    tick().await;\n}\n"
	if got := lostCode([]byte("fn main() {\n    let g = m.lock().unwrap();\n    let n = sink(g.len());\n    tick().await;\n}\n"), []byte(scoped)); got != "" {
		t.Errorf("a scope block reported as lost code: %q", got)
	}
}
