package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// Exit statuses.
const (
	exitOK          = 0
	exitChanges     = 1 // --check found a file that would change
	exitError       = 2
	exitInterrupted = 130
)

// version is set with -ldflags "-X sendfix/cmd/internal/cli.version=..."; otherwise the module
// version from the build info is used.
var version = ""

// App is the command with its environment injected, so that tests run it
// in-process. Nil fields take the process's own.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getwd          func() (string, error)
	Getenv         func(string) string
	// IsTerminal reports whether w is a terminal (for --color=auto).
	IsTerminal func(w io.Writer) bool
	// Context is cancelled to interrupt a run: no new file is started or
	// written, writes in flight finish, and Run returns 130.
	Context context.Context

	newEngine engineFactory
	// writer writes the files of --write; Run makes one when it is nil.
	writer *rewrite.Writer
	// name is how the user runs the command ("sendfix", or "cargo sendfix"
	// for the cargo subcommand), for the hints of the report.
	name string
	// progressDelay is how long a run goes before a progress line shows;
	// 0 means progressAfter.
	progressDelay time.Duration
}

// commandName is how the user runs the command.
func (a *App) commandName() string {
	if a.name != "" {
		return a.name
	}
	return "sendfix"
}

// Main runs sendfix with args (without the program name) and returns the
// exit status. On SIGINT or SIGTERM no new file is started or written,
// writes under way finish, and the status is 130; a second signal stops
// waiting for them, removes their temporary files and exits at once.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMain(args, stdin, stdout, stderr, "")
}

// runMain is Main for the command the user knows as name. On a second
// signal it returns at once, without waiting for the run: the caller's
// os.Exit then ends the writes still under way (their temporary files are
// removed first; the originals are untouched until a rename).
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer, name string) int {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newWriter()
	a := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Context: ctx, name: name, writer: w}
	result := make(chan int, 1)
	go func() { result <- a.Run(args) }()
	for interrupted := false; ; {
		select {
		case code := <-result:
			w.CleanupTemps()
			return code
		case <-sig:
			if interrupted {
				w.CleanupTemps()
				return exitInterrupted
			}
			interrupted = true
			w.Interrupt()
			cancel()
		}
	}
}

// newWriter makes the Writer of a command's run; the signal test replaces
// it to watch the run's interrupt.
var newWriter = func() *rewrite.Writer { return new(rewrite.Writer) }

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// options are the parsed command line.
type options struct {
	write, list, check, json, quiet bool
	noIgnore                        bool
	jobs                            int
	excludes                        []string
	color                           bool
	stdinName                       string
	cfg                             patterns.Config
	paths                           []string
	cargo                           cargoOptions // compiler-in-the-loop mode (cargo.go)
	format                          string       // --format: human, short, github, sarif or json
	messageFormat                   string       // --message-format, cargo's spelling of --format (formats.go)
	colorErr                        bool         // colour the findings on stderr
	progress                        bool         // show a progress line on stderr (progress.go)
}

// flagVars are the flags that parse turns into options.
type flagVars struct {
	rules, skip       []string
	color, explain    string
	help, showVersion bool
	maxMiB            int
}

// errUsage marks a command-line error: exit 2 after the message.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usagef(format string, a ...any) error { return errUsage{fmt.Sprintf(format, a...)} }

const helpHead = `Usage: sendfix [flags] [PATH ...]

sendfix repairs the common causes of "future cannot be sent between threads
safely" in tokio code, by editing the source text in place:
  mutex-scope  scope a std MutexGuard so that it drops before an .await
  tokio-mutex  use tokio::sync::Mutex where the guard must stay held
  rc-arc       a value that is not Send in a spawned future: Rc becomes Arc,
               RefCell Mutex, Cell an atomic (or the local is scoped)

Each PATH is a Rust file or a directory, searched for *.rs files; .gitignore
files are honoured and .git/ and target/ are always skipped. A file named on
the command line is processed even if ignored. The default PATH is ".".
PATH "-" is filter mode: one file is read from standard input and the
rewritten file is written to standard output; findings go to standard error.

Without --write nothing is changed: sendfix prints a unified diff of every
file it would change (paths relative to the current directory).

Flags:
`

