package golden

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
)

// The program generator composes small tokio programs from parts (see
// gen_parts_test.go): one part per dimension, chosen uniformly among the
// parts that fit the ones chosen before, from a random source seeded by
// (seed, index), so that a program is reproduced from its two numbers.
// Nothing here says what rustc or sendfix should make of a program: the
// judge (gen_test.go) asks rustc.

// part is what every part has: a name (in the program's header and in
// README.md) and whether it fits the parts chosen before it.
type part struct {
	name string
	// weight is how often the part is chosen relative to the others of
	// its dimension (0 counts as 1).
	weight int
	// fits reports whether the part can join the program's earlier
	// choices; nil fits everything.
	fits func(g *genProg) bool
}

func (p *part) partName() string { return p.name }

func (p *part) partWeight() int { return max(p.weight, 1) }

func (p *part) fitsProg(g *genProg) bool { return p.fits == nil || p.fits(g) }

type namedPart interface {
	partName() string
	partWeight() int
	fitsProg(g *genProg) bool
}

// genProg is one generated program: its choices, then what rendering
// collects.
type genProg struct {
	Seed  uint64
	Index int

	edition string
	lock    *lockPart
	take    *takePart
	unwrap  *unwrapPart
	uses    []*usePart
	end     *endPart
	escape  *escapePart
	await   *awaitPart
	wrap    *wrapPart
	ctx     *ctxPart
	rc      *rcPart
	outside *outsidePart

	header []string // dimension=part, in choice order

	// Collected while rendering.
	imports map[string]bool   // paths to import, e.g. std::sync::Arc
	items   map[string]string // helper items by name
}

// generate makes program index of the run seeded with seed.
func generate(seed uint64, index int) *genProg {
	r := rand.New(rand.NewPCG(seed, uint64(index)))
	g := &genProg{Seed: seed, Index: index}
	g.edition = editions[r.IntN(len(editions))]
	g.header = append(g.header, "edition="+g.edition)
	g.lock = choose(r, g, "lock", lockParts)
	if g.lock.name != "none" {
		g.take = choose(r, g, "take", takeParts)
		if g.take.acq && g.lock.fallible {
			g.unwrap = choose(r, g, "unwrap", unwrapParts)
		}
		if g.take.binding {
			g.chooseUses(r)
			g.end = choose(r, g, "end", endParts)
			g.escape = choose(r, g, "escape", escapeParts)
		}
	}
	if g.take == nil || g.take.region {
		g.await = choose(r, g, "await", awaitParts)
	}
	g.wrap = choose(r, g, "wrap", wrapParts)
	g.ctx = choose(r, g, "ctx", ctxParts)
	g.rc = choose(r, g, "rc", rcParts)
	g.outside = choose(r, g, "outside", outsideParts)
	return g
}

// choose picks one of parts that fits g, by weight, and records it in the
// header. Every dimension has a part that fits whatever came before.
func choose[P namedPart](r *rand.Rand, g *genProg, dim string, parts []P) P {
	var fit []P
	total := 0
	for _, p := range parts {
		if p.fitsProg(g) {
			fit = append(fit, p)
			total += p.partWeight()
		}
	}
	if len(fit) == 0 {
		panic(fmt.Sprintf("generator: no %s part fits %s", dim, strings.Join(g.header, " ")))
	}
	n := r.IntN(total)
	for _, p := range fit {
		if n -= p.partWeight(); n < 0 {
			g.header = append(g.header, dim+"="+p.partName())
			return p
		}
	}
	panic("unreachable")
}

// chooseUses picks zero to two distinct uses of the guard.
func (g *genProg) chooseUses(r *rand.Rand) {
	n := r.IntN(3)
	var names []string
	for i := 0; i < n; i++ {
		var fit []*usePart
		for _, u := range useParts {
			if u.fitsProg(g) && !g.hasUse(u.name) {
				fit = append(fit, u)
			}
		}
		if len(fit) == 0 {
			break
		}
		u := fit[r.IntN(len(fit))]
		g.uses = append(g.uses, u)
		names = append(names, u.name)
	}
	if len(names) == 0 {
		names = []string{"none"}
	}
	g.header = append(g.header, "use="+strings.Join(names, "+"))
}

func (g *genProg) hasUse(name string) bool {
	for _, u := range g.uses {
		if u.name == name {
			return true
		}
	}
	return false
}

// mutGuard reports whether the guard binding is mutable and writes go
// through it.
func (g *genProg) mutGuard() bool {
	return g.take != nil && g.take.mutable && g.lock.writable
}

