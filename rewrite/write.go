package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// ErrChanged is wrapped by WriteAtomic's error when the file no longer has
// the bytes the caller read.
var ErrChanged = errors.New("changed on disk while sendfix ran")

// ErrReadOnly is returned by WriteAtomic for a file with no write
// permission bit: like rustfmt and cargo fix, sendfix does not replace a
// file its owner marked read-only (a version-control checkout, generated
// or vendored code), even when running as root.
var ErrReadOnly = errors.New("read-only file")

// ErrInterrupted is returned by WriteAtomic after Interrupted was called.
var ErrInterrupted = errors.New("interrupted: not written")

// tempFile is what WriteAtomic needs of its temporary file; *os.File has it.
type tempFile interface {
	io.Writer
	Name() string
	Sync() error
	Chmod(os.FileMode) error
	Close() error
}

// createTemp creates the temporary file. Tests replace it to simulate a
// full disk.
var createTemp = func(dir, pattern string) (tempFile, error) {
	return os.CreateTemp(dir, pattern)
}

// Write state shared by every WriteAtomic of the process, so that an
// interrupt can stop new writes and wait for those under way.
var (
	writeMu  sync.Mutex
	stopped  bool                // set by Interrupted
	inFlight sync.WaitGroup      // writes between their start and their end
	temps    = map[string]bool{} // temporary files not yet renamed or removed
)

// WriteAtomic replaces the contents of the file at path, which the caller
// read as orig, with data. The file is replaced whole or not at all: data
// goes to a temporary file ".sendfix-*" in the same folder, which is synced,
// given the original's permission bits and renamed over path; on any
// failure the temporary file is removed and the original is left as it was.
// If the file no longer holds orig just before the rename, nothing is
// written and the error wraps ErrChanged. When data equals orig nothing is
// done. Symlinks are not resolved: a symlink at path is replaced by a
// regular file, so the caller passes the link's target.
//
// WriteAtomic is safe for concurrent use on different paths. After
// Interrupted it writes nothing and returns ErrInterrupted.
func WriteAtomic(path string, orig, data []byte) error {
	writeMu.Lock()
	if stopped {
		writeMu.Unlock()
		return fmt.Errorf("%s: %w", path, ErrInterrupted)
	}
	inFlight.Add(1)
	writeMu.Unlock()
	defer inFlight.Done()

	if bytes.Equal(orig, data) {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: not a regular file", path)
	}
	mode := fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
	if mode&0o222 == 0 {
		return fmt.Errorf("%s: %w", path, ErrReadOnly)
	}

	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// Create and record the temporary file under the lock, so that
	// CleanupTemps never misses one that exists.
	writeMu.Lock()
	f, err := createTemp(dir, ".sendfix-"+base+"-*")
	if err != nil {
		writeMu.Unlock()
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := f.Name()
	temps[tmp] = true
	writeMu.Unlock()
	defer func() {
		writeMu.Lock()
		delete(temps, tmp)
		writeMu.Unlock()
	}()

	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	// Check as late as possible, so that an editor's save during the run
	// is not overwritten.
	cur, err := os.ReadFile(path)
	if err == nil && !bytes.Equal(cur, orig) {
		err = ErrChanged
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: %w", path, err)
	}
	// Make the rename durable; some file systems cannot sync a folder,
	// and the file is in place either way.
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Interrupted makes every later WriteAtomic write nothing and return
// ErrInterrupted; writes already under way go on to their end, so each file
// is either wholly old or wholly new. It cannot be undone.
//
// The command calls it on the first SIGINT or SIGTERM and lets the run end
// by itself (writes under way finish); on a second signal it calls
// CleanupTemps and exits without waiting. Either way it calls CleanupTemps
// once the run is over (a no-op when every write finished). WaitWrites
// lets a caller wait for the writes under way instead.
func Interrupted() {
	writeMu.Lock()
	stopped = true
	writeMu.Unlock()
}

// WaitWrites blocks until every WriteAtomic under way has returned. Called
// after Interrupted, it returns once no write can be in progress.
func WaitWrites() {
	inFlight.Wait()
}

// CleanupTemps removes every temporary file WriteAtomic created that was
// neither renamed into place nor removed yet, for a process about to exit
// while writes may still be under way. It returns the paths it removed.
// A write whose temporary file was removed fails rather than install it.
func CleanupTemps() []string {
	writeMu.Lock()
	defer writeMu.Unlock()
	var removed []string
	for tmp := range temps {
		if os.Remove(tmp) == nil {
			removed = append(removed, tmp)
		}
		delete(temps, tmp)
	}
	return removed
}
