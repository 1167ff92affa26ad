package golden

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// sendError is the message rustc gives a non-Send future in a Send context,
// with or without the E0277 code.
const sendError = "future cannot be sent between threads safely"

// registry is where Debian's librust-*-dev packages put crate sources.
const registry = "/usr/share/cargo/registry"

const installHint = "install rustc/cargo and tokio's sources: apt-get install -y librust-tokio-dev (as root)"

// runTimeout bounds a `// golden: run` program.
const runTimeout = 20 * time.Second

// binVerdict is what cargo said about one src/bin target.
type binVerdict struct {
	Checked bool     // cargo produced an artifact: it compiled
	Errors  []string // rendered error diagnostics
	// sendErrors counts the errors that are the Send error.
	sendErrors int
	Exe        string // built executable, for run cases
}

// isSendError reports whether an error diagnostic is the Send error: the
// usual "future cannot be sent between threads safely" (no code), or its
// E0277 form naming the captured type ("`Rc<str>` cannot be sent between
// threads safely"), which rustc gives when a non-Send value is captured
// rather than held across an await.
func isSendError(code, message string) bool {
	return strings.Contains(message, sendError) ||
		code == "E0277" && strings.Contains(message, "cannot be sent between threads safely")
}

// hasSendError reports whether one of the bin's errors is the Send error.
func (v *binVerdict) hasSendError() bool {
	return v.sendErrors > 0
}

// verdict says in a few words what rustc made of the bin.
func (v *binVerdict) verdict() string {
	switch {
	case len(v.Errors) == 0 && v.Checked:
		return "compiles"
	case len(v.Errors) == 0:
		return "no result"
	case v.hasSendError():
		return fmt.Sprintf("%d error(s), the Send error among them", len(v.Errors))
	}
	return fmt.Sprintf("%d error(s), none the Send error", len(v.Errors))
}

// summary is the first error diagnostics, for a failure message.
func (v *binVerdict) summary() string {
	errs := v.Errors
	if len(errs) > 3 {
		errs = errs[:3]
	}
	if len(errs) == 0 {
		return "(no error diagnostics)"
	}
	return strings.Join(errs, "\n")
}

// compileJudge compiles every case once, in one cargo project, and hands
// out the verdicts per bin.
type compileJudge struct {
	cases []*goldenCase
	proj  cargoProject // zero: the golden cases' project at cargoDir()
	once  sync.Once
	build func(j *compileJudge) // compiles instead of compile when set (folder cases)

	skip     string // why the compiler cannot be used here
	fatal    error  // the project itself failed (not a case)
	verdicts map[string]*binVerdict
	log      string
}

func binName(c *goldenCase, side string) string {
	return c.Group + "__" + c.Name + "__" + side
}

// get returns the verdict of the named bin, compiling everything on first use.
func (j *compileJudge) get(t *testing.T, bin string) *binVerdict {
	t.Helper()
	j.once.Do(func() {
		if j.build != nil {
			j.build(j)
			return
		}
		j.compile()
	})
	if j.skip != "" {
		if os.Getenv("SENDFIX_REQUIRE_RUSTC") == "1" {
			t.Fatalf("SENDFIX_REQUIRE_RUSTC=1 but %s; %s", j.skip, installHint)
		}
		t.Skipf("%s; %s (with SENDFIX_REQUIRE_RUSTC=1 this fails instead)", j.skip, installHint)
	}
	if j.fatal != nil {
		t.Fatalf("cargo project: %v\n%s", j.fatal, j.log)
	}
	v := j.verdicts[bin]
	if v == nil {
		t.Fatalf("cargo reported nothing for bin %s (neither an artifact nor an error)\n%s", bin, j.log)
	}
	return v
}

// cargoProject is where a judge's cargo project lives.
type cargoProject struct {
	Dir    string // the workspace ("": cargoDir())
	Name   string // prefix of its package names ("": golden)
	Target string // cargo's target folder ("": Dir/target); projects that share one build tokio once
	// Unstable builds with `--cfg tokio_unstable` and tokio's tracing
	// feature (tokio's unstable API: task::Builder).
	Unstable bool
}

// cargoDir is the generated project's stable location, so that tokio's
// build is reused between runs.
func cargoDir() (string, error) {
	if d := os.Getenv("SENDFIX_CARGO_DIR"); d != "" {
		return filepath.Abs(d)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "sendfix-golden"), nil
}

