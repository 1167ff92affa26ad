package patterns

import (
	"bytes"
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// runMutexScope finds lock guards alive across an await of a Send-required
// future and, when the guard is not used after the await, ends its life
// before the await with a scope block. Guards used after the await are
// left in fileCtx.held for tokio-mutex when that rule is on (and
// --all-async is off); otherwise they are reported unfixed. Temporary
// guards in `if let` / `while let` / `match` scrutinees and in arguments
// of awaited calls are bound by `let` inside a block in their place.
func runMutexScope(fc *fileCtx) []proposal {
	var out []proposal
	guards := findGuards(fc)
	byBlock := map[[2]uint32][]*guard{}
	for _, g := range guards {
		k := [2]uint32{g.block.StartByte(), g.block.EndByte()}
		byBlock[k] = append(byBlock[k], g)
	}
	// covered maps a guard wrapped by an earlier guard's block to that
	// fix, so both findings carry the same (deduplicated) edits.
	covered := map[*guard]proposal{}
	for _, g := range guards {
		f := guardFinding(fc, g)
		if p, ok := covered[g]; ok {
			f.Fix = fmt.Sprintf("scoped the guard together with `%s` (held when it is taken) so both are dropped before the await", p.f.Name)
			out = append(out, proposal{f: f, edits: p.edits})
			continue
		}
		awaitLine := lineOf(fc.src, f.Await.Offset)
		if g.usedLate {
			if siteGuardKind(g.kind) == "" {
				f.Reason = nonSendUsedLate(fc, g, awaitLine)
				out = append(out, proposal{f: f})
				continue
			}
			if handOff(fc, g) {
				fc.held = append(fc.held, g)
				continue
			}
			f.Reason = fmt.Sprintf("guard `%s` is used after the await at line %d; scoping it would change what the code does (last use at line %d)", g.label(), awaitLine, lineOf(fc.src, int(g.stmts[g.lastUse].StartByte())))
			switch {
			case fc.cfg.AllAsync:
				f.Reason += "; --all-async only scopes guards"
			case !fc.cfg.Rules[RuleTokioMutex]:
				f.Reason += "; tokio-mutex (not enabled) would swap the Mutex for tokio's"
			default:
				f.Reason += "; tokio-mutex cannot swap this guard's lock"
			}
			out = append(out, proposal{f: f})
			continue
		}
		// A guard taken while another is held in the same block and used
		// after that one's last use: one block wraps both ranges.
		last := g.lastUse
		var with []string
		var withG []*guard
		var late *guard
		for changed := true; changed; {
			changed = false
			for _, h := range byBlock[[2]uint32{g.block.StartByte(), g.block.EndByte()}] {
				if h.at <= g.at || h.at > last {
					continue
				}
				if h.usedLate {
					late = h
				}
				if h.lastUse > last {
					last, changed = h.lastUse, true
				}
				if !containsGuard(withG, h) {
					with = append(with, h.name)
					withG = append(withG, h)
				}
			}
			if late != nil {
				break
			}
		}
		if late != nil {
			f.Reason = fmt.Sprintf("guard `%s` is taken while `%s` is held and used after the await at line %d; `%s` cannot be scoped on its own", late.name, g.name, awaitLine, g.name)
			out = append(out, proposal{f: f})
			continue
		}
		edits, why := scopeGuard(fc, g, last, false)
		if why != "" {
			f.Reason = fmt.Sprintf("%s (guard `%s`, await at line %d)", why, g.name, awaitLine)
			out = append(out, scopeCandidates(fc, g, last, f, true)...)
			out = append(out, proposal{f: f})
			continue
		}
		f.Fix = "scoped the guard so it is dropped before the await"
		if len(with) > 0 {
			f.Fix = fmt.Sprintf("scoped the guard together with `%s` (taken while it is held) so both are dropped before the await", strings.Join(with, "`, `"))
		}
		p := proposal{f: f, edits: edits}
		for _, h := range withG {
			covered[h] = p
		}
		out = append(out, p)
		out = append(out, scopeCandidates(fc, g, last, f, false)...)
	}
	out = append(out, temporaries(fc)...)
	return out
}

// guardFinding is the finding of a let-bound guard, before a fix or a
// reason is known.
func guardFinding(fc *fileCtx, g *guard) Finding {
	bind := g.bind
	if bind == nil {
		bind = g.decl.ChildByFieldName("pattern")
	}
	msg := fmt.Sprintf("`%s` `%s` is held across an await point", g.kind, g.label())
	if g.body != nil && g.body.why != "" {
		msg += " of a future that must be Send (" + g.body.why + ")"
	}
	return Finding{
		Rule:    RuleMutexScope,
		Pos:     Pos{Offset: int(bind.StartByte())},
		Await:   &Pos{Offset: awaitKeyword(fc.src, g.await)},
		Name:    g.name,
		Message: msg,
	}
}

// handOff reports whether a guard used after the await goes to tokio-mutex
// (which then reports it) instead of being reported here: only when that
// rule is on, not under --all-async (which never swaps a Mutex), and only
// for a plain `let g = m.lock()..;` of a Mutex, the only shape tokio-mutex
// rewrites.
func handOff(fc *fileCtx, g *guard) bool {
	return fc.cfg.Rules[RuleTokioMutex] && !fc.cfg.AllAsync && g.kind == "MutexGuard" && g.recv != nil
}

func containsGuard(list []*guard, g *guard) bool {
	for _, x := range list {
		if x == g {
			return true
		}
	}
	return false
}

// awaitKeyword returns the offset of the `await` keyword of an await
// expression (rustc points there).
func awaitKeyword(src []byte, aw *sitter.Node) int {
	end := int(aw.EndByte())
	if end >= 5 && string(src[end-5:end]) == "await" {
		return end - 5
	}
	return int(aw.StartByte())
}

// scopeGuard returns the edits that wrap the guard's statements, from its
// let through statement lastUse, in a block; or why it cannot. trust
// takes a binding that may borrow from the guard out of the block all
// the same (a candidate for the compiler to judge).
func scopeGuard(fc *fileCtx, g *guard, lastUse int, trust bool) ([]rewrite.Edit, string) {
	first, last := g.stmts[g.at], g.stmts[lastUse]
	// Bindings made while the guard is held and used after the range
	// must come out of the block as its value.
	var escNames []string
	var escMut []bool
	var escDecl []*sitter.Node
	for j := g.at + 1; j <= lastUse; j++ {
		s := g.stmts[j]
		if s.Type() != "let_declaration" {
			continue
		}
		names, muts := patternNames(fc.src, s.ChildByFieldName("pattern"))
		for k, n := range names {
			for _, later := range g.stmts[lastUse+1:] {
				if usesName(fc.src, later, n) {
					if why := mayBorrow(fc.src, s); why != "" && !trust {
						return nil, fmt.Sprintf("`%s` %s and is used after the guard's range (line %d); ending the guard early would end that borrow",
							n, why, lineOf(fc.src, int(later.StartByte())))
					}
					escNames = append(escNames, n)
					escMut = append(escMut, muts[k] || letIsMut(s))
					escDecl = append(escDecl, s)
					break
				}
			}
		}
	}
	if len(escNames) > 0 && last.Type() == "let_declaration" && last.ChildByFieldName("alternative") != nil {
		return nil, "the last statement in the guard's range is a let-else"
	}

	start := int(first.StartByte())
	ls := lineStart(fc.src, start)
	if strings.TrimSpace(string(fc.src[ls:start])) != "" {
		return nil, "the guard's let does not start its line"
	}
	end := int(last.EndByte())
	le := lineEnd(fc.src, end)
	if !onlyComments(string(fc.src[end:le])) {
		return nil, "another statement follows the guard's last use on the same line"
	}
	indent := string(fc.src[ls:start])
	nl := fc.style.Newline
	unit := fc.style.Indent
	keep := multilineLiterals(fc.root, ls, le)

	var b strings.Builder
	switch {
	case len(escNames) == 0:
		b.WriteString(indent + "{" + nl)
		b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep))
		b.WriteString(nl + indent + "}")
	default:
		pat := escNames[0]
		if len(escNames) > 1 {
			parts := make([]string, len(escNames))
			for i, n := range escNames {
				parts[i] = n
				if escMut[i] {
					parts[i] = "mut " + n
				}
			}
			pat = "(" + strings.Join(parts, ", ") + ")"
		} else if escMut[0] {
			pat = "mut " + pat
		}
		tailDecl := len(escNames) == 1 && escDecl[0] == last && last.ChildByFieldName("pattern").Type() == "identifier"
		if tailDecl {
			if ty := last.ChildByFieldName("type"); ty != nil {
				pat += ": " + text(fc.src, ty)
			}
		}
		b.WriteString(indent + "let " + pat + " = {" + nl)
		inner := indent + unit
		if tailDecl {
			// The last let's value becomes the block's value; the lines
			// before it, with their comments and blank lines, stay.
			ps := lineStart(fc.src, int(last.StartByte()))
			if ps <= ls || strings.TrimSpace(string(fc.src[ps:last.StartByte()])) != "" {
				return nil, "the let of the escaping binding shares its line with another statement"
			}
			val := last.ChildByFieldName("value")
			if val == nil {
				return nil, "the let of the escaping binding has no value"
			}
			prevEnd := ps - 1
			if fc.src[prevEnd-1] == '\r' {
				prevEnd--
			}
			b.WriteString(indentRange(fc.src, ls, prevEnd, unit, nl, keep) + nl)
			b.WriteString(inner + reindentText(text(fc.src, val), unit, nl, multilineLiterals(fc.root, int(val.StartByte()), int(val.EndByte())), int(val.StartByte()), fc.src))
			if rest := strings.TrimSpace(string(fc.src[end:le])); rest != "" {
				b.WriteString(" " + rest)
			}
		} else {
			b.WriteString(indentRange(fc.src, ls, le, unit, nl, keep) + nl)
			tail := escNames[0]
			if len(escNames) > 1 {
				tail = "(" + strings.Join(escNames, ", ") + ")"
			}
			b.WriteString(inner + tail)
		}
		b.WriteString(nl + indent + "};")
	}
	return []rewrite.Edit{{Start: ls, End: le, New: b.String()}}, ""
}

