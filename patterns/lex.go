package patterns

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// The prefilter's token scans. A lexer that knows only what it needs to
// match brackets (comments, string and character literals, raw strings
// and lifetimes) reads, without parsing:
//   - a file's items, async bodies, awaits and spawns (readFile, in
//     lexfile.go): a lock guard can only be held across an await of the
//     future whose body takes it, and an await that comes later in that
//     body (Index.mayHoldGuard);
//   - the bodies that can trigger rc-arc under any Index (rcMayTrigger);
//   - the keys of the fns that may return a guard (GuardFnCandidates).
// Each reading is a superset of what the parser gives on a file it parses
// without syntax errors; lex_test.go and lexfile_test.go check that
// against the parser.

// eachToken calls f(kind, i, j) for each token src[i:j] that is not
// whitespace, a comment, a literal or a number (tokIdent or tokPunct), in
// order, after a leading byte order mark. It stops when f returns false.
func eachToken(src []byte, f func(kind, i, j int) bool) {
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom)
	}
	i = skipShebang(src, i)
	for i < len(src) {
		t, j := lexToken(src, i)
		if t != tokSkip && !f(t, i, j) {
			return
		}
		i = j
	}
}

// skipShebang returns the offset after a shebang line starting at i (the
// start of the file), or i: `#!` not followed by `[` (an inner attribute),
// which rustc drops with the rest of the line.
func skipShebang(src []byte, i int) int {
	if !bytes.HasPrefix(src[i:], []byte("#!")) {
		return i
	}
	if k := skipTrivia(src, i+2); k < len(src) && src[k] == '[' {
		return i
	}
	if nl := bytes.IndexByte(src[i:], '\n'); nl >= 0 {
		return i + nl + 1
	}
	return len(src)
}

// Token kinds of lexToken.
const (
	tokSkip  = iota // whitespace, a comment, a literal, a number
	tokIdent        // an identifier or keyword; a raw one with its `r#`
	tokPunct        // one punctuation byte
)

// lexToken returns the kind and end of the token starting at i.
func lexToken(src []byte, i int) (kind, end int) {
	c := src[i]
	switch {
	case isSpace(c):
		return tokSkip, i + 1
	case c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
		return tokSkip, max(skipTrivia(src, i), i+1)
	case c == '"':
		return tokSkip, skipString(src, i)
	case c == '\'':
		return tokSkip, skipQuote(src, i)
	case c >= 0x80 && unicodeSpace(src, i) > 0:
		return tokSkip, i + unicodeSpace(src, i)
	case isIdentByte(c):
		j := identEnd(src, i)
		switch {
		case c >= '0' && c <= '9':
			return tokSkip, j
		case j < len(src) && (src[j] == '"' || src[j] == '#') && isRawPrefix(src[i:j]):
			if k, ok := skipRaw(src, j); ok {
				return tokSkip, k
			}
			if src[j] == '#' && j+1 < len(src) && isIdentByte(src[j+1]) {
				// A raw identifier `r#async`, as the parser spells it:
				// never a keyword.
				return tokIdent, identEnd(src, j+1)
			}
		}
		return tokIdent, j
	}
	return tokPunct, i + 1
}

// fnBodyStart returns the offset of the `{` opening the body of the fn
// whose signature starts at i (see signatureEnd), -1 when a `;` ends the
// signature (a declaration), or len(src) when it cannot tell.
func fnBodyStart(src []byte, i int) int {
	e := signatureEnd(src, i)
	if e < len(src) && src[e] == ';' {
		return -1
	}
	return e
}

// byteAt returns src[i], or 0 past the end.
func byteAt(src []byte, i int) byte {
	if i < len(src) {
		return src[i]
	}
	return 0
}

// hasKeywordAt reports whether the word kw starts at i as a whole word.
func hasKeywordAt(src []byte, i int, kw string) bool {
	return bytes.HasPrefix(src[i:], []byte(kw)) && !isIdentByte(byteAt(src, i+len(kw)))
}

// isRawPrefix reports whether an identifier right before `"` or `#` makes
// a raw string: `r`, `br`, `cr`.
func isRawPrefix(w []byte) bool {
	s := string(w)
	return s == "r" || s == "br" || s == "cr"
}

