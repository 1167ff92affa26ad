package patterns

import (
	"fmt"
	"strings"

	sitter "github.com/smacker/go-tree-sitter"
)

// The method tables of the ownership model: what std's methods return
// with respect to their receiver. A method in no table (and not declared
// in the file) gives an Unknown value bounded by its receiver and
// arguments (see facts_own.go).

// methodKind is what a method's result is, with respect to its receiver.
type methodKind uint8

const (
	mNone      methodKind = iota
	mRef                  // a reference into the receiver: get, first, as_str, trim
	mGuard                // a guard or cell borrow of the receiver: lock, read, borrow_mut
	mEntry                // a map entry of the receiver: entry
	mIter                 // an iterator of references into the receiver: iter, keys
	mIterCopy             // an iterator of Copy items borrowing the receiver: chars, bytes
	mIterMove             // an iterator of the receiver's elements, moved out: into_iter, drain
	mCopy                 // a Copy value: len, is_empty, contains, comparisons
	mOwned                // a new owned value: to_string, to_lowercase, join
	mClone                // an owned copy of the receiver's pointee: clone, cloned, to_vec
	mTake                 // an element moved out of the receiver: pop, remove, take
	mUnit                 // (): push, clear, sort
	mPass                 // the receiver's own value: unwrap, expect, ok_or, map_err, into
	mPassJoin             // the receiver's value or the argument's: unwrap_or, or
	mPassClose            // the receiver's value or the closure's result: unwrap_or_else, or_else
	mMap                  // the closure's result: map, and_then
	mMapOr                // the default or the closure's result: map_or, map_or_else
	mEntryVal             // a reference into the entry's map: or_insert, or_default
)

// methods is the table for receivers that are not iterators.
var methods = map[string]methodKind{}

// iterMethods is the table for iterator receivers.
var iterMethods = map[string]methodKind{}

// iterAdapters pass their items through (or change them, see iterItem);
// the result is an iterator borrowing what the receiver borrows.
var iterAdapters = map[string]bool{
	"filter": true, "skip": true, "take": true, "skip_while": true, "take_while": true, "step_by": true,
	"rev": true, "fuse": true, "peekable": true, "inspect": true, "cycle": true, "by_ref": true, "chain": true,
	"zip": true, "enumerate": true, "flatten": true, "map": true, "filter_map": true, "flat_map": true,
	"map_while": true, "scan": true, "cloned": true, "copied": true, "dedup": true, "sorted": true,
}

// storing lists methods known to keep (a borrow of) their arguments in
// the receiver; together with the methods of no table they make the
// receiver borrow what the arguments borrow (see ownEval.stored).
var storing = map[string]bool{
	"push": true, "push_back": true, "push_front": true, "insert": true, "extend": true, "extend_from_slice": true,
	"append": true, "entry": true, "or_insert": true, "or_insert_with": true, "get_or_insert": true,
	"get_or_insert_with": true, "set": true, "replace": true, "send": true, "try_send": true, "resize": true,
	"fill": true, "splice": true, "and_modify": true, "or_insert_with_key": true, "send_replace": true, "swap": true,
}