// fallible reports whether the task body returns Result<(), String> (a `?`
// in it).
func (g *genProg) fallible() bool { return g.unwrap != nil && g.unwrap.fallible }

// returns reports whether the body has a `return`.
func (g *genProg) returns() bool { return g.take != nil && g.take.returns }

// ret is the body's early return statement.
func (g *genProg) ret() string {
	if g.fallible() {
		return "return Ok(());"
	}
	return "return;"
}

// acq is the expression that takes the guard in the body: the lock's call
// and the unwrap part's handling of its Result.
func (g *genProg) acq() string {
	s := g.lock.raw(g.lock.recv)
	if g.unwrap != nil {
		s += g.unwrap.suffix
	}
	return s
}

// need adds the named helper items (see itemCatalog) to the program.
func (g *genProg) need(names ...string) {
	for _, n := range names {
		text, ok := itemCatalog[n]
		if !ok {
			panic("generator: no item " + n)
		}
		if _, done := g.items[n]; !done {
			g.items[n] = text(g)
			g.need(itemDeps[n]...)
		}
	}
}

func (g *genProg) imp(paths ...string) {
	for _, p := range paths {
		g.imports[p] = true
	}
}

// param is a value the task body uses from main: a parameter of a task
// fn, a capture of an async block.
type param struct {
	name, typ string
	arg       string // main's expression for it
}

func (g *genProg) params() []param {
	var ps []param
	if g.lock.typ != "" {
		ps = append(ps, param{"data", g.lock.typ, "shared.clone()"})
	}
	if g.rc.param.name != "" {
		ps = append(ps, g.rc.param)
	}
	return ps
}

// captures binds main's values to the names the body uses, before an
// async block captures them.
func (g *genProg) captures() []string {
	var out []string
	for _, p := range g.params() {
		if p.arg != p.name {
			out = append(out, fmt.Sprintf("let %s = %s;", p.name, p.arg))
		}
	}
	return out
}

// args is the argument list of a call of the task fn.
func (g *genProg) args(fromMain bool) string {
	var as []string
	for _, p := range g.params() {
		if fromMain {
			as = append(as, p.arg)
		} else {
			as = append(as, p.name)
		}
	}
	return strings.Join(as, ", ")
}

// taskFn declares `async fn task` holding the body.
func (g *genProg) taskFn() {
	var ps []string
	for _, p := range g.params() {
		ps = append(ps, p.name+": "+p.typ)
	}
	sig := "async fn task(" + strings.Join(ps, ", ") + ")"
	body := g.body()
	if g.fallible() {
		sig += " -> Result<(), String>"
		body = append(body, "Ok(())")
	}
	g.items["task"] = sig + " {\n" + strings.Join(indent(body, 1), "\n") + "\n}"
}

// asyncBlock is `async move { body }`, its output Result when the body
// has a `?`.
func (g *genProg) asyncBlock() []string {
	body := g.body()
	if g.fallible() {
		body = append(body, "Ok::<(), String>(())")
	}
	return block("async move {", body, "}")
}

// joined is what unwraps a JoinHandle's output (and the body's Result).
func (g *genProg) joined() string {
	if g.fallible() {
		return ".unwrap().unwrap()"
	}
	return ".unwrap()"
}

// done is what a directly awaited body's output needs.
func (g *genProg) done() string {
	if g.fallible() {
		return ".unwrap()"
	}
	return ""
}

// body is the task's statements: the Rc part's, the guard's construct
// inside the wrap part, and what comes after.
func (g *genProg) body() []string {
	var out []string
	out = append(out, g.rc.pre...)
	out = append(out, g.wrap.apply(g, g.construct())...)
	out = append(out, g.rc.post...)
	return out
}

// awaitLines is the await part's statements.
func (g *genProg) awaitLines() []string {
	g.need(g.await.items...)
	return lines(g.await.code)
}

// construct is the guard's statements: how it is taken, around the region
// of uses, escapes and the await.
func (g *genProg) construct() []string {
	if g.take == nil {
		return g.awaitLines()
	}
	g.need(g.take.items...)
	if !g.take.region {
		return g.take.render(g, nil, nil)
	}
	var region, elseRegion, after []string
	aw := g.awaitLines()
	switch g.await.placement {
	case inElse:
		elseRegion = aw
		aw = nil
	case afterConstruct:
		after = aw
		aw = nil
	}
	if g.take.binding {
		region = g.bindingRegion(aw)
	} else {
		region = append(aw, lines(g.take.tail)...)
	}
	return append(g.take.render(g, region, elseRegion), after...)
}

