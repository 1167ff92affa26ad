//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTryLockStale: a lock file a killed run left behind is no lock, and
// a lock a live run holds is one.
func TestTryLockStale(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sendfix-scratch.lock")
	if err := os.WriteFile(p, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	release, ok := tryLock(p)
	if !ok {
		t.Fatal("a stale lock file (no holder) refused the lock")
	}
	if _, ok := tryLock(p); ok {
		t.Error("a held lock was taken twice")
	}
	release()
	again, ok := tryLock(p)
	if !ok {
		t.Fatal("the lock was not free after release")
	}
	again()
}
