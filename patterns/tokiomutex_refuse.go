package patterns

import "fmt"

// refusalKind says what stopped a swap, for tests and for the crate-wide
// decision (which names the file of the first refusal).
type refusalKind int

const (
	refuseCounterpart refusalKind = iota + 1 // a method or type with no like-for-like tokio counterpart
	refuseGlob                               // `use std::sync::*`
	refusePublic                             // the lock type is public API
	refuseUnresolved                         // a lock whose Mutex type sendfix cannot find
	refuseShape                              // a lock site of a shape sendfix does not convert
	refuseErrorPath                          // a lock's error path does more than propagate
	refuseSyncCode                           // a lock where neither .await nor blocking_* fits
	refusePlacement                          // a spelling whose type is decided outside the given files
	refuseMacro                              // a lock or a spelling inside macro tokens or a macro definition
	refuseNoSpelling                         // the file does not name the lock type
	refuseInternal                           // the edits do not apply (a bug)
)

// refusal is why a swap cannot be made: what and where. A nil *refusal
// means the swap can go ahead.
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
