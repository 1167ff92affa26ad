//go:build unix

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTryLockStale: a lock file a killed run left behind is no lock, and
// a lock a live run holds is one, said to be held.
func TestTryLockStale(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sendfix-scratch.lock")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	release, _ := tryLock(p)
	if release == nil {
		t.Fatal("a stale lock file (no holder) refused the lock")
	}
	if r, held := tryLock(p); r != nil || !held {
		t.Errorf("a held lock: taken %v, held %v", r != nil, held)
	}
	release()
	again, _ := tryLock(p)
	if again == nil {
		t.Fatal("the lock was not free after release")
	}
	again()
	if r, held := tryLock(filepath.Join(p, "no", "such", "dir")); r != nil || held {
		t.Errorf("a lock that cannot be opened: taken %v, held %v", r != nil, held)
	}
}

// A run that finds the scratch copy held waits for it and then uses it
// (and its target folder), rather than a second copy that cargo would
// judge against the first one's files.
func TestScratchTreeWaitsForTheLock(t *testing.T) {
	root, target := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "Cargo.toml"), []byte("[package]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hold, _ := tryLock(filepath.Join(target, "sendfix-scratch.lock"))
	if hold == nil {
		t.Fatal("cannot take the lock")
	}
	type got struct {
		dir, target string
		release     func()
		err         error
	}
	done := make(chan got, 1)
	var notes []string
	go func() {
		d, tg, rel, err := scratchTree(context.Background(), root, target, func(f string, a ...any) { notes = append(notes, f) })
		done <- got{d, tg, rel, err}
	}()
	select {
	case g := <-done:
		t.Fatalf("scratchTree returned %q while the lock was held", g.dir)
	case <-time.After(3 * lockPoll):
	}
	hold()
	g := <-done
	if g.err != nil {
		t.Fatal(g.err)
	}
	defer g.release()
	if g.dir != filepath.Join(target, "sendfix-scratch") || g.target != target {
		t.Errorf("copy %s built in %s; want the stable copy in %s", g.dir, g.target, target)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "waiting for another sendfix run") {
		t.Errorf("notes: %q", notes)
	}
	// Cancelled while waiting: the context's error.
	hold2, _ := tryLock(filepath.Join(target, "sendfix-scratch.lock"))
	if hold2 != nil {
		t.Fatal("the lock was free while the copy was in use")
	}
	g.release()
	ctx, cancel := context.WithCancel(context.Background())
	other, _ := tryLock(filepath.Join(target, "sendfix-scratch.lock"))
	defer other()
	cancel()
	if _, _, _, err := scratchTree(ctx, root, target, func(string, ...any) {}); err != context.Canceled {
		t.Errorf("cancelled wait: %v", err)
	}
}

// A target folder that cannot be made: a temporary copy with a target
// folder of its own, both removed on release.
func TestScratchTreeUnwritableTarget(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir, target, release, err := scratchTree(context.Background(), root, filepath.Join(file, "target"), func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(dir) != filepath.Dir(target) || strings.HasPrefix(target, file) {
		t.Errorf("copy %s, target %s: want siblings in a temporary folder", dir, target)
	}
	release()
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Errorf("the temporary folder is left: %v", err)
	}
}
