package golden

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// The tests of --message-format json over every golden case, as it is and
// in every mutation of the diff round trip: the messages decode into
// rustc's diagnostic fields and their spans point at the file's bytes, and
// rustfix, the library under `cargo fix`, applying every machine-applicable
// suggestion gives exactly what --write writes.

// Cargo's compiler message and rustc's diagnostic, with their field names
// as rustc and cargo write them; decoding rejects any other field.
type (
	cargoJSONMessage struct {
		Reason       string           `json:"reason"`
		PackageID    string           `json:"package_id"`
		ManifestPath string           `json:"manifest_path"`
		Target       *cargoJSONTarget `json:"target"`
		Message      *rustcDiagnostic `json:"message"`
		Success      *bool            `json:"success"`
	}
	cargoJSONTarget struct {
		Kind       []string `json:"kind"`
		CrateTypes []string `json:"crate_types"`
		Name       string   `json:"name"`
		SrcPath    string   `json:"src_path"`
		Edition    string   `json:"edition"`
		Doc        bool     `json:"doc"`
		Doctest    bool     `json:"doctest"`
		Test       bool     `json:"test"`
	}
	rustcDiagnostic struct {
		MessageType string            `json:"$message_type"`
		Message     string            `json:"message"`
		Code        *rustcCode        `json:"code"`
		Level       string            `json:"level"`
		Spans       []rustcSpan       `json:"spans"`
		Children    []rustcDiagnostic `json:"children"`
		Rendered    *string           `json:"rendered"`
	}
	rustcCode struct {
		Code        string  `json:"code"`
		Explanation *string `json:"explanation"`
	}
	rustcSpan struct {
		FileName                string          `json:"file_name"`
		ByteStart               int             `json:"byte_start"`
		ByteEnd                 int             `json:"byte_end"`
		LineStart               int             `json:"line_start"`
		LineEnd                 int             `json:"line_end"`
		ColumnStart             int             `json:"column_start"`
		ColumnEnd               int             `json:"column_end"`
		IsPrimary               bool            `json:"is_primary"`
		Text                    []rustcSpanLine `json:"text"`
		Label                   *string         `json:"label"`
		SuggestedReplacement    *string         `json:"suggested_replacement"`
		SuggestionApplicability *string         `json:"suggestion_applicability"`
		Expansion               *struct{}       `json:"expansion"`
	}
	rustcSpanLine struct {
		Text           string `json:"text"`
		HighlightStart int    `json:"highlight_start"`
		HighlightEnd   int    `json:"highlight_end"`
	}
)

// decodeMessages decodes sendfix's JSON lines strictly: each line one
// message, no unknown field, build-finished last and only there.
func decodeMessages(t *testing.T, out []byte) []cargoJSONMessage {
	t.Helper()
	var msgs []cargoJSONMessage
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var m cargoJSONMessage
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("line %d: %v\n%.500s", n, err, sc.Bytes())
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 || msgs[len(msgs)-1].Reason != "build-finished" || msgs[len(msgs)-1].Success == nil {
		t.Fatalf("the stream does not end with build-finished")
	}
	for _, m := range msgs[:len(msgs)-1] {
		if m.Reason != "compiler-message" || m.Message == nil {
			t.Fatalf("not a compiler message: %+v", m)
		}
	}
	return msgs[:len(msgs)-1]
}

// lineOf returns the 1-based line and character column of off in src, and
// the text of every line (without its ending), counting as rustc does: a
// BOM is not on line 1, CRLF ends a line as LF does.
func lineOf(src []byte, off int) (line, col int) {
	start := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	line = 1 + bytes.Count(src[:off], []byte("\n"))
	if i := bytes.LastIndexByte(src[:off], '\n'); i >= 0 {
		start = i + 1
	}
	return line, utf8.RuneCount(src[start:off]) + 1
}

func lineText(src []byte, n int) string {
	lines := strings.Split(strings.TrimPrefix(string(src), "\xef\xbb\xbf"), "\n")
	return strings.TrimSuffix(lines[n-1], "\r")
}

