package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"

	"sendfix/rewrite"
)

// Macro arguments are unparsed tokens. The swap reads them token by
// token (never their text, which may hold strings): a lock written
// `m.lock().unwrap()` or `m.lock().expect("..")` there is converted like
// one in code; anything else a macro hides about a moving lock (a
// lock-type path, into_inner, try_lock, a lock in a macro_rules! body)
// refuses the swap.

// tok is one token of a token tree: a leaf, or a nested tree as a unit.
type tok struct {
	n    *sitter.Node
	text string // the token's text; "()" etc. for a nested tree, compacted
}

// tokens returns the children of a token tree as tokens, delimiters
// included.
func (p *swapPlan) tokens(tt *sitter.Node) []tok {
	var out []tok
	for _, c := range childrenOf(tt) {
		t := text(p.fc.src, c)
		if c.Type() == "token_tree" {
			t = compact(t)
		}
		out = append(out, tok{n: c, text: t})
	}
	return out
}

// eachTree calls f on tt and every token tree nested in it.
func eachTree(tt *sitter.Node, f func(*sitter.Node)) {
	walk(tt, func(n *sitter.Node) bool {
		if n.Type() == "token_tree" {
			f(n)
		}
		return true
	})
}

// lockMethodAt reports whether tokens i.. are `.m()` for a lock method m
// of the plan's families.
func (p *swapPlan) lockMethodAt(ts []tok, i int) bool {
	return i+2 < len(ts) && ts[i].text == "." && ts[i+1].n.Type() == "identifier" &&
		p.fams.has(familyOfMethod(ts[i+1].text)) && ts[i+2].n.Type() == "token_tree" && ts[i+2].text == "()"
}

// macroChecks returns why macro tokens or definitions hide a part of the
// swap sendfix cannot make, or nil.
func (p *swapPlan) macroChecks() *refusal {
	src := p.fc.src
	for _, d := range p.macroDefs {
		var why *refusal
		eachTree(d, func(tt *sitter.Node) {
			ts := p.tokens(tt)
			for i := range ts {
				if why == nil && p.lockMethodAt(ts, i) {
					line := lineOf(src, int(ts[i].n.StartByte()))
					why = refuse(refuseMacro, line, "macro `%s` locks a %s in its definition at line %d; sendfix does not rewrite macro bodies", text(src, d.ChildByFieldName("name")), p.fams.lockName(), line)
				}
			}
		})
		if why != nil {
			return why
		}
	}
	for _, root := range p.macros {
		var why *refusal
		eachTree(root, func(tt *sitter.Node) {
			ts := p.tokens(tt)
			for i := 0; i+1 < len(ts) && why == nil; i++ {
				line := lineOf(src, int(ts[i].n.StartByte()))
				m := ts[i+1].text
				if ts[i].text == "." && i+2 < len(ts) && ts[i+2].n.Type() == "token_tree" && strings.HasPrefix(ts[i+2].text, "(") {
					switch {
					case (m == "into_inner" || m == "get_mut") && ts[i+2].text == "()":
						why = refuse(refuseMacro, line, "`%s` at line %d inside a macro may be std's lock method, which tokio's returns without a LockResult; convert it by hand", m, line)
					case noCounterpart[m]&p.fams != 0:
						why = refuse(refuseCounterpart, line, "`%s` at line %d (inside a macro) has no like-for-like tokio counterpart; convert it by hand", m, line)
					}
				}
				// `std::sync::Mutex`, `sync::Mutex` after `use std::sync;`.
				if ts[i].text == "::" && ts[i+1].n.Type() == "identifier" && p.fams.has(familyOfType(m)) && i >= 1 {
					mod := ts[i-1].text
					std := p.syncMods[mod] && (i < 2 || ts[i-2].text != "::")
					if mod == "sync" && i >= 3 && ts[i-2].text == "::" && ts[i-3].text == "std" {
						std = true // `std::sync::Mutex`, `::std::sync::Mutex`
					}
					if std {
						why = refuse(refuseMacro, line, "std's %s is spelled inside macro tokens at line %d; sendfix does not rewrite macro tokens", m, line)
					}
				}
			}
		})
		if why != nil {
			return why
		}
	}
	return nil
}

