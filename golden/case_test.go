package golden

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"sendfix/patterns"
)

// goldenCase is one input/expected-output pair and its directives.
type goldenCase struct {
	Group, Name string
	InputPath   string
	GoldenPath  string
	FindPath    string // <name>.findings, whether or not it exists

	Input  []byte
	Golden []byte // nil when the .golden.rs file is missing

	HasFindings bool
	Findings    []expectedFinding

	Run             bool     // build and run the output program
	Edition         string   // "2021" unless a directive says otherwise
	Args            []string // extra sendfix flags
	ExpectSendError bool     // a no-change case whose input must fail with the Send error
	TokioUnstable   bool     // compiled with --cfg tokio_unstable and tokio's tracing feature

	Err error // a problem with the case files themselves
}

// FullName is group/name, the case's subtest path.
func (c *goldenCase) FullName() string { return c.Group + "/" + c.Name }

// IsFix reports whether the case expects a change.
func (c *goldenCase) IsFix() bool { return !bytes.Equal(c.Input, c.Golden) }

// expectedFinding is one line of a .findings file.
type expectedFinding struct {
	Rule      string
	Line, Col int
	Fixed     bool
	Text      string // must occur in the message or reason, case-insensitively
}

// key is what must match exactly between expected and actual findings.
func (f expectedFinding) key() string {
	st := "unfixed"
	if f.Fixed {
		st = "fixed"
	}
	return fmt.Sprintf("%s %d:%d %s", f.Rule, f.Line, f.Col, st)
}

var (
	nameRE    = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	findingRE = regexp.MustCompile(`^(\S+) (\d+):(\d+) (fixed|unfixed)(?:: (.*))?$`)
)

// discoverCases finds every testdata/<group>/<name>.input.rs under root,
// sorted by group then name. Problems with a case's files are recorded in
// its Err so that one bad case fails alone.
func discoverCases(root string) ([]*goldenCase, error) {
	inputs, err := filepath.Glob(filepath.Join(root, "*", "*.input.rs"))
	if err != nil {
		return nil, err
	}
	sort.Strings(inputs)
	var cases []*goldenCase
	for _, in := range inputs {
		dir := filepath.Dir(in)
		name := strings.TrimSuffix(filepath.Base(in), ".input.rs")
		c := &goldenCase{
			Group:      filepath.Base(dir),
			Name:       name,
			InputPath:  in,
			GoldenPath: filepath.Join(dir, name+".golden.rs"),
			FindPath:   filepath.Join(dir, name+".findings"),
			Edition:    "2021",
		}
		c.Err = c.load()
		cases = append(cases, c)
	}
	return cases, nil
}

func (c *goldenCase) load() error {
	if !nameRE.MatchString(c.Group) || !nameRE.MatchString(c.Name) {
		return fmt.Errorf("case %s: group and name must be lowercase-with-dashes", c.FullName())
	}
	var err error
	if c.Input, err = os.ReadFile(c.InputPath); err != nil {
		return err
	}
	if err := c.parseDirectives(); err != nil {
		return fmt.Errorf("%s: %v", c.InputPath, err)
	}
	if g, err := os.ReadFile(c.GoldenPath); err == nil {
		c.Golden = g
	} else if !os.IsNotExist(err) {
		return err
	}
	if data, err := os.ReadFile(c.FindPath); err == nil {
		c.HasFindings = true
		if c.Findings, err = parseFindings(data); err != nil {
			return fmt.Errorf("%s: %v", c.FindPath, err)
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	if c.Golden != nil && c.ExpectSendError && c.IsFix() {
		return fmt.Errorf("%s: expect=send-error is only for no-change cases", c.InputPath)
	}
	return nil
}

// parseDirectives reads the `// golden: KEY[=VALUE]` lines among the
// input's leading comment lines.
func (c *goldenCase) parseDirectives() error {
	src := bytes.TrimPrefix(c.Input, []byte("\xef\xbb\xbf"))
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "//") {
			break
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimLeft(line, "/!")), "golden:")
		if !ok {
			continue
		}
		key, val, hasVal := strings.Cut(strings.TrimSpace(rest), "=")
		switch key {
		case "run":
			if hasVal {
				return fmt.Errorf("directive run takes no value")
			}
			c.Run = true
		case "edition":
			if val != "2021" && val != "2024" {
				return fmt.Errorf("edition=%q: want 2021 or 2024", val)
			}
			c.Edition = val
		case "args":
			c.Args = append(c.Args, strings.Fields(val)...)
			if _, err := configFor(c.Args); err != nil {
				return err
			}
		case "tokio-unstable":
			if hasVal {
				return fmt.Errorf("directive tokio-unstable takes no value")
			}
			c.TokioUnstable = true
		case "expect":
			if val != "send-error" {
				return fmt.Errorf("expect=%q: only send-error is known", val)
			}
			c.ExpectSendError = true
		default:
			return fmt.Errorf("unknown directive %q", key)
		}
	}
	return nil
}

