package cli

// What cargo would say of a file's package and target, found without
// running cargo: the JSON messages of --message-format json carry them as
// cargo's compiler messages do. Read from the nearest Cargo.toml with a
// [package] table and the workspace's Cargo.toml above it. Approximated:
//   - the workspace root is the nearest folder at or above the package with
//     a [workspace] table (cargo also checks that the package is a member,
//     and honours package.workspace);
//   - the target of a file is found by cargo's conventions (src/lib.rs,
//     src/main.rs, src/bin/NAME.rs or src/bin/NAME/, examples/, tests/,
//     benches/, build.rs) and the paths of [lib], [[bin]], [[example]],
//     [[test]] and [[bench]]; a module file under src/ belongs to the lib
//     when there is one, else to the main bin, as its crate root is not
//     followed through `mod` items;
//   - autobins/autoexamples, target editions and required-features are
//     not read.

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// cargoPackage is what sendfix reads of one package's manifest.
type cargoPackage struct {
	dir, manifest, root    string // the package's folder, its Cargo.toml, the workspace root
	name, version, edition string
	lib                    *manifestTarget // nil when the package has no lib
	explicit               []manifestTarget
}

// manifestTarget is a target of a manifest: its kind (lib, bin, example,
// test, bench, custom-build), name and root file relative to the package.
type manifestTarget struct {
	kind, name, path string
	crateTypes       []string
}

// packages finds and caches the packages of files.
type packages struct {
	byDir map[string]*cargoPackage // nil value: no package at or above
}

func newPackages() *packages { return &packages{byDir: map[string]*cargoPackage{}} }

// of returns the package holding the file at abs, or nil.
func (p *packages) of(abs string) *cargoPackage {
	return p.dirPackage(filepath.Dir(abs))
}

func (p *packages) dirPackage(dir string) *cargoPackage {
	if pkg, ok := p.byDir[dir]; ok {
		return pkg
	}
	var pkg *cargoPackage
	if m, err := readManifest(filepath.Join(dir, "Cargo.toml")); err == nil && m.isPackage() {
		pkg = m.pkg(dir)
	} else if parent := filepath.Dir(dir); parent != dir {
		pkg = p.dirPackage(parent)
	}
	p.byDir[dir] = pkg
	return pkg
}

// manifest is the part of a Cargo.toml sendfix reads: the values of the
// keys of each table, and the array-of-tables entries.
type manifest struct {
	tables map[string]map[string]string // [package], [workspace.package], [lib], ...
	arrays map[string][]map[string]string
	// fromWorkspace lists the [package] keys written `key.workspace = true`.
	fromWorkspace map[string]bool
	workspace     bool // has a [workspace] table
}

func (m *manifest) isPackage() bool { return m.tables["package"] != nil }

// readManifest reads the few keys sendfix needs from a Cargo.toml, line by
// line: `key = "string"`, `key = 'string'`, `key = [..]` on one line,
// `key.workspace = true` and `key = { workspace = true }`.
func readManifest(name string) (*manifest, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m := &manifest{tables: map[string]map[string]string{}, arrays: map[string][]map[string]string{}, fromWorkspace: map[string]bool{}}
	var cur map[string]string
	table := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(stripComment(line))
		switch {
		case line == "":
		case strings.HasPrefix(line, "[["):
			table = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "[["), "]]"))
			cur = map[string]string{}
			m.arrays[table] = append(m.arrays[table], cur)
		case strings.HasPrefix(line, "["):
			table = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "["), "]"))
			if table == "workspace" || strings.HasPrefix(table, "workspace.") {
				m.workspace = true
			}
			cur = map[string]string{}
			if m.tables[table] == nil {
				m.tables[table] = cur
			} else {
				cur = m.tables[table]
			}
		case cur != nil:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				continue
			}
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if base, ok := strings.CutSuffix(k, ".workspace"); ok && table == "package" && v == "true" {
				m.fromWorkspace[base] = true
				continue
			}
			if strings.HasPrefix(v, "{") && strings.Contains(strings.ReplaceAll(v, " ", ""), "workspace=true") && table == "package" {
				m.fromWorkspace[k] = true
				continue
			}
			cur[k] = v
		}
	}
	return m, nil
}

// stripComment removes a # comment that is not inside a string.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == '\\' && quote == '"':
			i++
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '#':
			return line[:i]
		}
	}
	return line
}

// tomlString returns the string a TOML value holds, or "".
func tomlString(v string) string {
	switch {
	case strings.HasPrefix(v, "'") && strings.HasSuffix(v, "'") && len(v) >= 2:
		return v[1 : len(v)-1]
	case strings.HasPrefix(v, `"`):
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
	}
	return ""
}

