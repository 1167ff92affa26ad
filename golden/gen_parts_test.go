package golden

import (
	"fmt"
	"strings"
)

// The generator's parts, one slice per dimension, in the order the
// generator chooses them. A new shape is one more entry in one of these
// slices (and a line in README.md): its name, what it needs of the parts
// chosen before it (fits), and its code. Parts never say what rustc or
// sendfix should make of the program.

var editions = []string{"2021", "2024"}

// lockPart is the lock whose guard the task takes.
type lockPart struct {
	part
	imports   []string
	items     []string
	typ, init string // type and constructor of main's `shared` and the body's `data` ("": none, a static)
	setup     string // main's first statements
	recv      string // the lock's receiver in the body
	mainRecv  string // ... in main
	helper    string // a sync fn's parameter list that reaches the lock as `m`
	helperArg string // main's argument for that parameter
	raw       func(recv string) string
	guardType string // the guard's type, spelled ("": not spellable)
	guardUse  string // what to import to spell it
	fallible  bool   // raw gives a LockResult
	writable  bool   // the guard derefs mutably
}

func lockCall(method string) func(string) string {
	return func(recv string) string { return recv + "." + method + "()" }
}

func arcLock(name, imports, typ, init, method, guard string, fallible, writable bool) *lockPart {
	guardUse := ""
	if !strings.Contains(guard, "::") {
		guardUse = "std::sync::" + guard[:strings.Index(guard, "<")]
	}
	return &lockPart{guardUse: guardUse,
		part: part{name: name}, imports: strings.Fields(imports), typ: typ, init: init,
		recv: "data", mainRecv: "shared", helper: "m: &" + strings.TrimSuffix(strings.TrimPrefix(typ, "Arc<"), ">"), helperArg: "&shared",
		raw: lockCall(method), guardType: guard, fallible: fallible, writable: writable,
	}
}