func init() {
	for kind, names := range map[methodKind]string{
		mRef: "get get_mut get_key_value first last first_mut last_mut as_ref as_mut as_str as_slice " +
			"as_mut_slice as_bytes as_path as_os_str as_deref as_deref_mut deref deref_mut front back front_mut " +
			"back_mut peek peek_mut trim trim_start trim_end trim_matches trim_start_matches trim_end_matches " +
			"strip_prefix strip_suffix split_at split_at_mut split_first split_last split_once rsplit_once " +
			"get_or_insert get_or_insert_with to_string_lossy as_mut_str get_unchecked get_unchecked_mut " +
			"as_path_buf display file_name extension parent",
		mGuard:    "lock read write try_lock try_read try_write borrow borrow_mut",
		mEntry:    "entry",
		mIter:     "iter iter_mut keys values values_mut range range_mut windows chunks chunks_exact rchunks chunks_mut split splitn rsplit rsplitn split_terminator split_whitespace split_ascii_whitespace lines matches match_indices components",
		mIterCopy: "chars bytes char_indices",
		mIterMove: "into_iter drain into_keys into_values into_values_mut",
		mCopy: "len is_empty capacity contains contains_key starts_with ends_with eq ne lt le gt ge cmp " +
			"partial_cmp count_ones count_zeros leading_zeros trailing_zeros as_secs as_millis as_micros as_nanos " +
			"as_secs_f64 as_secs_f32 subsec_millis subsec_micros subsec_nanos elapsed abs pow signum to_bits " +
			"find rfind as_ptr as_mut_ptr len_utf8 load fetch_add fetch_sub fetch_or fetch_and fetch_max fetch_min " +
			"checked_add checked_sub checked_mul checked_div wrapping_add wrapping_sub wrapping_mul saturating_add " +
			"saturating_sub saturating_mul hash binary_search duration_since as_u16 as_u32 as_u64 " +
			"ip port get_ref_count strong_count weak_count try_recv_count",
		mOwned: "to_string to_lowercase to_uppercase to_ascii_lowercase to_ascii_uppercase repeat join concat " +
			"into_string into_boxed_str into_bytes to_path_buf to_os_string",
		mClone: "clone to_owned to_vec cloned copied into_owned",
		mTake: "pop pop_front pop_back remove swap_remove take split_off pop_first pop_last remove_entry " +
			"replace insert",
		mUnit: "push push_back push_front push_str clear truncate sort sort_by sort_by_key sort_unstable " +
			"sort_unstable_by sort_unstable_by_key dedup dedup_by dedup_by_key reverse retain retain_mut extend " +
			"extend_from_slice append resize fill shrink_to_fit reserve set store swap",
		mPass:      "unwrap expect unwrap_unchecked unwrap_or_default ok err ok_or ok_or_else map_err into try_into filter flatten transpose inspect into_inner get_or_insert_default",
		mPassJoin:  "unwrap_or or xor min max clamp",
		mPassClose: "unwrap_or_else or_else",
		mMap:       "map and_then",
		mMapOr:     "map_or map_or_else",
		mEntryVal:  "or_insert or_insert_with or_default or_insert_with_key and_modify",
	} {
		for _, n := range strings.Fields(names) {
			methods[n] = kind
		}
	}
	for kind, names := range map[methodKind]string{
		mCopy:  "count position rposition any all sum product len is_sorted eq ne lt le gt ge cmp partial_cmp",
		mTake:  "next last nth find max min max_by min_by max_by_key min_by_key next_back reduce nth_back",
		mMap:   "find_map",
		mOwned: "collect unzip partition",
		mUnit:  "for_each try_for_each",
		mMapOr: "fold try_fold",
	} {
		for _, n := range strings.Fields(names) {
			iterMethods[n] = kind
		}
	}
}

// isMethodCall returns the receiver and the method name of a method call
// `recv.name(..)` (turbofish included), or nil.
func methodCallParts(src []byte, call *sitter.Node) (recv *sitter.Node, name string) {
	fn := call.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	if fn == nil || fn.Type() != "field_expression" {
		return nil, ""
	}
	return fn.ChildByFieldName("value"), text(src, fn.ChildByFieldName("field"))
}

// callArgs returns the arguments of a call, comments left out.
func callArgs(call *sitter.Node) []*sitter.Node {
	var out []*sitter.Node
	if args := call.ChildByFieldName("arguments"); args != nil {
		for _, a := range namedChildren(args) {
			if !isComment(a) && a.Type() != "attribute_item" {
				out = append(out, a)
			}
		}
	}
	return out
}