const helpTail = `
Examples:
  Review what would change, then apply the reviewed diff with git:
    sendfix src/ > fixes.diff && git apply fixes.diff
  Rewrite the files in place:
    sendfix --write .
  Fail a CI job when a file would change (prints the diff):
    sendfix --check .
  Use the findings from a script:
    sendfix --json . | jq -r '.files[] | select(.changed) | .path'
  Annotate a GitHub Actions run, or upload to code scanning:
    sendfix --check --format github .
    sendfix --format sarif . > sendfix.sarif
  Findings and fixes in the editor (rust-analyzer.check.overrideCommand),
  or for rustfix, as cargo's JSON messages:
    cargo sendfix --message-format json
  Read what a rule does and when it refuses:
    sendfix --explain mutex-scope
  As a cargo subcommand (fixes the current package):
    cargo sendfix --check
  Shell completions:
    source <(sendfix completion bash)

Findings are reported on standard error as rustc reports its warnings
(with --format or --json, on standard output instead). A finding is
silenced by "// sendfix:ignore [RULE,...]" on the line before its statement
or item, or, for mutex-scope and tokio-mutex, by
#[allow(clippy::await_holding_lock)] on the item; the summary counts them.

Exit status: 0 success (whether or not files changed, except under --check),
1 under --check when a file would change, 2 on any error (bad flag, a file
that cannot be read or is not UTF-8 text, a failed write; the other files
are still processed), 130 when interrupted.
`

func (a *App) versionString() string {
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	return "sendfix " + v
}

// newFlagSet returns the command's flags, bound to o and v.
func newFlagSet(o *options, v *flagVars) *pflag.FlagSet {
	fs := pflag.NewFlagSet("sendfix", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.BoolVarP(&o.write, "write", "w", false, "write the changes to the files in place")
	fs.BoolVarP(&o.list, "list", "l", false, "print only the paths of the files that would change")
	fs.BoolVar(&o.check, "check", false, "exit 1 if any file would change (for CI)")
	fs.BoolVar(&o.json, "json", false, "print one JSON document: every file with findings, each finding fixed or why not, and a summary")
	fs.StringSliceVar(&v.rules, "rules", nil, "run only the rules in `LIST` (comma-separated): "+strings.Join(patterns.AllRules, ", "))
	fs.StringSliceVar(&v.skip, "skip", nil, "do not run the rules in `LIST` (comma-separated)")
	fs.IntVarP(&o.jobs, "jobs", "j", 0, "process `N` files at once (default: the number of CPUs)")
	fs.StringArrayVar(&o.excludes, "exclude", nil, "skip files and directories whose path (relative to the PATH given) or base name matches `GLOB` (repeatable)")
	fs.StringVar(&o.format, "format", "human", "print the findings as `FORMAT` on standard output, in place of the diff: short (path:line:col: rule: message), github (GitHub Actions annotations), sarif (SARIF 2.1.0) or json (as --message-format json); human (the default) prints the diff and reports findings on standard error as rustc does")
	fs.StringVar(&o.messageFormat, "message-format", "", "print the findings as cargo's messages: `FMT` json (one JSON message a line, as cargo check --message-format=json prints, each fix a machine-applicable suggestion, for rust-analyzer's check.overrideCommand and rustfix), json-diagnostic-rendered-ansi (the same, the rendered text coloured), short or human (as --format)")
	fs.StringVar(&v.color, "color", "auto", "colour the diff and the findings: `WHEN` is auto (each stream when it is a terminal), always or never")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "print no summary line and no progress (findings are still reported, as with cargo -q)")
	fs.BoolVar(&o.noIgnore, "no-ignore", false, "do not honour .gitignore files")
	fs.BoolVar(&o.cfg.AllAsync, "all-async", false, "mutex-scope: fix every async body, not only those that must be Send")
	fs.BoolVar(&o.cfg.AllowPublic, "allow-public", false, "allow changing types visible outside the files given")
	fs.IntVar(&v.maxMiB, "max-file-size", patterns.DefaultMaxFileSize>>20, "do not parse files larger than `MIB` mebibytes (they are reported with a warning and left as they are; 0: no limit)")
	fs.StringVar(&o.stdinName, "stdin-filename", "<stdin>", "the `NAME` of the file read for PATH \"-\", for messages and diffs")
	registerCargoFlags(fs, &o.cargo)
	fs.StringVar(&v.explain, "explain", "", "explain `RULE` (the anti-pattern, why rustc rejects it, what sendfix does and when it refuses) and exit")
	fs.BoolVar(&v.showVersion, "version", false, "print the version and exit")
	fs.BoolVarP(&v.help, "help", "h", false, "print this help and exit")
	return fs
}

