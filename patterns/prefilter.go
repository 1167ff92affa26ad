package patterns

import (
	"bytes"
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The prefilter decides from a file's bytes and tokens, without parsing,
// whether a rule could possibly report anything in it. Most Rust files have
// no await, no lock call and no Rc, and parsing is the bulk of the cost of
// a run, so a file that fails the prefilter is never parsed.
//
// Every test here is a necessary condition of a rule, never a heuristic:
// MayMatch(src, cfg) == false implies Engine.Run(path, src) reports no
// finding, for any Index. Most conditions are substrings that the syntax
// the rules match cannot be written without; comments and string literals
// are not excluded, which only lets more files through. Some read tokens
// (lex.go): a guard must be taken in an async body that awaits later,
// rc-arc needs a body that can trigger it, and guard-returning fns are
// known by the keys the parser would index them by. The lexer sees the
// tokens the parser sees in any file the parser reads without syntax
// errors; in a broken file (an unterminated string) the two may pair
// quotes differently.

var (
	kwAsync   = []byte("async")
	kwAwait   = []byte("await")
	kwSpawn   = []byte("spawn")
	kwSpawnOn = []byte("spawn_on")
	kwRc      = []byte("Rc")
	kwWeak    = []byte("Weak")
	kwGuard   = []byte("Guard")
)

// anchors name, for a needle the prefilter looks for in every file, the
// index of a byte that is rare in Rust source (`y` of async, `w` of await
// and spawn): index looks for that byte first, where bytes.Index would
// stop at every `a` or `s` of the file.
var anchors = map[string]int{"async": 2, "await": 1, "spawn": 3, "Rc": 1, "Weak": 0}

// index is bytes.Index(s, sep), looking first for sep's anchor byte.
func index(s, sep []byte) int {
	k, ok := anchors[string(sep)]
	if !ok {
		return bytes.Index(s, sep)
	}
	for off := k; off < len(s); {
		i := bytes.IndexByte(s[off:], sep[k])
		if i < 0 {
			return -1
		}
		start := off + i - k
		if start+len(sep) <= len(s) && bytes.Equal(s[start:start+len(sep)], sep) {
			return start
		}
		off += i + 1
	}
	return -1
}

// containsKw is bytes.Contains with index.
func containsKw(s, sep []byte) bool { return index(s, sep) >= 0 }

// lockMethods are the methods whose call acquires a guard in the rules'
// eyes (lockKind): `.lock()`, `.read()`, `.write()`.
var lockMethods = [][]byte{[]byte("lock"), []byte("read"), []byte("write")}

// MayMatch reports whether an enabled rule of cfg could produce a finding
// in the file src, whatever the other files of the run are. It is false
// only when none can:
//   - mutex-scope and tokio-mutex need an async body holding an await
//     (`async`, `await`); the guard may come from a fn of another file,
//     so nothing more can be asked of the bytes alone (Index.MayMatch can);
//   - rc-arc needs an Rc spelled in the file, or a Weak and the path
//     `rc::`, and a body that can trigger it: an async block handed to
//     `spawn(..)`, or an async fn with an Rc-holding parameter
//     (rcMayTrigger reads that from the tokens).
//
// With Config.Sites set, the compiler names the places to look at, so
// MayMatch is true for every file.
func MayMatch(src []byte, cfg Config) bool {
	return mayMatch(src, cfg, containsKw(src, kwAsync), containsKw(src, kwSpawn))
}

// mayMatch is MayMatch given whether src contains "async" and "spawn".
func mayMatch(src []byte, cfg Config, async, spawn bool) bool {
	if len(cfg.Sites) > 0 {
		return true
	}
	asyncWord := async && hasWord(src, kwAsync)
	if guardRules(cfg) && asyncWord && hasWord(src, kwAwait) {
		return true
	}
	return cfg.Rules[RuleRcArc] && mayRcWith(src, asyncWord, spawn)
}

// Glimpse is what the first look of a run learns of a file from its bytes
// alone: MayMatch, MayNeedSummary and, for a file that may declare a
// guard-returning fn (MayDeclareGuardFn), its GuardFnCandidates; each as
// its own function gives, with each keyword searched for once. (The facts
// the rules share, bindings and ownership, are the facts layer: facts.go.)
type Glimpse struct {
	MayMatch          bool
	MayNeedSummary    bool
	GuardFnCandidates []string
}

// Glance returns the Glimpse of src under cfg.
func Glance(src []byte, cfg Config) Glimpse {
	async, spawn, guard := containsKw(src, kwAsync), containsKw(src, kwSpawn), bytes.Contains(src, kwGuard)
	f := Glimpse{MayMatch: mayMatch(src, cfg, async, spawn), MayNeedSummary: async || spawn || guard || mayHandOffFns(src)}
	// Every guard type spells Guard.
	if guard && MayDeclareGuardFn(src) {
		f.GuardFnCandidates = GuardFnCandidates(src)
	}
	return f
}

// mayRc is rc-arc's condition: an Rc spelled (the identifier `Rc`: the
// rule tracks identifiers whose text is `Rc`), or a Weak with the module
// std::rc named (the rule takes a bare Weak for rc's only when imported
// from std::rc), and an async body (the keyword) or a spawn.
func mayRc(src []byte) bool {
	return mayRcWith(src, hasWord(src, kwAsync), containsKw(src, kwSpawn))
}

// mayRcWith is mayRc given whether src has the word async and contains
// "spawn". Last, the tokens must show a body that can trigger the rule
// under some Index (rcMayTrigger).
func mayRcWith(src []byte, asyncWord, spawn bool) bool {
	return (asyncWord || spawn) && rcSpelled(src) && rcMayTrigger(src)
}

// mayRcWords is mayRc without the token reading: the words alone.
func mayRcWords(src []byte) bool {
	return (hasWord(src, kwAsync) || containsKw(src, kwSpawn)) && rcSpelled(src)
}

// rcSpelled reports whether src spells an Rc of the rule: the identifier
// `Rc`, or `Weak` with the path `rc::`.
func rcSpelled(src []byte) bool {
	return hasWord(src, kwRc) || hasWord(src, kwWeak) && hasRcPath(src)
}

// hasWord reports whether src may hold w as a whole identifier: not next
// to an ASCII identifier byte. A non-ASCII neighbour counts as a boundary
// (a BOM, or Unicode whitespace, may precede a keyword), which only lets
// more files through.
func hasWord(src, w []byte) bool {
	for off := 0; ; {
		i := index(src[off:], w)
		if i < 0 {
			return false
		}
		start := off + i
		end := start + len(w)
		off = start + 1
		if (start == 0 || !isASCIIIdentByte(src[start-1])) && (end == len(src) || !isASCIIIdentByte(src[end])) {
			return true
		}
	}
}

// hasRcPath reports whether src spells a path segment `rc` followed by
// `::` (not the tail of `Arc::` or `src::`), whitespace and comments
// allowed between them as in `use std :: rc :: Weak`.
func hasRcPath(src []byte) bool {
	for _, i := range findAll(src, []byte("rc")) {
		if i > 0 && isIdentByte(src[i-1]) || i+2 < len(src) && isIdentByte(src[i+2]) {
			continue
		}
		if bytes.HasPrefix(src[skipTrivia(src, i+2):], []byte("::")) {
			return true
		}
	}
	return false
}

// mayHoldGuard is the guard rules' condition: async, await, and a lock
// acquisition (see Index.MayMatch).
func (ix *Index) mayHoldGuard(src []byte, keep func(int) bool) bool {
	if !hasWord(src, kwAsync) || !hasWord(src, kwAwait) {
		return false
	}
	// A site counts only where an await may follow it in the same async
	// body (keep).
	if callsOwnGuardFn(src, keep) {
		return true
	}
	pl := importsParkingLot(src)
	for _, m := range lockMethods {
		if hasAcquisition(src, m, pl, keep) {
			return true
		}
	}
	if ix != nil {
		for key := range ix.guardDecls {
			if hasGuardFnCall(src, key, keep) {
				return true
			}
		}
	}
	return false
}

// callsOwnGuardFn reports whether src may call a guard-returning fn it
// declares itself, at an offset keep accepts: a call hasGuardFnCall
// matches for one of its GuardFnCandidates. Every local call
// guardFnSet.kind matches is one.
func callsOwnGuardFn(src []byte, keep func(int) bool) bool {
	if !MayDeclareGuardFn(src) {
		return false
	}
	for _, k := range GuardFnCandidates(src) {
		if hasGuardFnCall(src, k, keep) {
			return true
		}
	}
	return false
}

// guardRules reports whether a rule that needs a lock guard is enabled.
func guardRules(cfg Config) bool {
	return cfg.Rules[RuleMutexScope] || cfg.Rules[RuleTokioMutex]
}

// MayNeedSummary reports whether the file could contribute to the Index:
// it declares an async fn or an async block (`async`), passes a future to
// a spawn (`spawn`), declares a fn returning a lock guard (`Guard`), or
// may hand a fn to another Send context (mayHandOffFns). A
// file for which it is false has an empty Summary and need not be parsed
// for one.
func MayNeedSummary(src []byte) bool {
	return containsKw(src, kwAsync) || containsKw(src, kwSpawn) || bytes.Contains(src, kwGuard) || mayHandOffFns(src)
}

// guardTypes are the guard types a fn's return type must name for the
// rules to take its result for a guard (siteGuardKind).
var guardTypes = [][]byte{[]byte("MutexGuard"), []byte("RwLockReadGuard"), []byte("RwLockWriteGuard")}

// MayDeclareGuardFn reports whether the file could declare a fn returning
// a lock guard, the fact of the Index that Index.MayMatch uses: it names
// one of the guard types.
func MayDeclareGuardFn(src []byte) bool {
	for _, t := range guardTypes {
		if bytes.Contains(src, t) {
			return true
		}
	}
	return false
}

// hasAcquisition reports whether src may take a guard with a call
// `.name()` (no arguments) in a shape guardCall, letGuard or mutex-scope's
// temporaries accept: after the call and any closing parentheses comes
// `.unwrap…`/`.expect…` (`.unwrap()`, `.expect(..)`, `.unwrap_or_else(..)`),
// `.map_err…`/`.ok…` or `?` (`.map_err(..)?`, `.ok()?`, `m.lock()?`),
// `else` (`let Ok(g) = m.lock() else`), `{` (`if let Ok(g) = m.lock() {`,
// `match m.lock() {`) or `&&` (a let chain); with parkingLot (the file
// names parking_lot, whose lock() returns the guard itself) any
// zero-argument call not awaited counts. A bare `.lock()` of std's Mutex returns a
// LockResult that no rule takes for a guard, and `.lock().await` is
// tokio's Mutex: the files of async code that lock only those are not
// parsed. Whitespace and comments may sit between the tokens; where a
// comment may hide the dot before the name it answers true.
//
// Only a call at an offset (of the name) that keep accepts counts; a nil
// keep accepts all.
func hasAcquisition(src, name []byte, parkingLot bool, keep func(int) bool) bool {
	for off := 0; ; {
		i := bytes.Index(src[off:], name)
		if i < 0 {
			return false
		}
		start := off + i
		end := start + len(name)
		off = start + 1
		if end < len(src) && isIdentByte(src[end]) {
			continue
		}
		if !dotBefore(src, start) {
			continue
		}
		j := skipTrivia(src, end)
		if j >= len(src) || src[j] != '(' {
			continue
		}
		j = skipTrivia(src, j+1)
		if j >= len(src) || src[j] != ')' {
			continue // arguments: not a lock acquisition
		}
		// keep is asked last: it sees only acquisitions (HandOffSeeds
		// collects them), and may cost more than the bytes.
		if acquiresAt(src, skipTrivia(src, j+1), parkingLot) && (keep == nil || keep(start)) {
			return true
		}
	}
}

// acquiresAt reports whether the zero-argument call whose `)` is just
// before j takes a guard, by what follows it (see hasAcquisition).
func acquiresAt(src []byte, j int, parkingLot bool) bool {
	if awaitAt(src, j) {
		return false // `m.lock().await`: a future (tokio's lock), not a guard
	}
	if parkingLot {
		return true
	}
	for j < len(src) && src[j] == ')' {
		j = skipTrivia(src, j+1)
	}
	switch {
	case j >= len(src):
		return false
	case src[j] == '{', src[j] == '&' && j+1 < len(src) && src[j+1] == '&':
		return true
	case src[j] == '?':
		return true // `m.lock()?`
	case src[j] == '.':
		k := skipTrivia(src, j+1)
		return bytes.HasPrefix(src[k:], []byte("unwrap")) || bytes.HasPrefix(src[k:], []byte("expect")) ||
			bytes.HasPrefix(src[k:], []byte("map_err")) || bytes.HasPrefix(src[k:], []byte("ok"))
	}
	return bytes.HasPrefix(src[j:], []byte("else")) && (j+4 == len(src) || !isIdentByte(src[j+4]))
}

// awaitAt reports whether the tokens at j are `.await`.
func awaitAt(src []byte, j int) bool {
	if j >= len(src) || src[j] != '.' {
		return false
	}
	k := skipTrivia(src, j+1)
	return bytes.HasPrefix(src[k:], kwAwait) && (k+len(kwAwait) == len(src) || !isIdentByte(src[k+len(kwAwait)]))
}

// skipTrivia returns the offset of the first byte at or after i that is
// neither whitespace nor inside a comment (`// ..` to the end of the line,
// `/* .. */` nested).
func skipTrivia(src []byte, i int) int {
	for i < len(src) {
		switch {
		case isSpace(src[i]):
			i++
		case src[i] >= 0x80:
			n := unicodeSpace(src, i)
			if n == 0 {
				return i
			}
			i += n
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			nl := bytes.IndexByte(src[i:], '\n')
			if nl < 0 {
				return len(src)
			}
			i += nl + 1
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '*':
			depth := 0
			for i < len(src) {
				if src[i] == '/' && i+1 < len(src) && src[i+1] == '*' {
					depth++
					i += 2
				} else if src[i] == '*' && i+1 < len(src) && src[i+1] == '/' {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		default:
			return i
		}
	}
	return i
}

// unicodeSpace returns the length of the non-ASCII whitespace Rust
// allows (U+0085, U+200E, U+200F, U+2028, U+2029) starting at i, or 0.
func unicodeSpace(src []byte, i int) int {
	switch {
	case bytes.HasPrefix(src[i:], []byte("\u0085")):
		return 2
	case bytes.HasPrefix(src[i:], []byte("\u200e")), bytes.HasPrefix(src[i:], []byte("\u200f")),
		bytes.HasPrefix(src[i:], []byte("\u2028")), bytes.HasPrefix(src[i:], []byte("\u2029")):
		return 3
	}
	return 0
}

// identEnd returns the end of the identifier starting at i: the longest
// run of identifier bytes (isIdentByte, so non-ASCII letters count),
// stopped by the whitespace unicodeSpace knows.
func identEnd(src []byte, i int) int {
	for i < len(src) && isIdentByte(src[i]) {
		if src[i] >= 0x80 && unicodeSpace(src, i) > 0 {
			break
		}
		i++
	}
	return i
}

// isIdentByte reports whether c can continue a Rust identifier. Bytes of
// multi-byte UTF-8 characters count: a name followed by one is a longer
// identifier.
func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isASCIIIdentByte(c byte) bool { return c < 0x80 && isIdentByte(c) }

// eachWord calls f(i, j) for each identifier src[i:j] in order (see
// identEnd), not starting with a digit (a number is no name). It stops
// when f returns false. A leading byte order mark is no part of a word.
func eachWord(src []byte, f func(i, j int) bool) {
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom)
	}
	for i < len(src) {
		if !isIdentByte(src[i]) {
			i++
			continue
		}
		if n := unicodeSpace(src, i); n > 0 {
			i += n // the whole character: its later bytes start no word
			continue
		}
		j := identEnd(src, i)
		if (src[i] < '0' || src[i] > '9') && !f(i, j) {
			return
		}
		i = j
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// dotBefore reports whether the name starting at i may be a field or
// method after a `.`: the previous token is a dot, or a comment might
// separate them (a block comment ends right before, or a line comment
// sits on an earlier line that the whitespace crosses).
func dotBefore(src []byte, i int) bool {
	if i > 0 && isIdentByte(src[i-1]) {
		return false // the name is the tail of a longer identifier
	}
	crossed := false
	j := i - 1
	for j >= 0 && isSpace(src[j]) {
		if src[j] == '\n' {
			crossed = true
		}
		j--
	}
	if j < 0 {
		return false
	}
	switch {
	case src[j] == '.':
		return true
	case src[j] == '/' && j > 0 && src[j-1] == '*':
		return true
	case crossed:
		ls := bytes.LastIndexByte(src[:j+1], '\n') + 1
		return bytes.Contains(src[ls:j+1], []byte("//"))
	}
	return false
}

// hasGuardFnCall reports whether src may call the guard-returning fn
// declared under key (see guardDeclKey and guardFnSet.kind): its name as
// a whole identifier followed by `(`, a turbofish or a comment, and
//   - for a free fn ("name"), anywhere but after a dot (a method call);
//   - for an associated fn or a method ("Type::name", "Type.name"), after
//     `::` and a segment that is not a module's (`Type::name(..)`,
//     `Self::name(..)`, not `io::name(..)`), and for a method also
//     after a dot: any receiver when the name is not one of
//     commonMethods, else `self` (or a parenthesis or comment that may
//     close one).
//
// Every match of an associated fn or method but `x.name(..)` needs the
// type's name in the file: written before `::name`, or as the type of the
// impl (or the trait) that `Self::` and `self.` are written in.
//
// Only a call at an offset (of the name) that keep accepts counts; a nil
// keep accepts all.
func hasGuardFnCall(src []byte, key string, keep func(int) bool) bool {
	sep := strings.LastIndexAny(key, ".:")
	name := []byte(key[sep+1:])
	if len(name) == 0 {
		return false
	}
	free, method := sep < 0, sep >= 0 && key[sep] == '.'
	typed := free || hasWord(src, []byte(strings.TrimRight(key[:sep], ":")))
	anyReceiver := method && !commonMethods[string(name)]
	if !typed && !anyReceiver {
		return false
	}
	for off := 0; ; {
		i := bytes.Index(src[off:], name)
		if i < 0 {
			return false
		}
		start := off + i
		end := start + len(name)
		off = start + 1
		if start > 0 && isIdentByte(src[start-1]) || end < len(src) && isIdentByte(src[end]) {
			continue
		}
		if !callFollows(src, skipTrivia(src, end)) {
			continue
		}
		// keep is asked last, as hasAcquisition does.
		if guardFnCallAt(src, start, free, typed, method, anyReceiver) && (keep == nil || keep(start)) {
			return true
		}
	}
}

// guardFnCallAt reports whether the call of the key's name at start may
// be the key's fn, by what precedes the name (see hasGuardFnCall).
func guardFnCallAt(src []byte, start int, free, typed, method, anyReceiver bool) bool {
	p := start - 1
	for p >= 0 && isSpace(src[p]) {
		p--
	}
	if free {
		// `x.name(..)` is a method call, never the free fn's (a range
		// `a..name(..)` is a call of it).
		return !(p >= 0 && src[p] == '.' && (p == 0 || src[p-1] != '.'))
	}
	switch {
	case p < 0:
		return false
	case src[p] == '/':
		return true // a comment that may hide `::` or `.`
	case src[p] == ':' && typed:
		// `Type::name(..)` or `Self::name(..)`; after a module path
		// (`io::read(..)`: a lower-case segment) only a free fn matches.
		q := p - 1
		for q >= 0 && (src[q] == ':' || isSpace(src[q])) {
			q--
		}
		e := q + 1
		for q >= 0 && isIdentByte(src[q]) {
			q--
		}
		return e == q+1 || !(src[q+1] >= 'a' && src[q+1] <= 'z')
	case src[p] == '.' && method:
		return anyReceiver || receiverMaySelf(src, p)
	}
	// A line comment may sit between the dot and the name.
	ls := bytes.LastIndexByte(src[:p+1], '\n') + 1
	return bytes.Contains(src[ls:p+1], []byte("//"))
}

// offsets are the sorted start offsets of a needle's occurrences in a
// file. A walk looking for nodes whose text must contain the needle can
// skip every subtree with no occurrence (see within), which turns a walk of
// the whole tree into a walk of a few paths.
type offsets []int

// findAll returns the offsets of needle in src.
func findAll(src, needle []byte) offsets {
	var out offsets
	for off := 0; ; {
		i := bytes.Index(src[off:], needle)
		if i < 0 {
			return out
		}
		out = append(out, off+i)
		off += i + 1
	}
}

// within reports whether an occurrence lies wholly in [start, end).
func (o offsets) within(start, end uint32, n int) bool {
	i := sort.SearchInts(o, int(start))
	return i < len(o) && o[i]+n <= int(end)
}

// GuardSummary parses src and returns its Summary with GuardFns alone: the
// one fact of other files that Index.MayMatch and Scan use. It costs a
// parse and a walk of the subtrees that spell "Guard", against the whole
// tree walks of Summarize.
func (e *Engine) GuardSummary(path string, src []byte) *Summary {
	body := bytes.TrimPrefix(src, bom)
	s := &Summary{Path: path}
	if !MayDeclareGuardFn(body) || e.tooLarge(src) {
		return s
	}
	tree, err := e.parse(body)
	if err != nil {
		return s
	}
	defer tree.Close()
	s.GuardFns = guardFns(body, tree.RootNode())
	return s
}

// mayHoldBody returns a test of whether a subtree may hold an async fn, an
// async block or a spawn call: whether its text holds "async" or "spawn".
// The walks that look for those skip the subtrees where it is false, most
// of a typical file.
func mayHoldBody(src []byte) func(n *sitter.Node) bool {
	async, spawn := findAll(src, kwAsync), findAll(src, kwSpawn)
	return func(n *sitter.Node) bool {
		s, e := n.StartByte(), n.EndByte()
		return async.within(s, e, len(kwAsync)) || spawn.within(s, e, len(kwSpawn))
	}
}

// returnsGuard reports whether a fn signature may declare a lock guard for
// its return type, as guardDeclKey takes one (siteGuardKind): an arrow
// followed by a path (segments and `::`, whitespace and comments between
// the tokens) ending in one of guardTypes. Any arrow counts, not only the
// return type's, which only finds more fns.
func returnsGuard(sig []byte) bool {
	for _, a := range findAll(sig, []byte("->")) {
		i := skipTrivia(sig, a+2)
		for {
			j := identEnd(sig, i)
			if j == i {
				break
			}
			for _, t := range guardTypes {
				if bytes.Equal(sig[i:j], t) {
					return true
				}
			}
			k := skipTrivia(sig, j)
			if !bytes.HasPrefix(sig[k:], []byte("::")) {
				break
			}
			i = skipTrivia(sig, k+2)
		}
	}
	return false
}

// callFollows reports whether the token at i may continue a call of the
// name before it: `(`, or the `::` of a turbofish.
func callFollows(src []byte, i int) bool {
	return i < len(src) && (src[i] == '(' || bytes.HasPrefix(src[i:], []byte("::")))
}

// mayCallDecl reports whether the call of name at i may call a
// guard-returning fn of another file, whatever its declaration: a method
// call `x.name(..)` of one of commonMethods matches only a method called
// on self (see guardFnSet.kind).
func mayCallDecl(src []byte, i int, name string) bool {
	if !commonMethods[name] {
		return true
	}
	p := i - 1
	for p >= 0 && isSpace(src[p]) {
		p--
	}
	return p < 0 || src[p] != '.' || receiverMaySelf(src, p)
}

// receiverMaySelf reports whether the receiver of a method call whose dot
// is at dot may be `self`: it is, or a parenthesis or a comment that may
// close one ends right before the dot.
func receiverMaySelf(src []byte, dot int) bool {
	q := dot - 1
	for q >= 0 && isSpace(src[q]) {
		q--
	}
	switch {
	case q < 0:
		return false
	case src[q] == ')' || src[q] == '/':
		return true
	case bytes.Contains(src[bytes.LastIndexByte(src[:q+1], '\n')+1:q+1], []byte("//")):
		return true // a line comment may end before the dot
	}
	return q >= 3 && string(src[q-3:q+1]) == "self" && (q == 3 || !isIdentByte(src[q-4]))
}

// CalledKeys returns those of the guard-returning fn keys (see
// GuardFnCandidates) that src may call in an async body with an await
// after the call, in a statement that may keep the guard to it (under any
// Index: see sendReading.guardSite): a call in the shape hasGuardFnCall
// matches for the key, the only calls whose guard can be held across an
// await. Index.MayMatch asks exactly that of every call of a
// guard-returning fn of another file, so the declarations of the other
// keys need not be known.
func CalledKeys(src []byte, keys map[string]bool) []string {
	return calledKeys(src, keys, guardSites(src))
}

// calledKeys is CalledKeys with keep for awaitFollows(src).
func calledKeys(src []byte, keys map[string]bool, keep func(int) bool) []string {
	// A word of calledNames: the key's name, a raw `r#name` as name.
	word := func(k string) string { return strings.TrimPrefix(k[strings.LastIndexAny(k, ".:")+1:], "r#") }
	names := map[string]bool{}
	for k := range keys {
		names[word(k)] = true
	}
	present := map[string]bool{}
	for _, n := range calledNames(src, names, nil) {
		present[n] = true
	}
	if len(present) == 0 {
		return nil
	}
	var out []string
	for k := range keys {
		if present[word(k)] && hasGuardFnCall(src, k, keep) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// calledNames returns those of names that src may call at an offset keep
// accepts (any when keep is nil): the name as an identifier followed,
// past whitespace and comments, by `(` or by `::` (a turbofish), and for
// one of commonMethods after a dot, a receiver that may be self
// (mayCallDecl).
// hasGuardFnCall, and every call a guard-returning fn's declaration
// matches (guardFnSet.kind), needs that, so a guard-returning fn whose
// name no file calls so is one no file's outcome depends on. Identifiers
// are those of identEnd, as in GuardFnCandidates.
func calledNames(src []byte, names map[string]bool, keep func(int) bool) []string {
	if len(names) == 0 {
		return nil
	}
	if len(names) <= searchedNames {
		if out, ok := calledNamesSearched(src, names, keep); ok {
			return out
		}
	}
	return calledNamesWords(src, names, keep)
}

// calledNamesWords is calledNames reading every word of src.
func calledNamesWords(src []byte, names map[string]bool, keep func(int) bool) []string {
	// Most words of a file are none of the names: their first byte or
	// their length tells, without hashing the word.
	var first [256]bool
	minLen, maxLen := int(^uint(0)>>1), 0
	for n := range names {
		if n != "" {
			first[n[0]] = true
			minLen, maxLen = min(minLen, len(n)), max(maxLen, len(n))
		}
	}
	var out []string
	var found map[string]bool
	eachWord(src, func(i, j int) bool {
		if !first[src[i]] || j-i < minLen || j-i > maxLen {
			return true
		}
		if names[string(src[i:j])] && !found[string(src[i:j])] {
			if w := string(src[i:j]); callFollows(src, skipTrivia(src, j)) && mayCallDecl(src, i, w) && (keep == nil || keep(i)) {
				if found == nil {
					found = map[string]bool{}
				}
				found[w] = true
				out = append(out, w)
			}
		}
		return true
	})
	return out
}
