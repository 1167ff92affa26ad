package patterns

import (
	"fmt"
	"sort"
)

// Summary is what one file contributes to the cross-file Index: the async
// fns it declares and the names it spawns or awaits from Send-required
// futures. Summaries are small; the file's tree is not kept.
type Summary struct {
	Path string
	// AsyncFns are the names of the async fns (free or methods) declared.
	AsyncFns []string
	// Spawned are names of async fns whose future is passed to a spawn.
	Spawned []string
	// SendFns are async fns handed to a Send context other than a spawn
	// (a parameter with a Send bound, a Send box), with why their future
	// must be Send ("its future is passed to `run`, which requires a Send
	// future").
	SendFns map[string]string
	// Calls maps an async fn name to the async-fn names it awaits.
	Calls map[string][]string
	// SendCalls are fn names awaited from inside spawned async blocks.
	SendCalls []string
	// GuardFns maps the fns (free or methods) declared to return a lock
	// guard (`MutexGuard<..>`, `RwLockReadGuard<..>`, `RwLockWriteGuard<..>`)
	// to that guard type. Keys say the declaration's shape (see
	// guardDeclKey): "name" for a free fn, "Type::name" for an associated
	// fn, "Type.name" for a method; calls are matched by that shape.
	GuardFns map[string]string
}

// Index holds the cross-file facts the rules need: which async fns run in
// a Send-required future, and which fns return lock guards.
type Index struct {
	declared map[string]int    // async fn name -> number of declarations
	send     map[string]bool   // async fn names whose futures must be Send
	via      map[string]string // why an async fn must be Send
	// guardDecls are the guard-returning fns by guardDeclKey.
	guardDecls map[string]string
}

// NewIndex builds the index from the summaries of every file given.
// The call graph is syntactic and by name: an await of `x.run()` reaches
// every async fn called `run`.
func NewIndex(sums ...*Summary) *Index {
	ix := &Index{declared: map[string]int{}, send: map[string]bool{}, via: map[string]string{}, guardDecls: map[string]string{}}
	calls := map[string][]string{}
	type item struct{ name, why string }
	var work []item
	for _, s := range sums {
		if s == nil {
			continue
		}
		for _, n := range s.AsyncFns {
			ix.declared[n]++
		}
		for k, v := range s.Calls {
			calls[k] = append(calls[k], v...)
		}
		for _, n := range s.Spawned {
			work = append(work, item{n, "its future is spawned"})
		}
		for _, n := range sortedKeys(s.SendFns) {
			work = append(work, item{n, s.SendFns[n]})
		}
		for _, n := range s.SendCalls {
			work = append(work, item{n, "it is awaited from a spawned task"})
		}
		for n, k := range s.GuardFns {
			ix.guardDecls[n] = k
		}
	}
	// Everything reachable by awaits from a Send-required future must be
	// Send too. Roots first, breadth first, so each reason names the
	// shortest chain.
	for len(work) > 0 {
		it := work[0]
		work = work[1:]
		if ix.send[it.name] {
			continue
		}
		ix.send[it.name] = true
		ix.via[it.name] = it.why
		next := calls[it.name]
		sort.Strings(next)
		for _, c := range next {
			if !ix.send[c] {
				work = append(work, item{c, fmt.Sprintf("it is awaited from `%s`, which must be Send", it.name)})
			}
		}
	}
	return ix
}

// SendRequired reports whether the async fn called name runs inside a
// Send-required future.
func (ix *Index) SendRequired(name string) bool { return ix.send[name] }

// Why says why the async fn called name must be Send ("its future is
// spawned", "it is awaited from `serve`, which must be Send"), or "".
func (ix *Index) Why(name string) string { return ix.via[name] }

// Ambiguous reports whether more than one async fn of that name was seen,
// so a name-based call graph may have mixed them up.
func (ix *Index) Ambiguous(name string) bool { return ix.declared[name] > 1 }

// Declared returns how many async fns of that name were seen.
func (ix *Index) Declared(name string) int { return ix.declared[name] }

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
