package patterns

import (
	"strings"
)

// stdRule is how a standard type's Send and Sync follow from its
// arguments.
type stdRule uint8

const (
	ruleNone   stdRule = iota // not a type the table knows
	ruleNever                 // Rc, rc::Weak, NonNull: neither Send nor Sync
	ruleCell                  // Cell, RefCell, UnsafeCell, OnceCell: Send when T is; never Sync
	ruleOwn                   // Box, Vec, Option, HashMap, ...: as their arguments
	ruleArc                   // Arc, sync::Weak: both when T is both
	ruleMutex                 // Mutex: both when T is Send
	ruleRwLock                // RwLock, OnceLock: Send when T is Send; Sync when T is Send and Sync
	ruleGuard                 // MutexGuard, Ref, RefMut: never Send; Sync when T is
	ruleAlways                // atomics, String: both
)

// stdRules are the standard types the model knows, by last path segment.
// `Weak` is missing: std has two (see typeEnv.weak).
var stdRules = map[string]stdRule{
	"Rc": ruleNever, "NonNull": ruleNever,
	"Cell": ruleCell, "RefCell": ruleCell, "UnsafeCell": ruleCell, "OnceCell": ruleCell,
	"Box": ruleOwn, "Vec": ruleOwn, "VecDeque": ruleOwn, "LinkedList": ruleOwn, "HashMap": ruleOwn,
	"HashSet": ruleOwn, "BTreeMap": ruleOwn, "BTreeSet": ruleOwn, "BinaryHeap": ruleOwn,
	"Option": ruleOwn, "Result": ruleOwn, "Pin": ruleOwn, "PhantomData": ruleOwn, "Cow": ruleOwn,
	"ManuallyDrop": ruleOwn, "MaybeUninit": ruleOwn, "Reverse": ruleOwn, "Wrapping": ruleOwn,
	"Arc":    ruleArc,
	"Mutex":  ruleMutex,
	"RwLock": ruleRwLock, "OnceLock": ruleRwLock,
	"MutexGuard": ruleGuard, "RwLockReadGuard": ruleGuard, "RwLockWriteGuard": ruleGuard,
	"Ref": ruleGuard, "RefMut": ruleGuard,
	"String": ruleAlways, "AtomicBool": ruleAlways, "AtomicU8": ruleAlways, "AtomicU16": ruleAlways,
	"AtomicU32": ruleAlways, "AtomicU64": ruleAlways, "AtomicUsize": ruleAlways, "AtomicI8": ruleAlways,
	"AtomicI16": ruleAlways, "AtomicI32": ruleAlways, "AtomicI64": ruleAlways, "AtomicIsize": ruleAlways,
}

// tokioRules are the types of tokio::sync whose auto traits differ from
// std's namesakes: its guards are Send, its OnceCell Sync.
var tokioRules = map[string]stdRule{
	"MutexGuard": ruleOwn, "OwnedMutexGuard": ruleOwn, "RwLockReadGuard": ruleOwn, "RwLockWriteGuard": ruleOwn,
	"OwnedRwLockReadGuard": ruleOwn, "OwnedRwLockWriteGuard": ruleOwn, "MappedMutexGuard": ruleOwn,
	"OnceCell": ruleRwLock,
}

// tyChange is a change a fix plans for the type spelled at one place, so
// that the model can tell whether the fixed type is Send.
type tyChange struct {
	word   string   // the type's new name (`Arc`, `Mutex`, `AtomicU64`, `sync::Weak`)
	unwrap bool     // the layer goes: the type becomes its first argument
	bounds []string // auto traits added to a trait object
}

// typeEnv answers Send and Sync for the types of one file: its own
// definitions, then the crate's.
type typeEnv struct {
	defs map[string][]*typeDef
	// crate returns the definitions of a name in the other files of the
	// crate; nil for none.
	crate func(name string) []*typeDef
	// weak is the rule of a bare `Weak`: ruleNever when the file imports
	// std::rc's, ruleArc for std::sync's, ruleNone when unknown.
	weak stdRule
	// changes are the planned changes, by the start of the type they
	// change (ty.at).
	changes map[int]tyChange
	// imported returns the module a `use` of the file brings a bare name
	// from (`tokio::sync`), or ""; nil for none.
	imported func(name string) string
}

// lookup returns the definitions of a type name, the file's own first.
func (e *typeEnv) lookup(name string) []*typeDef {
	if d := e.defs[name]; len(d) > 0 {
		return d
	}
	if e.crate != nil {
		return e.crate(name)
	}
	return nil
}