// onlyComments reports whether s (the rest of a line) holds nothing but
// white space and comments, which may stay on the line a block ends.
func onlyComments(s string) bool {
	for {
		s = strings.TrimSpace(s)
		switch {
		case s == "" || strings.HasPrefix(s, "//"):
			return true
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s[2:], "*/")
			if i < 0 {
				return false // a block comment running on: not a one-line tail
			}
			s = s[i+4:]
		default:
			return false
		}
	}
}

// refMethods return references (or views) into their receiver.
var refMethods = map[string]bool{
	"get": true, "get_mut": true, "first": true, "last": true, "first_mut": true, "last_mut": true,
	"iter": true, "iter_mut": true, "as_ref": true, "as_mut": true, "as_str": true, "as_slice": true,
	"as_deref": true, "as_deref_mut": true, "keys": true, "values": true, "values_mut": true,
	"deref": true, "deref_mut": true, "borrow": true, "borrow_mut": true, "chars": true, "lines": true,
	"split": true, "split_whitespace": true, "front": true, "back": true, "peek": true, "trim": true,
	"windows": true, "chunks": true, "drain": true, "range": true, "entry": true, "or_insert": true,
	"or_default": true, "or_insert_with": true, "unwrap_or": true,
}

// mayBorrow says how the value a let declaration binds may borrow from
// something in scope (so it cannot outlive a block that ends the guard),
// or returns "" when it is owned as far as the syntax shows: `&expr`, a
// `ref` binding, a bare binding moved (the guard itself), or a method
// that returns a reference, without an owning method (`.cloned()`,
// `.to_vec()`, ...) after it.
func mayBorrow(src []byte, decl *sitter.Node) string {
	if strings.Contains(text(src, decl.ChildByFieldName("pattern")), "ref ") {
		return "is bound by `ref`"
	}
	v := unparen(decl.ChildByFieldName("value"))
	if v == nil {
		return ""
	}
	switch v.Type() {
	case "reference_expression":
		return "borrows (`&`)"
	case "identifier":
		return "may hold the guard itself"
	case "closure_expression", "async_block":
		// It captures what it names, the guard too, by reference or by
		// move: either way it cannot outlive the guard's block.
		return "is a closure or async block that may capture the guard"
	case "call_expression":
		if m := methodName(src, v); refMethods[m] {
			return fmt.Sprintf("may borrow (`.%s()` returns a reference)", m)
		}
	}
	return ""
}