var lockParts = []*lockPart{
	arcLock("std-mutex", "std::sync::Arc std::sync::Mutex", "Arc<Mutex<Vec<u32>>>", "Arc::new(Mutex::new(vec![1, 2, 3]))", "lock", "MutexGuard<'_, Vec<u32>>", true, true),
	arcLock("std-mutex-path", "std::sync::Arc", "Arc<std::sync::Mutex<Vec<u32>>>", "Arc::new(std::sync::Mutex::new(vec![1, 2, 3]))", "lock", "std::sync::MutexGuard<'_, Vec<u32>>", true, true),
	arcLock("std-rwlock-read", "std::sync::Arc std::sync::RwLock", "Arc<RwLock<Vec<u32>>>", "Arc::new(RwLock::new(vec![1, 2, 3]))", "read", "RwLockReadGuard<'_, Vec<u32>>", true, false),
	arcLock("std-rwlock-write", "std::sync::Arc std::sync::RwLock", "Arc<RwLock<Vec<u32>>>", "Arc::new(RwLock::new(vec![1, 2, 3]))", "write", "RwLockWriteGuard<'_, Vec<u32>>", true, true),
	arcLock("pl-mutex", "std::sync::Arc", "Arc<parking_lot::Mutex<Vec<u32>>>", "Arc::new(parking_lot::Mutex::new(vec![1, 2, 3]))", "lock", "parking_lot::MutexGuard<'_, Vec<u32>>", false, true),
	arcLock("pl-rwlock-read", "std::sync::Arc", "Arc<parking_lot::RwLock<Vec<u32>>>", "Arc::new(parking_lot::RwLock::new(vec![1, 2, 3]))", "read", "parking_lot::RwLockReadGuard<'_, Vec<u32>>", false, false),
	arcLock("pl-rwlock-write", "std::sync::Arc", "Arc<parking_lot::RwLock<Vec<u32>>>", "Arc::new(parking_lot::RwLock::new(vec![1, 2, 3]))", "write", "parking_lot::RwLockWriteGuard<'_, Vec<u32>>", false, true),
	{
		part: part{name: "guard-fn"}, imports: []string{"std::sync::Arc", "std::sync::Mutex", "std::sync::MutexGuard"}, items: []string{"entries"},
		typ: "Arc<Mutex<Vec<u32>>>", init: "Arc::new(Mutex::new(vec![1, 2, 3]))", recv: "data", mainRecv: "shared",
		helper: "m: &Mutex<Vec<u32>>", helperArg: "&shared",
		raw:       func(recv string) string { return "entries(&" + recv + ")" },
		guardType: "MutexGuard<'_, Vec<u32>>", writable: true,
	},
	{
		part: part{name: "guard-method"}, imports: []string{"std::sync::Arc", "std::sync::Mutex", "std::sync::MutexGuard"}, items: []string{"Store", "Store::items"},
		typ: "Arc<Store>", init: "Arc::new(Store { items: Mutex::new(vec![1, 2, 3]) })", recv: "data", mainRecv: "shared",
		helper: "m: &Store", helperArg: "&shared",
		raw: lockCall("items"), guardType: "MutexGuard<'_, Vec<u32>>", writable: true,
	},
	{
		part: part{name: "field-mutex"}, imports: []string{"std::sync::Arc", "std::sync::Mutex"}, guardUse: "std::sync::MutexGuard", items: []string{"Store"},
		typ: "Arc<Store>", init: "Arc::new(Store { items: Mutex::new(vec![1, 2, 3]) })", recv: "data", mainRecv: "shared",
		helper: "m: &Store", helperArg: "&shared",
		raw:       func(recv string) string { return recv + ".items.lock()" },
		guardType: "MutexGuard<'_, Vec<u32>>", fallible: true, writable: true,
	},
	{
		part: part{name: "static-mutex"}, imports: []string{"std::sync::Mutex"}, guardUse: "std::sync::MutexGuard", items: []string{"ITEMS"},
		setup: "ITEMS.lock().unwrap().extend([1, 2, 3]);", recv: "ITEMS", mainRecv: "ITEMS",
		raw: lockCall("lock"), guardType: "MutexGuard<'static, Vec<u32>>", fallible: true, writable: true,
	},
	// No lock: the program is about its Rc values and await alone.
	{part: part{name: "none"}, raw: func(string) string { return "" }},
}

// takePart is how the guard is taken, and so how long it lives: a named
// guard `g`, or a temporary in an expression.
type takePart struct {
	part
	binding bool // names the guard g (the use, end and escape parts apply)
	mutable bool // `mut g`
	acq     bool // takes the guard with g.acq(), so the unwrap part applies
	region  bool // has statements after the guard is taken, where the await goes
	closes  bool // the region is a block that closes: an await can follow it
	hasElse bool // has a branch that does not bind the guard (else, Err arm)
	returns bool // has a `return`
	tail    string
	items   []string
	render  func(g *genProg, region, elseRegion []string) []string
}

// flat is a take whose statements are followed by the region, at the same
// level.
func flat(name string, binding, mutable bool, open, tail string, fits func(*genProg) bool) *takePart {
	return &takePart{
		part: part{name: name, fits: fits}, binding: binding, mutable: mutable, acq: true, region: true, tail: tail,
		render: func(g *genProg, region, _ []string) []string {
			return append(lines(fmt.Sprintf(open, g.acq())), region...)
		},
	}
}

// scoped is a take whose region is a block: open (with %s for the guard
// expression) { region } [else { elseRegion }] close.
func scoped(name string, binding, acq bool, open, elseOpen, close, tail string, fits func(*genProg) bool) *takePart {
	return &takePart{
		part: part{name: name, fits: fits}, binding: binding, mutable: binding, acq: acq, region: true, closes: true,
		hasElse: elseOpen != "", tail: tail,
		render: func(g *genProg, region, elseRegion []string) []string {
			guard := g.acq()
			if !acq {
				guard = g.lock.raw(g.lock.recv)
			}
			out := lines(fmt.Sprintf(open, guard))
			depth := strings.Count(open, "{") - strings.Count(open, "}")
			out = append(out, indent(region, depth)...)
			// An else only where there is an await for it; an arm always.
			if elseRegion != nil || strings.Contains(elseOpen, "=>") {
				out = append(out, lines(elseOpen)...)
				out = append(out, indent(elseRegion, depth)...)
			}
			return append(out, lines(close)...)
		},
	}
}

