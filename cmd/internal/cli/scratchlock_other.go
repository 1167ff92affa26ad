//go:build !unix

package cli

import "os"

// tryLock takes the lock file at path without waiting: release is nil
// when the file exists. held is always false: the file may be what a
// killed run left, which no wait would end.
func tryLock(path string) (release func(), held bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, false
	}
	f.Close()
	return func() { os.Remove(path) }, false
}