// lineStart returns the offset of the start of the line holding off.
func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// lineEnd returns the offset of the line break (before a \r) ending the
// line holding off, or len(src).
func lineEnd(src []byte, off int) int {
	i := bytes.IndexByte(src[off:], '\n')
	if i < 0 {
		return len(src)
	}
	e := off + i
	if e > off && src[e-1] == '\r' {
		e--
	}
	return e
}

// multilineLiterals returns the byte ranges inside [from, to) where a line
// starts within a string literal: re-indenting those lines would change the
// string.
//
// The walk starts at the smallest node covering the range, found by a
// descent with a cursor: a walk from the root for every guard scoped made
// a run quadratic in the items of the file. Nothing outside that node
// meets the range; a literal on the way down holds the whole range.
func multilineLiterals(root *sitter.Node, from, to int) [][2]int {
	var out [][2]int
	if from < to {
		c := sitter.NewTreeCursor(root)
		defer c.Close()
		for {
			switch root.Type() {
			case "string_literal", "raw_string_literal", "block_comment":
				return [][2]int{{int(root.StartByte()), int(root.EndByte())}}
			}
			if c.GoToFirstChildForByte(uint32(from)) < 0 {
				break
			}
			n := c.CurrentNode()
			if int(n.StartByte()) > from || int(n.EndByte()) < to {
				break
			}
			root = n
		}
	}
	walk(root, func(n *sitter.Node) bool {
		if int(n.EndByte()) <= from || int(n.StartByte()) >= to {
			return false
		}
		switch n.Type() {
		case "string_literal", "raw_string_literal", "block_comment":
			out = append(out, [2]int{int(n.StartByte()), int(n.EndByte())})
			return false
		}
		return true
	})
	return out
}