// configFor is patterns.DefaultConfig adjusted by sendfix flags, parsed the
// way the command spells them.
func configFor(args []string) (patterns.Config, error) {
	cfg := patterns.DefaultConfig()
	fs := flag.NewFlagSet("golden: args", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rules := fs.String("rules", "", "comma-separated rules to run")
	skip := fs.String("skip", "", "comma-separated rules to skip")
	fs.BoolVar(&cfg.AllAsync, "all-async", false, "every async body")
	fs.BoolVar(&cfg.AllowPublic, "allow-public", false, "allow public type changes")
	if err := fs.Parse(args); err != nil {
		return cfg, fmt.Errorf("args %q: %v", strings.Join(args, " "), err)
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("args %q: unexpected %q", strings.Join(args, " "), fs.Arg(0))
	}
	list := func(s string) ([]string, error) {
		var out []string
		for _, r := range strings.Split(s, ",") {
			if r = strings.TrimSpace(r); r == "" {
				continue
			}
			if _, ok := cfg.Rules[r]; !ok {
				return nil, fmt.Errorf("unknown rule %q (have %s)", r, strings.Join(patterns.AllRules, ", "))
			}
			out = append(out, r)
		}
		return out, nil
	}
	if *rules != "" {
		only, err := list(*rules)
		if err != nil {
			return cfg, err
		}
		for r := range cfg.Rules {
			cfg.Rules[r] = false
		}
		for _, r := range only {
			cfg.Rules[r] = true
		}
	}
	skipped, err := list(*skip)
	if err != nil {
		return cfg, err
	}
	for _, r := range skipped {
		cfg.Rules[r] = false
	}
	return cfg, nil
}

// parseFindings reads a .findings file: one `RULE LINE:COL STATUS[: text]`
// per line; blank lines are ignored.
func parseFindings(data []byte) ([]expectedFinding, error) {
	var out []expectedFinding
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" {
			continue
		}
		m := findingRE.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: %q is not `RULE LINE:COL fixed|unfixed[: text]`", i+1, line)
		}
		ln, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		out = append(out, expectedFinding{Rule: m[1], Line: ln, Col: col, Fixed: m[4] == "fixed", Text: m[5]})
	}
	return out, nil
}

// actualFindings converts the engine's findings to the file format.
func actualFindings(fs []patterns.Finding) []expectedFinding {
	out := make([]expectedFinding, 0, len(fs))
	for _, f := range fs {
		text := f.Reason
		if f.Fixed {
			text = ""
		}
		out = append(out, expectedFinding{Rule: f.Rule, Line: f.Pos.Line, Col: f.Pos.Col, Fixed: f.Fixed, Text: text})
	}
	return out
}

// formatFindings renders findings as a .findings file, in position order.
func formatFindings(fs []expectedFinding) []byte {
	s := append([]expectedFinding(nil), fs...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Line != s[j].Line {
			return s[i].Line < s[j].Line
		}
		return s[i].Col < s[j].Col
	})
	var b bytes.Buffer
	for _, f := range s {
		b.WriteString(f.key())
		if t := strings.Join(strings.Fields(f.Text), " "); t != "" {
			b.WriteString(": " + t)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// compareFindings lists every way got differs from want: keys present in
// one and not the other, and texts not found in the finding's message.
func compareFindings(want []expectedFinding, got []patterns.Finding) []string {
	var problems []string
	gotBy := map[string][]patterns.Finding{}
	for _, f := range got {
		k := actualFindings([]patterns.Finding{f})[0].key()
		gotBy[k] = append(gotBy[k], f)
	}
	wantKeys := map[string]bool{}
	for _, w := range want {
		k := w.key()
		wantKeys[k] = true
		fs := gotBy[k]
		if len(fs) == 0 {
			problems = append(problems, "missing finding: "+k)
			continue
		}
		if w.Text == "" {
			continue
		}
		found := false
		for _, f := range fs {
			hay := strings.ToLower(f.Message + "\n" + f.Reason + "\n" + f.Fix + "\n" + strings.Join(f.Notes, "\n"))
			if strings.Contains(hay, strings.ToLower(w.Text)) {
				found = true
			}
		}
		if !found {
			problems = append(problems, fmt.Sprintf("finding %s: message %q / reason %q does not contain %q", k, fs[0].Message, fs[0].Reason, w.Text))
		}
	}
	var extra []string
	for k, fs := range gotBy {
		if !wantKeys[k] {
			extra = append(extra, fmt.Sprintf("unexpected finding: %s (%s; %s)", k, fs[0].Message, fs[0].Reason))
		}
	}
	sort.Strings(extra)
	return append(problems, extra...)
}
