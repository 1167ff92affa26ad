package patterns

import (
	"strconv"
	"strings"
	"sync"
)

// tokenTypeDefs reads a file's struct, enum, union, alias and trait
// definitions, and its `unsafe impl Send` / `Sync`, from its tokens, for
// the Index: the definitions Send and Sync depend on in the other files of
// a crate, without a parse. The types carry no node (they are not in the
// file being fixed) and name their file. What the reader does not follow
// (a macro's tokens, a qualified path) is opaque, so another file's type
// is never found not Send by a misreading: a definition that fails to read
// is left out, and a type of no definition is opaque.
func tokenTypeDefs(src []byte, path string) map[string][]*typeDef {
	buf, _ := itemTokenBufs.Get().(*[]string)
	if buf == nil {
		buf = new([]string)
	}
	toks := itemTokensInto((*buf)[:0], src)
	defer func() {
		clear(toks)
		*buf = toks[:0]
		itemTokenBufs.Put(buf)
	}()
	p := &tokReader{toks: toks}
	defs := map[string][]*typeDef{}
	var impls []autoImpl
	// cfgEnd is the end of the innermost `#[cfg(..)] mod m { .. }` read
	// so far, cfgAt the keyword of an item under `#[cfg(..)]`.
	cfgEnd, cfgAt := 0, -1
	for p.i = 0; p.i < len(toks); p.i++ {
		start := p.i
		if toks[p.i] == "#" && p.at(1) == "[" && p.at(2) == "cfg" && p.at(3) == "(" &&
			!(p.at(4) == "test" && p.at(5) == ")" && p.at(6) == "]") {
			p.i++
			p.skipGroup()
			p.attrs()
			switch p.peek() {
			case "mod":
				if isIdentTok(p.at(1)) && p.at(2) == "{" {
					open := p.i + 2
					p.i = open
					p.skipGroup()
					cfgEnd = max(cfgEnd, p.i)
					p.i = open
				}
			case "struct", "union", "enum", "type", "trait":
				cfgAt = p.i
				p.i--
			default:
				p.i--
			}
			continue
		}
		if isIdentTok(toks[p.i]) && !keywords[toks[p.i]] && p.at(1) == "!" {
			// A macro's tokens (`name! { .. }`, `macro_rules! m { .. }`)
			// may be anything: the parser reads no item there either.
			k := 2
			if toks[p.i] == "macro_rules" && isIdentTok(p.at(2)) {
				k = 3
			}
			if t := p.at(k); t == "{" || t == "(" || t == "[" {
				p.i += k
				p.skipGroup()
				p.i--
				continue
			}
		}
		switch toks[p.i] {
		case "struct", "union", "enum", "type", "trait":
			if p.i > 0 && (toks[p.i-1] == "." || toks[p.i-1] == "::") {
				continue
			}
			cfg := p.i < cfgEnd || p.i == cfgAt
			if d := p.def(); d != nil {
				d.path, d.cfg = path, cfg
				defs[d.name] = append(defs[d.name], d)
			}
			p.i = max(p.i-1, start)
		case "unsafe":
			// unsafe impl [<..>] Send for Type
			p.i++
			if p.peek() != "impl" {
				continue
			}
			p.i++
			p.skipGenerics()
			tr := p.peek()
			if tr != "Send" && tr != "Sync" || p.at(1) != "for" {
				continue
			}
			p.i += 2
			if t := p.typ(); t.kind == tyPath {
				impls = append(impls, autoImpl{t.name, map[string]autoTrait{"Send": traitSend, "Sync": traitSync}[tr]})
			}
			p.i = max(p.i-1, start)
		}
	}
	markImpls(defs, impls)
	return defs
}

// itemTokenBufs recycles the token slices of tokenTypeDefs, which keeps
// none of them.
var itemTokenBufs sync.Pool

// itemTokensInto returns src's tokens without the bodies of fns (as the
// parser's reading of definitions, fileTypeDefs, does not enter them):
// most of a file's tokens, and most of the cost of reading its
// definitions, are in those bodies. A body is the first `{..}` after `fn`
// outside brackets; a `,`, `;` or `}` there first ends a fn pointer type
// or a declaration without a body.
// They are appended to toks. A word is allocated once per file, however
// often the file spells it: the definitions keep a few words, and a
// file's words repeat.
func itemTokensInto(toks []string, src []byte) []string {
	words := map[string]string{}
	afterFn, depth, skip := false, 0, 0
	eachToken(src, func(_, i, j int) bool {
		c := src[i]
		if skip > 0 {
			switch {
			case j-i != 1:
			case c == '{':
				skip++
			case c == '}':
				skip--
			}
			return true
		}
		if afterFn && j-i == 1 {
			switch c {
			case '(', '[':
				depth++
			case ')', ']':
				depth--
			case '{':
				if depth <= 0 {
					afterFn, skip = false, 1
					return true
				}
			case ',', ';', '}':
				if depth <= 0 {
					afterFn = false
				}
			}
		}
		if j-i == 2 && c == 'f' && src[i+1] == 'n' {
			afterFn, depth = true, 0
		}
		w, ok := words[string(src[i:j])]
		if !ok {
			w = string(src[i:j])
			words[w] = w
		}
		toks = append(toks, w)
		return true
	})
	return toks
}

