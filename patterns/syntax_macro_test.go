package patterns

import (
	"regexp"
	"testing"
)

// TestAwaitMacroImported holds the byte scan to the rule it implements,
// written as a regular expression: a `use` of tokio, futures or
// futures_util up to its `;` that names the macro as a whole word.
func TestAwaitMacroImported(t *testing.T) {
	use := regexp.MustCompile(`\buse\s+(?:::)?(?:tokio|futures|futures_util)\b[^;]*`)
	ref := func(src, name string) bool {
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(name) + `\b`)
		for _, u := range use.FindAllString(src, -1) {
			if word.MatchString(u) {
				return true
			}
		}
		return false
	}
	srcs := []string{
		"use tokio::select;",
		"use tokio::{join, select};",
		"use ::futures::select_biased;",
		"use futures_util::{join as j};",
		"use futures::future::try_join;",
		"use futuresx::select;",
		"use tokio_util::select;",
		"reuse tokio::select;",
		"use\ttokio\n::select;",
		"use std::select; use tokio::join;",
		"use tokio::x; select",
		"use tokio::{\n    pending,\n}",
		"use tokio::join",
		"// use tokio::select\nfn f() {}",
		"use my::tokio::select;",
		"use tokio::selected;",
		"use tokio::try_join_all;",
		"useless tokio::join;",
		"use futures::{self, select_biased, select};",
		"",
	}
	for _, src := range srcs {
		for name := range awaitMacroNames {
			if got, want := awaitMacroImported([]byte(src), name), ref(src, name); got != want {
				t.Errorf("awaitMacroImported(%q, %q) = %v, the rule says %v", src, name, got, want)
			}
		}
	}
}