// parse reads the command line. It returns (nil, nil) when --help,
// --version or --explain has been answered.
func (a *App) parse(args []string) (*options, error) {
	o := &options{}
	v := &flagVars{}
	fs := newFlagSet(o, v)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			v.help = true
		} else {
			return nil, usagef("%v", err)
		}
	}
	rules, skip, color, help, showVersion := v.rules, v.skip, v.color, v.help, v.showVersion
	if help {
		// `cargo sendfix --help` shows the name the user typed.
		head := strings.Replace(helpHead, "Usage: sendfix", "Usage: "+a.commandName(), 1)
		fmt.Fprint(a.Stdout, head, flagUsages(fs), helpTail)
		return nil, nil
	}
	if showVersion {
		fmt.Fprintln(a.Stdout, a.versionString())
		return nil, nil
	}
	if fs.Changed("explain") {
		return nil, a.explain(v.explain)
	}

	switch color {
	case "always":
		o.color, o.colorErr = true, true
	case "never":
	case "auto":
		o.color = a.getenv("NO_COLOR") == "" && a.isTerminal(a.Stdout)
		o.colorErr = a.getenv("NO_COLOR") == "" && a.isTerminal(a.Stderr)
	default:
		return nil, usagef("--color must be auto, always or never, not %q", color)
	}
	if o.jobs < 0 {
		return nil, usagef("--jobs must not be negative, not %d", o.jobs)
	}
	if o.jobs == 0 {
		o.jobs = runtime.NumCPU()
	}
	if o.list && o.json {
		return nil, usagef("--list and --json cannot be used together")
	}
	if err := checkFormat(o, fs.Changed("format")); err != nil {
		return nil, err
	}
	for _, g := range o.excludes {
		if _, err := path.Match(g, ""); err != nil {
			return nil, usagef("--exclude %q: %v", g, err)
		}
	}
	cfg, err := ruleConfig(rules, skip, fs.Changed("rules"))
	if err != nil {
		return nil, err
	}
	cfg.AllAsync, cfg.AllowPublic = o.cfg.AllAsync, o.cfg.AllowPublic
	if v.maxMiB < 0 {
		return nil, usagef("--max-file-size %d: must be 0 (no limit) or more", v.maxMiB)
	}
	cfg.MaxFileSize = v.maxMiB << 20
	cfg.EditionOf = (&editions{pkgs: newPackages()}).of
	o.cfg = cfg

	if err := resolveCargo(fs, o); err != nil {
		return nil, err
	}
	o.paths = fs.Args()
	if len(o.paths) == 0 {
		o.paths = []string{"."}
	}
	// Progress is for a person watching a terminal: never in a pipe, never
	// mixed with a machine-read document.
	o.progress = !o.quiet && !o.json && o.format == "human" && a.isTerminal(a.Stderr)
	for _, p := range o.paths {
		if p == "-" {
			if len(o.paths) > 1 {
				return nil, usagef(`PATH "-" (standard input) cannot be combined with other paths`)
			}
			if o.write {
				return nil, usagef(`--write cannot be used with PATH "-": the result goes to standard output`)
			}
		}
		if p == "" {
			return nil, usagef("empty PATH")
		}
	}
	return o, nil
}