// lockedCargoDir makes the folder sub of cargoDir ("": cargoDir itself)
// and takes its lock.
func lockedCargoDir(sub string) (dir string, unlock func(), err error) {
	base, err := cargoDir()
	if err != nil {
		return "", nil, err
	}
	dir = filepath.Join(base, sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	unlock, err = lockDir(dir)
	return dir, unlock, err
}

// toolchainSkip says why the compiler cannot judge here, or "".
func toolchainSkip() string {
	if _, err := exec.LookPath("cargo"); err != nil {
		return "cargo is not on PATH"
	}
	if m, _ := filepath.Glob(filepath.Join(registry, "tokio-[0-9]*")); len(m) == 0 {
		return "no tokio sources in " + registry
	}
	return ""
}

func (j *compileJudge) compile() {
	if j.skip = toolchainSkip(); j.skip != "" {
		return
	}
	if j.proj.Dir == "" {
		dir, err := cargoDir()
		if err != nil {
			j.fatal = err
			return
		}
		j.proj.Dir = dir
	}
	dir := j.proj.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		j.fatal = err
		return
	}
	unlock, err := lockDir(dir)
	if err != nil {
		j.fatal = err
		return
	}
	defer unlock()
	bins, err := writeProject(j.proj, j.cases)
	if err != nil {
		j.fatal = err
		return
	}
	j.verdicts = map[string]*binVerdict{}
	for _, b := range bins {
		j.verdicts[b] = &binVerdict{}
	}
	var log bytes.Buffer
	out, stderr, err := runCargo(dir, "check", "--bins", "--keep-going", "--message-format=json")
	log.WriteString(stderr)
	parseCargoJSON(out, j.verdicts)
	if err != nil && !anyErrors(j.verdicts) {
		j.fatal = fmt.Errorf("cargo check failed without a diagnostic: %v", err)
	}
	var runBins []string
	for _, c := range j.cases {
		if c.Err == nil && c.Run && c.Golden != nil {
			b := binName(c, "out")
			if !c.IsFix() {
				b = binName(c, "in")
			}
			if v := j.verdicts[b]; v != nil && len(v.Errors) == 0 {
				runBins = append(runBins, b)
			}
		}
	}
	if len(runBins) > 0 && j.fatal == nil {
		args := []string{"build", "--message-format=json"}
		for _, b := range runBins {
			args = append(args, "--bin", b)
		}
		out, stderr, err := runCargo(dir, args...)
		log.WriteString(stderr)
		parseCargoJSON(out, j.verdicts)
		if err != nil {
			j.fatal = fmt.Errorf("cargo build of the run cases: %v", err)
		}
	}
	j.log = tail(log.String(), 4000)
}

func anyErrors(vs map[string]*binVerdict) bool {
	for _, v := range vs {
		if len(v.Errors) > 0 {
			return true
		}
	}
	return false
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

func runCargo(dir string, args ...string) (stdout []byte, stderr string, err error) {
	cmd := exec.Command("cargo", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CARGO_TERM_COLOR=never", "CARGO_TERM_PROGRESS_WHEN=never")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.String(), err
}

// cargoMessage is the part of cargo's JSON messages the judge reads.
type cargoMessage struct {
	Reason string `json:"reason"`
	Target struct {
		Name string   `json:"name"`
		Kind []string `json:"kind"`
	} `json:"target"`
	Executable *string `json:"executable"`
	Message    *struct {
		Level    string `json:"level"`
		Message  string `json:"message"`
		Rendered string `json:"rendered"`
		Code     *struct {
			Code string `json:"code"`
		} `json:"code"`
		Spans []struct {
			FileName string `json:"file_name"`
		} `json:"spans"`
	} `json:"message"`
}

// parseCargoJSON attributes cargo's messages to the bins in vs, by target
// name, falling back to the file name of a span.
func parseCargoJSON(out []byte, vs map[string]*binVerdict) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var m cargoMessage
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		v := vs[m.Target.Name]
		if v == nil && m.Message != nil {
			for _, s := range m.Message.Spans {
				if x := vs[strings.TrimSuffix(filepath.Base(s.FileName), ".rs")]; x != nil {
					v = x
					break
				}
			}
		}
		if v == nil {
			continue
		}
		switch m.Reason {
		case "compiler-artifact":
			v.Checked = true
			if m.Executable != nil {
				v.Exe = *m.Executable
			}
		case "compiler-message":
			if m.Message != nil && m.Message.Level == "error" {
				text := m.Message.Rendered
				if text == "" {
					text = m.Message.Message
				}
				v.Errors = append(v.Errors, text)
				code := ""
				if m.Message.Code != nil {
					code = m.Message.Code.Code
				}
				if isSendError(code, m.Message.Message) {
					v.sendErrors++
				}
			}
		}
	}
}

