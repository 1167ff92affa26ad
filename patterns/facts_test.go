package patterns

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
)

// factsFor parses src and returns its facts.
func factsFor(t *testing.T, src string) (*facts, *sitter.Node) {
	t.Helper()
	root := parseRust(t, src)
	return newFacts([]byte(src), root), root
}

// nthIdent returns the node of the n-th (0-based) identifier or `self`
// spelled name in src, in source order.
func nthIdent(t *testing.T, root *sitter.Node, src, name string, n int) *sitter.Node {
	t.Helper()
	var found *sitter.Node
	i := 0
	walk(root, func(c *sitter.Node) bool {
		if found != nil {
			return false
		}
		if (c.Type() == "identifier" || c.Type() == "self" || c.Type() == "shorthand_field_identifier") && text([]byte(src), c) == name {
			if i == n {
				found = c
			}
			i++
		}
		return true
	})
	if found == nil {
		t.Fatalf("no identifier %q number %d in\n%s", name, n, src)
	}
	return found
}

func TestResolveScopesAndShadowing(t *testing.T) {
	src := `fn f(g: u32, other: u32) -> u32 {
    let g = g + 1;               // g#1 declared; g#2 is the parameter
    let c = |g: u32| g * 2;      // g#3 closure param, g#4 its use
    {
        let g = "inner";         // g#5
        println!("{g} {}", g);   // g#6 (token)
    }
    let h = g;                   // g#7: the let on line 2
    if let Some(g) = Some(h) {   // g#8
        return g;                // g#9
    }
    match other { g if g > 1 => g, _ => 0 };  // g#10..g#12
    fn nested() -> u32 { let g = 1; g }        // g#13, g#14
    for g in 0..3 { drop(g); }   // g#15, g#16
    g + c(1)                     // g#17
}
`
	f, root := factsFor(t, src)
	decl := func(n int) BindingID {
		id := nthIdent(t, root, src, "g", n)
		b := f.Resolve(id)
		if b == NoBinding {
			t.Fatalf("g#%d does not resolve", n)
		}
		return b
	}
	param := decl(0)
	for _, tt := range []struct{ use, decl int }{
		{2, 0}, {4, 3}, {6, 5}, {7, 1}, {9, 8}, {11, 10}, {12, 10}, {14, 13}, {16, 15}, {17, 1},
	} {
		if got, want := decl(tt.use), decl(tt.decl); got != want {
			t.Errorf("g#%d resolves to the binding at %v, want g#%d's at %v", tt.use, f.Binding(got).Ident.StartPoint(), tt.decl, f.Binding(want).Ident.StartPoint())
		}
	}
	if !f.Binding(param).Param {
		t.Error("the fn parameter is not marked Param")
	}
	// The format argument {g} on line 6 is a use of the inner g.
	inner := decl(5)
	kinds := map[UseKind]int{}
	for _, u := range f.Uses(inner) {
		kinds[u.Kind]++
	}
	if kinds[UseFormatArg] != 1 || kinds[UseMacroToken] != 1 {
		t.Errorf("inner g uses = %+v, want one format argument and one macro token", kinds)
	}
	// The outer let's last use is the tail.
	if got := f.LastUse(decl(1)); got != int(nthIdent(t, root, src, "g", 17).StartByte()) {
		t.Errorf("LastUse of the outer let = %d", got)
	}
	if f.UsedAfter(param, int(nthIdent(t, root, src, "g", 3).StartByte())) {
		t.Error("the parameter is not used after the closure")
	}
}

func TestUsesInMacrosAndFormatStrings(t *testing.T) {
	tests := []struct {
		stmt string
		want int // uses of x in the statement
	}{
		{`println!("{x}");`, 1},
		{`println!("{x:?} {x:>8}");`, 2},
		{`println!("{{x}}");`, 0},
		{`println!("{xx}");`, 0},
		{`println!("{x}", x = 5);`, 0},
		{`println!("{}", x.len());`, 1},
		{`println!("{}", y.x);`, 0},
		{`assert_eq!(x, 1);`, 1},
		{`let v = vec![x; 3];`, 1},
		{`foo::x();`, 0},
		{`let s = S { x };`, 1},
		{`let s = S { x: 1 };`, 0},
		{`let c = || x + 1;`, 1},
		{`x!();`, 0},
	}
	for _, tt := range tests {
		src := "fn f(x: u32, y: Y) {\n    " + tt.stmt + "\n}\n"
		f, root := factsFor(t, src)
		b := f.Resolve(nthIdent(t, root, src, "x", 0))
		if b == NoBinding {
			t.Fatalf("%s: the parameter x does not resolve", tt.stmt)
		}
		if got := len(f.Uses(b)); got != tt.want {
			t.Errorf("%s: %d uses of x, want %d", tt.stmt, got, tt.want)
		}
	}
}

