package patterns

import (
	"sort"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// mayTrigger reports whether a body of fc could trigger the rule (see
// triggers): a Send-required async block handed to a spawn, or a
// Send-required async fn with a parameter whose type may hold an Rc: it
// spells a word `Rc` or `Weak`, or one the file declares a struct or a
// type alias by. The rest of the rule, which walks the whole file, runs
// only then.
func mayTrigger(fc *fileCtx) bool {
	bare := false
	bareKnown := false
	var declared map[string]bool // struct and type alias names, on first need
	for _, b := range fc.bodies {
		if !b.send {
			continue
		}
		switch b.node.Type() {
		case "async_block":
			if !bareKnown {
				bare, bareKnown = bareSpawnIsTokio(fc.src, fc.root), true
			}
			if _, kind := spawnerOf(fc.src, b.node, bare); kind == sendSpawn {
				return true
			}
		case "function_item":
			ps := b.node.ChildByFieldName("parameters")
			if ps == nil {
				continue
			}
			for _, p := range namedChildren(ps) {
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

// triggers returns the groups of Rc values that a Send-required future
// captures or receives as a parameter, one per group, in source order.
func (r *rcFile) triggers() []*rcGroup {
	var groups []*rcGroup
	seen := map[siteKey]bool{}
	evidence := map[siteKey]bool{}
	for _, m := range r.mentions {
		if (m.word == "Rc" || m.word == "Weak") && m.owner.ok() {
			evidence[r.find(m.owner)] = true
		}
	}
	add := func(s *rcSite, why string, cands []siteKey) {
		for _, c := range cands {
			root := r.find(c)
			if !evidence[root] || seen[root] {
				continue
			}
			seen[root] = true
			groups = append(groups, &rcGroup{root: root, trigger: s, why: why})
		}
	}
	fieldKeys := func(s *rcSite) []siteKey {
		keys := []siteKey{}
		for k := range r.sites {
			if k.ofStruct(s.structName) {
				keys = append(keys, k)
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
		return keys
	}
	considerFields := func(s *rcSite, why string) { add(s, why, fieldKeys(s)) }
	consider := func(s *rcSite, why string) {
		cands := []siteKey{s.key}
		if st := r.structs[s.structName]; st != nil {
			cands = append(cands, fieldKeys(s)...)
		}
		add(s, why, cands)
	}
	for _, b := range r.fc.bodies {
		if !b.send {
			continue
		}
		if b.node.Type() == "async_block" {
			// Only a block handed to a spawn is moved to another thread
			// as a whole; an Rc made inside a spawned block is a matter
			// of what is alive at its awaits, which this rule leaves alone.
			if _, kind := spawnerOf(r.src, b.node, r.bare); kind != sendSpawn {
				continue
			}
		}
		if b.node.Type() == "function_item" {
			for i := 0; ; i++ {
				s := r.sites[paramKey(b.node, i)]
				if s == nil {
					break
				}
				// Only a parameter whose type spells an Rc holds one
				// itself: a `&str` or `&T` parameter fed by deref from
				// a caller's Rc makes no future non-Send, and the fn may
				// be Send-required only by a name match with another
				// file's fn.
				if r.typeSpellsRc(s.typ, evidence) {
					consider(s, b.why)
				} else if r.structs[s.structName] != nil {
					considerFields(s, b.why)
				}
			}
			continue
		}
		for _, u := range r.uses {
			if !contains(b.block, u) {
				continue
			}
			for _, name := range r.useNames(u) {
				bd := r.resolveBind(u, name)
				if bd == nil || !bd.site.ok() || bd.start >= b.node.StartByte() {
					continue
				}
				consider(r.sites[bd.site], "is captured by a future that must be Send ("+b.why+")")
			}
		}
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].trigger.id.StartByte() < groups[j].trigger.id.StartByte() })
	return groups
}

// typeSpellsRc reports whether a declared type spells an Rc or Weak of
// this rule, or names a type alias of the file whose group holds one.
func (r *rcFile) typeSpellsRc(t *sitter.Node, evidence map[siteKey]bool) bool {
	if t == nil {
		return false
	}
	for _, m := range r.mentions {
		if (m.word == "Rc" || m.word == "Weak") && contains(t, m.node) {
			return true
		}
	}
	found := false
	walk(t, func(n *sitter.Node) bool {
		if n.Type() == "type_identifier" && r.sites[aliasKey(text(r.src, n))] != nil && evidence[r.find(aliasKey(text(r.src, n)))] {
			found = true
		}
		return !found
	})
	return found
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