// skipString returns the offset after the string literal whose opening
// quote is at i (escapes honoured), or len(src).
func skipString(src []byte, i int) int {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(src)
}

// skipRaw skips a raw string whose hashes or quote start at i (after its
// `r`): `r#"..."#`. It reports false when what follows is no raw string
// (a raw identifier `r#name`).
func skipRaw(src []byte, i int) (int, bool) {
	n := 0
	for i+n < len(src) && src[i+n] == '#' {
		n++
	}
	if i+n >= len(src) || src[i+n] != '"' {
		return i, false
	}
	end := append([]byte{'"'}, bytes.Repeat([]byte{'#'}, n)...)
	k := bytes.Index(src[i+n+1:], end)
	if k < 0 {
		return len(src), true
	}
	return i + n + 1 + k + len(end), true
}

// skipQuote skips what starts with `'` at i: a character literal (`'a'`,
// `'\n'`, `'\u{7f}'`, `'{'`) or only the quote of a lifetime or label
// (`'a`, `'static`), whose name is lexed as an identifier.
func skipQuote(src []byte, i int) int {
	if i+1 < len(src) && src[i+1] == '\\' {
		// The escaped character is skipped: `'\''`.
		for j := i + 3; j < len(src) && j < i+16; j++ {
			if src[j] == '\'' {
				return j + 1
			}
		}
		return i + 1
	}
	_, size := utf8.DecodeRune(src[i+1:])
	if size > 0 && i+1+size < len(src) && src[i+1+size] == '\'' {
		return i + 2 + size
	}
	return i + 1
}

// rcMayTrigger is mayTrigger read from the tokens, for any Index: an
// `async` right inside the parentheses of a call of `spawn` or `spawn_on`
// (the only calls classifyCall takes for a Send spawn), an async block
// anywhere in a file that spells `Send`, `BoxFuture` or `boxed` (which
// every other handoff of a block to a Send context needs: a Send bound, a
// Send box, `.boxed()`), an async fn whose signature spells `self`, `Rc`,
// `Weak`, or a name the file may declare a struct or a type alias by, or
// an async body (or a loose span that may hold one, see fileSyntax.loose)
// that spells one of the last three.
func rcMayTrigger(src []byte) bool {
	if rcMayTriggerSig(src) {
		return true
	}
	declared := declaredTypeNames(src)
	fs := readFile(src)
	defer fs.release()
	if !fs.balanced {
		return spellsRcType(src, declared)
	}
	for _, b := range fs.bodies {
		if spellsRcType(src[fs.toks[b.open].s:fs.toks[b.close].e], declared) {
			return true
		}
	}
	for _, l := range fs.loose {
		if spellsRcType(src[l[0]:l[1]], declared) {
			return true
		}
	}
	return false
}

// rcMayTriggerSig is the part of rcMayTrigger read from the spawns and
// the signatures of async fns.
func rcMayTriggerSig(src []byte) bool {
	sendWords := -1 // whether src spells a word of handoffWords, on first need
	var declared map[string]bool
	spawnArg := false // the last tokens are `spawn (` and maybe more `(`
	var prev []byte   // the last identifier, when it is the last token
	// After `spawn`, a turbofish `::<..>` may come before the `(`: turbo
	// counts its open angle brackets, and named holds while the tokens
	// since `spawn` are `::`, `<` and what they enclose.
	turbo, named := 0, false
	found := false
	eachToken(src, func(t, i, j int) bool {
		spawnName := string(prev) == "spawn" || string(prev) == "spawn_on"
		switch {
		case t == tokIdent && turbo > 0:
			return true
		case t == tokPunct && (spawnName || named) && src[i] == ':':
			named, prev = true, nil
			return true
		case t == tokPunct && named && src[i] == '<':
			turbo++
			return true
		case t == tokPunct && turbo > 0 && src[i] == '>':
			turbo--
			return true
		case t == tokPunct && turbo > 0:
			return true // `,` `&` `'` `[` .. inside the turbofish
		}
		if t == tokPunct {
			spawnArg = src[i] == '(' && (spawnArg || spawnName || named)
			prev, named = nil, false
			return true
		}
		named = false
		w := src[i:j]
		if string(w) == "async" {
			if spawnArg {
				found = true
				return false
			}
			k := skipQualifiers(src, skipTrivia(src, j))
			if k < len(src) && src[k] == '{' || hasKeywordAt(src, k, "move") {
				if sendWords < 0 {
					sendWords = 0
					for _, w := range handoffWords {
						if hasWord(src, w) {
							sendWords = 1
						}
					}
				}
				if found = sendWords == 1; found {
					return false
				}
			}
			if hasKeywordAt(src, k, "fn") {
				if declared == nil {
					declared = declaredTypeNames(src)
				}
				sig := src[k:signatureEnd(src, k)]
				if found = spellsRcType(sig, declared) || spellsWord(sig, "self"); found {
					return false
				}
			}
		}
		spawnArg = false
		prev = w
		return true
	})
	return found
}

