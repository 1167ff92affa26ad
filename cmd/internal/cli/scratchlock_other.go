//go:build !unix

package cli

import "os"

// tryLock takes the lock file at path without waiting: ok is false when
// the file exists (another run holds it, or a killed run left it).
func tryLock(path string) (release func(), ok bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, false
	}
	f.Close()
	return func() { os.Remove(path) }, true
}
