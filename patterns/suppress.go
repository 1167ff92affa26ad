package patterns

import (
	"bytes"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Suppressions let a team say "not here", in the two ways Rust code
// already does:
//
//	// sendfix:ignore                     every rule, in the next statement or item
//	// sendfix:ignore mutex-scope,rc-arc  only the rules named
//	#[allow(clippy::await_holding_lock)]  mutex-scope and tokio-mutex, in the item
//	#![allow(clippy::await_holding_lock)] the same, in the enclosing item or file
//
// The comment must stand on a line of its own, directly before the
// statement or item it covers (attributes and other comments may come
// between). `#[expect(..)]` counts as `#[allow(..)]`. A finding is inside
// a suppressed node when its primary location (the guard's or the Rc's
// binding) is. A fix that a suppressed finding would have made is not
// made; a fix of another finding still applies in full, even where its
// edits reach into a suppressed node (a tokio-mutex swap changes every
// lock call of the Mutex).

// ignoreDirective is the comment text that suppresses findings.
const ignoreDirective = "sendfix:ignore"

// clippyLints are the clippy lints whose allow also silences sendfix, and
// the rules they cover.
var clippyLints = map[string][]string{
	"await_holding_lock": {RuleMutexScope, RuleTokioMutex},
}

// suppression is one suppressed byte range (in the coordinates of the
// source it was computed on); rules nil means every rule.
type suppression struct {
	start, end int
	rules      map[string]bool
}

// suppressions lists the suppressed ranges of a parsed file.
type suppressions []suppression

// findSuppressions returns the suppressed ranges of src.
func findSuppressions(src []byte, root *sitter.Node) suppressions {
	if !bytes.Contains(src, []byte(ignoreDirective)) && !bytes.Contains(src, []byte("clippy")) {
		return nil
	}
	var out suppressions
	walk(root, func(n *sitter.Node) bool {
		switch n.Type() {
		case "line_comment":
			rules, ok := parseIgnore(text(src, n))
			if !ok || !ownLine(src, int(n.StartByte())) {
				return false
			}
			if t := nextTarget(n); t != nil {
				out = append(out, suppression{int(t.StartByte()), int(t.EndByte()), rules})
			}
			return false
		case "attribute_item":
			if rules := clippyAllows(text(src, n)); rules != nil {
				if t := nextTarget(n); t != nil {
					out = append(out, suppression{int(t.StartByte()), int(t.EndByte()), rules})
				}
			}
			return false
		case "inner_attribute_item":
			if rules := clippyAllows(text(src, n)); rules != nil {
				// An inner attribute covers what encloses it: its item
				// (the parent of the declaration list or block), or the
				// whole file at the top level.
				p := n.Parent()
				if p != nil && p.Parent() != nil && (p.Type() == "declaration_list" || p.Type() == "block") {
					p = p.Parent()
				}
				if p != nil {
					out = append(out, suppression{int(p.StartByte()), int(p.EndByte()), rules})
				}
			}
			return false
		}
		return true
	})
	return out
}

// parseIgnore reads a `// sendfix:ignore [RULE,...]` comment. It returns
// the rules named (nil for all) and whether the comment is a directive.
// Text after " -- " is a reason for the reader and is not parsed. A
// directive naming only unknown rules suppresses nothing.
func parseIgnore(comment string) (map[string]bool, bool) {
	s, ok := strings.CutPrefix(comment, "//")
	if !ok || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "!") {
		return nil, false // doc comments are documentation, not directives
	}
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, ignoreDirective)
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	if i := strings.Index(rest, " --"); i >= 0 {
		rest = rest[:i]
	}
	names := strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if len(names) == 0 {
		return nil, true
	}
	rules := map[string]bool{}
	for _, name := range names {
		for _, r := range AllRules {
			if name == r {
				rules[r] = true
			}
		}
	}
	if len(rules) == 0 {
		return nil, false
	}
	return rules, true
}

// clippyAllows returns the rules an `#[allow(..)]` or `#[expect(..)]`
// attribute silences, or nil.
func clippyAllows(attr string) map[string]bool {
	s := strings.TrimPrefix(attr, "#")
	s = strings.TrimPrefix(s, "!")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	var args string
	for _, kw := range []string{"allow", "expect"} {
		if rest, ok := strings.CutPrefix(s, kw); ok {
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, "(") && strings.HasSuffix(rest, ")") {
				args = rest[1 : len(rest)-1]
			}
		}
	}
	var rules map[string]bool
	for _, a := range strings.Split(args, ",") {
		a = strings.Join(strings.Fields(a), "")
		lint, ok := strings.CutPrefix(a, "clippy::")
		if !ok {
			continue
		}
		for _, r := range clippyLints[lint] {
			if rules == nil {
				rules = map[string]bool{}
			}
			rules[r] = true
		}
	}
	return rules
}

// ownLine reports whether only blanks come before off on its line.
func ownLine(src []byte, off int) bool {
	ls := bytes.LastIndexByte(src[:off], '\n') + 1
	return len(bytes.TrimSpace(src[ls:off])) == 0
}

// nextTarget returns the statement or item that n (a comment or an outer
// attribute) stands before: the next sibling that is neither a comment
// nor an attribute. nil when there is none.
func nextTarget(n *sitter.Node) *sitter.Node {
	for s := n.NextSibling(); s != nil; s = s.NextSibling() {
		switch s.Type() {
		case "line_comment", "block_comment", "attribute_item":
			continue
		case ";", "}", ",":
			return nil
		}
		return s
	}
	return nil
}

// covers reports whether a finding of rule at offset off is suppressed.
func (ss suppressions) covers(rule string, off int) bool {
	for _, s := range ss {
		if s.start <= off && off < s.end && (s.rules == nil || s.rules[rule]) {
			return true
		}
	}
	return false
}

// filter drops the suppressed proposals and returns the others and how
// many were dropped.
func (ss suppressions) filter(props []proposal) ([]proposal, int) {
	if len(ss) == 0 {
		return props, 0
	}
	out := props[:0:0]
	n := 0
	for _, p := range props {
		if ss.covers(p.f.Rule, p.f.Pos.Offset) {
			n++
			continue
		}
		out = append(out, p)
	}
	return out, n
}