// handoffWords are the words a file spells when it may hand an async
// block to a Send context other than a spawn (see handoffs).
var handoffWords = [][]byte{[]byte("Send"), []byte("BoxFuture"), []byte("boxed")}

// kwFuture is the word every Send context of a future other than a spawn
// or a bare `T: Send` bound spells.
var kwFuture = []byte("Future")

// skipQualifiers returns the offset after the fn qualifiers starting at i
// (`const`, `default`, `unsafe`, `safe`, `extern "ABI"`), in any order the
// parser accepts, or i.
func skipQualifiers(src []byte, i int) int {
	for {
		switch {
		case hasKeywordAt(src, i, "const"), hasKeywordAt(src, i, "unsafe"), hasKeywordAt(src, i, "default"), hasKeywordAt(src, i, "safe"):
			i = skipTrivia(src, identEnd(src, i))
		case hasKeywordAt(src, i, "extern"):
			i = skipTrivia(src, i+len("extern"))
			if i < len(src) && src[i] == '"' {
				i = skipTrivia(src, skipString(src, i))
			}
		default:
			return i
		}
	}
}

// spellsWord reports whether text spells the word w.
func spellsWord(text []byte, w string) bool {
	found := false
	eachWord(text, func(i, j int) bool {
		found = string(text[i:j]) == w
		return !found
	})
	return found
}

// spellsRcType reports whether text (a parameter, a signature) may spell
// a type holding an Rc: a word `Rc` or `Weak`, or one of declared (the
// file's struct and type alias names, see declaredTypeNames).
func spellsRcType(text []byte, declared map[string]bool) bool {
	found := false
	eachWord(text, func(i, j int) bool {
		w := string(text[i:j])
		found = w == "Rc" || w == "Weak" || declared[w]
		return !found
	})
	return found
}

// GuardFnCandidates returns the keys (guardDeclKey's) under which the
// parser may index a guard-returning fn of src, read from the tokens: for
// each `fn NAME` whose signature returns a guard type (returnsGuard), NAME
// when the fn is not written right inside an impl or trait body, else
// both TYPE.NAME and TYPE::NAME, TYPE being the impl's type (its last
// path segment outside angle brackets) or the trait's name; nothing for a
// fn of an impl of a type whose name ends in Guard, which guardDeclKey
// does not index either, nor for a fn whose result the tokens show to be
// tokio's guard (lex_guardfn.go). Every key guardFns gives is among them; a
// reading the parser would not share (a fn in a macro's tokens, an impl
// of a reference type) only adds keys.
func GuardFnCandidates(src []byte) []string {
	return readGuardFns(src).cands
}