func fallibleLock(g *genProg) bool { return g.lock.fallible }
func writableLock(g *genProg) bool { return g.lock.writable }

var takeParts = []*takePart{
	flat("let", true, false, "let g = %s;", "", nil),
	flat("let-mut", true, true, "let mut g = %s;", "", nil),
	{
		part: part{name: "let-typed", fits: func(g *genProg) bool { return g.lock.guardType != "" }}, binding: true, mutable: true, acq: true, region: true,
		render: func(g *genProg, region, _ []string) []string {
			return append([]string{fmt.Sprintf("let mut g: %s = %s;", g.spellGuard(), g.acq())}, region...)
		},
	},
	flat("tuple", true, true, "let (mut g, _k) = (%s, 1u32);", "", nil),
	scoped("if-let-ok", true, false, "if let Ok(mut g) = %s {", "} else {", "}", "", fallibleLock),
	scoped("match-ok", true, false, "match %s {\n    Ok(mut g) => {", "    }\n    Err(_) => {", "    }\n}", "", fallibleLock),
	{
		part: part{name: "let-else", fits: fallibleLock}, binding: true, mutable: true, region: true, returns: true,
		render: func(g *genProg, region, _ []string) []string {
			out := []string{fmt.Sprintf("let Ok(mut g) = %s else {", g.lock.raw(g.lock.recv)), "    " + g.ret(), "};"}
			return append(out, region...)
		},
	},
	scoped("temp-if-let", false, true, "if let Some(x) = %s.first().copied() {", "} else {", "}", "sink(x);", nil),
	scoped("temp-while-let", false, true, "while let Some(x) = %s.pop() {", "", "}", "sink(x);", writableLock),
	scoped("temp-match", false, true, "match %s.len() {\n    0 => {}\n    n => {", "", "    }\n}", "sink(n);", nil),
	scoped("temp-match-ref", false, true, "match %s.first() {\n    Some(x) => {", "    }\n    None => {", "    }\n}", "sink(x);", nil),
	scoped("temp-for", false, true, "for x in %s.clone() {", "", "}", "sink(x);", nil),
	scoped("if-condition", false, true, "if %s.len() > 1 {", "} else {", "}", "", nil),
	scoped("if-let-block", false, true, "if let Some(x) = {\n    %s.first().copied()\n} {", "} else {", "}", "sink(x);", nil),
	scoped("match-block", false, true, "match {\n    %s.len()\n} {\n    0 => {}\n    n => {", "", "    }\n}", "sink(n);", nil),
	scoped("while-let-let-inside", false, true, "while let Some(x) = {\n    let mut q = %s;\n    q.pop()\n} {", "", "}", "sink(x);", writableLock),
	{
		part: part{name: "temp-arg"}, acq: true, items: []string{"work"},
		render: func(g *genProg, _, _ []string) []string {
			return []string{fmt.Sprintf("sink(work(%s.len() as u32).await);", g.acq())}
		},
	},
	flat("temp-receiver", false, false, "%s.push(4);", "", writableLock),
	flat("temp-let", false, false, "let n = %s.len();", "sink(n);", nil),
	flat("block-tail", false, false, "let snapshot = {\n    let g = %s;\n    g.clone()\n};", "sink(snapshot);", nil),
	flat("block-tail-temp", false, false, "let n = {\n    %s.len()\n};", "sink(n);", nil),
}

// unwrapPart is what is done with a LockResult.
type unwrapPart struct {
	part
	suffix   string
	fallible bool // a `?`: the body returns Result<(), String>
}

