package patterns

import (
	"regexp"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// Spawners: which calls hand their future to a multi-threaded runtime
// (the future must be Send) and which run it on the current thread (it
// need not be). A receiver (`set.spawn(..)`) is known by the type the file
// gives it: how its binding was made, a parameter's or a field's type.

// The tokio types whose `spawn`/`spawn_on` need a Send future, by path.
const (
	tkHandle      = "tokio::runtime::Handle"
	tkRuntime     = "tokio::runtime::Runtime"
	tkRtBuilder   = "tokio::runtime::Builder"
	tkJoinSet     = "tokio::task::JoinSet"
	tkTaskBuilder = "tokio::task::Builder"
	tkTracker     = "tokio_util::task::TaskTracker"
)

// spawnerTypes are the receivers whose `spawn` and `spawn_on` take a
// future that must be Send.
var spawnerTypes = map[string]bool{tkHandle: true, tkRuntime: true, tkJoinSet: true, tkTaskBuilder: true, tkTracker: true}

// tokioModules are where a glob import may bring a spawner type or tokio's
// `spawn` in from.
var tokioModules = []string{"tokio", "tokio::runtime", "tokio::task", "tokio_util::task"}

// typeAliases are paths under which the spawner types are also exported.
var typeAliases = map[string]string{
	"tokio_util::task::task_tracker::TaskTracker": tkTracker,
	"tokio::task::join_set::JoinSet":              tkJoinSet,
}

// classifyCall says whether call (a call_expression) spawns its first
// argument on a multi-threaded runtime (sendSpawn), runs it on this thread
// (localRun: spawn_local, block_on, run_until, any receiver), or neither.
//   - a path call: `tokio::spawn`, `tokio::task::spawn`, those names as
//     imported (`use tokio::spawn;`, `use tokio::task;` then `task::spawn`,
//     `use tokio::task::spawn as go;`), and `task::spawn` where nothing
//     else is imported as `task`;
//   - a method call `.spawn(..)`/`.spawn_on(..)` on a receiver of a type
//     of spawnerTypes (exprType).
func (m *sendModel) classifyCall(call *sitter.Node) spawnKind {
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function") // `tokio::spawn::<_>(..)`
	}
	if fn == nil || !m.spawns {
		return notSpawn
	}
	switch fn.Type() {
	case "identifier", "scoped_identifier":
		full := m.resolve(pathString(m.src, fn))
		if full == "spawn" {
			full = m.resolveType(full, "tokio", "tokio::task")
		}
		switch full[strings.LastIndex(full, ":")+1:] {
		case "spawn_local", "block_on", "run_until":
			return localRun
		}
		if full == "tokio::spawn" || full == "tokio::task::spawn" || full == "task::spawn" {
			return sendSpawn
		}
	case "field_expression":
		switch text(m.src, fn.ChildByFieldName("field")) {
		case "spawn_local", "spawn_local_on", "block_on", "run_until":
			return localRun
		case "spawn", "spawn_on":
			if spawnerTypes[m.exprType(fn.ChildByFieldName("value"))] {
				return sendSpawn
			}
		}
	}
	return notSpawn
}

// exprType returns the path of the type of expression e as far as the
// file shows it, or "": a spawner type of tokio, or a struct of the file
// (by name), through references, `Arc`/`Box`/`Lazy` wrappers, `?`,
// `.unwrap()`, `.expect(..)` and `.clone()`. It knows
//   - constructors: `Handle::current()`, `Runtime::new()`,
//     `JoinSet::new()`, `TaskTracker::new()`, `task::Builder::new()` (and
//     its `.name(..)`), `runtime::Builder::new_multi_thread()..build()`,
//     `rt.handle()`;
//   - a local binding's type or initializer (`let mut set =
//     JoinSet::new();`, `let h: Handle = ..`), a parameter's type
//     (`h: &Handle`), a static's or const's type;
//   - `self`, as the type of its impl, and a field of a struct of the file
//     (`self.tasks` of a field `tasks: JoinSet<()>`);
//   - a call of a fn of the file whose return type says it (one fn of
//     the name).
func (m *sendModel) exprType(e *sitter.Node) string {
	m.load()
	return m.exprTypeDepth(e, 0)
}

