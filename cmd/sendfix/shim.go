package main

// Temporary stand-ins for rewrite.Unified, rewrite.Colorize,
// rewrite.WriteAtomic and rewrite.ErrChanged, with the same signatures,
// until rewrite/diff.go and rewrite/write.go land. Remove this file then.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

var errChanged = errors.New("changed on disk while sendfix ran")

// unifiedDiff renders the whole file as one hunk: valid, if not minimal.
func unifiedDiff(path string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	split := func(b []byte) [][]byte {
		if len(b) == 0 {
			return nil
		}
		return bytes.SplitAfter(b, []byte("\n"))
	}
	ol, nl := split(old), split(new)
	if len(ol) > 0 && len(ol[len(ol)-1]) == 0 {
		ol = ol[:len(ol)-1]
	}
	if len(nl) > 0 && len(nl[len(nl)-1]) == 0 {
		nl = nl[:len(nl)-1]
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n@@ -1,%d +1,%d @@\n", path, path, len(ol), len(nl))
	emit := func(sign byte, lines [][]byte) {
		for _, l := range lines {
			b.WriteByte(sign)
			b.Write(l)
			if !bytes.HasSuffix(l, []byte("\n")) {
				b.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	emit('-', ol)
	emit('+', nl)
	return b.Bytes()
}

func colorize(diff []byte) []byte {
	var b bytes.Buffer
	for _, l := range bytes.SplitAfter(diff, []byte("\n")) {
		switch {
		case len(l) == 0:
		case bytes.HasPrefix(l, []byte("@@")):
			b.WriteString("\x1b[36m")
		case l[0] == '-':
			b.WriteString("\x1b[31m")
		case l[0] == '+':
			b.WriteString("\x1b[32m")
		default:
			b.Write(l)
			continue
		}
		b.Write(bytes.TrimSuffix(l, []byte("\n")))
		b.WriteString("\x1b[0m\n")
	}
	return b.Bytes()
}

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
