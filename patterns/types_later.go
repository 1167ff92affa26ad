package patterns

import (
	"bytes"
	"sync"
)

// crateTypes are the type definitions of a crate's files that the Index
// reads on demand (SummarizeLater): rc-arc's gate asks for the
// definitions of many names (every type a held value spells), and few
// are declared in the crate, so a file's definitions are read when a
// name it may declare is first asked for. The names a file declares are
// those its summary read from its tokens; on the first ask, each other
// file that may declare a type not Send (mayDeclareNotSend; the others
// add no definition) is scanned for them (declaredNames).
type crateTypes struct {
	once   sync.Once
	files  []typesLater
	byName map[string][]int32 // set by once: the files that may declare a name

	mu   sync.Mutex
	read []bool                // files whose definitions are read (or need none)
	defs map[string][]*typeDef // the definitions read so far
}

// typesLater is a file whose type definitions are not read yet. When
// tokens is true, its summary read its tokens, and types are the names
// it declares.
type typesLater struct {
	path   string
	read   func() ([]byte, error)
	tokens bool
	types  []string
}

// scan records which files may declare which names: those its summary
// read from its tokens, else declaredNames of its bytes. A file that
// cannot be read again contributes none: the run that reads it reports
// the error.
func (ct *crateTypes) scan() {
	ct.byName = map[string][]int32{}
	ct.read = make([]bool, len(ct.files))
	ct.defs = map[string][]*typeDef{}
	for i, l := range ct.files {
		if l.tokens {
			for _, n := range l.types {
				ct.byName[n] = append(ct.byName[n], int32(i))
			}
			continue
		}
		src, err := l.read()
		if err != nil || !mayDeclareNotSend(bytes.TrimPrefix(src, bom)) {
			ct.read[i] = true
			continue
		}
		for _, n := range declaredNames(src) {
			ct.byName[n] = append(ct.byName[n], int32(i))
		}
	}
}

// defsOf appends to out the definitions of name in the crate's files
// other than the one at path, reading the files that may declare it
// first.
func (ct *crateTypes) defsOf(name, path string, out []*typeDef) []*typeDef {
	ct.once.Do(ct.scan)
	ct.mu.Lock()
	defer ct.mu.Unlock()
	for _, i := range ct.byName[name] {
		if ct.read[i] {
			continue
		}
		ct.read[i] = true
		l := ct.files[i]
		if src, err := l.read(); err == nil && mayDeclareNotSend(bytes.TrimPrefix(src, bom)) {
			for n, ds := range tokenTypeDefs(bytes.TrimPrefix(src, bom), l.path) {
				ct.defs[n] = append(ct.defs[n], ds...)
			}
		}
	}
	for _, d := range ct.defs[name] {
		if d.path != path {
			out = append(out, d)
		}
	}
	return out
}

// declKeywords are the words tokenTypeDefs reads a definition after.
var declKeywords = [][]byte{[]byte("struct"), []byte("enum"), []byte("union"), []byte("type"), []byte("trait")}

// declaredNames returns the words that follow a word of declKeywords in
// src, comments and whitespace between (a name may repeat): every name tokenTypeDefs may
// give a definition of (it reads the token after the keyword), and some
// it does not (a keyword in a comment, a string or a macro's tokens).
func declaredNames(src []byte) []string {
	var out []string
	for _, kw := range declKeywords {
		for off := 0; ; {
			i := index(src[off:], kw)
			if i < 0 {
				break
			}
			start := off + i
			end := start + len(kw)
			off = end
			if start > 0 && isIdentByte(src[start-1]) || end < len(src) && isIdentByte(src[end]) && unicodeSpace(src, end) == 0 {
				continue
			}
			j := skipTrivia(src, end)
			e := identEnd(src, j)
			if e == j+1 && src[j] == 'r' && e < len(src) && src[e] == '#' {
				e = identEnd(src, e+1) // a raw identifier, r#name
			}
			if e > j {
				out = append(out, string(src[j:e]))
			}
		}
	}
	return out
}
