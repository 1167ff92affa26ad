package rewrite

import (
	"strings"
	"testing"
)

func TestApply(t *testing.T) {
	const src = "0123456789"
	cases := []struct {
		name  string
		edits []Edit
		want  string // "" with err set means an error is expected
		err   string
	}{
		{"none", nil, src, ""},
		{"replace", []Edit{{2, 4, "ab"}}, "01ab456789", ""},
		{"delete", []Edit{{2, 4, ""}}, "01456789", ""},
		{"insert", []Edit{{3, 3, "x"}}, "012x3456789", ""},
		{"insert at start and end", []Edit{{10, 10, "E"}, {0, 0, "S"}}, "S0123456789E", ""},
		{"sorted by position", []Edit{{8, 9, "c"}, {0, 1, "a"}, {4, 5, "b"}}, "a123b567c9", ""},
		{"adjacent replacements", []Edit{{2, 4, "x"}, {4, 6, "y"}}, "01xy6789", ""},
		{"insertions at one offset keep their order", []Edit{{5, 5, "a"}, {5, 5, "b"}, {5, 5, "c"}}, "01234abc56789", ""},
		{"insertion before a replacement at its start", []Edit{{5, 7, "R"}, {5, 5, "I"}}, "01234IR789", ""},
		{"insertion at the end of a replacement", []Edit{{5, 5 + 2, "R"}, {7, 7, "I"}}, "01234RI789", ""},
		{"identical duplicates count once", []Edit{{2, 4, "x"}, {2, 4, "x"}}, "01x456789", ""},
		{"identical insertions count once", []Edit{{2, 2, "x"}, {2, 2, "x"}}, "01x23456789", ""},
		{"whole source", []Edit{{0, 10, "new"}}, "new", ""},
		{"empty replacement of nothing", []Edit{{4, 4, ""}}, src, ""},
		{"overlap", []Edit{{2, 5, "x"}, {4, 6, "y"}}, "", "overlaps"},
		{"same range, different text", []Edit{{2, 4, "x"}, {2, 4, "y"}}, "", "overlaps"},
		{"nested", []Edit{{1, 8, "x"}, {3, 4, "y"}}, "", "overlaps"},
		{"insertion inside a replacement", []Edit{{2, 6, "x"}, {4, 4, "y"}}, "", "overlaps"},
		{"same start, different ends", []Edit{{2, 4, "x"}, {2, 6, "y"}}, "", "overlaps"},
		{"end past the source", []Edit{{8, 11, "x"}}, "", "out of bounds"},
		{"negative start", []Edit{{-1, 2, "x"}}, "", "out of bounds"},
		{"end before start", []Edit{{5, 3, "x"}}, "", "out of bounds"},
		{"insertion past the end", []Edit{{11, 11, "x"}}, "", "out of bounds"},
		{"one bad edit rejects all", []Edit{{0, 1, "a"}, {9, 12, "b"}}, "", "out of bounds"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]Edit(nil), c.edits...)
			got, err := Apply([]byte(src), c.edits)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("Apply = %q, %v; want error containing %q", got, err, c.err)
				}
				if got != nil {
					t.Errorf("Apply returned %q with its error", got)
				}
			} else if err != nil || string(got) != c.want {
				t.Fatalf("Apply = %q, %v; want %q", got, err, c.want)
			}
			for i := range in {
				if in[i] != c.edits[i] {
					t.Fatalf("Apply reordered its argument: %v, was %v", c.edits, in)
				}
			}
		})
	}
}

func TestApplyEmptySource(t *testing.T) {
	got, err := Apply(nil, []Edit{{0, 0, "fn main() {}\n"}})
	if err != nil || string(got) != "fn main() {}\n" {
		t.Fatalf("Apply on empty source = %q, %v", got, err)
	}
	if _, err := Apply(nil, []Edit{{0, 1, ""}}); err == nil {
		t.Fatal("Apply deleted a byte of an empty source")
	}
}

func TestOverlaps(t *testing.T) {
	cases := []struct {
		a, b []Edit
		want bool
	}{
		{[]Edit{{0, 2, "x"}}, []Edit{{2, 4, "y"}}, false},
		{[]Edit{{0, 3, "x"}}, []Edit{{2, 4, "y"}}, true},
		{[]Edit{{5, 5, "x"}}, []Edit{{5, 5, "y"}}, false},
		{[]Edit{{1, 9, "x"}}, []Edit{{5, 5, "y"}}, true},
		{[]Edit{{1, 4, "x"}}, []Edit{{1, 4, "x"}}, false}, // identical: deduplicated
		{nil, []Edit{{1, 4, "x"}}, false},
		{[]Edit{{100, 200, "far"}}, []Edit{{150, 150, "in"}}, true},
	}
	for _, c := range cases {
		if got := Overlaps(c.a, c.b); got != c.want {
			t.Errorf("Overlaps(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
		if got := Overlaps(c.b, c.a); got != c.want {
			t.Errorf("Overlaps(%v, %v) = %v, want %v", c.b, c.a, got, c.want)
		}
	}
}

func TestValidateAgreesWithApply(t *testing.T) {
	src := []byte("0123456789")
	for _, edits := range [][]Edit{
		{{Start: 1, End: 3, New: "x"}, {Start: 5, End: 5, New: "y"}},
		{{Start: 1, End: 4}, {Start: 3, End: 6}},
		{{Start: 8, End: 11}},
		{{Start: 2, End: 2, New: "a"}, {Start: 2, End: 2, New: "b"}},
	} {
		_, aerr := Apply(src, edits)
		verr := Validate(edits, len(src))
		if (aerr == nil) != (verr == nil) {
			t.Errorf("%v: Apply error %v, Validate error %v", edits, aerr, verr)
		}
	}
}
