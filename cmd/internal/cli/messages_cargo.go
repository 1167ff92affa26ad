package cli

// --message-format json under --cargo: cargo's own JSON messages pass
// through, and sendfix's fix of a Send error rides on rustc's message for
// it, as a "help" child whose spans carry the fix as MachineApplicable
// suggestions (rustfix and rust-analyzer then take it as rustc's own).
// The compiler-in-the-loop mode calls it in a dry run, the suggestions
// being against the files as they are on disk:
//
//	cm := newCargoMessages(w, root, color)      // root: the workspace root
//	f := cm.file(fileName, res)                 // each file the rules ran on: rustc's file_name, the engine's result
//	cm.line(raw, []findingRef{{f, i}, ..})      // each line of cargo's output, in order, with the findings that
//	                                            // fix (or refused) the Send error it reports; nil: as it came
//	cm.rest()                                   // sendfix's own messages for the findings no line carried
//
// cargo's build-finished line passes through line like any other.

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"

	"sendfix/patterns"
)

// cargoMessages writes cargo's messages with sendfix's fixes attached.
type cargoMessages struct {
	w     io.Writer
	root  string
	color bool
	pkgs  *packages
	files []*fixedFile
}

// fixedFile is one file the rules ran on under --cargo.
type fixedFile struct {
	*suggestions
	carried map[int]bool // the findings a line of cargo's carried
}

// findingRef is one finding of a fixedFile: an index into its findings.
type findingRef struct {
	file    *fixedFile
	finding int
}

func newCargoMessages(w io.Writer, root string, color bool) *cargoMessages {
	return &cargoMessages{w: w, root: root, color: color, pkgs: newPackages()}
}

// file registers a file the rules ran on; name is its file_name in
// rustc's messages (relative to the workspace root).
func (c *cargoMessages) file(name string, res *patterns.Result) *fixedFile {
	l := newSrcLines(res.In)
	f := &fixedFile{suggestions: newSuggestions(name, l, res.Findings, fileFixes(res.Findings, res.Fixes, res.In, res.Out)),
		carried: map[int]bool{}}
	c.files = append(c.files, f)
	return f
}

// line writes one line of cargo's JSON output. A compiler message with
// refs gets a child per finding (see suggestions.child: the fix as a
// suggestion, once in the run, or why there is none), and its rendered
// text a line for each; anything else is written as it came.
func (c *cargoMessages) line(raw []byte, refs []findingRef) error {
	raw = bytes.TrimRight(raw, "\r\n")
	var outer, msg map[string]json.RawMessage
	if len(refs) == 0 || json.Unmarshal(raw, &outer) != nil || string(outer["reason"]) != `"compiler-message"` ||
		json.Unmarshal(outer["message"], &msg) != nil {
		return c.write(raw)
	}
	var children []json.RawMessage
	json.Unmarshal(msg["children"], &children)
	var rendered *string
	json.Unmarshal(msg["rendered"], &rendered)
	for _, r := range refs {
		ch := r.file.child(r.finding)
		r.file.carried[r.finding] = true
		b, err := json.Marshal(ch)
		if err != nil {
			return err
		}
		children = append(children, b)
		if rendered != nil {
			s := strings.TrimRight(*rendered, "\n") + "\n   = " + ch.Level + ": sendfix: " + ch.Message + "\n\n"
			rendered = &s
		}
	}
	for _, kv := range []struct {
		key string
		v   any
	}{{"children", children}, {"rendered", rendered}} {
		b, err := json.Marshal(kv.v)
		if err != nil {
			return err
		}
		msg[kv.key] = b
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	outer["message"] = b
	if b, err = json.Marshal(outer); err != nil {
		return err
	}
	return c.write(b)
}

func (c *cargoMessages) write(b []byte) error {
	_, err := c.w.Write(append(append([]byte(nil), b...), '\n'))
	return err
}

// rest writes sendfix's own messages, as without --cargo, for the findings
// no line of cargo's carried.
func (c *cargoMessages) rest() error {
	m := &messageFormat{color: c.color}
	enc := json.NewEncoder(c.w)
	enc.SetEscapeHTML(false)
	for _, f := range c.files {
		abs := filepath.FromSlash(f.name)
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(c.root, abs)
		}
		id, manifest, target := standalone(abs)
		if p := c.pkgs.of(abs); p != nil {
			id, manifest, target = p.id(), p.manifest, p.target(abs)
		}
		for i := range f.findings {
			if f.carried[i] {
				continue
			}
			msg := msgCompiler{Reason: "compiler-message", PackageID: id, ManifestPath: manifest, Target: target, Message: m.diagnostic(f.suggestions, i)}
			if err := enc.Encode(msg); err != nil {
				return err
			}
		}
	}
	return nil
}