// checkSpan checks a span against the bytes of its file.
func checkSpan(t *testing.T, src []byte, s rustcSpan) {
	t.Helper()
	if s.ByteStart < 0 || s.ByteStart > s.ByteEnd || s.ByteEnd > len(src) {
		t.Fatalf("span [%d, %d) outside the file of %d bytes", s.ByteStart, s.ByteEnd, len(src))
	}
	l1, c1 := lineOf(src, s.ByteStart)
	l2, c2 := lineOf(src, s.ByteEnd)
	if s.LineStart != l1 || s.ColumnStart != c1 || s.LineEnd != l2 || s.ColumnEnd != c2 {
		t.Errorf("span [%d, %d) says %d:%d-%d:%d, the file has %d:%d-%d:%d",
			s.ByteStart, s.ByteEnd, s.LineStart, s.ColumnStart, s.LineEnd, s.ColumnEnd, l1, c1, l2, c2)
	}
	if len(s.Text) != l2-l1+1 {
		t.Fatalf("span %d:%d-%d:%d has %d lines of text", l1, c1, l2, c2, len(s.Text))
	}
	for i, tl := range s.Text {
		want := lineText(src, l1+i)
		hs, he := 1, utf8.RuneCountInString(want)+1
		if i == 0 {
			hs = c1
		}
		if i == len(s.Text)-1 {
			he = c2
		}
		if tl.Text != want || tl.HighlightStart != hs || tl.HighlightEnd != he {
			t.Errorf("text line %d: got %q %d..%d, want %q %d..%d", l1+i, tl.Text, tl.HighlightStart, tl.HighlightEnd, want, hs, he)
		}
	}
	if s.Expansion != nil {
		t.Errorf("span with an expansion")
	}
}

// checkDiagnostic checks one message against its file and returns its
// finding as a .findings key (RULE LINE:COL fixed|unfixed) and whether it
// carries a suggestion.
func checkDiagnostic(t *testing.T, src []byte, file string, m cargoJSONMessage) (key string, suggests bool) {
	t.Helper()
	d := m.Message
	if m.PackageID == "" || m.ManifestPath == "" || m.Target == nil || m.Target.Name == "" || len(m.Target.Kind) == 0 || m.Target.SrcPath == "" {
		t.Errorf("incomplete cargo fields: %+v", m)
	}
	if d.Code == nil {
		t.Fatalf("no code: %+v", d)
	}
	rule, ok := strings.CutPrefix(d.Code.Code, "sendfix::")
	if d.MessageType != "diagnostic" || d.Level != "warning" || !ok || d.Code.Explanation == nil || d.Message == "" {
		t.Errorf("diagnostic fields: %+v", d)
	}
	if d.Rendered == nil || !strings.HasPrefix(*d.Rendered, "warning["+rule+"]: ") || !strings.Contains(*d.Rendered, file+":") {
		t.Errorf("rendered: %v", d.Rendered)
	}
	if len(d.Spans) == 0 || !d.Spans[0].IsPrimary {
		t.Fatalf("no primary span first: %+v", d.Spans)
	}
	for i, s := range d.Spans {
		if s.FileName != file || s.Label == nil || *s.Label == "" || s.SuggestedReplacement != nil || s.IsPrimary != (i == 0) {
			t.Errorf("span %d: %+v", i, s)
		}
		checkSpan(t, src, s)
		// The await span marks `await`, or the name of a macro that
		// awaits (`tokio::join!`).
		awaitMark := func(m string) bool { return m == "await" || s.ByteEnd < len(src) && src[s.ByteEnd] == '!' }
		if marked := string(src[s.ByteStart:s.ByteEnd]); marked == "" || strings.ContainsAny(marked, "\r\n") || i == 1 && !awaitMark(marked) {
			t.Errorf("span %d marks %q", i, marked)
		}
	}
	fixed := false
	for _, c := range d.Children {
		if c.Code != nil || c.Rendered != nil || len(c.Children) != 0 || c.MessageType != "" || c.Message == "" {
			t.Errorf("child: %+v", c)
		}
		switch {
		case c.Level == "note" && strings.HasPrefix(c.Message, "not fixed: "):
		case c.Level == "help":
			fixed = true
			for _, s := range c.Spans {
				if s.FileName != file || !s.IsPrimary || s.SuggestedReplacement == nil || s.SuggestionApplicability == nil || *s.SuggestionApplicability != "MachineApplicable" {
					t.Errorf("suggestion span: %+v", s)
				}
				checkSpan(t, src, s)
			}
			suggests = suggests || len(c.Spans) > 0
		default:
			t.Errorf("child: %+v", c)
		}
	}
	st := "unfixed"
	if fixed {
		st = "fixed"
	}
	return fmt.Sprintf("%s %d:%d %s", rule, d.Spans[0].LineStart, d.Spans[0].ColumnStart, st), suggests
}