// exprTypeDepth is exprType with a bound on the chain of bindings it
// follows (`let a = b; let b = a;` cannot loop).
func (m *sendModel) exprTypeDepth(e *sitter.Node, depth int) string {
	if e == nil || depth > 16 {
		return ""
	}
	depth++
	switch e.Type() {
	case "parenthesized_expression", "try_expression":
		return m.exprTypeDepth(e.NamedChild(0), depth)
	case "reference_expression":
		return m.exprTypeDepth(e.ChildByFieldName("value"), depth)
	case "unary_expression":
		return m.exprTypeDepth(e.NamedChild(0), depth)
	case "self":
		if impl := ancestor(e, "impl_item"); impl != nil {
			return typeBaseName(m.src, impl.ChildByFieldName("type"))
		}
	case "identifier":
		return m.bindingType(e, depth)
	case "field_expression":
		st := m.exprTypeDepth(e.ChildByFieldName("value"), depth)
		if body := m.structs[st]; body != nil {
			f := text(m.src, e.ChildByFieldName("field"))
			for _, fd := range namedChildren(body) {
				if fd.Type() == "field_declaration" && text(m.src, fd.ChildByFieldName("name")) == f {
					return m.typePath(fd.ChildByFieldName("type"))
				}
			}
		}
	case "call_expression":
		return m.callType(e, depth)
	case "struct_expression":
		return m.typePathOf(pathString(m.src, e.ChildByFieldName("name")))
	}
	return ""
}

// callType is exprType of a call.
func (m *sendModel) callType(call *sitter.Node, depth int) string {
	fn := call.ChildByFieldName("function")
	if fn == nil {
		return ""
	}
	switch fn.Type() {
	case "scoped_identifier":
		name := text(m.src, fn.ChildByFieldName("name"))
		base := m.typePathOf(pathString(m.src, fn.ChildByFieldName("path")))
		switch {
		case name == "new" && (base == "Arc" || base == "Box" || base == "Rc"):
			if args := namedChildren(call.ChildByFieldName("arguments")); len(args) == 1 {
				return m.exprTypeDepth(args[0], depth)
			}
		case base == tkRtBuilder:
			if strings.HasPrefix(name, "new_") {
				return tkRtBuilder
			}
		case spawnerTypes[base]:
			switch name {
			case "new", "current", "try_current", "default":
				return base
			}
		}
		if ds := m.decls(name, false); len(ds) == 1 && ds[0].owner != "" {
			return m.retType(ds[0])
		}
	case "identifier":
		if ds := m.decls(text(m.src, fn), false); len(ds) == 1 && ds[0].owner == "" {
			return m.retType(ds[0])
		}
	case "field_expression":
		name := text(m.src, fn.ChildByFieldName("field"))
		recv := fn.ChildByFieldName("value")
		switch name {
		case "unwrap", "expect", "clone", "as_ref":
			return m.exprTypeDepth(recv, depth)
		}
		rt := m.exprTypeDepth(recv, depth)
		switch {
		case rt == tkRuntime && name == "handle":
			return tkHandle
		case rt == tkRtBuilder && name == "build":
			return tkRuntime
		case rt == tkRtBuilder, rt == tkTaskBuilder && name == "name":
			// The builders' setters return the builder.
			return rt
		}
		if ds := m.decls(name, true); len(ds) == 1 {
			return m.retType(ds[0])
		}
	}
	return ""
}

// retType is the typePath of a fn's return type.
func (m *sendModel) retType(d *fnDecl) string {
	return m.typePath(d.node.ChildByFieldName("return_type"))
}

// bindingType is exprType of an identifier: the type of the binding it
// names (see bindingOf), else of a static or const of the file.
func (m *sendModel) bindingType(id *sitter.Node, depth int) string {
	typ, value, found := m.bindingOf(id)
	switch {
	case typ != nil:
		return m.typePath(typ)
	case value != nil:
		return m.exprTypeDepth(value, depth)
	case found:
		return ""
	}
	name := text(m.src, id)
	if _, ok := m.structs[name]; ok {
		return name // a unit struct's value
	}
	return m.typePath(m.statics[name])
}