// tokReader reads types from a file's tokens (eachToken's: no literals,
// lifetimes or comments).
type tokReader struct {
	toks []string
	i    int
	bad  bool // a token came that the grammar of a type does not allow
}

func (p *tokReader) at(k int) string {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return ""
}

func (p *tokReader) peek() string { return p.at(0) }

func (p *tokReader) eat(s string) bool {
	if p.peek() == s {
		p.i++
		return true
	}
	return false
}

func isIdentTok(s string) bool { return s != "" && isIdentByte(s[0]) }

// def reads a definition starting at its keyword, or returns nil.
func (p *tokReader) def() *typeDef {
	kw := p.peek()
	p.i++
	name := p.peek()
	if !isIdentTok(name) {
		return nil
	}
	p.i++
	d := &typeDef{name: name, kind: "struct"}
	d.generics = p.generics()
	self := &ty{kind: tyPath, name: name, path: name, text: name}
	for _, g := range d.generics {
		self.args = append(self.args, &ty{kind: tyPath, name: g, path: g, text: g})
	}
	switch kw {
	case "type":
		d.kind = "alias"
		p.skipWhere("=", ";")
		if !p.eat("=") {
			return nil
		}
		d.alias = p.typ()
	case "trait":
		d.kind = "trait"
		if p.eat(":") {
			for !p.bad && p.peek() != "{" && p.peek() != "where" && p.peek() != ";" && p.i < len(p.toks) {
				if t := p.typ(); t.kind == tyPath {
					d.supers = append(d.supers, t.name)
				}
				if !p.eat("+") {
					break
				}
			}
		}
	case "enum":
		p.skipWhere("{", "")
		if !p.eat("{") {
			return nil
		}
		for !p.bad && p.peek() != "}" && p.i < len(p.toks) {
			p.attrs()
			v := p.peek()
			if !isIdentTok(v) {
				return nil
			}
			p.i++
			p.fields(d, v+".", self)
			if p.eat("=") {
				for p.peek() != "," && p.peek() != "}" && p.i < len(p.toks) {
					p.i++ // a discriminant: its number is no token
				}
			}
			if !p.eat(",") {
				break
			}
		}
	default: // struct, union
		p.skipWhere("{", "(")
		p.fields(d, "", self)
	}
	if p.bad {
		// Unread, but declared: the name is not another (std) type.
		return &typeDef{name: name, kind: "opaque"}
	}
	return d
}

// generics reads `<T: Bound, U = X, const N: usize>` and returns the type
// parameters' names.
func (p *tokReader) generics() []string {
	var out []string
	if !p.eat("<") {
		return nil
	}
	depth, first := 1, true
	for depth > 0 && p.i < len(p.toks) {
		t := p.peek()
		switch {
		case t == "<":
			depth++
		case t == ">":
			depth--
		case t == ",":
			first = depth == 1
			p.i++
			continue
		case first && depth == 1 && isIdentTok(t) && t != "const":
			out = append(out, t)
		}
		if t != "const" {
			first = false
		}
		p.i++
	}
	return out
}

// skipGenerics skips a `<..>` list.
func (p *tokReader) skipGenerics() { p.generics() }

// skipWhere skips a where clause up to one of the tokens ends.
func (p *tokReader) skipWhere(ends ...string) {
	if p.peek() != "where" {
		return
	}
	depth := 0
	for p.i < len(p.toks) {
		t := p.peek()
		if depth == 0 {
			for _, e := range ends {
				if e != "" && t == e {
					return
				}
			}
			if t == ";" {
				return
			}
		}
		switch t {
		case "<", "(", "[":
			depth++
		case ">", ")", "]":
			depth--
		}
		p.i++
	}
}

// attrs skips attributes and visibility: `#[..]`, `pub`, `pub(crate)`.
func (p *tokReader) attrs() {
	for {
		switch {
		case p.peek() == "#" && p.at(1) == "[":
			p.i++
			p.skipGroup()
		case p.peek() == "pub":
			p.i++
			if p.peek() == "(" {
				p.skipGroup()
			}
		default:
			return
		}
	}
}

// skipGroup skips a bracketed group starting at its opening token.
func (p *tokReader) skipGroup() {
	depth := 0
	for p.i < len(p.toks) {
		switch p.peek() {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		}
		p.i++
		if depth == 0 {
			return
		}
	}
}