// TestMessageFormat runs sendfix --message-format json over every golden
// case in every mutation (one tree per set of case flags), checks every
// message against the files and the findings against --json's, and has
// rustfix apply the suggestions of each file.
func TestMessageFormat(t *testing.T) {
	if sendfixBuildErr != nil {
		t.Fatal(sendfixBuildErr)
	}
	apply := rustfixHelper(t)
	cases, trees, keys := mutationTrees(t)
	var suggested, applied, findings int
	for _, key := range keys {
		files := trees[key]
		t.Run(treeName(key), func(t *testing.T) {
			args := strings.Fields(key)
			want := writtenTree(t, files, args)
			dir := writeTree(t, files)
			out, errOut, code := sendfix(t, dir, append([]string{"--message-format", "json", "--quiet"}, args...)...)
			if code != 0 {
				t.Fatalf("sendfix --message-format json exited %d\nstderr:\n%s", code, errOut)
			}
			byFile := map[string][][]byte{}
			keysOf := map[string][]string{}
			lines := bytes.Split(out, []byte("\n"))
			for i, m := range decodeMessages(t, out) {
				if len(m.Message.Spans) == 0 {
					t.Fatalf("a message without spans: %s", lines[i])
				}
				file := m.Message.Spans[0].FileName
				src, ok := files[file]
				if !ok {
					t.Fatalf("message about %q, which is not a file of the tree", file)
				}
				k, s := checkDiagnostic(t, src, file, m)
				line := lines[i]
				if s {
					suggested++
				}
				findings++
				keysOf[file] = append(keysOf[file], k)
				byFile[file] = append(byFile[file], line)
			}
			if t.Failed() {
				return
			}
			// The same findings as --json reports, fixed or not.
			jout, errOut, code := sendfix(t, dir, append([]string{"--json"}, args...)...)
			if code != 0 {
				t.Fatalf("sendfix --json exited %d\nstderr:\n%s", code, errOut)
			}
			var rep struct {
				Files []struct {
					Path     string `json:"path"`
					Findings []struct {
						Rule         string `json:"rule"`
						Line, Column int
						Fixed        bool `json:"fixed"`
					} `json:"findings"`
				} `json:"files"`
			}
			if err := json.Unmarshal(jout, &rep); err != nil {
				t.Fatal(err)
			}
			for _, f := range rep.Files {
				var want []string
				for _, x := range f.Findings {
					want = append(want, expectedFinding{Rule: x.Rule, Line: x.Line, Col: x.Column, Fixed: x.Fixed}.key())
				}
				got := keysOf[f.Path]
				sort.Strings(want)
				sort.Strings(got)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s: the messages say\n%s\n--json says\n%s", f.Path, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				delete(keysOf, f.Path)
			}
			for p := range keysOf {
				t.Errorf("%s: messages, but no finding in --json", p)
			}
			if apply == "" {
				return
			}
			var paths []string
			for p := range files {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			for _, p := range paths {
				if len(byFile[p]) == 0 {
					if !bytes.Equal(want[p], files[p]) {
						t.Errorf("%s: --write changes it, but no message suggests a change", p)
					}
					continue
				}
				cmd := exec.Command(apply, p)
				cmd.Dir = dir
				cmd.Stdin = bytes.NewReader(append(bytes.Join(byFile[p], []byte("\n")), '\n'))
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Errorf("rustfix on %s: %v\n%s", p, err, stderr.String())
					continue
				}
				if !bytes.Equal(stdout.Bytes(), want[p]) {
					t.Errorf("rustfix on %s differs from --write:\n%s", p, describeDiff(t, want[p], stdout.Bytes()))
					continue
				}
				if !bytes.Equal(want[p], files[p]) {
					applied++
				}
			}
		})
	}
	t.Logf("%d messages, %d with a suggestion; rustfix gave the --write bytes of %d changed files", findings, suggested, applied)
	if suggested < len(cases) {
		t.Errorf("only %d suggestions: the test proves little", suggested)
	}
	if apply != "" && applied < len(cases) {
		t.Errorf("rustfix changed only %d files: the test proves little", applied)
	}
}

