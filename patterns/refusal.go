package patterns

import "fmt"

// refusalKind says what stopped a rule's change (tokio-mutex's swap,
// rc-arc's change of a type), for tests and for tokio-mutex's crate-wide
// decision (which names the file of the first refusal). The kinds are
// shared: rc-arc uses the ones whose words below name no lock.
type refusalKind int

const (
	refuseCounterpart refusalKind = iota + 1 // a method or type with no same-meaning replacement (tokio's lock, Arc, Mutex, an atomic)
	refuseGlob                               // `use std::sync::*` (tokio-mutex)
	refusePublic                             // the type to change is public API
	refuseUnresolved                         // a value or type the change needs whose definition sendfix cannot find
	refuseShape                              // code of a shape the rule does not convert
	refuseErrorPath                          // a lock's error path does more than propagate (tokio-mutex)
	refuseSyncCode                           // a lock where neither .await nor blocking_* fits (tokio-mutex)
	refusePlacement                          // a spelling whose type is decided outside the given files
	refuseMacro                              // code to change inside macro tokens or a macro definition
	refuseNoSpelling                         // the file does not name the lock type (tokio-mutex)
	refuseInternal                           // the edits do not apply (a bug)
)

// refusal is why a rule cannot make its change: what and where. A nil
// *refusal means the change can go ahead.
type refusal struct {
	kind refusalKind
	line int    // 1-based line of the file the refusal is about; 0 when none
	file string // the file, when the refusal comes from another file of the crate
	msg  string // the sentence, which names the line itself where it has one
}

// refuse builds a refusal; the message is formatted.
func refuse(kind refusalKind, line int, format string, args ...any) *refusal {
	return &refusal{kind: kind, line: line, msg: fmt.Sprintf(format, args...)}
}

// Error renders the refusal as Finding.Reason's tail.
func (r *refusal) Error() string {
	if r == nil {
		return ""
	}
	if r.file != "" {
		return fmt.Sprintf("in %s: %s", r.file, r.msg)
	}
	return r.msg
}

// in returns a copy of the refusal that names the file it is about ("":
// none).
func (r *refusal) in(file string) *refusal {
	if r == nil {
		return nil
	}
	c := *r
	c.file = file
	return &c
}