// inLiteral reports whether off lies strictly inside one of the ranges.
func inLiteral(off int, lits [][2]int) bool {
	for _, r := range lits {
		if off > r[0] && off < r[1] {
			return true
		}
	}
	return false
}

// indentRange returns the lines of src[from:to] each indented by one more
// unit, joined by nl. Blank lines become empty; lines that begin inside a
// string literal or block comment are left as they are.
func indentRange(src []byte, from, to int, unit, nl string, lits [][2]int) string {
	return reindentText(string(src[from:to]), unit, nl, lits, from, src)
}

// reindentText indents each line of s (found at offset base of src) but
// the first by unit, and the first line too when it starts a line of src.
func reindentText(s, unit, nl string, lits [][2]int, base int, src []byte) string {
	lines := strings.Split(s, "\n")
	off := base
	for i, l := range lines {
		l = strings.TrimSuffix(l, "\r")
		startsLine := off == 0 || src[off-1] == '\n'
		switch {
		case inLiteral(off, lits):
		case strings.TrimSpace(l) == "":
			l = ""
		case startsLine:
			l = unit + l
		}
		off += len(lines[i]) + 1
		lines[i] = l
	}
	return strings.Join(lines, nl)
}

// ownedEnds are the methods whose result owns its value (or is Copy), so
// a block that binds the guard with `let` can return it.
var ownedEnds = map[string]bool{
	"cloned": true, "copied": true, "clone": true, "len": true, "is_empty": true,
	"contains": true, "contains_key": true, "pop": true, "pop_front": true, "pop_back": true,
	"take": true, "to_string": true, "to_owned": true, "to_vec": true, "remove": true,
}

// mutMethods need `&mut` access through the guard, so the guard binding
// must be `mut`.
var mutMethods = map[string]bool{
	"pop": true, "pop_front": true, "pop_back": true, "push": true, "push_back": true, "push_front": true,
	"take": true, "insert": true, "remove": true, "clear": true, "drain": true, "get_mut": true,
	"iter_mut": true, "entry": true, "extend": true, "truncate": true, "retain": true, "append": true,
	"swap_remove": true, "dedup": true, "sort": true, "sort_by": true, "sort_by_key": true, "sort_unstable": true,
}

// borrowingMethods return iterators or views that borrow the guarded
// value; a `.cloned()` after them is still a borrow.
var borrowingMethods = map[string]bool{
	"iter": true, "iter_mut": true, "keys": true, "values": true, "values_mut": true, "drain": true,
	"chars": true, "bytes": true, "lines": true, "split": true, "windows": true, "chunks": true,
	"into_iter": true, "range": true, "as_str": true, "as_slice": true,
}