// readGuardFns reads GuardFnCandidates and, where the tokens are sure of
// each candidate fn, the keys and kinds guardFns would give
// (lex_guardfn.go).
func readGuardFns(src []byte) guardFnReading {
	type block struct {
		owner string // the impl's type or the trait's name
		item  bool   // an impl or trait body
		macro bool   // a macro's braces (`name! { .. }`), or inside them
		plain bool   // an impl of a type path (not `&T`, `(A, B)`, `dyn T`)
	}
	var (
		blocks []block
		// The header of an impl or trait being read: its kind, its
		// brackets, the owner name so far; header == "" outside one.
		header  string
		depth   bracketDepth
		owner   string
		nameSet bool // trait: the name is read
		plain   bool // the impl's header spells no bracket, `&`, `*` or `dyn` outside its generics
		bang    macroBang
		// The last significant token, for telling an item's `impl` from
		// `impl Trait` in a type: an item starts after `;`, `{`, `}`, `]`
		// (an attribute's end) or a qualifier.
		last = ";"
	)
	// The fns returning a guard type, and the guard kinds the file
	// imports from tokio at its top level (outside every bracket), read
	// from the use declarations there: a fn returning tokio's guard is
	// no candidate (notGuardFn).
	var (
		fns     []guardReturn
		tokio   = map[string]bool{}
		outside = 0    // the brackets open
		useFrom = -1   // after a top-level `use`, until its `;`
		macros  []bool // for each bracket open: in a macro's tokens
	)
	add := func(k string) {
		fns[len(fns)-1].keys = append(fns[len(fns)-1].keys, k)
	}
	eachToken(src, func(t, i, j int) bool {
		tok := string(src[i:j])
		if t == tokPunct && outside == 0 && tok == ";" && useFrom >= 0 {
			tokioGuardUses(src[useFrom:i], tokio)
			useFrom = -1
		}
		if t == tokIdent && tok == "use" && outside == 0 {
			useFrom = j
		}
		if t == tokPunct {
			switch tok {
			case "(", "[", "{":
				outside++
				macros = append(macros, bang.open || len(macros) > 0 && macros[len(macros)-1])
			case ")", "]", "}":
				outside = max(outside-1, 0)
				macros = macros[:max(len(macros)-1, 0)]
			}
		}
		switch {
		case header != "" && depth.braces == 0 && depth.parens == 0 && (tok == "}" || tok == ";" && depth.angles > 0):
			// No header holds these outside its brackets: the header was
			// none (`m! { impl < }`); the `}` closes the block around it.
			header = ""
			if tok == "}" && len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
		case header != "":
			if header == "impl" && depth == (bracketDepth{}) && (tok == "&" || tok == "*" || tok == "(" || tok == "[" || tok == "dyn") {
				plain = false
			}
			top := t == tokPunct && depth.step(src, i, bang.open)
			switch {
			case top && tok == "{":
				blocks = append(blocks, block{owner: owner, item: true, plain: header != "impl" && header != "impl-where" || plain})
				header = ""
			case top && tok == ";":
				header = ""
			case t == tokIdent && depth == (bracketDepth{}):
				switch {
				case header == "trait":
					if !nameSet {
						owner, nameSet = tok, true
					}
				case header != "impl":
					// After `where`: the type is read.
				case tok == "for":
					owner = "" // the type follows the trait
				case tok == "where":
					header = "impl-where"
				case tok != "dyn" && tok != "mut" && tok != "const" && tok != "unsafe":
					owner = tok
				}
			}
		case tok == "{":
			// The parser reads no items inside a macro's braces.
			blocks = append(blocks, block{macro: bang.open || len(blocks) > 0 && blocks[len(blocks)-1].macro})
		case tok == "}":
			if len(blocks) > 0 {
				blocks = blocks[:len(blocks)-1]
			}
		case t == tokIdent && (tok == "impl" || tok == "trait") && itemStart(last) && (len(blocks) == 0 || !blocks[len(blocks)-1].macro):
			header, depth, owner, nameSet, plain = tok, bracketDepth{}, "", false, true
		case tok == "fn":
			k := skipTrivia(src, j)
			e := identEnd(src, k)
			if bytes.HasPrefix(src[k:], []byte("r#")) {
				e = identEnd(src, k+2)
			}
			sig := src[e:signatureEnd(src, e)]
			if e == k || !returnsGuard(sig) {
				break
			}
			ty, _ := returnType(sig)
			name := string(src[k:e])
			f := guardReturn{ty: ty, body: signatureEnd(src, e) < len(src) && src[signatureEnd(src, e)] == '{',
				macro: len(macros) > 0 && macros[len(macros)-1] || len(blocks) > 0 && blocks[len(blocks)-1].macro}
			f.self, f.selfKnown = selfParam(sig)
			fns = append(fns, f)
			switch top := len(blocks) - 1; {
			case top < 0 || !blocks[top].item:
				fns[len(fns)-1].name = name
				add(name)
			case blocks[top].owner == "" || !blocks[top].plain:
				// An impl of a type with no name the lexer can read (a
				// tuple, a reference), which guardDeclKey does not index:
				// the name alone only adds.
				fns[len(fns)-1].unsure = true
				add(name)
			case !strings.HasSuffix(blocks[top].owner, "Guard"):
				fns[len(fns)-1].owner, fns[len(fns)-1].name = blocks[top].owner, name
				add(blocks[top].owner + "." + name)
				add(blocks[top].owner + "::" + name)
			}
		}
		last = tok
		bang.see(src, t, i, j)
		return true
	})
	return guardFnsRead(fns, tokio)
}

