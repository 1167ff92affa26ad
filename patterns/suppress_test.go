package patterns

import (
	"slices"
	"strings"
	"testing"
)

// spawned wraps body lines in a spawned async block that holds a guard
// across an await, with the helpers it needs.
func spawned(pre, body string) string {
	return `use std::sync::{Arc, Mutex};

async fn work() {}

` + pre + `fn start(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
` + body + `
        work().await;
    });
}
`
}

const heldGuard = `        let mut g = data.lock().unwrap();
        *g += 1;`

func TestSuppressionDirectives(t *testing.T) {
	for _, tc := range []struct {
		name       string
		src        string
		suppressed int // findings silenced
		fixed      int // fixes still made
	}{
		{"none", spawned("", heldGuard), 0, 1},
		{"ignore before the let", spawned("", "        // sendfix:ignore\n"+heldGuard), 1, 0},
		{"ignore naming the rule", spawned("", "        // sendfix:ignore mutex-scope -- the lock is uncontended\n"+heldGuard), 1, 0},
		{"ignore in a list", spawned("", "        //sendfix:ignore rc-arc, mutex-scope\n"+heldGuard), 1, 0},
		{"ignore naming another rule", spawned("", "        // sendfix:ignore rc-arc\n"+heldGuard), 0, 1},
		{"ignore naming an unknown rule", spawned("", "        // sendfix:ignore mutex_scope\n"+heldGuard), 0, 1},
		{"ignore before the fn", spawned("// sendfix:ignore\n", heldGuard), 1, 0},
		{"ignore before attributes", spawned("// sendfix:ignore\n#[inline]\n", heldGuard), 1, 0},
		{"trailing comment is no directive", spawned("", "        work(); // sendfix:ignore\n"+heldGuard), 0, 1},
		{"doc comment is no directive", spawned("/// sendfix:ignore\n", heldGuard), 0, 1},
		{"directive word must end", spawned("", "        // sendfix:ignored\n"+heldGuard), 0, 1},
		{"ignore on a later statement", spawned("", heldGuard+"\n        // sendfix:ignore"), 0, 1},
		{"clippy allow on the fn", spawned("#[allow(clippy::await_holding_lock)]\n", heldGuard), 1, 0},
		{"clippy expect among lints", spawned("#[expect(dead_code, clippy :: await_holding_lock)]\n", heldGuard), 1, 0},
		{"clippy allow of another lint", spawned("#[allow(clippy::large_futures)]\n", heldGuard), 0, 1},
		{"inner allow covers the file", "#![allow(clippy::await_holding_lock)]\n" + spawned("", heldGuard), 1, 0},
		{"inner allow in the fn", strings.Replace(spawned("", heldGuard), "{\n    tokio", "{\n    #![allow(clippy::await_holding_lock)]\n    tokio", 1), 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runString(t, DefaultConfig(), tc.src)
			fixed := 0
			for _, f := range r.Findings {
				if f.Fixed {
					fixed++
				}
			}
			if r.Suppressed != tc.suppressed || fixed != tc.fixed || len(r.Findings) != tc.fixed {
				t.Errorf("suppressed %d, fixed %d, findings %+v; want %d suppressed, %d fixed", r.Suppressed, fixed, r.Findings, tc.suppressed, tc.fixed)
			}
			if tc.fixed == 0 && string(r.Out) != tc.src {
				t.Errorf("a suppressed finding was fixed:\n%s", r.Out)
			}
		})
	}
}

func TestSuppressionScopeIsTheNextNode(t *testing.T) {
	// Two spawned tasks; the directive covers only the first.
	src := `use std::sync::{Arc, Mutex};

async fn work() {}

fn start(a: Arc<Mutex<i32>>, b: Arc<Mutex<i32>>) {
    // sendfix:ignore
    tokio::spawn(async move {
        let mut g = a.lock().unwrap();
        *g += 1;
        work().await;
    });
    tokio::spawn(async move {
        let mut h = b.lock().unwrap();
        *h += 1;
        work().await;
    });
}
`
	r := runString(t, DefaultConfig(), src)
	if r.Suppressed != 1 || len(r.Findings) != 1 || r.Findings[0].Name != "h" || !r.Findings[0].Fixed {
		t.Fatalf("suppressed %d, findings %+v", r.Suppressed, r.Findings)
	}
	if !strings.Contains(string(r.Out), "        let mut g = a.lock().unwrap();\n        *g += 1;\n        work().await;") {
		t.Errorf("the suppressed task changed:\n%s", r.Out)
	}
}

func TestSuppressionOfRcArc(t *testing.T) {
	src := `use std::rc::Rc;

async fn work() {}

fn start() {
    // sendfix:ignore rc-arc
    let data = Rc::new(5);
    tokio::spawn(async move {
        work().await;
        println!("{}", data);
    });
}
`
	r := runString(t, DefaultConfig(), src)
	if r.Suppressed != 1 || len(r.Findings) != 0 || r.Changed() {
		t.Fatalf("suppressed %d, findings %+v, changed %v", r.Suppressed, r.Findings, r.Changed())
	}
	// await_holding_lock says nothing about Rc.
	allowed := strings.Replace(src, "    // sendfix:ignore rc-arc\n", "", 1)
	allowed = strings.Replace(allowed, "fn start", "#[allow(clippy::await_holding_lock)]\nfn start", 1)
	r = runString(t, DefaultConfig(), allowed)
	if r.Suppressed != 0 || len(r.Findings) != 1 || !r.Findings[0].Fixed {
		t.Fatalf("allow(await_holding_lock) silenced rc-arc: suppressed %d, findings %+v", r.Suppressed, r.Findings)
	}
}

func TestParseIgnore(t *testing.T) {
	for _, tc := range []struct {
		in    string
		ok    bool
		rules string
	}{
		{"// sendfix:ignore", true, ""},
		{"//sendfix:ignore", true, ""},
		{"// sendfix:ignore tokio-mutex,rc-arc", true, "rc-arc tokio-mutex"},
		{"// sendfix:ignore -- reviewed", true, ""},
		{"// sendfix:ignore nope", false, ""},
		{"// sendfix:ignorex", false, ""},
		{"/// sendfix:ignore", false, ""},
		{"//! sendfix:ignore", false, ""},
		{"// see sendfix:ignore", false, ""},
	} {
		rules, ok := parseIgnore(tc.in)
		var got []string
		for _, r := range AllRules {
			if rules[r] {
				got = append(got, r)
			}
		}
		slices.Sort(got)
		if ok != tc.ok || strings.Join(got, " ") != tc.rules {
			t.Errorf("%q: %v %v, want %v %q", tc.in, got, ok, tc.ok, tc.rules)
		}
	}
}
