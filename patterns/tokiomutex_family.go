package patterns

import (
	"fmt"
	"strings"
)

// lockFamily is a set of std lock types that move to tokio together: a
// lock and its guards (a guard type follows its lock, E0308 otherwise).
type lockFamily uint8

const (
	famMutex  lockFamily = 1 << iota // Mutex, MutexGuard: .lock()
	famRwLock                        // RwLock, RwLockReadGuard, RwLockWriteGuard: .read(), .write()
	famAll    = famMutex | famRwLock
)

// familyTypes are the std::sync type names of each family; the first is
// the lock itself.
var familyTypes = map[lockFamily][]string{
	famMutex:  {"Mutex", "MutexGuard"},
	famRwLock: {"RwLock", "RwLockReadGuard", "RwLockWriteGuard"},
}

// familyOfType returns the family of a std::sync type name, or 0.
func familyOfType(name string) lockFamily {
	for f, ts := range familyTypes {
		for _, t := range ts {
			if t == name {
				return f
			}
		}
	}
	return 0
}

// isLockType reports whether name is the lock of its family (Mutex,
// RwLock), not a guard.
func isLockType(name string) bool {
	f := familyOfType(name)
	return f != 0 && familyTypes[f][0] == name
}

// familyOfGuard returns the family of a guard kind as guard.kind spells it.
func familyOfGuard(kind string) lockFamily { return familyOfType(kind) }

// familyOfMethod returns the family whose lock a zero-argument call of
// the method takes: lock for Mutex, read/write for RwLock.
func familyOfMethod(m string) lockFamily {
	switch m {
	case "lock":
		return famMutex
	case "read", "write":
		return famRwLock
	}
	return 0
}

// has reports whether the set f holds every family of g.
func (f lockFamily) has(g lockFamily) bool { return g != 0 && f&g == g }

// lockName is the lock type of a single family: "Mutex" or "RwLock";
// "Mutex/RwLock" for both.
func (f lockFamily) lockName() string {
	var names []string
	for _, g := range []lockFamily{famMutex, famRwLock} {
		if f.has(g) {
			names = append(names, familyTypes[g][0])
		}
	}
	return strings.Join(names, "/")
}

// each returns the single families of the set, Mutex first.
func (f lockFamily) each() []lockFamily {
	var out []lockFamily
	for _, g := range []lockFamily{famMutex, famRwLock} {
		if f.has(g) {
			out = append(out, g)
		}
	}
	return out
}

// noCounterpart are methods of std's locks whose tokio versions differ in
// type or meaning, by family: a file calling one of them on a lock the
// swap moves is left to a human.
var noCounterpart = map[string]lockFamily{
	"try_lock": famMutex, "try_read": famRwLock, "try_write": famRwLock,
	"is_poisoned": famAll, "clear_poison": famAll,
}

// lockMode is how a lock call becomes a tokio lock.
type lockMode int

const (
	modeRefuse   lockMode = iota
	modeAwait             // async code: .lock().await
	modeBlocking          // sync code off the runtime: .blocking_lock()
)

// tokioLock returns the tokio call for a std lock method in a mode:
// `lock().await`, `blocking_lock()`, `read().await`, `blocking_write()`.
func tokioLock(method string, m lockMode) string {
	if m == modeBlocking {
		return "blocking_" + method + "()"
	}
	return method + "().await"
}

// stdLockPath is the full path of a std lock type: "std::sync::Mutex".
func stdLockPath(name string) string { return "std::sync::" + name }

// familyPaths returns the full std paths of the types of a set of families.
func familyPaths(f lockFamily) []string {
	var out []string
	for _, g := range f.each() {
		for _, t := range familyTypes[g] {
			out = append(out, stdLockPath(t))
		}
	}
	return out
}

// otherLockPath reports whether a full path names a lock type that is not
// std's and that the swap leaves alone: parking_lot's or tokio's, also
// through a re-export (`deno_core::parking_lot::Mutex`).
func otherLockPath(full string) bool {
	for _, p := range []string{"parking_lot::Mutex", "parking_lot::RwLock", "parking_lot::FairMutex", "parking_lot::ReentrantMutex",
		"tokio::sync::Mutex", "tokio::sync::RwLock"} {
		if full == p || strings.HasSuffix(full, "::"+p) {
			return true
		}
	}
	return false
}

// guardWord names a guard kind for messages: "MutexGuard".
func guardWord(kind string) string {
	if kind == "" {
		return "guard"
	}
	return fmt.Sprintf("`%s`", kind)
}
