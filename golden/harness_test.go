package golden

import (
	"strings"
	"testing"

	"sendfix/patterns"
)

// The tests below check the harness itself, so that a broken harness
// cannot pass every case silently.

func TestParseDirectives(t *testing.T) {
	src := "\xef\xbb\xbf// golden: run\r\n//! doc\r\n// golden: edition=2024\n// golden: args=--skip tokio-mutex --all-async\n// golden: expect=send-error\n// golden: tokio-unstable\nfn main() {}\n// golden: edition=2021\n"
	c := &goldenCase{Input: []byte(src), Edition: "2021"}
	if err := c.parseDirectives(); err != nil {
		t.Fatal(err)
	}
	if !c.Run || c.Edition != "2024" || !c.ExpectSendError || !c.TokioUnstable || strings.Join(c.Args, " ") != "--skip tokio-mutex --all-async" {
		t.Errorf("got run=%v edition=%s expect=%v args=%q", c.Run, c.Edition, c.ExpectSendError, c.Args)
	}
	for _, bad := range []string{"// golden: edition=2018\n", "// golden: nope\n", "// golden: args=--rules nope\n", "// golden: args=--frobnicate\n", "// golden: tokio-unstable=yes\n"} {
		c := &goldenCase{Input: []byte(bad)}
		if err := c.parseDirectives(); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestConfigFor(t *testing.T) {
	cfg, err := configFor([]string{"--rules", "mutex-scope,rc-arc", "--skip=rc-arc", "--allow-public"})
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Rules[patterns.RuleMutexScope] || cfg.Rules[patterns.RuleRcArc] || cfg.Rules[patterns.RuleTokioMutex] || !cfg.AllowPublic || cfg.AllAsync {
		t.Errorf("got %+v", cfg)
	}
	cfg, _ = configFor(nil)
	for _, r := range patterns.AllRules {
		if !cfg.Rules[r] {
			t.Errorf("default config lacks %s", r)
		}
	}
}

func TestFindingsRoundTrip(t *testing.T) {
	in := "mutex-scope 9:17 unfixed: used after the await\n\nrc-arc 3:9 fixed\n"
	fs, err := parseFindings([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := []patterns.Finding{
		{Rule: "rc-arc", Pos: patterns.Pos{Line: 3, Col: 9}, Fixed: true},
		{Rule: "mutex-scope", Pos: patterns.Pos{Line: 9, Col: 17}, Reason: "`guard` is Used After the await on line 12"},
	}
	if p := compareFindings(fs, got); len(p) != 0 {
		t.Errorf("matching findings reported as different: %q", p)
	}
	got[1].Reason = "something else"
	got = append(got, patterns.Finding{Rule: "tokio-mutex", Pos: patterns.Pos{Line: 1, Col: 1}})
	p := compareFindings(fs, got)
	if len(p) != 2 || !strings.Contains(p[0], "does not contain") || !strings.Contains(p[1], "unexpected finding: tokio-mutex 1:1 unfixed") {
		t.Errorf("got %q", p)
	}
	if p := compareFindings(fs, got[:1]); len(p) != 1 || !strings.Contains(p[0], "missing finding: mutex-scope 9:17 unfixed") {
		t.Errorf("got %q", p)
	}
	if out := string(formatFindings(actualFindings(got[:2]))); out != "rc-arc 3:9 fixed\nmutex-scope 9:17 unfixed: something else\n" {
		t.Errorf("format: %q", out)
	}
	if _, err := parseFindings([]byte("mutex-scope 9 fixed\n")); err == nil {
		t.Error("malformed line accepted")
	}
}

func TestParseCargoJSON(t *testing.T) {
	out := strings.Join([]string{
		`{"reason":"compiler-message","target":{"name":"g__a__in","kind":["bin"]},"message":{"level":"error","message":"future cannot be sent between threads safely","rendered":"error: future cannot be sent between threads safely\n","code":null,"spans":[]}}`,
		`{"reason":"compiler-message","target":{"name":"g__a__out","kind":["bin"]},"message":{"level":"warning","message":"unused variable","rendered":"warning: unused\n","spans":[]}}`,
		`{"reason":"compiler-artifact","target":{"name":"g__a__out","kind":["bin"]},"executable":"/t/g__a__out"}`,
		`{"reason":"compiler-message","target":{"name":"other","kind":["bin"]},"message":{"level":"error","message":"future cannot be sent between threads safely","code":{"code":"E0277"},"spans":[{"file_name":"e2021/src/bin/g__b__in.rs"}]}}`,
		`{"reason":"compiler-message","target":{"name":"g__c__in","kind":["bin"]},"message":{"level":"error","message":"` + "`Rc<str>`" + ` cannot be sent between threads safely","code":{"code":"E0277"},"spans":[]}}`,
		`{"reason":"compiler-message","target":{"name":"g__d__in","kind":["bin"]},"message":{"level":"error","message":"` + "`x`" + ` cannot be sent between threads safely, says a lint","code":{"code":"E9999"},"spans":[]}}`,
		`not json`,
	}, "\n")
	vs := map[string]*binVerdict{"g__a__in": {}, "g__a__out": {}, "g__b__in": {}, "g__c__in": {}, "g__d__in": {}}
	parseCargoJSON([]byte(out), vs)
	if v := vs["g__a__in"]; !v.hasSendError() || v.Checked {
		t.Errorf("a in: %+v", v)
	}
	if v := vs["g__a__out"]; len(v.Errors) != 0 || !v.Checked || v.Exe != "/t/g__a__out" || v.verdict() != "compiles" {
		t.Errorf("a out: %+v", v)
	}
	if v := vs["g__b__in"]; !v.hasSendError() {
		t.Errorf("b in (attributed by span): %+v", v)
	}
	if v := vs["g__c__in"]; !v.hasSendError() {
		t.Errorf("c in (E0277 form): %+v", v)
	}
	if v := vs["g__d__in"]; v.hasSendError() || len(v.Errors) != 1 {
		t.Errorf("d in (another error): %+v", v)
	}
}
