package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestReadAll: readAll gives a file's whole contents whatever the room
// given (none, less, exactly, more), appending to what data holds.
func TestReadAll(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 4095, 4096, 4097, 200_000} {
		want := bytes.Repeat([]byte("fn f() {}\n"), n/10+1)[:n]
		p := filepath.Join(dir, "a.rs")
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, room := range []int{0, n / 2, n, n + 1, 2*n + 7} {
			got, err := readAll(p, make([]byte, 0, room))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("size %d, room %d: %d bytes, %v", n, room, len(got), err)
			}
		}
		got, err := readAll(p, []byte("kept"))
		if err != nil || !bytes.Equal(got, append([]byte("kept"), want...)) {
			t.Errorf("size %d after 4 bytes: %d bytes, %v", n, len(got), err)
		}
	}
	if _, err := readAll(filepath.Join(dir, "missing.rs"), nil); err == nil || !os.IsNotExist(err) {
		t.Errorf("a missing file: %v, want not exist", err)
	}
}