// call is the value of a call expression.
func (ev *ownEval) call(e *sitter.Node) *ownVal {
	src := ev.f.src
	if recv, name := methodCallParts(src, e); recv != nil {
		return ev.method(e, recv, name)
	}
	fn := e.ChildByFieldName("function")
	if fn != nil && fn.Type() == "generic_function" {
		fn = fn.ChildByFieldName("function")
	}
	args := callArgs(e)
	var avs []*ownVal
	for _, a := range args {
		avs = append(avs, ev.eval(a))
	}
	if fn == nil {
		return unknownVal("a call", avs...)
	}
	if fn.Type() == "identifier" {
		if b := ev.f.Resolve(fn); b != NoBinding {
			// A local closure: its result may borrow what it captures.
			cv := ev.binding(b)
			v := unknownVal(fmt.Sprintf("`%s(..)` calls a local closure", text(src, fn)), append(avs, cv)...)
			v.from = unionIDs(v.from, []BindingID{b})
			return v
		}
	}
	name := text(src, fn)
	if fn.Type() == "scoped_identifier" {
		name = text(src, fn.ChildByFieldName("name"))
	}
	owner := ""
	if fn.Type() == "scoped_identifier" {
		if p := fn.ChildByFieldName("path"); p != nil {
			owner = typeBaseName(src, p)
			if p.Type() == "scoped_identifier" {
				owner = text(src, p.ChildByFieldName("name"))
			}
		}
	}
	switch {
	case name == "drop" || name == "forget":
		return copyVal()
	case isTypeName(name):
		// A tuple struct or variant: `Some(x)`, `Ok(x)`, `Wrapper(x)`.
		v := aggregate(avs...)
		if v.kind == OwnCopy && len(avs) > 0 {
			v.kind = OwnOwned
		}
		return v
	case ownedTypes[owner] && name != "from_ref":
		// `String::from(..)`, `Duration::from_secs(..)`: types that hold no
		// borrow.
		return ownedVal()
	case smartPointers[owner] && (name == "new" || name == "pin" || name == "from"):
		v := aggregate(avs...)
		if len(avs) == 1 {
			v.deref = avs[0].plain()
		}
		return v
	case owner == "mem" && (name == "take" || name == "replace") && len(avs) > 0:
		return avs[0].elem().plain()
	}
	if ev.f.fileDecls().awaitResult(name, false) != retNone {
		// An async fn of the file: its future keeps its arguments.
		v := unknownVal(fmt.Sprintf("`%s(..)` is an async fn: its future keeps its arguments", name), avs...)
		if len(v.from) > 0 || v.temp {
			v.kind = OwnBorrows
		}
		return v.settleOwned()
	}
	if k := ev.f.fileDecls().fnResult(name, owner != "" && isTypeName(owner) || owner == "Self", false); k != retNone {
		return fnResultVal(k, fmt.Sprintf("`%s(..)`", name), avs...)
	}
	v := unknownVal(fmt.Sprintf("`%s(..)` may return a borrow of its arguments", name), avs...)
	return v.settleOwned()
}

// fnResultVal is the value of a call of a fn of the file whose return type
// is classed k.
func fnResultVal(k retKind, what string, from ...*ownVal) *ownVal {
	switch k {
	case retOwned:
		return ownedVal()
	case retBorrows:
		v := unknownVal(what+" returns a reference", from...)
		v.kind = OwnBorrows
		return v
	}
	return unknownVal(what+" returns a type sendfix cannot tell is owned", from...)
}

// ownedTypes hold no borrow whatever their constructor is given.
var ownedTypes = map[string]bool{
	"String": true, "PathBuf": true, "OsString": true, "CString": true, "Duration": true, "Instant": true,
	"SystemTime": true, "u8": true, "u16": true, "u32": true, "u64": true, "u128": true, "usize": true,
	"i8": true, "i16": true, "i32": true, "i64": true, "i128": true, "isize": true, "f32": true, "f64": true,
	"bool": true, "char": true, "Uuid": true, "AtomicUsize": true, "AtomicU64": true, "AtomicBool": true,
}

