package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"sendfix/patterns"
	"sendfix/rewrite"
)

// A Send error and other lines of cargo's output, for src/main.rs of the
// article's example (the guard at 8:17, the await at 12:31).
var cargoLines = []string{
	`{"reason":"compiler-artifact","package_id":"path+file:///WS#0.1.0","target":{"kind":["lib"],"name":"ws"},"fresh":false}`,
	`{"reason":"compiler-message","package_id":"path+file:///WS#0.1.0","manifest_path":"/WS/Cargo.toml","target":{"kind":["bin"],"crate_types":["bin"],"name":"ws","src_path":"/WS/src/main.rs","edition":"2021","doc":true,"doctest":false,"test":true},` +
		`"message":{"$message_type":"diagnostic","message":"future cannot be sent between threads safely","code":null,"level":"error","spans":[{"file_name":"src/main.rs","byte_start":177,"byte_end":182,"line_start":8,"line_end":8,"column_start":17,"column_end":22,"is_primary":true,"text":[],"label":"has type","suggested_replacement":null,"suggestion_applicability":null,"expansion":null}],` +
		`"children":[{"message":"future is not ` + "`Send`" + ` as this value is used across an await","code":null,"level":"note","spans":[],"children":[],"rendered":null}],"rendered":"error: future cannot be sent between threads safely\n\n"}}`,
	`{"reason":"compiler-message","package_id":"path+file:///WS#0.1.0","manifest_path":"/WS/Cargo.toml","target":{"kind":["bin"],"name":"ws"},"message":{"$message_type":"diagnostic","message":"unused variable: ` + "`x`" + `","code":{"code":"unused_variables","explanation":null},"level":"warning","spans":[],"children":[],"rendered":"warning: unused\n"}}`,
	`{"reason":"build-finished","success":false}`,
}

func TestCargoMessagesAttachTheFix(t *testing.T) {
	root := t.TempDir()
	src := readFile(t, article+".input.rs")
	tree(t, root, map[string]string{"Cargo.toml": "[package]\nname = \"ws\"\nversion = \"0.1.0\"\n", "src/main.rs": src})
	e := patterns.NewEngine(patterns.DefaultConfig(), nil)
	res := e.Run("src/main.rs", []byte(src))
	e.Close()
	if len(res.Findings) != 1 || !res.Findings[0].Fixed {
		t.Fatalf("findings %+v", res.Findings)
	}
	for _, attach := range []bool{true, false} {
		var out bytes.Buffer
		cm := newCargoMessages(&out, root, false)
		f := cm.file("src/main.rs", res)
		for i, l := range cargoLines {
			var refs []findingRef
			if i == 1 && attach {
				refs = []findingRef{{f, 0}}
			}
			if err := cm.line([]byte(l+"\n"), refs); err != nil {
				t.Fatal(err)
			}
		}
		if err := cm.rest(); err != nil {
			t.Fatal(err)
		}
		got := lines(out.String())
		if len(got) != len(cargoLines)+map[bool]int{true: 0, false: 1}[attach] {
			t.Fatalf("attach=%v: %d lines:\n%s", attach, len(got), out.String())
		}
		for i, l := range cargoLines {
			if i != 1 || !attach {
				if got[i] != l {
					t.Errorf("attach=%v: line %d changed:\n%s", attach, i, got[i])
				}
			}
		}
		// The one message that carries the fix: rustc's error, or
		// sendfix's own warning after cargo's lines.
		carrier := got[1]
		if !attach {
			carrier = got[len(got)-1]
		}
		var m struct {
			Message struct {
				Level    string
				Children []struct {
					Level, Message string
					Spans          []msgSpan
				}
				Rendered string
			}
		}
		if err := json.Unmarshal([]byte(carrier), &m); err != nil {
			t.Fatal(err)
		}
		var edits []rewrite.Edit
		for _, c := range m.Message.Children {
			for _, s := range c.Spans {
				if c.Level != "help" || *s.SuggestionApplicability != machineApplicable || s.FileName != "src/main.rs" {
					t.Errorf("span %+v of %s", s, c.Level)
				}
				edits = append(edits, rewrite.Edit{Start: s.ByteStart, End: s.ByteEnd, New: *s.SuggestedReplacement})
			}
		}
		if fixed, err := rewrite.Apply([]byte(src), edits); err != nil || !bytes.Equal(fixed, res.Out) {
			t.Errorf("attach=%v: the suggestions give (%v)\n%s", attach, err, fixed)
		}
		want := map[bool]string{true: "error", false: "warning"}[attach]
		if m.Message.Level != want || attach && (len(m.Message.Children) != 2 ||
			!strings.Contains(m.Message.Rendered, "\n   = help: sendfix: scoped the guard")) {
			t.Errorf("attach=%v: %s", attach, carrier)
		}
		if !attach && !strings.Contains(carrier, `"package_id":"path+file://`+filepath.ToSlash(root)+`#ws@0.1.0"`) {
			t.Errorf("sendfix's own message: %s", carrier)
		}
	}
}
