package patterns

import (
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// mayTrigger reports whether a body of fc could hold a value the rule
// reports (see heldValues): an async block handed to a Send context
// (asyncBody.moved); a Send-required async fn with a `self` parameter or a parameter
// whose type may hold an Rc (it spells a word `Rc` or `Weak`, or one the
// file declares a struct or a type alias by); a Send-required body that
// spells one of those words (a local it binds may hold one). The rest of
// the rule runs only then.
func mayTrigger(fc *fileCtx) bool {
	var declared map[string]bool // struct and type alias names, on first need
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		switch b.node.Type() {
		case "async_block":
			if b.moved {
				return true
			}
		case "function_item":
			ps := b.node.ChildByFieldName("parameters")
			if ps == nil {
				continue
			}
			for _, p := range namedChildren(ps) {
				if p.Type() == "self_parameter" {
					return true
				}
				if p.Type() != "parameter" {
					continue
				}
				if declared == nil {
					declared = declaredTypeNames(fc.src)
				}
				if spellsRcType(fc.src[p.StartByte():p.EndByte()], declared) {
					return true
				}
			}
		}
		if declared == nil {
			declared = declaredTypeNames(fc.src)
		}
		if spellsRcType(fc.src[b.block.StartByte():b.block.EndByte()], declared) {
			return true
		}
	}
	return false
}

// declaredTypeNames returns the identifiers that follow a `struct` or
// `type` keyword in src, past comments: every name the file may declare a
// struct or a type alias by (and a few more, from macros).
func declaredTypeNames(src []byte) map[string]bool {
	out := map[string]bool{}
	after := false
	eachToken(src, func(t, i, j int) bool {
		w := string(src[i:j])
		if after && t == tokIdent {
			// A raw `r#Job` is the word `Job` to spellsRcType.
			out[strings.TrimPrefix(w, "r#")] = true
		}
		after = t == tokIdent && (w == "struct" || w == "type")
		return true
	})
	return out
}

// useNames returns the binding names a use node mentions: the identifier,
// or the inline format arguments of a string literal.
func (r *rcFile) useNames(u *sitter.Node) []string {
	if u.Type() == "identifier" {
		return []string{text(r.src, u)}
	}
	s := strings.ReplaceAll(strings.ReplaceAll(text(r.src, u), "{{", ""), "}}", "")
	var out []string
	for _, m := range formatArg.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
