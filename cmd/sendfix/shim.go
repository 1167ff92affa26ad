package main

// Temporary stand-ins for rewrite.WriteAtomic and rewrite.ErrChanged, with
// the same signatures, until rewrite/write.go lands. Remove this file then.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

var errChanged = errors.New("changed on disk while sendfix ran")

func writeAtomic(path string, orig, data []byte) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".sendfix-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(st.Mode().Perm()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, orig) {
		return fmt.Errorf("%s: %w", path, errChanged)
	}
	return os.Rename(tmp, path)
}
