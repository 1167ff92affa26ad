package patterns

import (
	"bytes"
	"strings"
)

// Telling a candidate guard-returning fn from its tokens: GuardFnCandidates
// keeps only the fns guardDeclKey may index, and the schedule parses the
// declaring file of a candidate a file calls to learn its guard. A fn
// whose result the tokens show to be tokio's guard (a path through
// `tokio::`, or a guard type the file imports from tokio at its top
// level, as tokioGuardImports reads them) is none, and needs no parse.

// guardReturn is what the tokens say of a fn whose signature returns a
// guard type (returnsGuard).
type guardReturn struct {
	keys []string // its keys (GuardFnCandidates')
	ty   string   // its result type without whitespace; "" when unsure
	// name, and owner when it is written right in an impl or trait body:
	// the key guardDeclKey gives, with self (a self parameter); both ""
	// for a fn of an impl of a type whose name ends in Guard.
	name, owner     string
	self, selfKnown bool
	body            bool // a `{` ends its signature (the tree's function_item)
	macro           bool // in a macro's tokens, which the parser reads as no item
	unsure          bool // written in an impl whose type the tokens cannot name
}

// guardFnReading is readGuardFns': the candidates, and when certain, the
// guard-returning fns guardFns gives (key -> guard kind).
type guardFnReading struct {
	cands   []string
	decls   map[string]string
	certain bool
}

