// Package patterns finds the anti-patterns that make a tokio future non-Send
// and computes byte edits that repair them. It does no file I/O and prints
// nothing: source bytes in, findings and edits out.
//
// The rules (AllRules) act on futures that must be Send (sendctx*.go: the
// Send contexts, and the async fns they await across files, by Index) and
// ask one facts layer about bindings, uses, moves and ownership
// (facts*.go). mutex-scope (mutexscope*.go) scopes a lock guard before the
// await; tokio-mutex (tokiomutex*.go) swaps a std lock for tokio's when
// its guard must stay held; rc-arc (rcarc*.go, types*.go) changes a type
// that is not Send. Guards are found once (guards*.go), imports read and
// edited in one place (imports*.go), and a rule that cannot prove its fix
// returns a refusal (refusal.go), which becomes Finding.Reason.
//
// Engine.Run runs the rules in passes: the fixes of a pass apply, the
// result is parsed again and the rules run on it, up to MaxPasses. Under
// the compiler, Config.Sites names the failures rustc reported and
// Engine.Ladder proposes Candidates for each (ladder*.go).
//
// Each word keeps one meaning: a Site is a failure the compiler reported;
// a plan is a rule's decided change before it becomes edits; a lock call
// is a `.lock()` tokio-mutex converts. README.md in this folder has the
// glossary, and every shape each rule knows and refuses.
package patterns

import "sendfix/rewrite"

// Rule names, as used by --rules and --skip and in findings.
const (
	RuleMutexScope = "mutex-scope"
	RuleTokioMutex = "tokio-mutex"
	RuleRcArc      = "rc-arc"
)

// AllRules lists every rule in the order they run.
var AllRules = []string{RuleMutexScope, RuleTokioMutex, RuleRcArc}

// Config selects the rules and their options. The zero Config enables no
// rule; use DefaultConfig.
type Config struct {
	Rules       map[string]bool // enabled rules by name
	AllAsync    bool            // mutex-scope on every async body, not only Send-required ones
	AllowPublic bool            // allow changing types visible outside the given files
	// MaxFileSize is the largest file, in bytes, that is parsed; a larger
	// one is left as it is with a warning (0: no limit). tree-sitter and
	// its Go binding hold every node of a tree: a 50 MB file of async code
	// costs gigabytes, and Rust files that large are generated.
	MaxFileSize int
	// Sites are places where the compiler reported a non-Send future: the
	// rules run on the async bodies holding them as Send-required, whatever
	// the syntactic Send-context analysis says (see Site).
	Sites []Site
	// Candidates is compiler-in-the-loop mode (Engine.Ladder): a fix a rule
	// would refuse only because the syntax cannot decide (ownership
	// unknown, a type decided in another file) becomes a candidate the
	// compiler judges, and a rule may propose several fixes for one site,
	// in the ladder's order. Without it such a fix is a refusal whose
	// Reason states the doubt. See ladder.go.
	Candidates bool
	// Edition is the Rust edition of the files ("2015", "2018", "2021",
	// "2024"); "" when unknown. Edition 2024 drops an `if let`
	// scrutinee's temporaries before its else branch, so an await there
	// holds no guard. An unknown edition reads as one before 2024: the
	// fix it may then make is one that 2024 does not need, and compiles
	// in both.
	Edition string
	// EditionOf, when set, gives the edition of the file at path (as
	// given to Engine.Run), "" when unknown; it overrides Edition. It may
	// be called from several goroutines.
	EditionOf func(path string) string
}

// edition2024 reports whether the file's edition is 2024 or later.
func (c Config) edition2024() bool { return c.Edition >= "2024" }

// DefaultMaxFileSize is Config.MaxFileSize of DefaultConfig: 16 MiB, far
// above any hand-written Rust file.
const DefaultMaxFileSize = 16 << 20

// DefaultConfig enables every rule.
func DefaultConfig() Config {
	c := Config{Rules: map[string]bool{}, MaxFileSize: DefaultMaxFileSize}
	for _, r := range AllRules {
		c.Rules[r] = true
	}
	return c
}

// Pos is a location in a file: 1-based line, 1-based column counted in
// characters (as rustc does), and the byte offset in the file as given
// (a leading BOM included).
type Pos struct {
	Line, Col, Offset int
}

// Finding is one occurrence of an anti-pattern. Either Fixed is true and
// the fix was applied to Result.Out, or Reason says why it was not.
type Finding struct {
	Rule    string
	Pos     Pos    // primary location: the guard's or the Rc's binding
	Await   *Pos   // the await point, when there is one
	Name    string // the binding the finding is about (guard, Rc value)
	Message string // what is wrong, one line
	Fixed   bool
	Fix     string // what the fix did, when Fixed
	Reason  string // why it was not fixed, when !Fixed
	// Notes add what a reviewer should know and the finding does not
	// rest on: a call that may mean several async fns and so carried no
	// Send requirement to this one.
	Notes []string
	// Site is the compiler's report this finding answers (Config.Sites);
	// nil for a finding of the syntax alone.
	Site *Site
	// Tried lists the candidate fixes tried for Site and what the compiler
	// said of each, in ladder order (compiler-in-the-loop mode; the caller
	// that runs the compiler fills it).
	Tried []Attempt
}

// Attempt is one candidate fix tried under the compiler.
type Attempt struct {
	Rung Rung   // the kind of fix
	Fix  string // what the candidate does
	// Verdict is what the compiler said: "compiles", "E0597 at
	// src/main.rs:32:9: `g` does not live long enough", "still not Send",
	// or why the candidate was not tried.
	Verdict string
	Kept    bool // the fix is in the result
}

// Result is what the engine made of one file.
type Result struct {
	Path     string
	In, Out  []byte    // Out == In (same bytes) when nothing changed
	Findings []Finding // sorted by position in In
	// Edits are the edits of each pass, in pass order; each applies to the
	// previous pass's output (the first to In).
	Edits [][]rewrite.Edit
	// Fixes are the fixes of Findings against In, the passes composed
	// (see Fix); nil when nothing changed.
	Fixes []Fix
	// Suppressed counts the findings of the last pass that a
	// `// sendfix:ignore` comment or an `#[allow(clippy::..)]` attribute
	// silenced (see suppress.go); they are not in Findings.
	Suppressed int
	// Warnings are problems that are not the user's error, such as a
	// syntax the grammar cannot parse ("cannot parse line 12").
	Warnings []string
	// Internal is set when the engine produced an output it rejected (for
	// example one that parses worse than the input); then Out == In.
	Internal error
}

// Changed reports whether the output differs from the input.
func (r *Result) Changed() bool { return string(r.In) != string(r.Out) }