// fields reads a `{ a: T, .. }` or `( T, .. )` body into d's fields,
// named with prefix; a unit body (`;`, `,`, `}`) has none.
func (p *tokReader) fields(d *typeDef, prefix string, self *ty) {
	switch {
	case p.eat("{"):
		for !p.bad && p.peek() != "}" && p.i < len(p.toks) {
			p.attrs()
			name := p.peek()
			if !isIdentTok(name) || p.at(1) != ":" {
				p.bad = true
				return
			}
			p.i += 2
			d.fields = append(d.fields, typeField{prefix + name, p.typ(self)})
			if !p.eat(",") {
				break
			}
		}
		p.bad = p.bad || !p.eat("}")
	case p.eat("("):
		for n := 0; !p.bad && p.peek() != ")" && p.i < len(p.toks); n++ {
			p.attrs()
			d.fields = append(d.fields, typeField{prefix + strconv.Itoa(n), p.typ(self)})
			if !p.eat(",") {
				break
			}
		}
		p.bad = p.bad || !p.eat(")")
	}
}

// typ reads one type. self, when given, is what `Self` stands for.
func (p *tokReader) typ(self ...*ty) *ty {
	opaque := &ty{kind: tyOpaque, text: "_"}
	switch t := p.peek(); {
	case t == "&":
		p.i++
		kind := tyRef
		if p.eat("mut") {
			kind = tyRefMut
		}
		in := p.typ(self...)
		return &ty{kind: kind, args: []*ty{in}, text: "&" + in.text}
	case t == "*":
		p.i++
		if !p.eat("const") && !p.eat("mut") {
			p.bad = true
		}
		in := p.typ(self...)
		return &ty{kind: tyPtr, args: []*ty{in}, text: "*" + in.text}
	case t == "dyn":
		p.i++
		d := &ty{kind: tyDyn}
		for p.i < len(p.toks) {
			b := p.path(self...)
			if b.kind == tyPath {
				d.bounds = append(d.bounds, b.name)
				if d.name == "" && b.name != "Send" && b.name != "Sync" {
					d.name = b.name
				}
			}
			if !p.eat("+") {
				break
			}
		}
		d.text = "dyn " + strings.Join(d.bounds, " + ")
		if d.name == "" {
			return opaque
		}
		return d
	case t == "impl":
		p.i++
		for p.i < len(p.toks) {
			p.path(self...)
			if !p.eat("+") {
				break
			}
		}
		return opaque
	case t == "(":
		p.i++
		e := &ty{kind: tyElems, text: "(..)"}
		for !p.bad && p.peek() != ")" && p.i < len(p.toks) {
			e.args = append(e.args, p.typ(self...))
			if !p.eat(",") {
				break
			}
		}
		p.bad = p.bad || !p.eat(")")
		return e
	case t == "[":
		p.i++
		in := p.typ(self...)
		if p.eat(";") {
			for p.peek() != "]" && p.i < len(p.toks) {
				if p.peek() == "{" || p.peek() == "(" {
					p.skipGroup()
					continue
				}
				p.i++
			}
		}
		p.bad = p.bad || !p.eat("]")
		return &ty{kind: tyElems, args: []*ty{in}, text: "[" + in.text + "]"}
	case t == "fn" || t == "unsafe" || t == "extern":
		for p.peek() != "(" && p.i < len(p.toks) {
			p.i++
		}
		p.skipGroup()
		if p.eat("-") && p.eat(">") {
			p.typ(self...)
		}
		return opaque
	case t == "!" || t == "_":
		p.i++
		return opaque
	case t == "<":
		p.skipGenerics() // `<T as Tr>::Out`
		for p.eat(":") && p.eat(":") {
			p.i++
		}
		return opaque
	case isIdentTok(t) || t == ":":
		return p.path(self...)
	}
	p.bad = true
	return opaque
}

// path reads `a::b::Name<Args>` (or `Fn(A) -> B` in a bound).
func (p *tokReader) path(self ...*ty) *ty {
	var segs []string
	t := &ty{kind: tyPath}
	for {
		if p.peek() == ":" && p.at(1) == ":" {
			p.i += 2
			continue
		}
		s := p.peek()
		if !isIdentTok(s) {
			p.bad = true
			return &ty{kind: tyOpaque, text: "_"}
		}
		p.i++
		segs = append(segs, s)
		if p.peek() == "<" {
			p.i++
			t.args = nil
			for !p.bad && p.peek() != ">" && p.i < len(p.toks) {
				if isIdentTok(p.peek()) && p.at(1) == "=" { // `Item = T`
					p.i += 2
					p.typ(self...)
				} else if p.peek() == "{" {
					p.skipGroup() // a const argument
				} else {
					t.args = append(t.args, p.typ(self...))
				}
				if !p.eat(",") {
					break
				}
			}
			p.bad = p.bad || !p.eat(">")
		}
		if p.peek() == "(" { // `Fn(A) -> B`
			p.skipGroup()
			if p.peek() == "-" && p.at(1) == ">" {
				p.i += 2
				p.typ(self...)
			}
		}
		if !(p.peek() == ":" && p.at(1) == ":") {
			break
		}
	}
	t.path = strings.Join(segs, "::")
	t.name = segs[len(segs)-1]
	t.text = t.path
	if len(t.args) > 0 {
		var a []string
		for _, x := range t.args {
			a = append(a, x.text)
		}
		t.text += "<" + strings.Join(a, ", ") + ">"
	}
	if t.path == "Self" && len(self) > 0 && self[0] != nil {
		return self[0]
	}
	return t
}