// rule returns the std rule of a path, or ruleNone when the path names a
// type of the crate or one the table does not know.
func (e *typeEnv) rule(path, name string) stdRule {
	qualified := strings.Contains(path, "::")
	if !qualified && e.imported != nil && len(e.lookup(name)) == 0 {
		// A bare name a `use` brings in is read as its full path.
		if mod := e.imported(name); mod != "" {
			path, qualified = mod+"::"+name, true
		}
	}
	if strings.HasPrefix(path, "tokio::") {
		if r, ok := tokioRules[name]; ok {
			return r
		}
	}
	if name == "OnceCell" && !strings.HasSuffix(path, "cell::OnceCell") {
		return ruleNone // tokio's, once_cell's: Sync, unlike std::cell's
	}
	std := !qualified
	if qualified {
		for _, p := range stdPathPrefixes {
			std = std || strings.HasPrefix(path, p)
		}
		// `rc::Rc`, `cell::RefCell`, `sync::Arc` after `use std::rc;`.
		mod := path[:strings.LastIndex(path, "::")]
		std = std || mod == "rc" || mod == "cell" || mod == "sync" || mod == "atomic"
	}
	if !std || !qualified && len(e.lookup(name)) > 0 {
		return ruleNone
	}
	if name == "Weak" {
		switch {
		case strings.HasSuffix(path, "rc::Weak"):
			return ruleNever
		case strings.HasSuffix(path, "sync::Weak"):
			return ruleArc
		case !qualified:
			return e.weak
		}
		return ruleNone
	}
	return stdRules[name]
}

// lack is one reason a type does not implement an auto trait.
type lack struct {
	leaf  *ty       // the type that lacks the trait by itself
	trait autoTrait // the trait it lacks
	// via are the fields that lead to leaf from the outside in: the
	// type's name, then each field (`Client`, `config`).
	via []string
}

// where says where the leaf is, as `Client.config`, or "".
func (l lack) where() string {
	if len(l.via) < 2 {
		return ""
	}
	return strings.Join(l.via, ".")
}

// String describes the lack as rustc's notes do:
// "`Rc<Config>` (in `Client.config`) is not Send".
func (l lack) String() string {
	s := "`" + l.leaf.text + "`"
	if w := l.where(); w != "" {
		s += " (in `" + w + "`)"
	}
	return s + " is not " + l.trait.String()
}

// subst binds a definition's type parameters to the arguments a use gave,
// each to be read where it was spelled (outer).
type subst struct {
	names []string
	args  []*ty
	outer *subst
}

func (s *subst) lookup(name string) (*ty, *subst, bool) {
	if s == nil {
		return nil, nil, false
	}
	for i, n := range s.names {
		if n == name {
			if i < len(s.args) {
				return s.args[i], s.outer, true
			}
			return nil, nil, true // a parameter with no argument spelled
		}
	}
	return nil, nil, false
}

// lacks returns every reason t does not implement tr, each leaf once, in
// the order of a depth-first walk; none when it does, or when the model
// cannot see why it would not.
func (e *typeEnv) lacks(t *ty, tr autoTrait) []lack {
	w := &lackWalk{env: e, seen: map[string]bool{}, leaves: map[[2]int]bool{}}
	w.walk(t, tr, nil, nil, 0)
	return w.out
}

// lackWalk is one lacks computation.
type lackWalk struct {
	env    *typeEnv
	seen   map[string]bool // definitions being walked, by name, trait and arguments
	leaves map[[2]int]bool // leaves found, by position and trait
	out    []lack
}

func (w *lackWalk) leaf(t *ty, tr autoTrait, via []string) {
	k := [2]int{t.at(), int(tr)}
	if t.at() >= 0 && w.leaves[k] {
		return
	}
	w.leaves[k] = true
	w.out = append(w.out, lack{leaf: t, trait: tr, via: append([]string(nil), via...)})
}

func (w *lackWalk) walk(t *ty, tr autoTrait, s *subst, via []string, depth int) {
	if t == nil || depth > 24 {
		return
	}
	switch t.kind {
	case tyRef:
		w.walk(t.args[0], traitSync, s, via, depth+1)
	case tyRefMut:
		w.walk(t.args[0], tr, s, via, depth+1)
	case tyPtr:
		w.leaf(t, tr, via)
	case tyElems:
		for _, a := range t.args {
			w.walk(a, tr, s, via, depth+1)
		}
	case tyDyn:
		if !w.dynHas(t, tr) {
			w.leaf(t, tr, via)
		}
	case tyPath:
		w.path(t, tr, s, via, depth)
	}
}

// stdTraits are std's traits that have neither Send nor Sync as a
// supertrait: a trait object of only these lacks both.
var stdTraits = map[string]bool{
	"Send": true, "Sync": true, "Fn": true, "FnMut": true, "FnOnce": true, "Any": true, "Error": true, "Debug": true, "Display": true,
	"Iterator": true, "Future": true, "Read": true, "Write": true, "BufRead": true, "Seek": true,
	"ToString": true, "AsRef": true, "AsMut": true, "Borrow": true, "Hash": true, "Hasher": true,
	"Unpin": true, "Sized": true, "Clone": true, "Copy": true, "PartialEq": true, "Eq": true,
	"PartialOrd": true, "Ord": true, "Default": true, "Drop": true, "Deref": true, "DerefMut": true,
	"IntoIterator": true, "DoubleEndedIterator": true, "ExactSizeIterator": true, "RefUnwindSafe": true, "UnwindSafe": true,
}

