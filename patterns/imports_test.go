package patterns

import (
	"context"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"sendfix/rewrite"
)

// parseImports parses src and returns its import fact.
func parseImports(t *testing.T, src string) *fileImports {
	t.Helper()
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	tree, err := p.ParseCtx(context.Background(), nil, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tree.Close(); p.Close() })
	return readImports([]byte(src), tree.RootNode())
}

// nodeAt returns the smallest named node starting at the first
// occurrence of marker in src.
func nodeAt(t *testing.T, im *fileImports, marker string) *sitter.Node {
	t.Helper()
	off := strings.Index(string(im.src), marker)
	if off < 0 {
		t.Fatalf("no %q", marker)
	}
	if i := strings.Index(marker, "Mutex"); i > 0 {
		off += i // the name, not what comes before it
	}
	n := im.root.NamedDescendantForPointRange(pointOf(im.src, off), pointOf(im.src, off))
	if n == nil {
		t.Fatalf("no node at %q", marker)
	}
	return n
}

func pointOf(src []byte, off int) sitter.Point {
	row := strings.Count(string(src[:off]), "\n")
	col := off - (strings.LastIndex(string(src[:off]), "\n") + 1)
	return sitter.Point{Row: uint32(row), Column: uint32(col)}
}

func TestImportsLeaves(t *testing.T) {
	im := parseImports(t, "use std::sync::{self, Arc, Mutex as M, atomic::*};\nuse ::tokio::{spawn, sync::RwLock};\npub use a::b;\n")
	var got []string
	for _, l := range im.leaves {
		s := l.path + ">" + l.local
		if l.glob {
			s = l.path + "::*"
		}
		got = append(got, s)
	}
	want := "std::sync>sync std::sync::Arc>Arc std::sync::Mutex>M std::sync::atomic::* tokio::spawn>spawn tokio::sync::RwLock>RwLock a::b>b"
	if strings.Join(got, " ") != want {
		t.Errorf("leaves\n got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestImportsResolveScopes(t *testing.T) {
	src := `use std::sync::Mutex;
// use parking_lot::Mutex; (a comment is no import)
fn a() { let x: Mutex<u8> = todo!(); }
fn b() {
    use parking_lot::Mutex;
    let y: Mutex<u8> = todo!();
}
mod m {
    fn c() { let z: Mutex<u8> = todo!(); }
}
mod n {
    use super::*;
    use tokio::sync::Mutex as Mutex;
    fn d() { let w: Mutex<u8> = todo!(); }
}
`
	im := parseImports(t, src)
	for _, tc := range []struct {
		marker, want string
		ok           bool
	}{
		{"x: ", "std::sync::Mutex", true},
		{"y: ", "parking_lot::Mutex", true},
		{"z: ", "", false}, // a module does not see the file's uses
		{"w: ", "tokio::sync::Mutex", true},
	} {
		got, ok := im.resolve(nodeAt(t, im, tc.marker+"Mutex"), "Mutex")
		if got != tc.want || ok != tc.ok {
			t.Errorf("at %q: got %q %v, want %q %v", tc.marker, got, ok, tc.want, tc.ok)
		}
	}
	if g := im.globsAt(nodeAt(t, im, "w: Mutex")); len(g) != 1 || g[0] != "super" {
		t.Errorf("globs %q", g)
	}
}

func TestImportsUsesCrate(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"use parking_lot::Mutex;\n", true},
		{"use deno_core::parking_lot::Mutex;\n", true},
		{"fn f() { let m = core::parking_lot::Mutex::new(0); }\n", true},
		{"fn f() { let m = parking_lot::Mutex::new(0); }\n", true},
		{"fn f() { let m = make!(parking_lot::Mutex::new(0)); }\n", true},
		{"// parking_lot is not used here\nfn f() { let s = \"parking_lot::Mutex\"; }\n", false},
		{"fn f() { let parking_lot = 1; }\n", false},
	} {
		if got := parseImports(t, tc.src).usesCrate("parking_lot"); got != tc.want {
			t.Errorf("%q: %v, want %v", tc.src, got, tc.want)
		}
	}
}