// itemStart reports whether an `impl` or `trait` after the token last
// starts an item (not `impl Trait` in a type).
func itemStart(last string) bool {
	switch last {
	case ";", "{", "}", "]", ")", "unsafe", "default", "pub", "auto":
		return true
	}
	return false
}

// signatureEnd returns the offset of the `{` or `;` that ends the fn
// signature starting at i, or len(src): the first one outside
// parentheses, brackets, generic angle brackets and braces (a const
// generic argument `{ N }`, a macro's `ty!{..}`). Angle brackets count only outside the
// others: a `>>` in an array length or a const block is a shift. Tokens
// are lexToken's: a bracket in a comment or literal does not count.
func signatureEnd(src []byte, i int) int {
	var d bracketDepth
	var m macroBang
	for i < len(src) {
		t, j := lexToken(src, i)
		if t == tokPunct && d.step(src, i, m.open) && (src[i] == '{' || src[i] == ';') {
			return i
		}
		m.see(src, t, i, j)
		i = j
	}
	return len(src)
}

// macroBang follows the tokens for a macro invocation's `name!`: a `{`
// right after one opens the macro's braces, where a `{` after the never
// type's `!` (`-> ! {`) opens a body.
type macroBang struct {
	ident bool // the last token is an identifier
	open  bool // the last tokens are an identifier and `!`
}

// see takes the next token src[i:j] (not whitespace, a comment or a
// literal) of kind t. A macro's name is an identifier but no keyword:
// `impl Tr for ! {}` implements a trait for the never type.
func (m *macroBang) see(src []byte, t, i, j int) {
	if t == tokSkip {
		return
	}
	m.open = m.ident && t == tokPunct && src[i] == '!'
	m.ident = t == tokIdent && !keywords[string(src[i:j])]
}

// keywords are Rust's keywords, which no macro is named by.
var keywords = map[string]bool{
	"as": true, "async": true, "await": true, "break": true, "const": true, "continue": true,
	"crate": true, "dyn": true, "else": true, "enum": true, "extern": true, "false": true,
	"fn": true, "for": true, "if": true, "impl": true, "in": true, "let": true, "loop": true,
	"match": true, "mod": true, "move": true, "mut": true, "pub": true, "ref": true,
	"return": true, "self": true, "Self": true, "static": true, "struct": true, "super": true,
	"trait": true, "true": true, "type": true, "unsafe": true, "use": true, "where": true,
	"while": true,
}

// bracketDepth follows the nesting of a signature or an impl header, one
// punctuation token at a time.
type bracketDepth struct {
	parens int // ( and [
	angles int // < and >, outside parens and braces
	braces int // the braces of a const generic argument or block
}

// step takes the punctuation token at i and reports whether it stands at
// the top level: outside every bracket (a `{` there opens the body). A `{`
// right after a macro's `name!` (inMacro) opens the macro's braces
// (`-> ty!{..}`), never the body.
func (d *bracketDepth) step(src []byte, i int, inMacro bool) bool {
	switch c := src[i]; {
	case c == '{' && inMacro && d.braces == 0:
		d.braces = 1
		return false
	case d.braces > 0:
		if c == '{' {
			d.braces++
		} else if c == '}' {
			d.braces--
		}
		return false
	case c == '(' || c == '[':
		d.parens++
		return false
	case c == ')' || c == ']':
		d.parens--
		return false
	case d.parens > 0:
		return false
	case c == '<':
		d.angles++
		return false
	case c == '>' && (i == 0 || src[i-1] != '-'): // not the arrow `->`
		d.angles--
		return false
	case d.angles > 0:
		if c == '{' {
			d.braces = 1
		}
		return false
	}
	return true
}
