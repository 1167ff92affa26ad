//go:build unix

package cli

import (
	"os"
	"syscall"
)

// tryLock takes the lock file at path without waiting: release is nil
// when it cannot, and held then says whether another run holds it (it
// is worth waiting for) rather than the file failing to open. The lock
// is the kernel's (flock), so a run killed by a signal leaves no stale
// lock behind; release gives it up.
func tryLock(path string) (release func(), held bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err == syscall.EWOULDBLOCK
	}
	return func() { f.Close() }, false
}