func TestMoves(t *testing.T) {
	tests := []struct {
		stmt string
		want MoveKind
	}{
		{`drop(x);`, MoveDrop},
		{`std::mem::drop(x);`, MoveDrop},
		{`render(x);`, MoveCall},
		{`v.push(x);`, MoveCall},
		{`let y = x;`, MoveLet},
		{`let t = (x, 1);`, MoveAggregate},
		{`let s = S { f: x };`, MoveAggregate},
		{`let s = S { x };`, MoveAggregate},
		{`y = x;`, MoveAssign},
		{`return x;`, MoveOut},
		{`let c = move || x.len();`, MoveCapture},
		{`let c = || x.len();`, NotMoved},
		{`x.len();`, NotMoved},
		{`let r = &x;`, NotMoved},
		{`let n = *x;`, NotMoved},
		{`println!("{x}");`, NotMoved},
	}
	for _, tt := range tests {
		src := "fn f(x: X, mut y: X, v: V) {\n    " + tt.stmt + "\n}\n"
		f, root := factsFor(t, src)
		b := f.Resolve(nthIdent(t, root, src, "x", 0))
		us := f.Uses(b)
		if len(us) != 1 {
			t.Errorf("%s: %d uses, want 1", tt.stmt, len(us))
			continue
		}
		if us[0].Move != tt.want {
			t.Errorf("%s: move kind %d, want %d", tt.stmt, us[0].Move, tt.want)
		}
	}
}

// ownProbe is the fn the ownership table wraps each expression in.
const ownProbe = `use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

struct Stats {
    count: u64,
    last: String,
    pair: (u32, bool),
}

#[derive(Clone, Copy)]
struct Point {
    x: i32,
}

struct Peer {
    tx: Sender,
    at: Point,
}

fn render(s: &Stats) -> String {
    format!("{}", s.count)
}

fn name_of(s: &Stats) -> &str {
    &s.last
}

fn make<T: Default>() -> T {
    T::default()
}

impl Stats {
    fn label(&self) -> String {
        self.last.clone()
    }
    fn last_ref(&self) -> &String {
        &self.last
    }
}

fn probe(m: &Mutex<Vec<String>>, map: &Mutex<HashMap<String, u32>>, st: &Mutex<Stats>, cfg: &RwLock<HashMap<u32, bool>>, peers: &Mutex<HashMap<u32, Peer>>, key: u32) {
    let g = m.lock().unwrap();
    let h = map.lock().unwrap();
    let stats = st.lock().unwrap();
    let c = cfg.read().unwrap();
    let p = peers.lock().unwrap();
    let s = String::from("x");
    let v = vec![1u32, 2];
    let n = 3u32;
    let r = &s;
    let opt: Option<String> = None;
    let mut out: Vec<&str> = Vec::new();
    SETUP
    let probe = EXPR;
}
`

// ownString renders an Ownership as the tests write it: "owned", "copy",
// "borrows a b", "unknown a b", "unknown any", with " temp" and " holds x"
// when set. Parameters are left out of the names (they borrow nothing of
// the body).
func ownString(f *facts, o Ownership) string {
	var names []string
	for _, b := range o.From {
		if !f.Binding(b).Param {
			names = append(names, f.Binding(b).Name)
		}
	}
	sort.Strings(names)
	s := o.Kind.String()
	if o.Any {
		s += " any"
	}
	if len(names) > 0 {
		s += " " + strings.Join(names, " ")
	}
	if o.Temp {
		s += " temp"
	}
	var holds []string
	for _, b := range o.Holds {
		holds = append(holds, f.Binding(b).Name)
	}
	if len(holds) > 0 {
		sort.Strings(holds)
		s += " holds " + strings.Join(holds, " ")
	}
	return s
}