// guardFnsRead settles readGuardFns' fns, with the guard kinds the file
// imports from tokio.
func guardFnsRead(fns []guardReturn, tokio map[string]bool) guardFnReading {
	r := guardFnReading{decls: map[string]string{}, certain: true}
	keep := map[string]bool{}
	for _, f := range fns {
		if f.ty == "" || !notGuardFn(f.ty, tokio) {
			for _, k := range f.keys {
				keep[k] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range fns {
		for _, k := range f.keys {
			if keep[k] && !seen[k] {
				seen[k] = true
				r.cands = append(r.cands, k)
			}
		}
	}
	for _, f := range fns {
		switch {
		case f.macro || f.unsure || f.ty == "" || f.owner != "" && !f.selfKnown:
			r.certain = false
		case !f.body, f.name == "", notGuardFn(f.ty, tokio):
			// A declaration without a body (the tree's
			// function_signature_item), a fn of a guard's impl, tokio's
			// guard: guardFns indexes none.
		case f.owner == "":
			r.decls[f.name] = siteGuardKind(f.ty)
		case f.self:
			r.decls[f.owner+"."+f.name] = siteGuardKind(f.ty)
		default:
			r.decls[f.owner+"::"+f.name] = siteGuardKind(f.ty)
		}
	}
	return r
}

// selfParam reports whether the fn signature sig (from after the fn's
// name) takes a self parameter as the tree reads one: `self`, `mut self`,
// `&self`, `&'a mut self` first, followed by `,` or `)`; `self: Box<Self>`
// is a parameter of another kind. ok is false when the parameters are not
// found, or an attribute is written on the first.
func selfParam(sig []byte) (self, ok bool) {
	var toks []string // from the parameters' `(`, lifetimes left out
	angle, lifetime := 0, false
	for i := 0; i < len(sig) && len(toks) < 6; {
		t, j := lexToken(sig, i)
		if t == tokSkip && sig[i] == '\'' && j == i+1 {
			lifetime = true // the lexer reads a lifetime's quote alone
		} else if lifetime && t == tokIdent {
			lifetime = false
		} else if t != tokSkip {
			tok := string(sig[i:j])
			switch {
			case len(toks) > 0:
				toks = append(toks, tok)
			case tok == "<":
				angle++
			case tok == ">":
				angle--
			case tok == "(" && angle == 0:
				toks = append(toks, tok)
			case angle == 0:
				return false, false
			}
		}
		i = j
	}
	k := 1
	if k < len(toks) && toks[k] == "&" {
		k++
	}
	if k < len(toks) && toks[k] == "mut" {
		k++
	}
	switch {
	case len(toks) < 2 || toks[1] == "#":
		return false, false
	case k+1 < len(toks) && toks[k] == "self":
		return toks[k+1] == "," || toks[k+1] == ")", true
	}
	return false, true
}

// returnType returns the result type of the fn signature sig (from after
// the fn's name to its body or `;`), without whitespace, as guardDeclKey
// reads it from the tree: the bytes after the first `->` outside every
// bracket up to a `where` outside every bracket, or the end. ok is false
// when the signature has no such arrow, or when a comment lies there (the
// tree's type ends before a comment that follows it).
func returnType(sig []byte) (ty string, ok bool) {
	paren, angle := 0, 0
	from, to := -1, len(sig)
	for i := 0; i < len(sig); {
		t, j := lexToken(sig, i)
		if t == tokIdent && from >= 0 && paren == 0 && angle == 0 && string(sig[i:j]) == "where" {
			to = i
			break
		}
		if t == tokPunct {
			switch c := sig[i]; {
			case c == '-' && j < len(sig) && sig[j] == '>':
				if from < 0 && paren == 0 && angle == 0 {
					from = j + 1
				}
				j++ // the arrow's `>` closes no angle bracket
			case c == '(' || c == '[' || c == '{':
				paren++
			case c == ')' || c == ']' || c == '}':
				paren--
			case c == '<' && paren == 0:
				angle++
			case c == '>' && paren == 0:
				angle--
			}
		}
		i = j
	}
	if from < 0 {
		return "", false
	}
	span := sig[from:to]
	if bytes.IndexByte(span, '/') >= 0 {
		return "", false // a comment: the tree's type may end before it
	}
	return string(bytes.Join(bytes.Fields(span), nil)), true
}

// notGuardFn reports whether guardDeclKey indexes no fn of result type
// ty (from returnType) in a file that imports tokio's guards of the
// kinds in tokio at its top level.
func notGuardFn(ty string, tokio map[string]bool) bool {
	kind := siteGuardKind(ty)
	return kind == "" || strings.Contains(ty, "tokio::") || tokio[kind] && !strings.Contains(ty, "std::")
}

// tokioGuardUses returns the guard kinds a top-level use declaration,
// the tokens of decl (from after `use` to before `;`), imports from tokio
// by their own names, as tokioGuardImports reads the tree: a leaf whose
// path starts with `tokio::` and whose local name is the kind. A
// declaration holding a comment or a literal gives none.
func tokioGuardUses(decl []byte, into map[string]bool) {
	if bytes.ContainsAny(decl, "/\"'") {
		return
	}
	var toks []string
	for i := 0; i < len(decl); {
		t, j := lexToken(decl, i)
		if t != tokSkip {
			toks = append(toks, string(decl[i:j]))
		}
		i = j
	}
	for k := 0; k+1 < len(toks); k++ { // `::` is two tokens
		if toks[k] == ":" && toks[k+1] == ":" {
			toks[k], toks = "::", append(toks[:k+1], toks[k+2:]...)
		}
	}
	p := &useReader{toks: toks}
	for _, l := range p.tree("") {
		if strings.HasPrefix(l[0], "tokio::") {
			switch l[1] {
			case "MutexGuard", "RwLockReadGuard", "RwLockWriteGuard":
				into[l[1]] = true
			}
		}
	}
}

// useReader reads a use tree's tokens into leaves: [path, local name].
type useReader struct {
	toks []string
	i    int
}

func (p *useReader) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}

// selfLeaf reports whether the `self` at i is a leaf (`{self}`,
// `{self as x}`), not a path's first segment.
func (p *useReader) selfLeaf() bool {
	if p.i+1 >= len(p.toks) {
		return true
	}
	next := p.toks[p.i+1]
	return next == "," || next == "}" || next == "as"
}

// tree reads a use tree under prefix, as useTreeLeaves does.
func (p *useReader) tree(prefix string) [][2]string {
	join := func(a, b string) string {
		b = strings.TrimPrefix(b, "::")
		if a == "" {
			return b
		}
		return a + "::" + b
	}
	last := func(s string) string { return s[strings.LastIndex(s, ":")+1:] }
	var path []string
	under := func() string { // the prefix a list after path is read under
		if len(path) == 0 {
			return prefix
		}
		return join(prefix, strings.TrimSuffix(strings.Join(path, ""), "::"))
	}
	for {
		switch t := p.peek(); {
		case t == "{":
			p.i++
			pre := under()
			var out [][2]string
			for p.peek() != "}" && p.peek() != "" {
				out = append(out, p.tree(pre)...)
				if p.peek() == "," {
					p.i++
				} else if p.peek() != "}" {
					return nil // not a use list the reader knows
				}
			}
			p.i++
			return out
		case t == "*":
			p.i++
			return nil // a glob binds no name of its own
		case t == "::":
			path = append(path, t)
			p.i++
		case t == "self" && len(path) == 0 && p.selfLeaf():
			p.i++
			if p.peek() == "as" {
				p.i += 2
				return [][2]string{{prefix, p.toks[p.i-1]}}
			}
			return [][2]string{{prefix, last(prefix)}}
		case t != "" && t != "," && t != "}" && t != "as" && (len(path) == 0 || path[len(path)-1] == "::"):
			path = append(path, t)
			p.i++
		default:
			full := join(prefix, strings.Join(path, ""))
			if t == "as" && p.i+1 < len(p.toks) {
				p.i += 2
				return [][2]string{{full, p.toks[p.i-1]}}
			}
			if len(path) == 0 {
				return nil
			}
			return [][2]string{{full, last(full)}}
		}
	}
}

// GuardFnsFromTokens returns what Engine.GuardSummary gives for src, the
// file at path, under cfg, read from its tokens: ok is false when they
// are not sure of every fn returning a guard type, and the file must be
// parsed for them.
func GuardFnsFromTokens(path string, src []byte, cfg Config) (s *Summary, ok bool) {
	body := bytes.TrimPrefix(src, bom)
	s = &Summary{Path: path}
	if !MayDeclareGuardFn(body) || cfg.MaxFileSize > 0 && len(src) > cfg.MaxFileSize {
		return s, true
	}
	r := readGuardFns(body)
	if !r.certain {
		return nil, false
	}
	s.GuardFns = r.decls
	return s, true
}
