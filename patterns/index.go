package patterns

// Summary is what one file contributes to the cross-file Index: the async
// fns it declares and the names it spawns or awaits from Send-required
// futures. Summaries are small; the file's tree is not kept.
type Summary struct {
	Path string
	// AsyncFns are the names of the async fns (free or methods) declared.
	AsyncFns []string
	// Spawned are names of async fns whose future is passed to a spawn.
	Spawned []string
	// Calls maps an async fn name to the async-fn names it awaits.
	Calls map[string][]string
	// SendCalls are fn names awaited from inside spawned async blocks.
	SendCalls []string
}

// Index holds the cross-file facts the rules need: which async fns run in
// a Send-required future.
type Index struct {
	declared map[string]int  // async fn name -> number of declarations
	send     map[string]bool // async fn names whose futures must be Send
}

// NewIndex builds the index from the summaries of every file given.
func NewIndex(sums ...*Summary) *Index {
	ix := &Index{declared: map[string]int{}, send: map[string]bool{}}
	calls := map[string][]string{}
	var work []string
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
		work = append(work, s.Spawned...)
		work = append(work, s.SendCalls...)
	}
	// Everything reachable by awaits from a Send-required future must be
	// Send too.
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		if ix.send[n] {
			continue
		}
		ix.send[n] = true
		work = append(work, calls[n]...)
	}
	return ix
}

// SendRequired reports whether the async fn called name runs inside a
// Send-required future.
func (ix *Index) SendRequired(name string) bool { return ix.send[name] }

// Ambiguous reports whether more than one async fn of that name was seen,
// so a name-based call graph may have mixed them up.
func (ix *Index) Ambiguous(name string) bool { return ix.declared[name] > 1 }