// ruleConfig turns --rules and --skip into a Config, rejecting unknown names.
func ruleConfig(rules, skip []string, rulesGiven bool) (patterns.Config, error) {
	known := map[string]bool{}
	for _, r := range patterns.AllRules {
		known[r] = true
	}
	check := func(flag string, names []string) error {
		for _, n := range names {
			if !known[strings.TrimSpace(n)] {
				return usagef("unknown rule %q in --%s (rules: %s)", n, flag, strings.Join(patterns.AllRules, ", "))
			}
		}
		return nil
	}
	if err := check("rules", rules); err != nil {
		return patterns.Config{}, err
	}
	if err := check("skip", skip); err != nil {
		return patterns.Config{}, err
	}
	cfg := patterns.DefaultConfig()
	if rulesGiven {
		cfg.Rules = map[string]bool{}
		for _, r := range rules {
			cfg.Rules[strings.TrimSpace(r)] = true
		}
	}
	for _, r := range skip {
		delete(cfg.Rules, strings.TrimSpace(r))
	}
	if len(cfg.Rules) == 0 {
		return patterns.Config{}, usagef("no rule left to run (--rules and --skip leave none)")
	}
	return cfg, nil
}

func (a *App) getenv(k string) string {
	if a.Getenv != nil {
		return a.Getenv(k)
	}
	return os.Getenv(k)
}

func (a *App) isTerminal(w io.Writer) bool {
	if a.IsTerminal != nil {
		return a.IsTerminal(w)
	}
	return isTerminal(w)
}

// Run runs the command with args and returns the exit status.
func (a *App) Run(args []string) int {
	if a.Stdin == nil {
		a.Stdin = os.Stdin
	}
	if a.Stdout == nil {
		a.Stdout = os.Stdout
	}
	if a.Stderr == nil {
		a.Stderr = os.Stderr
	}
	if a.Getwd == nil {
		a.Getwd = os.Getwd
	}
	if a.Context == nil {
		a.Context = context.Background()
	}
	if a.newEngine == nil {
		a.newEngine = defaultEngine
	}
	if a.writer == nil {
		a.writer = new(rewrite.Writer)
	}
	if len(args) > 0 && args[0] == "completion" {
		return a.completion(args[1:])
	}
	o, err := a.parse(args)
	if err != nil {
		fmt.Fprintf(a.Stderr, "sendfix: %v\nRun 'sendfix --help' for usage.\n", err)
		return exitError
	}
	if o == nil {
		return exitOK
	}
	limitArenas(o.jobs)
	if o.cargo.enabled() {
		return a.runCargo(o)
	}
	if len(o.paths) == 1 && o.paths[0] == "-" {
		return a.runStdin(o)
	}
	return a.runPaths(o)
}

// flagUsages renders the flag table: pflag's own marks every boolean
// "[=true|false]" and prints machine-dependent defaults (an int flag
// whose default is 0, such as --jobs, says its default in its text).
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if f.Value.Type() != "bool" && name != "" {
			left += " " + name
		}
		if f.Value.Type() == "string" && f.DefValue != "" && f.DefValue != "<stdin>" || f.Value.Type() == "int" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		if f.DefValue == "<stdin>" {
			usage += " (default <stdin>)"
		}
		rows = append(rows, row{left, usage})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.left)
		col, pad, fresh := len(r.left), width+2-len(r.left), true
		for _, w := range strings.Fields(r.usage) {
			if !fresh && col+pad+len(w) > 79 {
				b.WriteString("\n")
				col, pad = 0, width+2
			}
			b.WriteString(strings.Repeat(" ", pad))
			b.WriteString(w)
			col += pad + len(w)
			pad, fresh = 1, false
		}
		b.WriteString("\n")
	}
	return b.String()
}
