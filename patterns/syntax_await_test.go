package patterns

import "testing"

// TestAwaitMacro: which macro invocations await in the body that invokes
// them, and where the await is (the token walk must record the same
// offset).
func TestAwaitMacro(t *testing.T) {
	tests := []struct {
		uses, stmt string
		want       bool
		at         string // the text that starts at the await's offset
	}{
		{"", `tokio::join!(a(), b());`, true, "join!"},
		{"", `::tokio::try_join!(a(), b());`, true, "try_join!"},
		{"", `tokio::select! { _ = a() => {} }`, true, "select!"},
		{"", `futures::select_biased! { _ = a() => {} }`, true, "select_biased!"},
		{"", `futures_util::pending!();`, true, "pending!"},
		{"use tokio::{join, sync::Mutex};", `join!(a(), b());`, true, "join!"},
		{"use futures::select;", `select! { _ = a() => {} }`, true, "select!"},
		{"", `join!(a(), b());`, false, ""},
		{"use crossbeam_channel::select;", `select! { recv(r) -> m => {} }`, false, ""},
		{"use futures::future::join_all;", `join!(a(), b());`, false, ""},
		{"", `other::join!(a(), b());`, false, ""},
		{"", `println!("{}", f().await);`, true, "await"},
		{"", `assert_eq!(f().await, 1);`, true, "await"},
		{"", `spawn_it!(async move { f().await });`, false, ""},
		{"", `println!("{}", n);`, false, ""},
	}
	for _, tt := range tests {
		src := tt.uses + "\nasync fn f() {\n" + tt.stmt + "\n}\n"
		root := parseRust(t, src)
		var got []int
		fn := root.NamedChild(int(root.NamedChildCount()) - 1)
		for _, aw := range awaitsIn([]byte(src), fn.ChildByFieldName("body")) {
			got = append(got, awaitKeyword([]byte(src), aw))
		}
		if (len(got) > 0) != tt.want {
			t.Errorf("%s %s: awaits %v, want an await %v", tt.uses, tt.stmt, got, tt.want)
			continue
		}
		if tt.want && src[got[0]:got[0]+len(tt.at)] != tt.at {
			t.Errorf("%s %s: await at %q, want %q", tt.uses, tt.stmt, src[got[0]:], tt.at)
		}
		fs := readFile([]byte(src))
		read := map[int32]bool{}
		for _, a := range fs.awaits {
			read[a] = true
		}
		for _, off := range got {
			if !read[int32(off)] {
				t.Errorf("%s %s: the token walk misses the await at %d", tt.uses, tt.stmt, off)
			}
		}
	}
}