var unwrapParts = []*unwrapPart{
	{part: part{name: "unwrap"}, suffix: ".unwrap()"},
	{part: part{name: "expect"}, suffix: `.expect("lock poisoned")`},
	{part: part{name: "map-err-q"}, suffix: ".map_err(|e| e.to_string())?", fallible: true},
	{part: part{name: "unwrap-or-else"}, suffix: ".unwrap_or_else(|e| e.into_inner())"},
}

// usePart is one statement that uses the named guard g before the await.
type usePart struct {
	part
	code   string
	owned  string // the owned value it defines, if any
	borrow string // the borrow of g it defines, if any
	items  []string
}

func mutGuard(g *genProg) bool { return g.mutGuard() }

var useParts = []*usePart{
	{part: part{name: "read-len"}, code: "let n = g.len();", owned: "n"},
	{part: part{name: "read-index"}, code: "let first = g[0];", owned: "first"},
	{part: part{name: "write-push", fits: mutGuard}, code: "g.push(4);"},
	{part: part{name: "write-index", fits: mutGuard}, code: "g[0] += 1;"},
	{part: part{name: "chain-owned"}, code: "let doubled: Vec<u32> = g.iter().map(|x| x * 2).collect();", owned: "doubled"},
	{part: part{name: "chain-borrow"}, code: "let head = g.first();", borrow: "head"},
	{part: part{name: "reborrow"}, code: "let view: &[u32] = &g;", borrow: "view"},
	{part: part{name: "by-ref"}, code: "let total = total_of(&g);", owned: "total", items: []string{"total_of"}},
	{part: part{name: "by-ref-mut", fits: mutGuard}, code: "add_one(&mut g);", items: []string{"add_one"}},
	{part: part{name: "clone"}, code: "let snapshot = g.clone();", owned: "snapshot"},
	{part: part{name: "in-macro"}, code: `let shown = format!("{:?}", g);`, owned: "shown"},
	{part: part{name: "println"}, code: `println!("{}", g.len());`},
	{part: part{name: "closure"}, code: "let count = || g.len();\nlet counted = count();", owned: "counted"},
	{part: part{name: "iter-loop"}, code: "for x in g.iter() {\n    sink(*x);\n}"},
}

// endPart is how the named guard's life ends.
type endPart struct {
	part
	before   string // before the await
	after    string // after the await and the escaping values' uses
	consumes bool   // before moves the guard: nothing may use it after
	items    []string
}

var endParts = []*endPart{
	{part: part{name: "scope"}},
	{part: part{name: "drop"}, before: "drop(g);", consumes: true},
	{part: part{name: "mem-drop"}, before: "std::mem::drop(g);", consumes: true},
	{part: part{name: "move-into-fn", fits: func(g *genProg) bool { return g.lock.guardType != "" }}, before: "let moved = consume(g);\nsink(moved);", consumes: true, items: []string{"consume"}},
	{part: part{name: "drop-after-await"}, after: "drop(g);"},
}

// escapePart is what of the guard is used after the await: it returns the
// definitions to add before the guard's end and the uses after the await.
type escapePart struct {
	part
	render func(g *genProg, owned, borrows []string) (defs, after []string)
}

// ownedDefs are definitions of owned values from g, for an escape that
// needs more than the uses made.
var ownedDefs = []struct{ name, code string }{{"n", "let n = g.len();"}, {"first", "let first = g[0];"}}

func escapeOwned(want int) func(*genProg, []string, []string) ([]string, []string) {
	return func(g *genProg, owned, _ []string) (defs, after []string) {
		have := map[string]bool{}
		for _, o := range owned {
			have[o] = true
		}
		for _, d := range ownedDefs {
			if len(owned) >= want {
				break
			}
			if !have[d.name] {
				defs = append(defs, d.code)
				owned = append(owned, d.name)
			}
		}
		for _, o := range owned[:want] {
			after = append(after, "sink("+o+");")
		}
		return defs, after
	}
}

