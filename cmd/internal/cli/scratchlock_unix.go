//go:build unix

package cli

import (
	"os"
	"syscall"
)

// tryLock takes the lock file at path without waiting: ok is false when
// another run holds it. The lock is the kernel's (flock), so a run killed
// by a signal leaves no stale lock behind; release gives it up.
func tryLock(path string) (release func(), ok bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() { f.Close() }, true
}
