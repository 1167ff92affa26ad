package cli

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"sendfix/patterns"
)

func TestExplainEveryRule(t *testing.T) {
	dir := t.TempDir()
	for _, rule := range patterns.AllRules {
		r := run(t, dir, "--explain", rule)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("--explain %s: exit %d, stderr %q", rule, r.code, r.stderr)
		}
		// Each part the issue asks for, by its heading.
		for _, want := range []string{"Erroneous code example:", "Why rustc rejects it:", "What sendfix does:",
			"When it refuses", "future cannot be sent between threads safely", "sendfix:ignore " + rule} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("--explain %s lacks %q", rule, want)
			}
		}
		// A before and an after example: two indented code blocks at least.
		if n := len(regexp.MustCompile(`(?m)^\n    \S`).FindAllString(r.stdout, -1)); n < 2 {
			t.Errorf("--explain %s has %d code examples, want a before and an after", rule, n)
		}
		// Every flag the text recommends exists.
		for _, m := range regexp.MustCompile(`--[a-z][a-z-]+`).FindAllString(r.stdout, -1) {
			if !strings.Contains(run(t, dir, "--help").stdout, m+" ") && !strings.Contains(run(t, dir, "--help").stdout, m+"\n") {
				t.Errorf("--explain %s names %s, which is not a flag", rule, m)
			}
		}
	}
	r := run(t, dir, "--explain", "mutex_scope")
	if r.code != 2 || !strings.Contains(r.stderr, `no explanation for "mutex_scope"; rules: mutex-scope, tokio-mutex, rc-arc`) {
		t.Errorf("unknown rule: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestExplainExamplesMatchTheRules runs each explanation's "before"
// example, wrapped into a file, through the real engine: the rule the text
// is about must report it.
func TestExplainExamplesMatchTheRules(t *testing.T) {
	before := map[string]string{
		patterns.RuleMutexScope: "use std::sync::{Arc, Mutex};\nasync fn some_async_function() {}\nfn f(data: Arc<Mutex<i32>>) {\n%s\n}\n",
		patterns.RuleTokioMutex: "use std::sync::{Arc, Mutex};\nasync fn notify() {}\nfn f(data: Arc<Mutex<Vec<i32>>>) {\ntokio::spawn(async move {\n%s\n});\n}\n",
		patterns.RuleRcArc:      "use std::rc::Rc;\nfn f() {\n%s\n}\n",
	}
	for rule, wrap := range before {
		text := explanations[rule].text
		i := strings.Index(text, "Erroneous code example:\n\n")
		block := text[i+len("Erroneous code example:\n\n"):]
		block = block[:strings.Index(block, "\n\n")]
		src := strings.Replace(wrap, "%s", block, 1)
		e := patterns.NewEngine(patterns.DefaultConfig(), nil)
		res := e.Run("x.rs", []byte(src))
		e.Close()
		found := false
		for _, f := range res.Findings {
			found = found || f.Rule == rule
		}
		if !found {
			t.Errorf("%s: its example gives no %s finding (%+v):\n%s", rule, rule, res.Findings, src)
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	dir := t.TempDir()
	help := run(t, dir, "--help").stdout
	flags := regexp.MustCompile(`(?m)^(?:  -\w, |      )(--[a-z-]+)`).FindAllStringSubmatch(help, -1)
	if len(flags) < 15 {
		t.Fatalf("found %d flags in --help", len(flags))
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := run(t, dir, "completion", sh)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("completion %s: exit %d, %s", sh, r.code, r.stderr)
		}
		for _, f := range flags {
			name := f[1]
			if sh == "fish" {
				name = "-l " + strings.TrimPrefix(name, "--")
			}
			if !strings.Contains(r.stdout, name) {
				t.Errorf("completion %s lacks %s", sh, f[1])
			}
		}
		for _, v := range append(patterns.AllRules, "github", "sarif", "always") {
			if !strings.Contains(r.stdout, v) {
				t.Errorf("completion %s does not offer %s", sh, v)
			}
		}
		// Where the shell is installed, the script must at least parse.
		if path, err := exec.LookPath(sh); err == nil {
			check := exec.Command(path, "-n")
			if sh == "fish" {
				check = exec.Command(path, "--no-execute")
			}
			check.Stdin = strings.NewReader(r.stdout)
			if out, err := check.CombinedOutput(); err != nil {
				t.Errorf("%s rejects its script: %v\n%s", sh, err, out)
			}
		} else {
			t.Logf("%s not installed: its script's syntax is not checked", sh)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		if r := run(t, dir, args...); r.code != 2 || !strings.Contains(r.stderr, "bash, zsh or fish") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestBashCompletionCompletes runs the bash script's function on partial
// command lines, as bash would on TAB.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed for this test")
	}
	dir := t.TempDir()
	tree(t, dir, map[string]string{"src/main.rs": ""})
	script := run(t, dir, "completion", "bash").stdout
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"sendfix", "--col"}, "--color"},
		{[]string{"sendfix", "--color", "al"}, "always"},
		{[]string{"sendfix", "--color=ne"}, "--color=never"},
		{[]string{"sendfix", "--format", "s"}, "short sarif"},
		{[]string{"sendfix", "--rules", "mutex-scope,rc"}, "mutex-scope,rc-arc"},
		{[]string{"sendfix", "--explain", "tok"}, "tokio-mutex"},
		{[]string{"sendfix", "completion", "f"}, "fish"},
		{[]string{"sendfix", "sr"}, "src"},
	} {
		cmd := exec.Command(bash, "--norc", "-c", script+`
COMP_WORDS=("$@"); COMP_CWORD=$(($#-1)); _sendfix; echo "${COMPREPLY[*]}"`, "bash")
		cmd.Args = append(cmd.Args, tc.words...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if got := strings.TrimSpace(string(out)); err != nil || got != tc.want {
			t.Errorf("%v: completes to %q (%v), want %q", tc.words, got, err, tc.want)
		}
	}
}
