package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// TestScheduleHandOffGate: a guard held across an await in `work`, whose
// future another file hands over as a BoxFuture (run.rs), is found
// through that hand-off, with the reason it gives; a third file hands
// over a fn that reaches no guard and is not needed. The run with the
// gate and the run that parses every file for its hand-offs
// (SENDFIX_EXHAUSTIVE=1) print the same findings and diff.
func TestScheduleHandOffGate(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, map[string]string{
		"src/main.rs": "mod jobs;\nmod other;\nmod run;\n\nfn main() {}\n",
		"src/jobs.rs": `use std::sync::Mutex;

pub static M: Mutex<u32> = Mutex::new(0);

async fn tick() {}

pub async fn work() {
    let mut g = M.lock().unwrap();
    *g += 1;
    tick().await;
}
`,
		"src/run.rs": `use futures::future::BoxFuture;

pub fn job() -> BoxFuture<'static, ()> {
    Box::pin(crate::jobs::work())
}
`,
		"src/other.rs": `use futures::future::BoxFuture;

async fn idle() {}

pub fn other() -> BoxFuture<'static, ()> {
    Box::pin(idle())
}
`,
	})
	run := func(exhaustive string) string {
		t.Helper()
		var out, errb bytes.Buffer
		a := &App{
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getwd: func() (string, error) { return dir, nil },
			Getenv: func(k string) string {
				if k == "SENDFIX_EXHAUSTIVE" {
					return exhaustive
				}
				return ""
			},
			IsTerminal: func(io.Writer) bool { return false },
			Context:    context.Background(),
		}
		if code := a.Run([]string{"-j", "2", "."}); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	gated := run("")
	if !strings.Contains(gated, "its future is returned by `job`") || !strings.Contains(gated, "+++ b/src/jobs.rs") {
		t.Fatalf("the hand-off in run.rs was not read:\n%s", gated)
	}
	if all := run("1"); all != gated {
		t.Errorf("with every file parsed for its hand-offs:\n%s\nwith the gate:\n%s", all, gated)
	}
}