// tempCtx is what the temporary-guard search shares across one pass.
type tempCtx struct {
	fc    *fileCtx
	pl    bool
	fns   *guardFnSet
	names map[uint32]map[string]bool // identifiers of each fn, by its start
}

// temporaries finds lock guards that no `let` names but that live across
// an await: temporaries of `if let` / `while let` / `match` scrutinees
// (they live to the end of the whole expression), temporaries in the
// arguments or receiver of an awaited call (to the end of the statement),
// and guards bound by an `if let Ok(g) = m.lock()` or `match m.lock()`
// pattern.
func temporaries(fc *fileCtx) []proposal {
	tc := &tempCtx{fc: fc, pl: importsParkingLot(fc.src), fns: fileGuardFns(fc), names: map[uint32]map[string]bool{}}
	var out []proposal
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		walk(b.block, func(n *sitter.Node) bool {
			if n != b.block && isFutureBoundary(n) {
				return false
			}
			switch n.Type() {
			case "if_expression":
				if c := n.ChildByFieldName("condition"); c != nil && c.Type() == "let_condition" {
					out = append(out, tc.scrutinee(b, n, "if let", c.ChildByFieldName("value"), c.ChildByFieldName("pattern"),
						n.ChildByFieldName("consequence"), n.ChildByFieldName("alternative"))...)
				}
			case "while_expression":
				if c := n.ChildByFieldName("condition"); c != nil && c.Type() == "let_condition" {
					out = append(out, tc.scrutinee(b, n, "while let", c.ChildByFieldName("value"), c.ChildByFieldName("pattern"),
						n.ChildByFieldName("body"))...)
				}
			case "match_expression":
				out = append(out, tc.scrutinee(b, n, "match", n.ChildByFieldName("value"), nil, n.ChildByFieldName("body"))...)
			case "await_expression":
				out = append(out, tc.awaitedCall(b, n)...)
			}
			return true
		})
	}
	return out
}

// firstAwait returns the first await of the current future in nodes.
func firstAwait(nodes ...*sitter.Node) *sitter.Node {
	for _, n := range nodes {
		if n == nil {
			continue
		}
		if a := awaitsIn(n); len(a) > 0 {
			return a[0]
		}
	}
	return nil
}

// scrutinee handles one `if let` / `while let` / `match` whose body
// awaits: a guard bound by its pattern is reported, a temporary guard in
// its scrutinee is bound inside a block when the value left is owned.
func (tc *tempCtx) scrutinee(b *asyncBody, n *sitter.Node, form string, val, pat *sitter.Node, bodies ...*sitter.Node) []proposal {
	src := tc.fc.src
	s := unparen(val)
	if s == nil || hasAwait(s) {
		return nil // an await in the scrutinee itself: awaitedCall's
	}
	aw := firstAwait(bodies...)
	if aw == nil {
		return nil
	}
	awaitOff := awaitKeyword(src, aw)
	awaitLine := lineOf(src, awaitOff)
	if s.Type() == "call_expression" && lockKind(src, s) != "" {
		if bind, ok := okBinding(src, form, pat, bodies); ok {
			// `if let Ok(g) = m.lock()` / `match m.lock() { Ok(g) => .. }`:
			// the guard lives to the end of the whole expression.
			f := Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(s.StartByte())}, Await: &Pos{Offset: awaitOff},
				Name: text(src, s)}
			if bind != nil {
				f.Pos.Offset, f.Name = int(bind.StartByte()), text(src, bind)
			}
			f.Message = fmt.Sprintf("`%s` `%s` is held across an await point%s", lockKind(src, s), f.Name, sendWhy(b))
			if bind != nil {
				g := &guard{name: f.Name, kind: lockKind(src, s), decl: bind.Parent(), lock: s, bind: bind,
					recv: s.ChildByFieldName("function").ChildByFieldName("value"), body: b, await: aw}
				for d := bind.Parent(); d != nil && !d.Equal(n); d = d.Parent() {
					if d.Type() == "let_condition" || d.Type() == "match_arm" {
						g.decl = d
						break
					}
				}
				g.usedLate = usedAfter(src, n, f.Name, int(aw.EndByte()))
				if handOff(tc.fc, g) {
					// Only tokio's Mutex keeps this shape's meaning.
					tc.fc.held = append(tc.fc.held, g)
					return nil
				}
			}
			f.Reason = fmt.Sprintf("guard `%s` is bound by the `%s` pattern and lives to the end of the `%s`, which awaits at line %d; sendfix does not restructure it: take the guard with `let` in a block that ends before the await", f.Name, form, form, awaitLine)
			if tc.fc.cfg.AllAsync {
				f.Reason += " (--all-async only scopes guards)"
			} else if !tc.fc.cfg.Rules[RuleTokioMutex] {
				f.Reason += ", or enable tokio-mutex"
			}
			return []proposal{{f: f}}
		}
	}
	a, kind := tc.findTemp(s)
	if a == nil {
		return nil
	}
	f := Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(a.StartByte())}, Await: &Pos{Offset: awaitOff},
		Name: compactText(src, a),
		Message: fmt.Sprintf("temporary `%s` of `%s` in the `%s` scrutinee is held across an await point%s",
			kind, compactText(src, a), form, sendWhy(b))}
	edits, why, unsure := tc.bindInBlock(s, a, form == "match" && literalArms(n))
	if why != "" {
		f.Reason = fmt.Sprintf("%s (temporary guard of `%s`, await at line %d)", why, compactText(src, a), awaitLine)
		return []proposal{{f: f}}
	}
	f.Fix = fmt.Sprintf("bound the guard with `let` inside a block in the `%s` scrutinee, so it is dropped before the body runs", form)
	return []proposal{{f: f, edits: edits, unsure: tempDoubt(unsure, compactText(src, a), awaitLine), rung: RungHoist}}
}