// dynHas reports whether a trait object implements tr: by a bound, a
// planned change, or a supertrait of a trait the model sees; or may, by
// a trait it does not see or that is defined under `#[cfg]`.
func (w *lackWalk) dynHas(t *ty, tr autoTrait) bool {
	bounds := t.bounds
	if c, ok := w.env.changes[t.at()]; ok {
		bounds = append(append([]string(nil), bounds...), c.bounds...)
	}
	seen := map[string]bool{}
	var has func(names []string) bool
	has = func(names []string) bool {
		for _, b := range names {
			if b == tr.String() {
				return true
			}
			if seen[b] {
				continue
			}
			seen[b] = true
			defs := w.env.lookup(b)
			if len(defs) == 0 && !stdTraits[b] {
				// A trait the model does not see (another crate's) may
				// have the auto trait as a supertrait.
				return true
			}
			for _, d := range defs {
				if d.cfg || d.kind == "trait" && has(d.supers) {
					return true
				}
			}
		}
		return false
	}
	return has(bounds)
}

func (w *lackWalk) path(t *ty, tr autoTrait, s *subst, via []string, depth int) {
	path, name, args := t.path, t.name, t.args
	if c, ok := w.env.changes[t.at()]; ok {
		switch {
		case c.unwrap:
			if len(args) > 0 {
				w.walk(args[0], tr, s, via, depth+1)
			}
			return
		case c.word != "":
			path, name = c.word, lastSegment(c.word)
			if strings.HasPrefix(c.word, "sync::") {
				path = "std::" + c.word
			}
		}
	}
	if !strings.Contains(path, "::") && len(args) == 0 {
		if a, outer, ok := s.lookup(name); ok {
			w.walk(a, tr, outer, via, depth+1)
			return
		}
	}
	rule := w.env.rule(path, name)
	if rule == ruleNone {
		w.def(t, name, args, tr, s, via, depth)
		return
	}
	each := func(trs ...autoTrait) {
		for _, a := range args {
			for _, x := range trs {
				w.walk(a, x, s, via, depth+1)
			}
		}
	}
	switch rule {
	case ruleNever:
		w.leaf(t, tr, via)
	case ruleCell:
		if tr == traitSync {
			w.leaf(t, tr, via)
		} else {
			each(traitSend)
		}
	case ruleOwn:
		each(tr)
	case ruleArc:
		each(traitSend, traitSync)
	case ruleMutex:
		each(traitSend)
	case ruleRwLock:
		if tr == traitSend {
			each(traitSend)
		} else {
			each(traitSend, traitSync)
		}
	case ruleGuard:
		if tr == traitSend {
			w.leaf(t, tr, via)
		} else {
			each(traitSync)
		}
	}
}

// def walks the fields of the definition a name resolves to. With several
// definitions of the name (in different modules), it lacks the trait
// only when each lacks it, and then the first tells why.
func (w *lackWalk) def(t *ty, name string, args []*ty, tr autoTrait, s *subst, via []string, depth int) {
	defs := w.env.lookup(name)
	if len(defs) == 0 {
		return
	}
	var first []lack
	for i, d := range defs {
		if d.cfg {
			return // another configuration may define it otherwise
		}
		key := d.path + "|" + name + "|" + tr.String() + "|" + t.text
		if w.seen[key] {
			return // a recursive type: its other fields decide
		}
		inner := &lackWalk{env: w.env, seen: w.seen, leaves: map[[2]int]bool{}}
		w.seen[key] = true
		inner.defFields(d, args, tr, s, via, depth)
		delete(w.seen, key)
		if len(inner.out) == 0 {
			return
		}
		if i == 0 {
			first = inner.out
		}
	}
	for _, l := range first {
		w.leaf(l.leaf, l.trait, l.via)
	}
}

func (w *lackWalk) defFields(d *typeDef, args []*ty, tr autoTrait, s *subst, via []string, depth int) {
	inner := &subst{names: d.generics, args: args, outer: s}
	switch d.kind {
	case "alias":
		w.walk(d.alias, tr, inner, via, depth+1)
	case "struct":
		if tr == traitSend && d.send || tr == traitSync && d.sync {
			return
		}
		if len(via) == 0 {
			via = []string{d.name}
		}
		for _, f := range d.fields {
			w.walk(f.t, tr, inner, append(via[:len(via):len(via)], f.name), depth+1)
		}
	}
}
