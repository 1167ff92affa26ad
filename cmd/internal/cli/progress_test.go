package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runProgress runs the fake engine over n files, each taking a little
// while, with stderr a terminal or not and a progress delay of 1ns.
func runProgress(t *testing.T, terminal bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 6 {
		files[fmt.Sprintf("f%d.rs", i)] = "x\nUNFIXABLE\nFIXME\n"
	}
	tree(t, dir, files)
	rec := &fakeRecord{onRun: func(string) { time.Sleep(60 * time.Millisecond) }}
	var out, errb syncBuffer
	a := &App{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getwd:         func() (string, error) { return dir, nil },
		Getenv:        func(string) string { return "" },
		IsTerminal:    func(w io.Writer) bool { return terminal && w == io.Writer(&errb) },
		Context:       context.Background(),
		newEngine:     rec.factory,
		progressDelay: time.Nanosecond,
	}
	code = a.Run(append([]string{"-j", "1"}, args...))
	return out.String(), errb.String(), code
}

func TestProgressOnATerminal(t *testing.T) {
	stdout, stderr, code := runProgress(t, true)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// At 60ms a file and a redraw every 1ns..100ms, the line shows at
	// least once; each redraw erases the line first.
	if !strings.Contains(stderr, eraseLine+"sendfix: ") || !regexpFilesDone.MatchString(stderr) {
		t.Fatalf("no progress line:\n%q", stderr)
	}
	// The line is erased before any other output and at the end: once the
	// progress text is cut out, the report reads as without it.
	clean := regexpProgress.ReplaceAllString(stderr, "")
	if strings.Contains(clean, "\r") || strings.Contains(clean, "files\x1b") {
		t.Errorf("progress text left in the report:\n%q", clean)
	}
	for _, l := range strings.Split(stderr, "\n") {
		if i := strings.LastIndex(l, "\r"); i >= 0 && strings.Contains(l[:i], "warning[") {
			t.Errorf("progress drawn over a finding: %q", l)
		}
	}
	if !strings.HasSuffix(clean, "For more information about a rule, try `sendfix --explain RULE`.\n") {
		t.Errorf("the report does not end cleanly:\n%q", clean)
	}
	last := stderr[strings.LastIndex(stderr, "sendfix: 6 files scanned"):]
	if strings.Contains(last, "\r") {
		t.Errorf("progress drawn after the summary: %q", last)
	}
	if strings.Contains(stdout, "\r") || strings.Contains(stdout, "/6 files") {
		t.Errorf("progress on stdout:\n%q", stdout)
	}
}

var (
	regexpFilesDone = regexp.MustCompile(`sendfix: [0-6]/6 files`)
	regexpProgress  = regexp.MustCompile(`(\r\x1b\[K)(sendfix: [0-6]/6 files)?`)
)

func TestNoProgressInPipesOrMachineFormats(t *testing.T) {
	for _, tc := range []struct {
		terminal bool
		args     []string
	}{
		{false, nil},
		{true, []string{"--json"}},
		{true, []string{"--format", "short"}},
		{true, []string{"-q"}},
	} {
		stdout, stderr, _ := runProgress(t, tc.terminal, tc.args...)
		if strings.Contains(stderr+stdout, "\r") || strings.Contains(stderr+stdout, "/6 files") {
			t.Errorf("terminal %v %v: progress shown:\n%q\n%q", tc.terminal, tc.args, stderr, stdout)
		}
	}
}

func TestProgressWaitsForTheDelay(t *testing.T) {
	var b syncBuffer
	p := newProgress(&b, time.Hour)
	p.start(3)
	p.hold()
	p.release()
	time.Sleep(3 * progressEvery)
	p.stop()
	if b.String() != "" {
		t.Errorf("a run shorter than the delay drew %q", b.String())
	}
	var nilp *progress
	nilp.start(1)
	nilp.hold()
	nilp.release()
	nilp.stop()
}