// macroRecv returns the receiver before a `.lock()` at token i: a name
// and the named fields after it (`m`, `self.state`, `ctx.db`), or ok
// false when the tokens before are something else.
func macroRecv(ts []tok, i int) (root string, fields []string, ok bool) {
	j := i - 1
	for j >= 0 {
		t := ts[j]
		if t.n.Type() != "identifier" && t.n.Type() != "self" {
			return "", nil, false
		}
		if j >= 2 && ts[j-1].text == "." && (ts[j-2].n.Type() == "identifier" || ts[j-2].n.Type() == "self") {
			fields = append([]string{t.text}, fields...)
			j -= 2
			continue
		}
		if j >= 1 && (ts[j-1].text == "." || ts[j-1].text == "::") {
			return "", nil, false // `f().m`, `a::b`: not a plain receiver
		}
		return t.text, fields, true
	}
	return "", nil, false
}

// macroRecvIs resolves a receiver in macro tokens like recvIs: the last
// field's declared type, or the name's binding at the macro.
func (p *swapPlan) macroRecvIs(root string, fields []string, at *sitter.Node, k recvKind) bool {
	if len(fields) > 0 {
		return p.fieldIs(fields[len(fields)-1], k)
	}
	return root != "self" && p.nameIs(root, at, 0, k)
}

// convertMacro converts the lock calls of one macro's token trees:
// `.lock().unwrap()` and `.lock().expect("..")`.
func (p *swapPlan) convertMacro(root *sitter.Node) (int, []rewrite.Edit, *refusal) {
	src := p.fc.src
	var edits []rewrite.Edit
	var why *refusal
	var seen []tok // the tokens of the trees before, flattened in order
	eachTree(root, func(tt *sitter.Node) {
		ts := p.tokens(tt)
		for i := range ts {
			if why != nil {
				return
			}
			seen = append(seen, ts[i])
			if !p.lockMethodAt(ts, i) {
				continue
			}
			line := lineOf(src, int(ts[i].n.StartByte()))
			method := ts[i+1].text
			if i+4 < len(ts) && ts[i+3].text == "." && ts[i+4].text == "await" {
				continue
			}
			if i >= 2 && ts[i-1].text == "()" {
				if c := ts[i-2].text; c == "stdout" || c == "stderr" || c == "stdin" {
					continue
				}
			}
			r, fields, ok := macroRecv(ts, i)
			if ok && p.macroRecvIs(r, fields, tt, kindOther) {
				if p.macroRecvIs(r, fields, tt, kindStd) {
					why = refuse(refuseUnresolved, line, "the lock at line %d inside a macro is on a receiver that sendfix resolves both to std's %s and to another lock type", line, p.fams.lockName())
				}
				continue // parking_lot's or tokio's lock
			}
			end := -1
			if i+5 < len(ts) && ts[i+3].text == "." && ts[i+5].n.Type() == "token_tree" {
				switch {
				case ts[i+4].text == "unwrap" && ts[i+5].text == "()":
					end = i + 5
				case ts[i+4].text == "expect" && len(namedChildren(ts[i+5].n)) == 1 && namedChildren(ts[i+5].n)[0].Type() == "string_literal":
					end = i + 5
				}
			}
			if end < 0 {
				why = refuse(refuseMacro, line, "the lock at line %d inside a macro has a shape sendfix does not convert", line)
				return
			}
			if !ok || !p.macroRecvIs(r, fields, tt, kindStd) {
				why = refuse(refuseUnresolved, line, "the lock at line %d inside a macro is on a receiver whose %s type sendfix cannot find %s (a std %s spelled elsewhere would stay std)", line, p.fams.lockName(), p.where(), p.fams.lockName())
				return
			}
			at := p.modes.where(tt, false)
			if at.why != nil {
				why = at.why
				return
			}
			// The tokens are unparsed: a `|` before the lock may open a
			// sync closure (no .await there), an `async` an async block
			// (no blocking_* there). Where the lock runs is then unknown.
			for _, s := range seen {
				if s.text == "|" || s.text == "||" || at.mode == modeBlocking && s.text == "async" {
					why = refuse(refuseMacro, line, "the lock at line %d is inside a macro after a `|` or `async`, maybe in a closure or async block: sendfix cannot tell whether `.await` or `blocking_*` fits there", line)
					return
				}
			}
			edits = append(edits, rewrite.Edit{Start: int(ts[i+1].n.StartByte()), End: int(ts[end].n.EndByte()), New: tokioLock(method, at.mode)})
			if at.mode == modeBlocking {
				p.blocking++
			}
		}
	})
	if why != nil {
		return 0, nil, why
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return len(edits), edits, nil
}
