package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"unicode/utf8"
)

// readSource reads a Rust file, refusing what is not UTF-8 text. The
// returned error does not name the file; the caller does.
func readSource(path string) ([]byte, error) { return readSourceInto(path, nil) }

// readSourceInto is readSource reusing buf's storage when the file fits
// in it: the result then aliases buf.
func readSourceInto(path string, buf []byte) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		if lst, lerr := os.Lstat(path); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 && errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("broken symbolic link")
		}
		return nil, errReason(err)
	}
	// A FIFO or device would block or never end: never open one.
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	// Read up to the size stat gave and one byte more, which tells a file
	// that grew meanwhile; such a file is read to its end.
	want := int(st.Size()) + 1
	if cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	data, err := readAll(path, buf[:0])
	if err != nil {
		return nil, errReason(err)
	}
	return data, checkText(data)
}

// checkText rejects binary data: a NUL byte or invalid UTF-8.
func checkText(data []byte) error {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fmt.Errorf("binary file (NUL byte at offset %d)", i)
	}
	if !utf8.Valid(data) {
		i := 0
		for i < len(data) {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return fmt.Errorf("not UTF-8 text (invalid byte at offset %d)", i)
	}
	return nil
}