// awaitedCall handles temporary guards in the arguments and the receiver
// of an awaited call: they live to the end of the statement, across the
// await.
func (tc *tempCtx) awaitedCall(b *asyncBody, aw *sitter.Node) []proposal {
	src := tc.fc.src
	call := unparen(aw.NamedChild(0))
	if call == nil || call.Type() != "call_expression" {
		return nil
	}
	awaitOff := awaitKeyword(src, aw)
	awaitLine := lineOf(src, awaitOff)
	var out []proposal
	if fn := call.ChildByFieldName("function"); fn != nil && fn.Type() == "field_expression" {
		if a, kind := tc.findTemp(fn.ChildByFieldName("value")); a != nil {
			out = append(out, proposal{f: Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(a.StartByte())}, Await: &Pos{Offset: awaitOff},
				Name:    compactText(src, a),
				Message: fmt.Sprintf("temporary `%s` of `%s` in the receiver of an awaited call is held across the await%s", kind, compactText(src, a), sendWhy(b)),
				Reason:  fmt.Sprintf("the awaited call at line %d is made on a value borrowed from the guard of `%s`; the guard must stay held for the call", awaitLine, compactText(src, a)),
			}})
		}
	}
	args := call.ChildByFieldName("arguments")
	if args == nil {
		return out
	}
	for _, arg := range namedChildren(args) {
		s := unparen(arg)
		a, kind := tc.findTemp(s)
		if a == nil {
			continue
		}
		f := Finding{Rule: RuleMutexScope, Pos: Pos{Offset: int(a.StartByte())}, Await: &Pos{Offset: awaitOff},
			Name:    compactText(src, a),
			Message: fmt.Sprintf("temporary `%s` of `%s` in an argument of an awaited call is held across the await%s", kind, compactText(src, a), sendWhy(b))}
		edits, why, unsure := tc.bindInBlock(s, a, false)
		if why != "" {
			f.Reason = fmt.Sprintf("%s (temporary guard of `%s`, await at line %d)", why, compactText(src, a), awaitLine)
			out = append(out, proposal{f: f})
			continue
		}
		f.Fix = "bound the guard with `let` inside a block in the argument, so it is dropped before the await"
		out = append(out, proposal{f: f, edits: edits, unsure: tempDoubt(unsure, compactText(src, a), awaitLine), rung: RungHoist})
	}
	return out
}

