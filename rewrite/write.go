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

// ErrInterrupted is returned by WriteAtomic after Interrupt was called.
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

// Writer writes files whole and atomically, and can be interrupted: after
// Interrupt it writes nothing, while the writes under way go on to their
// end. Its zero value is ready to use; a command makes one per run, so that
// one run's interrupt does not stop another's writes. A Writer is safe for
// concurrent use on different paths.
type Writer struct {
	mu       sync.Mutex
	stopped  bool            // set by Interrupt
	inFlight sync.WaitGroup  // writes between their start and their end
	temps    map[string]bool // temporary files not yet renamed or removed
}

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
// After Interrupt it writes nothing and returns ErrInterrupted.
func (w *Writer) WriteAtomic(path string, orig, data []byte) error {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return fmt.Errorf("%s: %w", path, ErrInterrupted)
	}
	w.inFlight.Add(1)
	w.mu.Unlock()
	defer w.inFlight.Done()

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
	w.mu.Lock()
	f, err := createTemp(dir, ".sendfix-"+base+"-*")
	if err != nil {
		w.mu.Unlock()
		return fmt.Errorf("%s: %w", path, err)
	}
	tmp := f.Name()
	if w.temps == nil {
		w.temps = map[string]bool{}
	}
	w.temps[tmp] = true
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.temps, tmp)
		w.mu.Unlock()
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

// Interrupt makes every later WriteAtomic of w write nothing and return
// ErrInterrupted; writes already under way go on to their end, so each file
// is either wholly old or wholly new. It cannot be undone: a new run makes a
// new Writer.
//
// The command calls it on the first SIGINT or SIGTERM and lets the run end
// by itself (writes under way finish); on a second signal it calls
// CleanupTemps and exits without waiting. Either way it calls CleanupTemps
// once the run is over (a no-op when every write finished). Wait lets a
// caller wait for the writes under way instead.
func (w *Writer) Interrupt() {
	w.mu.Lock()
	w.stopped = true
	w.mu.Unlock()
}

// Wait blocks until every WriteAtomic of w under way has returned. Called
// after Interrupt, it returns once no write can be in progress.
func (w *Writer) Wait() {
	w.inFlight.Wait()
}

// CleanupTemps removes every temporary file w created that was neither
// renamed into place nor removed yet, for a process about to exit while
// writes may still be under way. It returns the paths it removed. A write
// whose temporary file was removed fails rather than install it.
func (w *Writer) CleanupTemps() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var removed []string
	for tmp := range w.temps {
		if os.Remove(tmp) == nil {
			removed = append(removed, tmp)
		}
		delete(w.temps, tmp)
	}
	return removed
}
