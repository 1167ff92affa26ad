package patterns

import (
	"reflect"
	"testing"

	"sendfix/rewrite"
)

// GroupFixes joins findings that share an edit, through chains of them,
// keeps a fixed finding with no edit as a Fix of its own, leaves unfixed
// findings out, and orders Fixes by their first finding.
func TestGroupFixes(t *testing.T) {
	e := func(n int) rewrite.Edit { return rewrite.Edit{Start: n, End: n + 1, New: "x"} }
	fixed := []bool{true, true, false, true, true, true}
	edits := []rewrite.Edit{e(0), e(10), e(20), e(30), e(40)}
	// 4 and 1 share edit 1, 1 and 3 share edit 2: one Fix {1, 3, 4};
	// 0 alone; 5 owns nothing.
	owners := [][]int{{0}, {4, 1}, {1, 3}, {3}, {}}
	got := GroupFixes(fixed, edits, owners)
	want := []Fix{
		{Findings: []int{0}, Edits: []rewrite.Edit{e(0)}},
		{Findings: []int{1, 3, 4}, Edits: []rewrite.Edit{e(10), e(20), e(30)}},
		{Findings: []int{5}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
