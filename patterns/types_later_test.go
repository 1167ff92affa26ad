package patterns

import (
	"maps"
	"slices"
	"testing"
)

// TestDeclaredNames: the names after a definition's keyword, through
// comments, raw identifiers included; not the tail of a longer word.
func TestDeclaredNames(t *testing.T) {
	src := []byte("pub struct A<T> { t: T }\nenum /* c */ B {}\ntype\n  C = u8;\nunion r#D { x: u8 }\ntrait E {}\nlet structure = 1; mytype F;\nimpl X for Y {}")
	got := declaredNames(src)
	want := []string{"A", "B", "C", "r#D", "E"}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("declaredNames misses %q: %q", w, got)
		}
	}
	for _, w := range []string{"F", "ure", "X", "Y"} {
		if slices.Contains(got, w) {
			t.Errorf("declaredNames gives %q: %q", w, got)
		}
	}
}

// TestCrateTypesOnDemand: a crate's files are read for their definitions
// only when a name they may declare is asked for, once each, and the
// definitions are those reading every file gives.
func TestCrateTypesOnDemand(t *testing.T) {
	files := map[string]string{
		"src/a.rs": "use std::rc::Rc;\npub struct Holder { r: Rc<u8> }\npub struct Other { o: Rc<u8> }",
		"src/b.rs": "pub struct Plain { x: u32 }", // spells no word that may make a type not Send
		"src/c.rs": "use std::cell::Cell;\n// struct Holder is in a.rs\npub struct Counter { c: Cell<u8> }",
		"src/d.rs": "use std::rc::Rc;\npub async fn f(h: Holder) {}",
		"src/e.rs": "use std::rc::Rc;\npub struct Lexed { r: Rc<u8> }\nasync fn g() {}", // its summary knows what it declares
	}
	reads := map[string]int{}
	ct := &crateTypes{}
	for _, p := range []string{"src/a.rs", "src/b.rs", "src/c.rs", "src/d.rs"} {
		ct.files = append(ct.files, typesLater{path: p, read: func() ([]byte, error) { reads[p]++; return []byte(files[p]), nil }})
	}
	ct.files = append(ct.files, typesLater{path: "src/e.rs", read: func() ([]byte, error) { reads["src/e.rs"]++; return []byte(files["src/e.rs"]), nil },
		tokens: true, types: []string{"Lexed"}})
	scanned := func() map[string]int {
		return map[string]int{"src/a.rs": 1, "src/b.rs": 1, "src/c.rs": 1, "src/d.rs": 1}
	}
	got := ct.defsOf("Holder", "src/d.rs", nil)
	if len(got) != 1 || got[0].path != "src/a.rs" || got[0].name != "Holder" {
		t.Fatalf("defsOf(Holder) = %v, want a.rs's", got)
	}
	want := scanned()
	want["src/a.rs"]++ // read for its definitions; c.rs's comment names Holder too
	want["src/c.rs"]++
	if !maps.Equal(reads, want) {
		t.Errorf("reads after Holder: %v, want %v", reads, want)
	}
	if got := ct.defsOf("Other", "src/d.rs", nil); len(got) != 1 {
		t.Errorf("defsOf(Other) = %v, want a.rs's", got)
	}
	if got := ct.defsOf("Holder", "src/a.rs", nil); len(got) != 0 {
		t.Errorf("defsOf(Holder) from a.rs itself = %v, want none (the rule reads its own file)", got)
	}
	if got := ct.defsOf("Plain", "src/d.rs", nil); len(got) != 0 {
		t.Errorf("defsOf(Plain) = %v, want none: b.rs may declare no type that is not Send", got)
	}
	if got := ct.defsOf("Lexed", "src/d.rs", nil); len(got) != 1 || got[0].path != "src/e.rs" {
		t.Errorf("defsOf(Lexed) = %v, want e.rs's", got)
	}
	want["src/e.rs"] = 1 // not scanned: read once, for Lexed
	if !maps.Equal(reads, want) {
		t.Errorf("reads after more asks: %v, want %v (each file read at most once more)", reads, want)
	}
}