// mutationTrees lays out every golden case in every mutation and as it
// is (mutation/group/name.rs), one tree per set of case flags, so that
// each command runs once over many files. It returns the cases, the trees
// by flags, and the flags sorted.
func mutationTrees(t *testing.T) ([]*goldenCase, map[string]map[string][]byte, []string) {
	t.Helper()
	cases, err := discoverCases("testdata")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	trees := map[string]map[string][]byte{} // flags -> path -> input
	for _, c := range cases {
		if c.Err != nil {
			continue // TestGolden reports it
		}
		key := strings.Join(c.Args, " ")
		if trees[key] == nil {
			trees[key] = map[string][]byte{}
		}
		for _, m := range mutations {
			trees[key][fmt.Sprintf("%s/%s/%s.rs", m.name, c.Group, c.Name)] = m.f(c.Input)
		}
		trees[key][fmt.Sprintf("plain/%s/%s.rs", c.Group, c.Name)] = c.Input
	}
	var keys []string
	for k := range trees {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return cases, trees, keys
}

// treeName names the subtest of a tree by its flags.
func treeName(flags string) string {
	if flags == "" {
		return "default"
	}
	return flags
}

// writtenTree returns what sendfix --write makes of files under args.
func writtenTree(t *testing.T, files map[string][]byte, args []string) map[string][]byte {
	t.Helper()
	dir := writeTree(t, files)
	if out, errOut, code := sendfix(t, dir, append([]string{"--write", "--quiet"}, args...)...); code != 0 {
		t.Fatalf("sendfix --write exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	return readTree(t, dir, files)
}

// rustfixApply is the helper that applies suggestions with rustfix: it
// reads cargo's JSON messages on standard input and prints FILE with
// every machine-applicable suggestion for it applied.
const rustfixApply = `use std::collections::HashSet;
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 2 {
        eprintln!("usage: rustfix-apply FILE < messages");
        std::process::exit(2);
    }
    let file = &args[1];
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("reading standard input");
    let code = std::fs::read_to_string(file).expect("reading the file");
    let mut suggestions = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {}", n + 1, e));
        if v["reason"] != "compiler-message" {
            continue;
        }
        // cargo wraps rustc's diagnostic, which is what rustfix reads.
        let found = rustfix::get_suggestions_from_json(
            &v["message"].to_string(),
            &HashSet::<String>::new(),
            rustfix::Filter::MachineApplicableOnly,
        )
        .unwrap_or_else(|e| panic!("line {}: {}", n + 1, e));
        for s in found {
            if s.solutions.iter().flat_map(|sol| sol.replacements.iter()).all(|r| r.snippet.file_name == *file) {
                suggestions.push(s);
            }
        }
    }
    let fixed = rustfix::apply_suggestions(&code, &suggestions).unwrap_or_else(|e| panic!("applying: {}", e));
    print!("{}", fixed);
}
`

// rustfixHelper builds the rustfix helper once (offline, against Debian's
// rustfix sources) and returns its path, or "" when cargo or rustfix is
// missing (a failure instead under SENDFIX_REQUIRE_RUSTC=1).
func rustfixHelper(t *testing.T) string {
	t.Helper()
	skip := func(why string) string {
		if requireTools() {
			t.Fatalf("%s (apt-get install -y librust-rustfix-dev)", why)
		}
		t.Logf("rustfix part skipped: %s (apt-get install -y librust-rustfix-dev; SENDFIX_REQUIRE_RUSTC=1 makes this a failure)", why)
		return ""
	}
	if _, err := exec.LookPath("cargo"); err != nil {
		return skip("cargo is not on PATH")
	}
	if m, _ := filepath.Glob(filepath.Join(registry, "rustfix-0.6*")); len(m) == 0 {
		return skip("no rustfix 0.6 sources in " + registry)
	}
	base, err := cargoDir()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "rustfix-apply")
	if err := os.MkdirAll(filepath.Join(dir, "src"), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	for rel, data := range map[string]string{
		// Its own workspace, so that no Cargo.toml above claims it.
		"Cargo.toml":         "[package]\nname = \"rustfix-apply\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nrustfix = \"0.6\"\nserde_json = \"1\"\n\n[workspace]\n",
		".cargo/config.toml": "[source.crates-io]\nreplace-with = \"debian\"\n[source.debian]\ndirectory = \"" + registry + "\"\n[net]\noffline = true\n",
		"src/main.rs":        rustfixApply,
	} {
		p := filepath.Join(dir, rel)
		if old, err := os.ReadFile(p); err == nil && string(old) == data {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, err := runCargo(dir, "build", "--message-format=json")
	if err != nil {
		t.Fatalf("building the rustfix helper: %v\n%s", err, tail(stderr, 3000))
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var m cargoMessage
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Reason == "compiler-artifact" && m.Target.Name == "rustfix-apply" && m.Executable != nil {
			return *m.Executable
		}
	}
	t.Fatalf("cargo built no rustfix-apply executable\n%s", tail(stderr, 3000))
	return ""
}