// bindingRegion is what follows a named guard: its uses, the values that
// escape, its end, the await, then the escaping values' uses.
func (g *genProg) bindingRegion(aw []string) []string {
	var out []string
	var owned, borrows []string
	for _, u := range g.uses {
		g.need(u.items...)
		out = append(out, lines(u.code)...)
		if u.owned != "" {
			owned = append(owned, u.owned)
		}
		if u.borrow != "" {
			borrows = append(borrows, u.borrow)
		}
	}
	defs, after := g.escape.render(g, owned, borrows)
	out = append(out, defs...)
	g.need(g.end.items...)
	out = append(out, lines(g.end.before)...)
	out = append(out, aw...)
	out = append(out, after...)
	return append(out, lines(g.end.after)...)
}

// Render returns the program's source.
func (g *genProg) Render() []byte {
	return g.render(g.ctx)
}

// Control renders the same program in a context that needs no Send, so
// that rustc checks everything a Send error can hide (borrowck does not
// run on a body whose type check failed).
func (g *genProg) Control() []byte {
	return g.render(ctxControl)
}

func (g *genProg) render(ctx *ctxPart) []byte {
	g.imports = map[string]bool{}
	g.items = map[string]string{}
	g.imp(g.lock.imports...)
	g.imp(g.rc.imports...)
	g.need(g.lock.items...)
	g.need("sink")

	var main []string
	if ctx.syncMain {
		main = append(main, "let rt = tokio::runtime::Runtime::new().unwrap();")
	}
	if g.lock.typ != "" {
		main = append(main, "let shared = "+g.lock.init+";")
	}
	main = append(main, lines(g.lock.setup)...)
	main = append(main, g.rc.outer...)
	main = append(main, ctx.render(g)...)
	main = append(main, g.outside.render(g)...)
	main = append(main, g.rc.last...)

	var b strings.Builder
	fmt.Fprintf(&b, "// generated: seed=%d index=%d\n", g.Seed, g.Index)
	fmt.Fprintf(&b, "// parts: %s\n", strings.Join(g.header, " "))
	if g.edition != "2021" {
		fmt.Fprintf(&b, "// golden: edition=%s\n", g.edition)
	}
	b.WriteString(renderImports(g.imports))
	for _, name := range itemOrder {
		if text, ok := g.items[name]; ok {
			b.WriteString("\n" + text + "\n")
		}
	}
	b.WriteString("\n")
	if ctx.syncMain {
		b.WriteString("fn main() {\n")
	} else {
		b.WriteString(ctx.attr + "\nasync fn main() {\n")
	}
	b.WriteString(strings.Join(indent(main, 1), "\n") + "\n}\n")
	return []byte(b.String())
}

// acqOutside takes the guard outside the task, in sync code or main:
// always with .unwrap() when the lock is fallible.
func (g *genProg) acqOutside(recv string) string {
	s := g.lock.raw(recv)
	if g.lock.fallible {
		s += ".unwrap()"
	}
	return s
}

// renderImports groups import paths by their parent: `use a::b::{C, D};`.
func renderImports(paths map[string]bool) string {
	groups := map[string][]string{}
	for p := range paths {
		i := strings.LastIndex(p, "::")
		groups[p[:i]] = append(groups[p[:i]], p[i+2:])
	}
	var parents []string
	for k := range groups {
		parents = append(parents, k)
	}
	sort.Strings(parents)
	var b strings.Builder
	for _, k := range parents {
		names := groups[k]
		sort.Strings(names)
		if len(names) == 1 {
			fmt.Fprintf(&b, "use %s::%s;\n", k, names[0])
		} else {
			fmt.Fprintf(&b, "use %s::{%s};\n", k, strings.Join(names, ", "))
		}
	}
	return b.String()
}

// lines splits a part's code into statements' lines ("" gives none).
func lines(code string) []string {
	if code == "" {
		return nil
	}
	return strings.Split(code, "\n")
}

// indent prefixes each non-empty line with n levels of four spaces.
func indent(ls []string, n int) []string {
	pad := strings.Repeat("    ", n)
	out := make([]string, len(ls))
	for i, l := range ls {
		if l != "" {
			l = pad + l
		}
		out[i] = l
	}
	return out
}

// block is open, the inner lines one level in, and close.
func block(open string, inner []string, close string) []string {
	out := []string{open}
	out = append(out, indent(inner, 1)...)
	return append(out, close)
}
