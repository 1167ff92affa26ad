package rewrite

import (
	"math/rand"
	"strings"
	"testing"
)

// Compose gives what applying its two sets in turn gives.
func TestCompose(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	randEdits := func(n int) []Edit {
		var out []Edit
		pos := 0
		for pos < n && len(out) < 5 {
			s := pos + rng.Intn(4)
			if s > n {
				break
			}
			e := s + rng.Intn(3)
			if e > n {
				e = n
			}
			out = append(out, Edit{Start: s, End: e, New: strings.Repeat(string(rune('A'+rng.Intn(26))), rng.Intn(4))})
			pos = e + rng.Intn(2)
			if pos == e && s == e {
				pos++
			}
		}
		norm, err := Normalize(out, n)
		if err != nil {
			return nil
		}
		return norm
	}
	for i := 0; i < 2000; i++ {
		src := []byte("abcdefghijklmnop"[:4+rng.Intn(12)])
		a := randEdits(len(src))
		t1, err := Apply(src, a)
		if err != nil {
			t.Fatal(err)
		}
		b := randEdits(len(t1))
		want, err := Apply(t1, b)
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compose(src, a, b)
		if err != nil {
			t.Fatalf("%q %v %v: %v", src, a, b, err)
		}
		got, err := Apply(src, c)
		if err != nil || string(got) != string(want) {
			t.Fatalf("%q a=%v b=%v: composed %v gives %q (%v), want %q", src, a, b, c, got, err, want)
		}
	}
}