func TestUseEditor(t *testing.T) {
	apply := func(t *testing.T, src string, do func(ed *useEditor, im *fileImports)) string {
		t.Helper()
		im := parseImports(t, src)
		ed := newUseEditor(im, rewrite.DetectStyle([]byte(src)))
		do(ed, im)
		out, err := rewrite.Apply([]byte(src), ed.edits())
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	leaf := func(im *fileImports, path string) useLeaf {
		for _, l := range im.leaves {
			if l.path == path {
				return l
			}
		}
		t.Fatalf("no leaf %s", path)
		return useLeaf{}
	}
	t.Run("rc to arc", func(t *testing.T) {
		got := apply(t, "use std::rc::Rc;\nuse std::cell::RefCell;\nuse std::sync::Mutex;\n", func(ed *useEditor, im *fileImports) {
			ed.drop(leaf(im, "std::rc::Rc"))
			ed.add(im.root, "std::sync", "Arc", leaf(im, "std::rc::Rc").decl)
		})
		if want := "use std::cell::RefCell;\nuse std::sync::{Arc, Mutex};\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("add without a near declaration", func(t *testing.T) {
		got := apply(t, "//! doc\n#![allow(dead_code)]\n\nfn main() {}\n", func(ed *useEditor, im *fileImports) {
			ed.add(im.root, "std::sync", "Arc", nil)
		})
		if want := "//! doc\n#![allow(dead_code)]\n\nuse std::sync::Arc;\nfn main() {}\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("already imported", func(t *testing.T) {
		got := apply(t, "use std::sync::{Arc, Mutex};\n", func(ed *useEditor, im *fileImports) {
			ed.add(im.root, "std::sync", "Arc", nil)
		})
		if want := "use std::sync::{Arc, Mutex};\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("new declaration in rustfmt's place", func(t *testing.T) {
		src := "use serde::Serialize;\nuse std::sync::{Arc, Mutex};\nuse tracing::info;\n"
		got := apply(t, src, func(ed *useEditor, im *fileImports) {
			ed.move(leaf(im, "std::sync::Mutex"), "tokio::sync")
		})
		if want := "use serde::Serialize;\nuse std::sync::Arc;\nuse tokio::sync::Mutex;\nuse tracing::info;\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
		src = "use std::sync::{Arc, Mutex};\nuse serde::Serialize;\nuse tracing::info;\n"
		got = apply(t, src, func(ed *useEditor, im *fileImports) {
			ed.move(leaf(im, "std::sync::Mutex"), "tokio::sync")
		})
		if want := "use std::sync::Arc;\nuse tokio::sync::Mutex;\nuse serde::Serialize;\nuse tracing::info;\n"; got != want {
			t.Errorf("unsorted group: got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("inner scope", func(t *testing.T) {
		src := "fn f() {\n    use std::sync::Mutex;\n    let m = Mutex::new(0);\n}\n"
		got := apply(t, src, func(ed *useEditor, im *fileImports) {
			ed.move(leaf(im, "std::sync::Mutex"), "tokio::sync")
		})
		if want := "fn f() {\n    use tokio::sync::Mutex;\n    let m = Mutex::new(0);\n}\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("emptied declaration removed with its line", func(t *testing.T) {
		src := "use std::sync::Mutex;\nuse tokio::sync::Notify;\nfn main() {}\n"
		got := apply(t, src, func(ed *useEditor, im *fileImports) {
			ed.move(leaf(im, "std::sync::Mutex"), "tokio::sync")
		})
		if want := "use tokio::sync::{Mutex, Notify};\nfn main() {}\n"; got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
}

func TestUseOrders(t *testing.T) {
	// rustfmt's examples (edition guide, "Rustfmt: Version sorting").
	if o := orderOf([]string{"self", "stdout", "Read", "Write"}, itemCmp); o == nil || o("a", "B") >= 0 {
		t.Error("the 2021 order is not recognised")
	}
	if o := orderOf([]string{"self", "Read", "Write", "stdout"}, itemCmp); o == nil || o("a", "B") <= 0 {
		t.Error("the 2024 order is not recognised")
	}
	if o := orderOf([]string{"NonZeroU8", "NonZeroU16", "NonZeroU32", "NonZeroU64"}, itemCmp); o == nil || o("U8", "U16") >= 0 {
		t.Error("version sorting of digits")
	}
	if orderOf([]string{"Write", "Read"}, itemCmp) != nil {
		t.Error("an unsorted list has no order")
	}
	if c := itemCmp(order2021, "Mutex", "Mutex as M"); c >= 0 {
		t.Error("a name sorts before its rename")
	}
	if c := pathCmp(order2021, "std::sync::Arc", "tokio::sync::Mutex"); c >= 0 {
		t.Error("paths compare by segment")
	}
}