func guardLives(g *genProg) bool { return !g.end.consumes }

var escapeParts = []*escapePart{
	{part: part{name: "nothing"}, render: func(*genProg, []string, []string) ([]string, []string) { return nil, nil }},
	{part: part{name: "owned"}, render: escapeOwned(1)},
	{part: part{name: "several"}, render: escapeOwned(2)},
	{part: part{name: "borrow", fits: guardLives}, render: func(g *genProg, _, borrows []string) ([]string, []string) {
		if len(borrows) == 0 {
			return []string{"let head = g.first();"}, []string{"sink(head);"}
		}
		return nil, []string{"sink(" + borrows[0] + ");"}
	}},
	{part: part{name: "guard", fits: guardLives}, render: func(g *genProg, _, _ []string) ([]string, []string) {
		return nil, []string{"sink(g.len());"}
	}},
}

// Where an await part goes relative to the take's region.
const (
	inRegion = iota
	inElse
	afterConstruct
)

// awaitPart is the await (or awaits) of the body.
type awaitPart struct {
	part
	code      string
	placement int
	items     []string
}

var awaitParts = []*awaitPart{
	{part: part{name: "statement"}, code: "tick().await;", items: []string{"tick"}},
	{part: part{name: "let-result"}, code: "let got = work(1).await;\nsink(got);", items: []string{"work"}},
	{part: part{name: "in-argument"}, code: "sink(work(2).await);", items: []string{"work"}},
	{part: part{name: "guard-in-argument", fits: func(g *genProg) bool { return g.take != nil && g.take.binding && !g.end.consumes }}, code: "sink(work(g.len() as u32).await);", items: []string{"work"}},
	{part: part{name: "for-loop"}, code: "for _ in 0..2 {\n    tick().await;\n}", items: []string{"tick"}},
	{part: part{name: "while-loop"}, code: "let mut i = 0;\nwhile i < 2 {\n    tick().await;\n    i += 1;\n}", items: []string{"tick"}},
	{part: part{name: "if-branch"}, code: "if flag() {\n    tick().await;\n}", items: []string{"tick", "flag"}},
	{part: part{name: "else-branch"}, code: "if !flag() {\n    sink(0u32);\n} else {\n    tick().await;\n}", items: []string{"tick", "flag"}},
	{part: part{name: "nested-block"}, code: "{\n    tick().await;\n}", items: []string{"tick"}},
	{part: part{name: "match-arm"}, code: "match pick() {\n    0 => tick().await,\n    _ => {}\n}", items: []string{"tick", "pick"}},
	{part: part{name: "two"}, code: "tick().await;\ntick().await;", items: []string{"tick"}},
	{part: part{name: "join-macro"}, code: "tokio::join!(tick(), tick());", items: []string{"tick"}},
	{part: part{name: "inner-async-block"}, code: "let fut = async {\n    tick().await;\n};\nfut.await;", items: []string{"tick"}},
	{part: part{name: "timeout"}, code: "let _ = tokio::time::timeout(std::time::Duration::from_secs(5), tick()).await;", items: []string{"tick"}},
	{part: part{name: "after-construct", fits: func(g *genProg) bool {
		return g.take != nil && g.take.closes && (g.escape == nil || g.escape.name == "nothing")
	}}, code: "tick().await;", placement: afterConstruct, items: []string{"tick"}},
	{part: part{name: "else-of-take", fits: func(g *genProg) bool { return g.take != nil && g.take.hasElse }}, code: "tick().await;", placement: inElse, items: []string{"tick"}},
}

// wrapPart is the statement the guard's construct sits in.
type wrapPart struct {
	part
	open  string // "" for none
	items []string
}

func (w *wrapPart) apply(g *genProg, ls []string) []string {
	if w.open == "" {
		return ls
	}
	g.need(w.items...)
	return block(w.open, ls, "}")
}