// usedAfter reports whether name is mentioned in n after offset off.
func usedAfter(src []byte, n *sitter.Node, name string, off int) bool {
	found := false
	walk(n, func(c *sitter.Node) bool {
		if found || int(c.EndByte()) <= off {
			return false
		}
		if int(c.StartByte()) >= off && usesName(src, c, name) {
			found = true
			return false
		}
		return true
	})
	return found
}

// sendWhy is the message suffix saying why the body must be Send.
func sendWhy(b *asyncBody) string {
	if b == nil || b.why == "" {
		return ""
	}
	return " of a future that must be Send (" + b.why + ")"
}

// compactText is n's text on one line, inner runs of white space made one
// space.
func compactText(src []byte, n *sitter.Node) string {
	return strings.Join(strings.Fields(text(src, n)), " ")
}

// okBinding says whether the pattern of an `if let` / `while let`, or an
// arm of a `match`, takes the guard out of a lock Result (`Ok(g)`), and
// returns the binding when there is one.
func okBinding(src []byte, form string, pat *sitter.Node, bodies []*sitter.Node) (*sitter.Node, bool) {
	var pats []*sitter.Node
	if form == "match" {
		if len(bodies) == 0 || bodies[0] == nil {
			return nil, false
		}
		for _, arm := range namedChildren(bodies[0]) {
			if arm.Type() == "match_arm" {
				if p := arm.ChildByFieldName("pattern"); p != nil {
					pats = append(pats, p)
				}
			}
		}
	} else if pat != nil {
		pats = append(pats, pat)
	}
	found := false
	for _, p := range pats {
		var id *sitter.Node
		walk(p, func(c *sitter.Node) bool {
			if found && id != nil {
				return false
			}
			if c.Type() == "tuple_struct_pattern" && text(src, c.ChildByFieldName("type")) == "Ok" {
				found = true
				walk(c, func(d *sitter.Node) bool {
					if id == nil && d.Type() == "identifier" && !d.Equal(c.ChildByFieldName("type")) {
						id = d
					}
					return id == nil
				})
				return false
			}
			return true
		})
		if id != nil {
			return id, true
		}
	}
	return nil, found
}

// literalArms reports whether every arm of a match tests literals, ranges
// or `_`, so the scrutinee is of a primitive (Copy) type.
func literalArms(match *sitter.Node) bool {
	body := match.ChildByFieldName("body")
	if body == nil {
		return false
	}
	ok := true
	for _, arm := range namedChildren(body) {
		if arm.Type() != "match_arm" {
			continue
		}
		p := arm.ChildByFieldName("pattern")
		if p == nil {
			return false
		}
		for _, c := range namedChildren(p) {
			if c.Type() == "condition" || p.ChildByFieldName("condition") != nil && c.Equal(p.ChildByFieldName("condition")) {
				continue
			}
			walk(c, func(d *sitter.Node) bool {
				switch d.Type() {
				case "or_pattern", "range_pattern", "integer_literal", "char_literal", "boolean_literal",
					"negative_literal", "string_literal", "string_content", "escape_sequence", "float_literal":
					return true
				}
				ok = false
				return false
			})
		}
	}
	return ok
}

// findTemp returns the first lock acquisition evaluated as a temporary of
// expression n (not one inside a nested statement, closure or async
// block, which is dropped earlier or is another context) and its guard
// type.
func (tc *tempCtx) findTemp(n *sitter.Node) (*sitter.Node, string) {
	var found *sitter.Node
	var kind string
	walk(n, func(c *sitter.Node) bool {
		if found != nil {
			return false
		}
		switch c.Type() {
		case "closure_expression", "async_block", "let_declaration", "expression_statement", "function_item":
			return false
		case "call_expression":
			if call, k := guardCall(tc.fc.src, c, tc.pl, tc.fns); call != nil {
				found, kind = c, k
				return false
			}
		}
		return true
	})
	return found, kind
}

