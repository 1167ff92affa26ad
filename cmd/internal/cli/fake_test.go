package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sendfix/patterns"
)

// fakeEngine stands in for patterns.Engine so that the command's plumbing
// is tested whatever the rules can do. Its rules, by marker in the source:
//
//	FIXME         a fixed mutex-scope finding; the output has FIXED instead
//	UNFIXABLE     an unfixed finding, reason "guard is used after the await on line L"
//	WARNME        a warning "cannot parse line 2"
//	INTERNAL      an internal error
//	spawn NAME    (summary) NAME's future is spawned
//	SENDREQ NAME  a fixed rc-arc finding, only when the index says NAME must be Send
type fakeEngine struct {
	rec *fakeRecord
	idx *patterns.Index
}

// fakeRecord is what the fake engines of one run saw.
type fakeRecord struct {
	mu         sync.Mutex
	cfgs       []patterns.Config
	summarized []string
	ran        []string
	engines    int
	closed     int
	onRun      func(path string) // called at the start of every Run
}

func (r *fakeRecord) factory(cfg patterns.Config, idx *patterns.Index) engine {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cfgs = append(r.cfgs, cfg)
	r.engines++
	return &fakeEngine{rec: r, idx: idx}
}

func (r *fakeRecord) count(list []string, path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, p := range list {
		if p == path {
			n++
		}
	}
	return n
}

var spawnRE = regexp.MustCompile(`spawn (\w+)`)
var sendReqRE = regexp.MustCompile(`SENDREQ (\w+)`)

func (e *fakeEngine) Summarize(path string, src []byte) *patterns.Summary {
	e.rec.mu.Lock()
	e.rec.summarized = append(e.rec.summarized, path)
	e.rec.mu.Unlock()
	// Each `spawn NAME` becomes an async fn NAME of the file, spawned.
	var rs strings.Builder
	for _, m := range spawnRE.FindAllStringSubmatch(string(src), -1) {
		fmt.Fprintf(&rs, "async fn %[1]s() {}\nfn spawn_%[1]s() { tokio::spawn(%[1]s()); }\n", m[1])
	}
	return patterns.Summarize(path, []byte(rs.String()))
}

func posAt(src []byte, off int) patterns.Pos {
	line := bytes.Count(src[:off], []byte("\n")) + 1
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return patterns.Pos{Line: line, Col: col, Offset: off}
}

func (e *fakeEngine) Run(path string, src []byte) *patterns.Result {
	e.rec.mu.Lock()
	e.rec.ran = append(e.rec.ran, path)
	hook := e.rec.onRun
	e.rec.mu.Unlock()
	if hook != nil {
		hook(path)
	}
	res := &patterns.Result{Path: path, In: src, Out: src}
	s := string(src)
	for i := 0; ; {
		j := strings.Index(s[i:], "FIXME")
		if j < 0 {
			break
		}
		res.Findings = append(res.Findings, patterns.Finding{Rule: patterns.RuleMutexScope, Pos: posAt(src, i+j),
			Name: "guard", Message: "std MutexGuard held across an .await", Fixed: true, Fix: "scoped the guard"})
		i += j + 1
	}
	for i := 0; ; {
		j := strings.Index(s[i:], "UNFIXABLE")
		if j < 0 {
			break
		}
		p := posAt(src, i+j)
		res.Findings = append(res.Findings, patterns.Finding{Rule: patterns.RuleMutexScope, Pos: p,
			Await: &patterns.Pos{Line: p.Line + 1, Col: 5}, Message: "std MutexGuard held across an .await",
			Reason: fmt.Sprintf("guard is used after the await on line %d", p.Line+1)})
		i += j + 1
	}
	for _, m := range sendReqRE.FindAllStringSubmatchIndex(s, -1) {
		if e.idx != nil && e.idx.SendRequired(s[m[2]:m[3]]) {
			res.Findings = append(res.Findings, patterns.Finding{Rule: patterns.RuleRcArc, Pos: posAt(src, m[0]),
				Message: "Rc moved into a spawned future", Fixed: true, Fix: "Rc became Arc"})
		}
	}
	s = sendReqRE.ReplaceAllStringFunc(s, func(m string) string {
		if name := strings.TrimPrefix(m, "SENDREQ "); e.idx != nil && e.idx.SendRequired(name) {
			return "SENT " + name
		}
		return m
	})
	if strings.Contains(s, "WARNME") {
		res.Warnings = append(res.Warnings, "cannot parse line 2")
	}
	if strings.Contains(s, "INTERNAL") {
		res.Internal = errors.New("output has a new syntax error")
		return res
	}
	res.Out = []byte(strings.ReplaceAll(s, "FIXME", "FIXED"))
	return res
}

func (e *fakeEngine) Close() {
	e.rec.mu.Lock()
	e.rec.closed++
	e.rec.mu.Unlock()
}

// result is one in-process run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// runIn runs the command in-process with dir as the working directory, the
// fake engine recorded in rec (nil: the real engine), and stdin.
func runIn(t *testing.T, ctx context.Context, dir string, rec *fakeRecord, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := &App{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getwd:      func() (string, error) { return dir, nil },
		Getenv:     func(string) string { return "" },
		IsTerminal: func(io.Writer) bool { return false },
		Context:    ctx,
	}
	if rec != nil {
		a.newEngine = rec.factory
	}
	code := a.Run(args)
	if rec != nil && rec.engines != rec.closed {
		t.Errorf("%d engines made, %d closed", rec.engines, rec.closed)
	}
	return result{code, out.String(), errb.String()}
}

// run is runIn with a background context and a fresh fake engine.
func run(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, context.Background(), dir, &fakeRecord{}, "", args...)
}

// tree writes files (slash paths relative to dir, contents) into dir.
func tree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}