// tomlStrings returns the strings of a one-line TOML array.
func tomlStrings(v string) []string {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return nil
	}
	var out []string
	for _, part := range strings.Split(v[1:len(v)-1], ",") {
		if s := tomlString(strings.TrimSpace(part)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pkg makes the package of the manifest m in dir.
func (m *manifest) pkg(dir string) *cargoPackage {
	p := &cargoPackage{dir: dir, manifest: filepath.Join(dir, "Cargo.toml"), root: dir}
	var ws *manifest
	for d := dir; ; d = filepath.Dir(d) {
		wm := m
		if d != dir {
			wm, _ = readManifest(filepath.Join(d, "Cargo.toml"))
		}
		if wm != nil && wm.workspace {
			p.root, ws = d, wm
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	get := func(key, def string) string {
		if m.fromWorkspace[key] && ws != nil {
			if v := tomlString(ws.tables["workspace.package"][key]); v != "" {
				return v
			}
		}
		if v := tomlString(m.tables["package"][key]); v != "" {
			return v
		}
		return def
	}
	p.name = get("name", filepath.Base(dir))
	p.version = get("version", "0.0.0")
	p.edition = get("edition", "2015")
	if lib := m.tables["lib"]; lib != nil || exists(filepath.Join(dir, "src", "lib.rs")) {
		t := manifestTarget{kind: "lib", name: strings.ReplaceAll(p.name, "-", "_"), path: "src/lib.rs", crateTypes: []string{"lib"}}
		if v := tomlString(lib["name"]); v != "" {
			t.name = v
		}
		if v := tomlString(lib["path"]); v != "" {
			t.path = path.Clean(filepath.ToSlash(v))
		}
		for _, k := range []string{"crate-type", "crate_type"} {
			if ct := tomlStrings(lib[k]); len(ct) > 0 {
				t.crateTypes = ct
			}
		}
		p.lib = &t
	}
	for _, kind := range []string{"bin", "example", "test", "bench"} {
		for _, e := range m.arrays[kind] {
			name, file := tomlString(e["name"]), tomlString(e["path"])
			if name == "" {
				continue
			}
			if file == "" {
				file = conventionalRoot(kind, name, p.name)
			}
			p.explicit = append(p.explicit, manifestTarget{kind: kind, name: name, path: path.Clean(filepath.ToSlash(file))})
		}
	}
	return p
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// conventionalRoot is where cargo looks for a target of kind named name
// that gives no path.
func conventionalRoot(kind, name, pkgName string) string {
	switch kind {
	case "bin":
		if name == pkgName {
			return "src/main.rs"
		}
		return "src/bin/" + name + ".rs"
	case "example":
		return "examples/" + name + ".rs"
	case "test":
		return "tests/" + name + ".rs"
	case "bench":
		return "benches/" + name + ".rs"
	}
	return ""
}

// targetDirs are the folders whose files or subfolders are targets of
// their own, by cargo's conventions.
var targetDirs = []struct{ dir, kind string }{
	{"src/bin/", "bin"}, {"examples/", "example"}, {"tests/", "test"}, {"benches/", "bench"},
}

// target returns the target the file at abs belongs to (see the file
// comment for what is approximated).
func (p *cargoPackage) target(abs string) msgTarget {
	rel, err := filepath.Rel(p.dir, abs)
	if err != nil {
		rel = filepath.Base(abs)
	}
	rel = filepath.ToSlash(rel)
	for _, t := range p.explicit {
		if t.path == rel {
			return p.msgTarget(t)
		}
	}
	switch {
	case p.lib != nil && rel == p.lib.path:
		return p.msgTarget(*p.lib)
	case rel == "src/main.rs":
		return p.msgTarget(manifestTarget{kind: "bin", name: p.name, path: rel})
	case rel == "build.rs":
		return p.msgTarget(manifestTarget{kind: "custom-build", name: "build-script-build", path: rel})
	}
	for _, td := range targetDirs {
		rest, ok := strings.CutPrefix(rel, td.dir)
		if !ok {
			continue
		}
		if name, ok := strings.CutSuffix(rest, ".rs"); ok && !strings.Contains(name, "/") {
			return p.msgTarget(manifestTarget{kind: td.kind, name: name, path: rel})
		}
		if name, _, ok := strings.Cut(rest, "/"); ok {
			return p.msgTarget(manifestTarget{kind: td.kind, name: name, path: td.dir + name + "/main.rs"})
		}
	}
	if p.lib != nil {
		return p.msgTarget(*p.lib)
	}
	return p.msgTarget(manifestTarget{kind: "bin", name: p.name, path: "src/main.rs"})
}

// msgTarget renders a target as cargo's messages do.
func (p *cargoPackage) msgTarget(t manifestTarget) msgTarget {
	m := msgTarget{Kind: []string{t.kind}, CrateTypes: []string{"bin"}, Name: t.name,
		SrcPath: filepath.Join(p.dir, filepath.FromSlash(t.path)), Edition: p.edition}
	switch t.kind {
	case "lib":
		m.Kind, m.CrateTypes = t.crateTypes, t.crateTypes
		m.Doc, m.Doctest, m.Test = true, true, true
	case "bin":
		m.Doc, m.Test = true, true
	case "test":
		m.Test = true
	}
	return m
}

// id is the package's id as cargo prints it for a path package:
// path+file:///DIR#VERSION, or #NAME@VERSION when the folder's name is
// not the package's.
func (p *cargoPackage) id() string {
	spec := p.version
	if filepath.Base(p.dir) != p.name {
		spec = p.name + "@" + p.version
	}
	return "path+" + fileURL(p.dir) + "#" + spec
}

// fileURL is a file: URL of an absolute path, percent-encoding what a URL
// path segment may not hold, as cargo's URLs do.
func fileURL(abs string) string {
	var b strings.Builder
	b.WriteString("file://")
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		b.WriteByte('/')
	}
	for _, c := range []byte(p) {
		if c > ' ' && c < 0x7f && !strings.ContainsRune("\"#<>?`{}%", rune(c)) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// standalone is the package sendfix reports for a file outside any cargo
// package: a single-file package, as cargo names a script
// (manifest_path is the file itself), bin target named after the file,
// version 0.0.0, edition 2021.
func standalone(abs string) (id, manifest string, target msgTarget) {
	name := strings.TrimSuffix(filepath.Base(abs), ".rs")
	var b strings.Builder
	for _, r := range name {
		if r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name = b.String()
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "_" + name
	}
	target = msgTarget{Kind: []string{"bin"}, CrateTypes: []string{"bin"}, Name: name, SrcPath: abs,
		Edition: "2021", Doc: true, Test: true}
	return "path+" + fileURL(abs) + "#" + name + "@0.0.0", abs, target
}