// caseDeps returns the [dependencies] of the packages the cases compile
// in: tokio, parking_lot when installed, and async-trait, which is not
// packaged: crates/async-trait stands in for it (it needs syn, which
// tokio's Debian package brings).
func caseDeps() string {
	deps := "tokio = { version = \"1\", features = [\"full\"] }\n"
	if m, _ := filepath.Glob(filepath.Join(registry, "parking_lot-0.12*")); len(m) > 0 {
		deps += "parking_lot = \"0.12\"\n"
	}
	if at, err := filepath.Abs(filepath.Join("crates", "async-trait")); err == nil {
		deps += fmt.Sprintf("async-trait = { path = %q }\n", at)
	}
	return deps
}

// writeProject lays out a workspace with one package per edition, each
// case side a src/bin file. Files are written only when their content
// changed and stale bins are removed, so cargo stays incremental. It
// returns the names of the bins.
func writeProject(p cargoProject, cases []*goldenCase) ([]string, error) {
	dir, name := p.Dir, p.Name
	if name == "" {
		name = "golden"
	}
	files := map[string][]byte{}
	var bins []string
	deps := caseDeps()
	if p.Unstable {
		deps = strings.Replace(deps, `features = ["full"]`, `features = ["full", "tracing"]`, 1)
	}
	editions := []string{"2021", "2024"}
	var members []string
	for _, ed := range editions {
		pkg := "e" + ed
		members = append(members, fmt.Sprintf("%q", pkg))
		files[filepath.Join(pkg, "Cargo.toml")] = []byte(fmt.Sprintf(
			"[package]\nname = \"%s-%s\"\nversion = \"0.0.0\"\nedition = \"%s\"\npublish = false\n\n[dependencies]\n%s", name, pkg, ed, deps))
		// A package needs a target even when no case uses its edition.
		files[filepath.Join(pkg, "src", "main.rs")] = []byte("fn main() {}\n")
	}
	files["Cargo.toml"] = []byte("# Generated by sendfix's golden tests; rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [" + strings.Join(members, ", ") + "]\n")
	config := "[source.crates-io]\nreplace-with = \"debian\"\n[source.debian]\ndirectory = \"" + registry + "\"\n[net]\noffline = true\n"
	config += "[build]\n"
	if p.Target != "" {
		config += fmt.Sprintf("target-dir = %q\n", p.Target)
	}
	if p.Unstable {
		config += "rustflags = [\"--cfg\", \"tokio_unstable\"]\n"
	}
	files[filepath.Join(".cargo", "config.toml")] = []byte(config)
	for _, c := range cases {
		if c.Err != nil || c.Golden == nil {
			continue
		}
		binDir := filepath.Join("e"+c.Edition, "src", "bin")
		b := binName(c, "in")
		files[filepath.Join(binDir, b+".rs")] = c.Input
		bins = append(bins, b)
		if c.IsFix() {
			b = binName(c, "out")
			files[filepath.Join(binDir, b+".rs")] = c.Golden
			bins = append(bins, b)
		}
	}
	for rel, data := range files {
		p := filepath.Join(dir, rel)
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return nil, err
		}
	}
	for _, ed := range editions {
		old, _ := filepath.Glob(filepath.Join(dir, "e"+ed, "src", "bin", "*.rs"))
		for _, p := range old {
			rel, _ := filepath.Rel(dir, p)
			if _, keep := files[rel]; !keep {
				if err := os.Remove(p); err != nil {
					return nil, err
				}
			}
		}
	}
	sort.Strings(bins)
	return bins, nil
}

// runProgram runs a built case program with a timeout and reports how it
// ended, with its output.
func runProgram(exe string) error {
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Dir = os.TempDir()
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s did not finish within %v (hang?)\n%s", filepath.Base(exe), runTimeout, tail(string(out), 2000))
	}
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", filepath.Base(exe), err, tail(string(out), 2000))
	}
	return nil
}