var wrapParts = []*wrapPart{
	{part: part{name: "flat"}},
	{part: part{name: "block"}, open: "{"},
	{part: part{name: "for-loop"}, open: "for _round in 0..2 {"},
	{part: part{name: "if"}, open: "if flag() {", items: []string{"flag"}},
}

// ctxPart is how main runs the body, and so whether its future must be
// Send.
type ctxPart struct {
	part
	attr     string // main's attribute
	syncMain bool   // main is a plain fn with a Runtime `rt`
	render   func(g *genProg) []string
}

// spawnBlock renders `call(async move { body })` + suffix after the
// captures; in suffix, {joined} stands for joined() and {done} for done().
func spawnBlock(call, suffix string) func(*genProg) []string {
	return func(g *genProg) []string {
		return append(g.captures(), spawnCall(g, call, suffix)...)
	}
}

// spawnCall is spawnBlock without the captures.
func spawnCall(g *genProg, call, suffix string) []string {
	blk := g.asyncBlock()
	out := []string{call + "(" + blk[0]}
	out = append(out, blk[1:len(blk)-1]...)
	out = append(out, blk[len(blk)-1]+")"+strings.NewReplacer("{joined}", g.joined(), "{done}", g.done()).Replace(suffix))
	return lines(strings.Join(out, "\n"))
}

// spawnFn renders the body as `async fn task` and main's call.
func spawnFn(format string) func(*genProg) []string {
	return func(g *genProg) []string {
		g.taskFn()
		return lines(fmt.Sprintf(format, g.args(true), g.joined(), g.done()))
	}
}

const tokioMain = "#[tokio::main]"

func plainBody(g *genProg) bool { return !g.fallible() && !g.returns() }

var ctxParts = []*ctxPart{
	{part: part{name: "spawn-block"}, attr: tokioMain, render: spawnBlock("tokio::spawn", ".await{joined};")},
	{part: part{name: "spawn-handle"}, attr: tokioMain, render: func(g *genProg) []string {
		out := spawnBlock("let handle = tokio::spawn", ";")(g)
		return append(out, "handle.await"+g.joined()+";")
	}},
	{part: part{name: "task-spawn"}, attr: tokioMain, render: spawnBlock("tokio::task::spawn", ".await{joined};")},
	{part: part{name: "spawn-imported"}, attr: tokioMain, render: func(g *genProg) []string {
		g.imp("tokio::spawn")
		return spawnBlock("spawn", ".await{joined};")(g)
	}},
	{part: part{name: "spawn-current-thread"}, attr: `#[tokio::main(flavor = "current_thread")]`, render: spawnBlock("tokio::spawn", ".await{joined};")},
	{part: part{name: "spawn-fn"}, attr: tokioMain, render: spawnFn("tokio::spawn(task(%[1]s)).await%[2]s;")},
	{part: part{name: "spawn-awaits-fn"}, attr: tokioMain, render: func(g *genProg) []string {
		g.taskFn()
		out := g.captures()
		return append(out, fmt.Sprintf("tokio::spawn(async move { task(%s).await }).await%s;", g.args(false), g.joined()))
	}},
	{part: part{name: "send-bound"}, attr: tokioMain, render: func(g *genProg) []string {
		g.need("require_send")
		return spawnBlock("require_send", ".await{done};")(g)
	}},
	{part: part{name: "send-bound-spawner"}, attr: tokioMain, render: func(g *genProg) []string {
		g.need("in_background")
		return spawnBlock("in_background", ".await{joined};")(g)
	}},
	{part: part{name: "joinset"}, attr: tokioMain, render: func(g *genProg) []string {
		out := []string{"let mut set = tokio::task::JoinSet::new();"}
		out = append(out, spawnBlock("set.spawn", ";")(g)...)
		return append(out, "while let Some(res) = set.join_next().await {", "    res"+g.joined()+";", "}")
	}},
	{part: part{name: "runtime-spawn"}, syncMain: true, render: spawnBlock("let handle = rt.spawn", ";\nrt.block_on(handle){joined};")},
	{part: part{name: "block-on"}, syncMain: true, render: spawnBlock("rt.block_on", "{done};")},
	{part: part{name: "none-fn"}, attr: tokioMain, render: spawnFn("task(%[1]s).await%[3]s;")},
	{part: part{name: "none-block"}, attr: tokioMain, render: func(g *genProg) []string {
		out := g.captures()
		blk := g.asyncBlock()
		blk[len(blk)-1] += ".await" + g.done() + ";"
		return append(out, blk...)
	}},
	{part: part{name: "none-inline", fits: plainBody}, attr: tokioMain, render: func(g *genProg) []string {
		// The captures outside the block, and the block a statement: a tail
		// expression's temporaries outlive the block's own variables, and
		// main's (edition 2021).
		return append(g.captures(), block("{", g.body(), "};")...)
	}},
	{part: part{name: "spawn-local"}, attr: tokioMain, render: func(g *genProg) []string {
		out := append(g.captures(), "let local_set = tokio::task::LocalSet::new();")
		inner := spawnCall(g, "tokio::task::spawn_local", ".await{joined};")
		return append(out, block("local_set.run_until(async move {", inner, "}).await;")...)
	}},
}