func TestOwnership(t *testing.T) {
	tests := []struct {
		expr, setup, want string
	}{
		// Literals, operators, macros.
		{`1`, ``, `copy`},
		{`"text"`, ``, `copy`},
		{`n + 1`, ``, `copy`},
		{`g.len() > 2`, ``, `copy`},
		{`format!("{}", g.len())`, ``, `owned`},
		{`format!("{g:?}")`, ``, `owned`},
		{`vec![g.len()]`, ``, `unknown g`},
		{`matches!(n, 1 | 2)`, ``, `copy`},
		// Borrowing methods, through the chain.
		{`g.get(0)`, ``, `borrows g`},
		{`g.get(0).unwrap()`, ``, `borrows g`},
		{`g.get(0).copied()`, ``, `copy`},
		{`g.get(0).cloned().unwrap_or_default()`, ``, `owned`},
		{`g.first().cloned()`, ``, `owned`},
		{`h.get("k").copied().unwrap_or(0)`, ``, `copy`},
		{`g.first().map(|s| s.len())`, ``, `copy`},
		{`g.first().map(|s| s.as_str())`, ``, `borrows g`},
		{`g.first().map(|s| s.clone()).unwrap_or_default()`, ``, `owned`},
		{`g.iter()`, ``, `borrows g`},
		{`g.iter().cloned()`, ``, `borrows g`},
		{`g.iter().cloned().collect::<Vec<_>>()`, ``, `owned`},
		{`g.iter().collect::<Vec<_>>()`, ``, `borrows g`},
		{`g.iter().map(|s| s.len()).sum::<usize>()`, ``, `copy`},
		{`g.iter().map(|s| s.to_uppercase()).collect::<Vec<_>>()`, ``, `owned`},
		{`g.iter().filter(|s| s.is_empty()).count()`, ``, `copy`},
		{`g.iter().find(|s| s.is_empty())`, ``, `borrows g`},
		{`g.iter().find(|s| s.is_empty()).cloned()`, ``, `owned`},
		{`g.iter().enumerate().map(|(i, s)| (i, s.clone())).collect::<Vec<_>>()`, ``, `owned`},
		{`g.iter().max_by_key(|s| s.len()).map(|s| s.as_str())`, ``, `borrows g`},
		{`g.last().unwrap().trim_start()`, ``, `borrows g`},
		{`g.last().unwrap().trim_start().to_string()`, ``, `owned`},
		{`g.join(",")`, ``, `owned`},
		{`g.concat().len()`, ``, `copy`},
		{`g.as_slice()`, ``, `borrows g`},
		{`&g[0]`, ``, `borrows g`},
		{`&*g`, ``, `borrows g`},
		{`g[0].clone()`, ``, `owned`},
		{`g.clone()`, ``, `owned`},
		{`g.to_vec()`, ``, `owned`},
		{`g.is_empty()`, ``, `copy`},
		{`g.contains(&s)`, ``, `copy`},
		{`h.entry(s.clone()).or_insert(0)`, ``, `borrows h`},
		{`*h.entry(s.clone()).or_insert(0)`, ``, `owned`},
		{`*h.get("k").unwrap()`, ``, `owned`},
		{`h.keys().cloned().collect::<Vec<String>>()`, ``, `owned`},
		{`h.values().copied().max()`, ``, `copy`},
		{`h.values().max()`, ``, `borrows h`},
		{`c.get(&key).copied().unwrap_or(false)`, ``, `copy`},
		{`c.get(&key).is_some()`, ``, `copy`},
		// ok_or / ? / map_err pass the receiver's ownership through.
		{`g.get(0).ok_or("none")`, ``, `borrows g`},
		{`g.get(0).ok_or_else(|| "none".to_string()).map_err(|e| e.len())`, ``, `borrows g`},
		{`g.first().ok_or(())?`, ``, `borrows g`},
		{`g.first().cloned().ok_or(())?`, ``, `owned`},
		// Unknown methods are never owned; they are bounded by the receiver.
		{`g.frobnicate()`, ``, `unknown g`},
		{`g.first().unwrap().frob()`, ``, `unknown g`},
		{`s.frob()`, ``, `unknown s`},
		{`key.frob()`, ``, `unknown`},
		// Fields: Copy as declared in the file, else not owned.
		{`stats.count`, ``, `copy`},
		{`stats.pair`, ``, `copy`},
		{`stats.last`, ``, `unknown stats`},
		{`&stats.last`, ``, `borrows stats`},
		{`stats.last.as_str()`, ``, `borrows stats`},
		{`stats.last.clone()`, ``, `owned`},
		{`stats.last.len()`, ``, `copy`},
		{`p.get(&key).unwrap().at`, ``, `copy`},
		{`p.get(&key).unwrap().tx.clone()`, ``, `owned`},
		{`p.get(&key).map(|peer| peer.at)`, ``, `copy`},
		// Fns of the file by their return types.
		{`render(&stats)`, ``, `owned`},
		{`name_of(&stats)`, ``, `borrows stats`},
		{`make::<String>()`, ``, `unknown`},
		{`stats.label()`, ``, `owned`},
		{`stats.last_ref()`, ``, `borrows stats`},
		// Unknown fns: bounded by their arguments.
		{`compute(n)`, ``, `owned`},
		{`compute(&g)`, ``, `unknown g`},
		{`compute(g.len())`, ``, `owned`},
		{`String::from(g[0].as_str())`, ``, `owned`},
		{`Some(g.len())`, ``, `owned`},
		{`Some(g.first())`, ``, `borrows g`},
		// Aggregates, references, bindings.
		{`(g.len(), s.clone())`, ``, `owned`},
		{`(g.len(), &s)`, ``, `borrows s`},
		{`Stats { count: 1, last: g[0].clone(), pair: (1, true) }`, ``, `owned`},
		{`&s`, ``, `borrows s`},
		{`r`, ``, `borrows s holds r`},
		{`r.len()`, ``, `copy`},
		{`r.as_str()`, ``, `borrows r s`},
		{`&String::new()`, ``, `borrows temp`},
		{`s.clone().as_str()`, ``, `borrows temp`},
		{`opt.as_deref()`, ``, `borrows opt`},
		{`opt.as_deref().map(|x| x.to_string())`, ``, `owned`},
		{`v`, ``, `owned holds v`},
		{`n`, ``, `copy`},
		{`g`, ``, `borrows holds g`},
		{`m.lock().unwrap()`, ``, `borrows`},
		{`m.lock().unwrap().len()`, ``, `copy`},
		{`m.lock().unwrap().first().cloned()`, ``, `owned`},
		{`m.lock().unwrap().first()`, ``, `borrows temp`},
		{`*c`, ``, `owned`},
		{`if n > 1 { g.len() } else { 0 }`, ``, `copy`},
		{`if n > 1 { g.first() } else { None }`, ``, `borrows g`},
		{`match n { 1 => s.clone(), _ => String::new() }`, ``, `owned`},
		// Closures borrow what they capture.
		{`|| g.len()`, ``, `borrows g`},
		{`move || n + 1`, ``, `owned holds n`},
		{`|x: u32| x + 1`, ``, `owned`},
		// Bindings through lets, shadowing, stores.
		{`peer.tx.clone()`, `let Some(peer) = p.get(&key) else { return };`, `owned`},
		{`peer`, `let Some(peer) = p.get(&key) else { return };`, `borrows p holds peer`},
		{`first`, `let first = g.first().copied();`, `copy`},
		{`t`, `let t = g.trim_start_matches("x");`, `borrows g holds t`},
		{`out`, `out.push(g[0].as_str());`, `borrows g holds out`},
		{`out`, `out.push("static");`, `owned holds out`},
		{`out`, `out.extend(g.iter().map(|s| s.as_str()));`, `borrows g holds out`},
		{`v2`, `let mut v2: Vec<String> = Vec::new(); v2.extend(g.iter().cloned());`, `owned holds v2`},
		{`h.insert(s.clone(), 1)`, ``, `owned`},
		{`opt.insert(s.clone())`, ``, `borrows opt`},
		{`w`, `let mut w = ""; w = g[0].as_str();`, `borrows g holds w`},
		{`x`, `let x = g.len(); let x = s.as_str();`, `borrows s holds x`},
		{`snap`, `let snap = g.clone(); drop(g);`, `owned holds snap`},
		{`y`, `let (a, y) = (g.len(), g.first());`, `borrows g holds y`},
		{`a`, `let (a, y) = (g.len(), g.first());`, `copy`},
		{`last`, `let mut last = 0; for item in g.iter() { last = item.len(); }`, `copy`},
		{`last`, `let mut last = ""; for item in g.iter() { last = item.as_str(); }`, `borrows g item holds last`},
		{`e`, `let e = g.iter().map(|s| s.len()).max();`, `copy`},
	}
	for _, tt := range tests {
		src := strings.Replace(strings.Replace(ownProbe, "EXPR", tt.expr, 1), "SETUP", tt.setup, 1)
		f, root := factsFor(t, src)
		var probe *sitter.Node
		walk(root, func(n *sitter.Node) bool {
			if n.Type() == "let_declaration" && text(f.src, n.ChildByFieldName("pattern")) == "probe" {
				probe = n.ChildByFieldName("value")
			}
			return probe == nil
		})
		if probe == nil || root.HasError() {
			t.Errorf("%s: the probe does not parse", tt.expr)
			continue
		}
		if got := ownString(f, f.Ownership(probe)); got != tt.want {
			t.Errorf("%-50s (%s) = %q, want %q (%s)", tt.expr, tt.setup, got, tt.want, f.Ownership(probe).Why)
		}
	}
}