// smartPointers own their content: `Box::new(x)` holds x and derefs to it.
var smartPointers = map[string]bool{
	"Box": true, "Arc": true, "Rc": true, "Mutex": true, "RwLock": true, "RefCell": true, "Cell": true, "Pin": true,
}

// method is the value of `recv.name(args)`.
func (ev *ownEval) method(call, recv *sitter.Node, name string) *ownVal {
	rv := ev.recvVal(recv)
	args := callArgs(call)
	what := fmt.Sprintf("`.%s()`", name)
	if rv.iter {
		if v := ev.iterMethod(call, rv, name, args); v != nil {
			return v
		}
	}
	tv := ev.tableMethod(call, recv, rv, name, args, what)
	if k := ev.f.fileDecls().fnResult(name, false, true); k != retNone {
		// A method of the file with the same name: the receiver may be of
		// that type.
		fv := fnResultVal(k, what, ev.borrowOf(recv, rv), ev.argVals(args))
		if tv == nil {
			return fv
		}
		return joinVals(tv, fv)
	}
	if tv != nil {
		return tv
	}
	return unknownVal(what+" is not a method sendfix knows", ev.borrowOf(recv, rv), ev.argVals(args))
}

// argVals joins the values of args (nil when there are none).
func (ev *ownEval) argVals(args []*sitter.Node) *ownVal {
	if len(args) == 0 {
		return nil
	}
	var vs []*ownVal
	for _, a := range args {
		vs = append(vs, ev.eval(a))
	}
	return joinVals(vs...)
}

// tableMethod applies the std method table, or returns nil.
func (ev *ownEval) tableMethod(call, recv *sitter.Node, rv *ownVal, name string, args []*sitter.Node, what string) *ownVal {
	k := methods[name]
	if k == mNone && (strings.HasPrefix(name, "is_") || strings.HasPrefix(name, "has_")) {
		k = mCopy // std's predicates return bool
	}
	switch k {
	case mRef, mGuard, mEntry:
		v := ev.borrowOf(recv, rv)
		v.why = what + " borrows from its receiver"
		v.deref = rv.elem().plain()
		v.isRef = k == mRef
		return v
	case mIter, mIterCopy:
		v := ev.borrowOf(recv, rv)
		v.why = what + " borrows from its receiver"
		v.iter = true
		if k == mIterCopy {
			v.item = copyVal()
		} else {
			v.item = &ownVal{kind: OwnBorrows, from: v.from, any: v.any, temp: v.temp, isRef: true, deref: rv.elem().plain(), why: v.why}
		}
		return v
	case mIterMove:
		var v *ownVal
		if rv.isRef || name == "drain" {
			v = ev.borrowOf(recv, rv)
			v.why = what + " borrows from its receiver"
		} else {
			v = rv.plain()
		}
		v.iter = true
		if rv.isRef {
			v.item = &ownVal{kind: OwnBorrows, from: v.from, any: v.any, isRef: true, deref: rv.elem().plain(), why: v.why}
		} else {
			v.item = rv.elem().plain()
		}
		return v
	case mCopy:
		return copyVal()
	case mOwned:
		return ownedVal()
	case mClone:
		var v *ownVal
		if rv.deref != nil {
			v = rv.deref.plain()
		} else {
			v = rv.plain()
		}
		v.isRef, v.iter, v.item, v.deref = false, false, nil, nil
		if v.kind == OwnBorrows {
			v.kind = OwnUnknown
		}
		v = v.settleOwned()
		if name == "copied" && v.kind == OwnOwned {
			v.kind = OwnCopy // it compiles: the pointee is Copy
		}
		return v
	case mTake:
		if name == "take" && len(args) > 0 {
			return nil // `Read::take(n)`: not Option::take
		}
		if name == "insert" && len(args) == 1 {
			// `Option::insert(v)` returns a reference into the option
			// (HashSet's returns a bool).
			v := ev.borrowOf(recv, rv)
			v.why, v.isRef, v.deref = what+" may return a reference into its receiver", true, rv.elem().plain()
			return v
		}
		v := rv.elem().plain()
		v.isRef, v.deref = false, nil
		return v
	case mUnit:
		return copyVal()
	case mPass:
		return rv
	case mPassJoin:
		if len(args) == 0 {
			return rv
		}
		return joinVals(rv, ev.eval(args[0]))
	case mPassClose:
		if len(args) == 0 {
			return rv
		}
		return joinVals(rv, ev.fnArgResult(args[0], rv))
	case mMap:
		if len(args) == 0 {
			return nil
		}
		return ev.fnArgResult(args[len(args)-1], rv)
	case mMapOr:
		if len(args) < 2 {
			return nil
		}
		return joinVals(ev.fnArgResult(args[0], rv), ev.fnArgResult(args[1], rv))
	case mEntryVal:
		v := rv.plain()
		v.isRef = true
		if v.deref == nil {
			v.deref = rv.elem().plain()
		}
		return v
	}
	return nil
}