// bindingOf finds the local binding an identifier names (facts.Resolve):
// a `let`'s type and value, a parameter's type; found alone for any other
// binding (a pattern of a match arm, an `if let`, a `for`).
func (m *sendModel) bindingOf(id *sitter.Node) (typ, value *sitter.Node, found bool) {
	f := m.facts()
	b := f.Resolve(id)
	if b == NoBinding {
		return nil, nil, false
	}
	bd := f.Binding(b)
	switch bd.Decl.Type() {
	case "let_declaration":
		return bd.Type, bd.Init, true
	case "parameter", "closure_expression":
		return bd.Type, nil, true
	}
	return nil, nil, true
}

// facts returns the file's facts layer, made on first need.
func (m *sendModel) facts() *facts {
	if m.fx == nil {
		m.fx = newFacts(m.src, m.root)
	}
	return m.fx
}

// derefWrappers are the wrappers exprType looks through: a method call on
// `Arc<Handle>` is a call on the Handle.
var derefWrappers = map[string]bool{
	"Arc": true, "Rc": true, "Box": true, "Lazy": true, "LazyLock": true, "LazyCell": true,
	"std::sync::Arc": true, "std::rc::Rc": true, "std::sync::LazyLock": true,
	"once_cell::sync::Lazy": true, "once_cell::unsync::Lazy": true,
}

// typePath returns the path of a type node as exprType gives it: a
// spawner type of tokio by its full path, else the type's last name.
func (m *sendModel) typePath(t *sitter.Node) string {
	for t != nil {
		switch t.Type() {
		case "reference_type":
			t = t.ChildByFieldName("type")
		case "generic_type":
			base := pathString(m.src, t.ChildByFieldName("type"))
			if !derefWrappers[base] {
				return m.typePathOf(base)
			}
			t = firstTypeArg(t.ChildByFieldName("type_arguments"))
		case "type_identifier", "scoped_type_identifier":
			return m.typePathOf(pathString(m.src, t))
		default:
			return ""
		}
	}
	return ""
}

// typePathOf resolves a type path written in the file: a spawner type (or
// a runtime Builder) by its full path, else its last name.
func (m *sendModel) typePathOf(path string) string {
	if i := strings.IndexByte(path, '<'); i >= 0 {
		path = path[:i]
	}
	full := m.resolveType(path, tokioModules...)
	if a, ok := typeAliases[full]; ok {
		full = a
	}
	if spawnerTypes[full] || full == tkRtBuilder {
		return full
	}
	return full[strings.LastIndex(full, ":")+1:]
}

// tokioSpawnImport matches `use tokio::spawn;`, `use tokio::task::spawn;`
// and groups that import the bare name `spawn` from tokio: the token
// reading's (lexcalls.go) test of a bare `spawn`.
var tokioSpawnImport = regexp.MustCompile(`^use\s+(::)?tokio::(task::)?(spawn\b|\{[^}]*\bspawn\b)`)

// spawnKindOfPath is the token reading's classifyCall, on a callee's last
// name and its path: "name", "a::b::name" (spaces removed) or ".name" for
// a method; bareTokio: the file imports tokio's bare `spawn`. It takes
// every `.spawn(..)`/`.spawn_on(..)` for a Send spawn, whatever the
// receiver: the reading cannot see types, and a superset of classifyCall
// is what the prefilter needs (see fileSyntax.spawnKind for imports).
func spawnKindOfPath(last, full string, bareTokio bool) spawnKind {
	switch last {
	case "spawn_local", "block_on", "run_until":
		return localRun
	case "spawn", "spawn_on":
		switch {
		case full == ".spawn" || full == ".spawn_on":
			return sendSpawn
		case full == "spawn":
			if bareTokio {
				return sendSpawn
			}
		case strings.HasPrefix(full, "tokio::") || strings.HasPrefix(full, "::tokio::") || full == "task::spawn":
			return sendSpawn
		}
	}
	return notSpawn
}