func TestBindingOwnershipOfParamsAndItems(t *testing.T) {
	src := `static NAMES: [&str; 2] = ["a", "b"];
fn f(cfg: &Config) {
    let a = NAMES[0];
    let b = cfg.name();
}
`
	f, root := factsFor(t, src)
	for name, want := range map[string]string{"a": "owned", "b": "unknown"} {
		got := ownString(f, f.BindingOwnership(f.Resolve(nthIdent(t, root, src, name, 0))))
		if got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
}

func TestFlowsInto(t *testing.T) {
	tests := []struct {
		stmt string
		kind FlowKind
		want string // the binding, call or node text the flow names
	}{
		{`let a = (x);`, FlowLet, "a"},
		{`let a = if c { x } else { y };`, FlowLet, "a"},
		{`let a = match c { true => x, _ => y };`, FlowLet, "a"},
		{`let a = { let t = 1; x };`, FlowLet, "a"},
		{`b = x;`, FlowAssign, "b"},
		{`s.f = x;`, FlowAssign, "s"},
		{`use_it(1, x);`, FlowArg, "use_it(1, x)#1"},
		{`x.push(1);`, FlowReceiver, "x.push(1)"},
		{`let s = S { f: x };`, FlowField, "f: x"},
		{`let t = (1, x);`, FlowElement, "(1, x)#1"},
		{`return x;`, FlowReturn, "fn"},
		{`let c = || x;`, FlowReturn, "|| x"},
		{`x;`, FlowNone, ""},
		{`if x { }`, FlowNone, ""},
	}
	for _, tt := range tests {
		src := "fn f(x: u32, y: u32, c: bool, mut b: u32, mut s: S) -> u32 {\n    " + tt.stmt + "\n    0\n}\n"
		f, root := factsFor(t, src)
		x := nthIdent(t, root, src, "x", 1)
		fl := f.FlowsInto(x)
		got := ""
		switch {
		case fl.Binding != NoBinding:
			got = f.Binding(fl.Binding).Name
		case fl.Kind == FlowArg || fl.Kind == FlowElement:
			got = fmt.Sprintf("%s#%d", text(f.src, fl.Node), fl.Index)
		case fl.Kind == FlowReturn && fl.Node != nil && fl.Node.Type() == "function_item":
			got = "fn"
		case fl.Node != nil:
			got = text(f.src, fl.Node)
		}
		if fl.Kind != tt.kind || got != tt.want {
			t.Errorf("%s: flow %d %q, want %d %q", tt.stmt, fl.Kind, got, tt.kind, tt.want)
		}
	}
}