// iterMethod applies the iterator table, or returns nil.
func (ev *ownEval) iterMethod(call *sitter.Node, rv *ownVal, name string, args []*sitter.Node) *ownVal {
	item := rv.item
	if item == nil {
		item = anyVal("the items of an iterator")
	}
	if iterAdapters[name] {
		v := rv.plain()
		v.holds = rv.holds
		for _, a := range args {
			if a.Type() == "closure_expression" {
				cv := ev.capture(a)
				v.from = unionIDs(v.from, cv.from)
				v.any = v.any || cv.any
			}
		}
		switch name {
		case "cloned", "copied":
			v.item = item.elem().plain()
			v.item.isRef, v.item.deref = false, nil
			if name == "copied" && v.item.kind == OwnOwned && len(v.item.from) == 0 && !v.item.any {
				v.item.kind = OwnCopy
			}
		case "enumerate":
			v.item = aggregate(copyVal(), item)
		case "zip", "chain":
			var other *ownVal
			if len(args) > 0 {
				o := ev.eval(args[0])
				other = o.item
				if !o.iter {
					other = o.elem()
				}
				v.from = unionIDs(v.from, o.from)
			}
			if name == "zip" {
				v.item = aggregate(item, other)
			} else {
				v.item = joinVals(item, other)
			}
		case "flatten":
			v.item = item.elem()
		case "map", "filter_map", "map_while":
			if len(args) > 0 {
				v.item = ev.fnArgResult(args[len(args)-1], item)
			}
		case "flat_map":
			if len(args) > 0 {
				r := ev.fnArgResult(args[0], item)
				if r.iter && r.item != nil {
					v.item = r.item
				} else {
					v.item = r.elem()
				}
			}
		case "scan":
			v.item = anyVal("the items of `.scan()`")
		}
		return v
	}
	switch iterMethods[name] {
	case mCopy:
		return copyVal()
	case mTake:
		return item
	case mMap:
		if len(args) > 0 {
			return ev.fnArgResult(args[len(args)-1], item)
		}
	case mOwned:
		// A collection of the items: owned when they are.
		v := item.plain()
		v.isRef, v.deref, v.iter, v.item = false, nil, false, nil
		if v.kind == OwnCopy {
			v.kind = OwnOwned
		}
		return v
	case mUnit:
		return copyVal()
	case mMapOr:
		if len(args) == 2 {
			return joinVals(ev.eval(args[0]), ev.fnArgResult(args[1], item))
		}
	}
	return nil
}

