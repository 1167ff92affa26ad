//go:build unix

package golden

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A run that finds the target folder's scratch copy held by another run
// waits for it and still finds and fixes the Send failure. (A second copy
// in the same target folder was judged against the first one's files by
// cargo: 0 Send failures on a failing package.)
func TestCargoWaitsForAHeldScratch(t *testing.T) {
	ws := cargoWorkspace(t)
	env := cargoEnv(t)
	var target string
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, "CARGO_TARGET_DIR="); ok {
			target = v
		}
	}
	if err := os.MkdirAll(target, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(target, "sendfix-scratch.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	type result struct {
		out, errOut string
		code        int
	}
	done := make(chan result, 1)
	go func() {
		out, errOut, code := sendfixCargo(t, ws, nil, "--cargo", "--message-format", "json", "watch-ref")
		done <- result{out, errOut, code}
	}()
	select {
	case r := <-done:
		t.Fatalf("the run ended while the scratch copy was held (exit %d):\n%s", r.code, r.errOut)
	case <-time.After(2 * time.Second):
	}
	f.Close()
	r := <-done
	if !strings.Contains(r.errOut, "waiting for another sendfix run") {
		t.Errorf("no note of the wait:\n%s", r.errOut)
	}
	got := applySuggestions(t, ws, []byte(r.out))
	fixed := got["watch-ref/src/main.rs"]
	if !strings.Contains(fixed, "        {\n            let v = rx.borrow();") {
		t.Errorf("watch-ref not fixed by the suggestions:\n%s\nstderr:\n%s", fixed, r.errOut)
	}
}