// bindInBlock returns the edit that replaces expression s, a method chain
// on the temporary guard a, with `{ let guard = <a>; <s on guard> }`, or
// why it cannot: the value left must be owned, or derefCopy must allow
// `*guard` (a match on literals). With the compiler in the loop
// (Config.Candidates) a value whose ownership the syntax cannot tell (a
// field, a deref, a method that may return a reference) still gets the
// edit, and unsure says the doubt.
func (tc *tempCtx) bindInBlock(s, a *sitter.Node, derefCopy bool) (edits []rewrite.Edit, why, unsure string) {
	src := tc.fc.src
	if s.Equal(a) {
		return nil, "the guard itself is the value; sendfix cannot tell what of it is needed", ""
	}
	// doubt records a doubt about ownership: a refusal without the
	// compiler, a candidate's doubt with it.
	doubt := func(w string) bool {
		if !tc.fc.cfg.Candidates {
			why = w
			return false
		}
		if unsure == "" {
			unsure = w
		}
		return true
	}
	var methods []string
	deref := false
	for p := a; !p.Equal(s); {
		par := p.Parent()
		if par == nil {
			return nil, "the guard is taken inside a larger expression", ""
		}
		switch par.Type() {
		case "parenthesized_expression":
			p = par
			continue
		case "field_expression":
			if v := par.ChildByFieldName("value"); v == nil || !v.Equal(p) {
				return nil, "the guard is taken inside a larger expression", ""
			}
			gp := par.Parent()
			if gp != nil && gp.Type() == "call_expression" && gp.ChildByFieldName("function").Equal(par) {
				methods = append(methods, text(src, par.ChildByFieldName("field")))
				p = gp
				continue
			}
			if !doubt(fmt.Sprintf("a field (`.%s`) of the guarded value is used; sendfix cannot tell whether it is Copy", text(src, par.ChildByFieldName("field")))) {
				return nil, why, ""
			}
			p, deref = par, true
			continue
		case "unary_expression":
			if derefCopy && par.Equal(s) && strings.HasPrefix(text(src, par), "*") {
				deref = true
				p = par
				continue
			}
			if !doubt("the guard is dereferenced; sendfix cannot tell whether the value is Copy") {
				return nil, why, ""
			}
			p, deref = par, true
			continue
		default:
			return nil, fmt.Sprintf("the guard is taken inside a larger expression (`%s`)", compactText(src, par)), ""
		}
	}
	if !deref {
		end := methods[len(methods)-1]
		for _, m := range methods[:len(methods)-1] {
			if borrowingMethods[m] && !doubt(fmt.Sprintf("`.%s()` borrows from the guard; the value would have to outlive it", m)) {
				return nil, why, ""
			}
		}
		if (!ownedEnds[end] || end == "take" && strings.TrimSpace(text(src, s.ChildByFieldName("arguments"))) != "()") &&
			!doubt(fmt.Sprintf("`.%s()` may return a reference into the guard, which would have to outlive it; sendfix binds the guard in a block only when the value left is owned (`.cloned()`, `.len()`, `.pop()`, ...)", end)) {
			return nil, why, ""
		}
	}
	mut := ""
	for _, m := range methods {
		if mutMethods[m] {
			mut = "mut "
		}
	}
	name := tc.freshName(s)
	st := int(s.StartByte())
	body := string(src[st:a.StartByte()]) + name + string(src[a.EndByte():s.EndByte()])
	lock := text(src, a)
	repl := "{ let " + mut + name + " = " + lock + "; " + body + " }"
	if !strings.ContainsAny(body+lock, "\r\n") {
		// rustfmt lays a block in expression position out on its own
		// lines; the inline form stays only where re-indenting a
		// multi-line body could touch a string literal.
		ind := rewrite.IndentAt(src, st)
		in, nl := ind+tc.fc.style.Indent, tc.fc.style.Newline
		repl = "{" + nl + in + "let " + mut + name + " = " + lock + ";" + nl + in + body + nl + ind + "}"
	}
	return []rewrite.Edit{{Start: st, End: int(s.EndByte()), New: repl}}, "", unsure
}

// freshName returns `guard`, or `guard2`, `guard3`.. when the name is
// already used in the fn around n.
func (tc *tempCtx) freshName(n *sitter.Node) string {
	fn := ancestor(n, "function_item")
	if fn == nil {
		fn = tc.fc.root
	}
	used := tc.names[fn.StartByte()]
	if used == nil {
		used = map[string]bool{}
		walk(fn, func(c *sitter.Node) bool {
			if c.Type() == "identifier" {
				used[text(tc.fc.src, c)] = true
			}
			return true
		})
		tc.names[fn.StartByte()] = used
	}
	name := "guard"
	for i := 2; used[name]; i++ {
		name = fmt.Sprintf("guard%d", i)
	}
	return name
}