// fnArgResult is the value a function argument (a closure, or a fn passed
// by path) returns when called with param.
func (ev *ownEval) fnArgResult(arg *sitter.Node, param *ownVal) *ownVal {
	if arg.Type() == "closure_expression" {
		body := arg.ChildByFieldName("body")
		if body == nil {
			return anyVal("a closure without a body")
		}
		return ev.eval(body)
	}
	// `map(String::from)`, `map(Foo::name)`: may return what it is given.
	v := unknownVal(fmt.Sprintf("`%s` is called on each value", text(ev.f.src, arg)), param, ev.eval(arg))
	if p := arg; p.Type() == "scoped_identifier" {
		if owner := p.ChildByFieldName("path"); owner != nil && ownedTypes[typeBaseName(ev.f.src, owner)] {
			return ownedVal()
		}
	}
	return v.settleOwned()
}

// closureParam is the value of a parameter of a closure: what the call it
// is passed to gives it (an iterator's items, an Option's content), or a
// value bounded by that call's receiver and other arguments; a closure not
// passed to a call may be given anything.
func (ev *ownEval) closureParam(b BindingID) *ownVal {
	bd := &ev.f.binds[b]
	clo := bd.Decl
	args := clo.Parent()
	if args == nil || args.Type() != "arguments" || args.Parent() == nil || args.Parent().Type() != "call_expression" {
		return anyVal(fmt.Sprintf("`%s` is a parameter of a closure sendfix cannot follow", bd.Name))
	}
	call := args.Parent()
	var others []*ownVal
	for _, a := range callArgs(call) {
		if !a.Equal(clo) {
			others = append(others, ev.eval(a))
		}
	}
	recv, name := methodCallParts(ev.f.src, call)
	if recv == nil {
		return unknownVal(fmt.Sprintf("`%s` is a parameter of a closure passed to a call", bd.Name), others...)
	}
	rv := ev.recvVal(recv)
	var param *ownVal
	switch {
	case rv.iter && (name == "fold" || name == "try_fold" || name == "scan"):
		param = joinVals(append(others, rv.item)...)
	case rv.iter:
		param = rv.item
		if param == nil {
			param = anyVal("the items of an iterator")
		}
	default:
		switch methods[name] {
		case mPass, mPassClose, mMap, mMapOr, mEntryVal:
			param = rv
		default:
			param = unknownVal(fmt.Sprintf("`%s` is a parameter of a closure passed to `.%s()`", bd.Name, name),
				append(others, ev.borrowOf(recv, rv))...)
		}
	}
	return ev.part(bd, param)
}

// macro is the value of a macro invocation.
func (ev *ownEval) macro(e *sitter.Node) *ownVal {
	src := ev.f.src
	m := e.ChildByFieldName("macro")
	name := text(src, m)
	if m != nil && m.Type() == "scoped_identifier" {
		name = text(src, m.ChildByFieldName("name"))
	}
	switch name {
	case "format":
		return ownedVal()
	case "println", "print", "eprintln", "eprint", "assert", "assert_eq", "assert_ne", "debug_assert",
		"debug_assert_eq", "debug_assert_ne", "matches", "panic", "todo", "unimplemented", "unreachable",
		"line", "column", "file", "stringify", "concat", "env", "option_env", "include_str", "include_bytes",
		"cfg", "module_path", "trace", "debug", "info", "warn", "error", "write", "writeln":
		return copyVal()
	}
	var vs []*ownVal
	for _, b := range ev.mentioned(e) {
		bv := ev.binding(b)
		vs = append(vs, &ownVal{kind: OwnUnknown, from: unionIDs([]BindingID{b}, bv.from), any: bv.any})
	}
	v := unknownVal(fmt.Sprintf("`%s!` is a macro sendfix does not analyse", name), vs...)
	return v.settleOwned()
}

// mayStore reports whether a method called name may keep its arguments
// in its receiver: a storing method, or one of no table.
func mayStore(f *facts, name string) bool {
	if storing[name] {
		return true
	}
	if methods[name] != mNone || iterMethods[name] != mNone || iterAdapters[name] {
		return false
	}
	return !strings.HasPrefix(name, "is_")
}