// ctxControl runs the body where no Send is needed (see genProg.Control).
var ctxControl = func() *ctxPart {
	for _, c := range ctxParts {
		if c.name == "none-fn" {
			return c
		}
	}
	panic("generator: no ctx part none-fn")
}()

// rcPart is the Rc values of the program: moved into the task or made in
// it.
type rcPart struct {
	part
	imports   []string
	outer     []string // main, before the task
	param     param    // what the body gets from main
	pre, post []string // the body's first and last statements
	last      []string // main, after the task
}

var rcParts = []*rcPart{
	// Most programs have no Rc, so that what the guard parts do shows
	// alone.
	{part: part{name: "none", weight: 4}},
	{
		part: part{name: "rc-captured"}, imports: []string{"std::rc::Rc"},
		outer: []string{"let rc = Rc::new(7u32);"}, param: param{"rc", "Rc<u32>", "rc"}, pre: []string{"sink(*rc);"},
	},
	{
		part: part{name: "rc-clone-captured"}, imports: []string{"std::rc::Rc"},
		outer: []string{"let keep = Rc::new(7u32);"}, param: param{"rc", "Rc<u32>", "keep.clone()"}, pre: []string{"sink(*rc);"},
		last: []string{"sink(*keep);"},
	},
	{
		part: part{name: "rc-refcell-captured"}, imports: []string{"std::rc::Rc", "std::cell::RefCell"},
		outer: []string{"let cell = Rc::new(RefCell::new(0u32));"}, param: param{"cell", "Rc<RefCell<u32>>", "cell"}, pre: []string{"*cell.borrow_mut() += 1;"},
	},
	{
		part: part{name: "rc-held"}, imports: []string{"std::rc::Rc"},
		pre: []string{"let local = Rc::new(1u32);"}, post: []string{"sink(*local);"},
	},
	{
		part: part{name: "rc-refcell-held"}, imports: []string{"std::rc::Rc", "std::cell::RefCell"},
		pre: []string{"let counter = Rc::new(RefCell::new(1u32));"}, post: []string{"*counter.borrow_mut() += 1;", "sink(counter.borrow().clone());"},
	},
	{
		part: part{name: "rc-dropped"}, imports: []string{"std::rc::Rc"},
		pre: []string{"{", "    let local = Rc::new(1u32);", "    sink(*local);", "}"},
	},
}

// outsidePart is what main does with the lock besides the task.
type outsidePart struct {
	part
	render func(g *genProg) []string
}

func hasLock(g *genProg) bool { return g.lock.name != "none" }

