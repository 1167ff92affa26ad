package cli

import (
	"path/filepath"
	"sync"
)

// editions gives each file the edition of the package that holds it, read
// from the package's Cargo.toml (a workspace's inherited edition too; a
// manifest without one means 2015, as for cargo). It is safe for the
// engine's workers.
type editions struct {
	mu   sync.Mutex
	pkgs *packages
}

// of returns the edition of the file at path (as the engine is given it:
// relative to the working directory, or absolute), "" when no package
// holds it.
func (e *editions) of(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.pkgs.of(abs); p != nil {
		return p.edition
	}
	return ""
}
