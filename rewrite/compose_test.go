package rewrite

import (
	"fmt"
	"math/rand"
	"reflect"
	"testing"
)

func TestComposeExamples(t *testing.T) {
	type pass = []Edit
	tests := []struct {
		name   string
		orig   string
		passes []pass
		want   []Composed
	}{
		{
			name:   "one pass, apart",
			orig:   "let a = Rc::new(1); let b = Rc::new(2);",
			passes: []pass{{{8, 10, "Arc"}, {28, 30, "Arc"}}},
			want:   []Composed{{Edit{8, 10, "Arc"}, []EditRef{{0, 0}}}, {Edit{28, 30, "Arc"}, []EditRef{{0, 1}}}},
		},
		{
			name: "a later pass rewrites text an earlier pass wrote",
			orig: "x = a.borrow(); f().await;",
			// Pass 1: borrow() -> lock().unwrap(); pass 2 scopes it,
			// editing inside the text pass 1 wrote.
			passes: []pass{{{6, 14, "lock().unwrap()"}}, {{0, 0, "{ "}, {4, 22, "a.lock().unwrap(); }"}}},
			want: []Composed{
				{Edit{0, 0, "{ "}, []EditRef{{1, 0}}},
				{Edit{4, 15, "a.lock().unwrap(); }"}, []EditRef{{0, 0}, {1, 1}}},
			},
		},
		{
			name:   "a later pass edits next to an earlier edit",
			orig:   "use std::rc::Rc;\nfn f() {}\n",
			passes: []pass{{{4, 15, "std::sync::Arc"}}, {{20, 20, "\n"}}},
			want: []Composed{
				{Edit{4, 15, "std::sync::Arc"}, []EditRef{{0, 0}}},
				{Edit{17, 17, "\n"}, []EditRef{{1, 0}}},
			},
		},
		{
			name:   "a later pass writes right next to an earlier edit",
			orig:   "use std::rc::Rc;\n",
			passes: []pass{{{4, 15, "std::sync::Arc"}}, {{18, 18, " as A"}}},
			want:   []Composed{{Edit{4, 15, "std::sync::Arc as A"}, []EditRef{{0, 0}, {1, 0}}}},
		},
		{
			name:   "touching edits of one pass are one",
			orig:   "abcdef",
			passes: []pass{{{1, 2, "X"}, {2, 2, "Y"}, {2, 3, "Z"}}},
			want:   []Composed{{Edit{1, 3, "XYZ"}, []EditRef{{0, 0}, {0, 1}, {0, 2}}}},
		},
		{
			name:   "undone by a later pass",
			orig:   "abc",
			passes: []pass{{{1, 2, "XY"}}, {{1, 3, "b"}}},
			want:   nil,
		},
		{
			name:   "deletion",
			orig:   "a, b, c",
			passes: []pass{{{1, 4, ""}}, {{0, 0, "("}, {4, 4, ")"}}},
			want:   []Composed{{Edit{0, 0, "("}, []EditRef{{1, 0}}}, {Edit{1, 4, ""}, []EditRef{{0, 0}}}, {Edit{7, 7, ")"}, []EditRef{{1, 1}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Compose([]byte(tt.orig), tt.passes)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			checkComposed(t, []byte(tt.orig), tt.passes, got)
		})
	}
}

func TestComposeRejectsBadPasses(t *testing.T) {
	for _, passes := range [][][]Edit{
		{{{0, 5, "x"}}},                // out of bounds
		{{{0, 2, "x"}, {1, 3, "y"}}},   // overlap
		{{{2, 3, "x"}, {0, 1, "y"}}},   // not sorted
		{{{1, 1, "x"}}, {{0, 9, "y"}}}, // out of bounds after pass 1
		{{{1, 1, "x"}, {1, 1, "x"}}},   // duplicate: not normal form
		{{{0, 0, ""}}, {{-1, 0, "y"}}}, // negative
	} {
		if _, err := Compose([]byte("abc"), passes); err == nil {
			t.Errorf("%v: no error", passes)
		}
	}
}

// checkComposed checks Compose's promises: the composed edits give the
// passes' result, are sorted and apart, and each holds a pass edit.
func checkComposed(t *testing.T, orig []byte, passes [][]Edit, got []Composed) {
	t.Helper()
	want := orig
	for i, p := range passes {
		var err error
		if want, err = Apply(want, p); err != nil {
			t.Fatalf("pass %d: %v", i, err)
		}
	}
	edits := make([]Edit, len(got))
	seen := map[EditRef]bool{}
	for i, c := range got {
		for _, r := range c.From {
			if seen[r] || r.Pass >= len(passes) || r.Index >= len(passes[r.Pass]) {
				t.Errorf("composed edit %d holds %+v, which is not a pass edit or is held twice", i, r)
			}
			seen[r] = true
		}
		edits[i] = c.Edit
		if len(c.From) == 0 {
			t.Errorf("composed edit %d holds no pass edit", i)
		}
		if i > 0 && c.Start <= got[i-1].End {
			t.Errorf("composed edits %d and %d touch or overlap: %+v %+v", i-1, i, got[i-1].Edit, c.Edit)
		}
		if c.New == string(orig[c.Start:c.End]) {
			t.Errorf("composed edit %d changes nothing", i)
		}
	}
	res, err := Apply(orig, edits)
	if err != nil {
		t.Fatal(err)
	}
	if string(res) != string(want) {
		t.Errorf("composed result %q, passes give %q", res, want)
	}
}

// TestComposeRandom composes random rewrites of up to four passes.
func TestComposeRandom(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for n := 0; n < 3000; n++ {
		orig := randText(r, r.Intn(30))
		cur := orig
		var passes [][]Edit
		for p := 0; p < 1+r.Intn(4); p++ {
			edits := randEdits(r, len(cur))
			passes = append(passes, edits)
			var err error
			if cur, err = Apply(cur, edits); err != nil {
				t.Fatal(err)
			}
		}
		got, err := Compose(orig, passes)
		if err != nil {
			t.Fatalf("%q %v: %v", orig, passes, err)
		}
		t.Run(fmt.Sprint(n), func(t *testing.T) { checkComposed(t, orig, passes, got) })
		if t.Failed() {
			t.Fatalf("orig %q passes %v", orig, passes)
		}
	}
}

func randText(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = "ab\n {}"[r.Intn(6)]
	}
	return b
}

// randEdits returns edits in normal form on a text of size bytes.
func randEdits(r *rand.Rand, size int) []Edit {
	var out []Edit
	pos := 0
	for pos <= size && r.Intn(4) != 0 {
		start := pos + r.Intn(size-pos+1)
		end := start + r.Intn(min(3, size-start)+1)
		out = append(out, Edit{start, end, string(randText(r, r.Intn(4)))})
		pos = end
		if end == start {
			pos++ // no second insertion at one offset: Apply's order for those is the caller's
		}
	}
	n, err := Normalize(out, size)
	if err != nil {
		return nil
	}
	return n
}

// TestImages: each edit's replacement lies where Images says in the
// result, for random edit sets.
func TestImages(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for n := 0; n < 2000; n++ {
		orig := randText(r, r.Intn(30))
		edits := randEdits(r, len(orig))
		res, err := Apply(orig, edits)
		if err != nil {
			t.Fatal(err)
		}
		for i, im := range Images(edits) {
			if got := string(res[im[0]:im[1]]); got != edits[i].New {
				t.Fatalf("%q %v: edit %d's image %v holds %q, want %q", orig, edits, i, im, got, edits[i].New)
			}
			// The bytes before the first edit are the original's.
			if i == 0 && string(res[:im[0]]) != string(orig[:edits[0].Start]) {
				t.Fatalf("%q %v: prefix changed", orig, edits)
			}
		}
	}
}