var outsideParts = []*outsidePart{
	{part: part{name: "none"}, render: func(*genProg) []string { return nil }},
	{part: part{name: "main-after", fits: hasLock}, render: func(g *genProg) []string {
		return []string{"sink(" + g.acqOutside(g.lock.mainRecv) + ".len());"}
	}},
	{part: part{name: "sync-helper", fits: hasLock}, render: func(g *genProg) []string {
		g.need("report")
		return []string{"sink(report(" + g.lock.helperArg + "));"}
	}},
	{part: part{name: "spawn-blocking", fits: func(g *genProg) bool { return hasLock(g) && !g.ctx.syncMain }}, render: func(g *genProg) []string {
		g.need("report")
		out := []string{}
		arg := g.lock.helperArg
		if g.lock.typ != "" {
			out = append(out, "let d = shared.clone();")
			arg = "&d"
		}
		return append(out, "sink(tokio::task::spawn_blocking(move || report("+arg+")).await.unwrap());")
	}},
}

// itemOrder is the order helper items appear in a program.
var itemOrder = []string{"ITEMS", "Store", "Store::items", "entries", "consume", "report", "total_of", "add_one", "sink", "flag", "pick", "tick", "work", "require_send", "in_background", "task"}

// itemDeps are the items an item uses.
var itemDeps = map[string][]string{"work": {"tick"}}

// itemCatalog makes the helper items by name.
var itemCatalog = map[string]func(g *genProg) string{
	"ITEMS": func(*genProg) string { return "static ITEMS: Mutex<Vec<u32>> = Mutex::new(Vec::new());" },
	"Store": func(*genProg) string { return "struct Store {\n    items: Mutex<Vec<u32>>,\n}" },
	"Store::items": func(*genProg) string {
		return "impl Store {\n    fn items(&self) -> MutexGuard<'_, Vec<u32>> {\n        self.items.lock().unwrap()\n    }\n}"
	},
	"entries": func(*genProg) string {
		return "fn entries(m: &Mutex<Vec<u32>>) -> MutexGuard<'_, Vec<u32>> {\n    m.lock().unwrap()\n}"
	},
	"consume": func(g *genProg) string {
		return "fn consume(g: " + g.spellGuard() + ") -> usize {\n    g.len()\n}"
	},
	"report": func(g *genProg) string {
		return "fn report(" + g.lock.helper + ") -> usize {\n    " + g.acqOutside(g.lock.helperRecv()) + ".len()\n}"
	},
	"total_of": func(*genProg) string { return "fn total_of(v: &[u32]) -> u32 {\n    v.iter().sum()\n}" },
	"add_one":  func(*genProg) string { return "fn add_one(v: &mut Vec<u32>) {\n    v.push(1);\n}" },
	"sink": func(*genProg) string {
		return "fn sink<T: std::fmt::Debug>(v: T) {\n    let _ = format!(\"{:?}\", v);\n}"
	},
	"flag": func(*genProg) string { return "fn flag() -> bool {\n    std::hint::black_box(true)\n}" },
	"pick": func(*genProg) string { return "fn pick() -> u32 {\n    std::hint::black_box(0)\n}" },
	"tick": func(*genProg) string { return "async fn tick() {\n    tokio::task::yield_now().await;\n}" },
	"work": func(*genProg) string {
		return "async fn work(n: u32) -> u32 {\n    tick().await;\n    n + 1\n}"
	},
	"require_send": func(*genProg) string {
		return "fn require_send<F: std::future::Future + Send>(f: F) -> F {\n    f\n}"
	},
	"in_background": func(*genProg) string {
		return "fn in_background<F>(f: F) -> tokio::task::JoinHandle<F::Output>\nwhere\n    F: std::future::Future + Send + 'static,\n    F::Output: Send + 'static,\n{\n    tokio::spawn(f)\n}"
	},
}

// spellGuard is the guard's type, imported.
func (g *genProg) spellGuard() string {
	if g.lock.guardUse != "" {
		g.imp(g.lock.guardUse)
	}
	return g.lock.guardType
}

// helperRecv is how a sync helper reaches the lock: its parameter m, or
// the static.
func (l *lockPart) helperRecv() string {
	if l.helper == "" {
		return l.mainRecv
	}
	return "m"
}
