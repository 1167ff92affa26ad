package cli

import (
	"fmt"
	"strings"

	"sendfix/patterns"
)

// explanation is what `sendfix --explain RULE` prints, and the rule's
// description in the SARIF log.
type explanation struct {
	name  string // a short identifier, for SARIF's reportingDescriptor.name
	short string // one line
	text  string // the full explanation, in the style of rustc --explain
}

var explanations = map[string]explanation{
	patterns.RuleMutexScope: {
		name:  "MutexGuardAcrossAwait",
		short: "A std MutexGuard (or RwLock guard) is alive at an .await of a future that must be Send.",
		text: `A std ` + "`MutexGuard`" + ` is held across an ` + "`.await`" + ` in a future that must be Send.

Erroneous code example:

    tokio::spawn(async move {
        let mut guard = data.lock().unwrap();
        *guard += 1;
        some_async_function().await; // error: future cannot be sent between threads safely
    });

Why rustc rejects it: ` + "`tokio::spawn`" + ` may move the task to another worker thread
at any await point, so its future must be ` + "`Send`" + `. A future keeps every local
that is alive at an await, and ` + "`std::sync::MutexGuard`" + ` is not ` + "`Send`" + ` (a lock
must be released by the thread that took it). rustc reports "future cannot be
sent between threads safely" with a note "future is not ` + "`Send`" + ` as this value is
used across an await". The same holds for ` + "`RwLockReadGuard`" + `,
` + "`RwLockWriteGuard`" + ` and parking_lot's guards. A ` + "`drop(guard)`" + ` before the await
does not help once the guard has been used: rustc still counts it as alive.

What sendfix does: it wraps the statements from the guard's ` + "`let`" + ` through its
last use in a block, so the guard is dropped before the await:

    tokio::spawn(async move {
        {
            let mut guard = data.lock().unwrap();
            *guard += 1;
        }
        some_async_function().await;
    });

A binding made inside that range and used after it becomes the value of the
block (` + "`let v = { let g = m.lock().unwrap(); g.len() };`" + `). A guard that is a
temporary in an ` + "`if let`" + `, ` + "`while let`" + ` or ` + "`match`" + ` scrutinee, or in an argument of
an awaited call, is bound with ` + "`let`" + ` inside a block in that position.

When it refuses (the finding is reported "not fixed", with the reason):
  - the guard is used after the await: scoping it would change what the code
    does; the tokio-mutex rule may take over (see sendfix --explain tokio-mutex);
  - a reference into the guard (` + "`.get(..)`" + `, ` + "`.first()`" + `, ` + "`&guard[..]`" + `) outlives the
    range;
  - the guard is bound by an ` + "`if let`" + ` or ` + "`match`" + ` pattern whose body awaits;
  - the function has syntax the parser does not know ("cannot parse line N").

By default only futures that must be Send are fixed (spawned blocks, async
fns whose futures are spawned); --all-async fixes every async body.
Silence it with ` + "`// sendfix:ignore mutex-scope`" + ` on the line before a statement or
item, or ` + "`#[allow(clippy::await_holding_lock)]`" + ` on an item.
`,
	},
	patterns.RuleTokioMutex: {
		name:  "GuardNeededAcrossAwait",
		short: "A std MutexGuard (RwLock guard) must stay held across an .await: the lock becomes tokio's.",
		text: `A std ` + "`MutexGuard`" + ` must stay held across an ` + "`.await`" + ` of a future that must be Send.

Erroneous code example:

    let mut list = data.lock().unwrap();
    list.push(1);
    notify().await;          // error: future cannot be sent between threads safely
    list.push(2);            // the guard is still needed after the await

Why rustc rejects it: as for mutex-scope, the future keeps the guard alive
at the await, and a std guard is not ` + "`Send`" + `. Here the guard cannot simply be
dropped earlier, because the code uses it after the await.

What sendfix does: it switches the Mutex to ` + "`tokio::sync::Mutex`" + `, whose guard
is ` + "`Send`" + ` and may be held across awaits (` + "`std::sync::RwLock`" + ` likewise to
` + "`tokio::sync::RwLock`" + `: ` + "`.read().await`" + `, ` + "`.write().await`" + `). Every lock call of
that lock in the file changes with it; when every file of the crate is
given (a binary's src/main.rs alone, or all of src/), every file of the
crate does:

    use tokio::sync::Mutex;

    let mut list = data.lock().await;
    list.push(1);
    notify().await;
    list.push(2);

When it swaps, each lock call becomes tokio's:
  - ` + "`.lock().unwrap()`" + `, ` + "`.expect(..)`" + `, ` + "`.unwrap_or_else(|e| e.into_inner())`" + `, ` + "`?`" + `,
    ` + "`.map_err(F)?`" + `, ` + "`.ok()?`" + `, ` + "`if let Ok(g) = m.lock()`" + `, ` + "`match m.lock()`" + `,
    ` + "`let Ok(g) = m.lock() else`" + `: ` + "`.lock().await`" + ` (the error path goes: tokio's
    lock cannot be poisoned);
  - a temporary guard that must stay held (` + "`match m.lock().unwrap().get_mut(k)`" + `,
    ` + "`m.lock().unwrap().call().await`" + `) is swapped like a let-bound one;
  - a lock in a sync closure that runs within its statement
    (` + "`keys.iter().map(|k| m.lock().unwrap()[k]).collect()`" + `) is taken once before
    the statement and dropped after it;
  - sync code no runtime thread runs (` + "`spawn_blocking`" + `, ` + "`std::thread::spawn`" + `, a
    sync fn only those call, a sync main without a runtime) uses
    ` + "`.blocking_lock()`" + ` (` + "`blocking_read()`" + `, ` + "`blocking_write()`" + `);
  - a sync fn called only from async code becomes ` + "`async fn`" + ` and its calls get
    ` + "`.await`" + `;
  - types, paths, ` + "`Mutex::new`" + ` in statics (` + "`const_new`" + `) and imports move too; an
    existing ` + "`use tokio::sync::..;`" + ` is extended.

When it refuses (the finding is reported "not fixed", with the reason):
  - an error path (the ` + "`Err`" + ` arm, the else of ` + "`if let Ok(g) = m.lock()`" + ` or of
    a let-else, a ` + "`map_err`" + ` or ` + "`unwrap_or_else`" + ` closure) does more than
    propagate the error, panic or recover the guard (it logs, retries, exits,
    awaits, calls a fn): tokio never reports poisoning, so that code would go;
  - the lock is taken in sync code that may run on a runtime thread and that
    sendfix can neither make async nor hoist, where ` + "`.lock().await`" + ` cannot
    go and ` + "`blocking_lock()`" + ` would panic (the reason names the fn and caller);
  - ` + "`try_lock`" + `, ` + "`try_read`" + `, ` + "`try_write`" + `, poisoning (` + "`is_poisoned`" + `), ` + "`get_mut()`" + `,
    ` + "`into_inner()`" + ` or a ` + "`Condvar`" + ` on a lock that may move: none has a
    like-for-like tokio counterpart;
  - the lock type is public API (a ` + "`pub`" + ` item; in crate mode only of a library
    crate): use --allow-public;
  - a lock call cannot be converted, the lock's type is not spelled in the
    files given, or a spelling's type is decided by another crate's item;
  - in crate mode, any file of the crate refuses (the reason names it).

Holding any lock across an await serialises the tasks that need it; prefer
restructuring the code so the lock is released first when that is possible.
Silence it with ` + "`// sendfix:ignore tokio-mutex`" + ` or
` + "`#[allow(clippy::await_holding_lock)]`" + ` on an item.
`,
	},
	patterns.RuleRcArc: {
		name:  "NotSendValueInSendFuture",
		short: "A future that must be Send holds a value whose type is not Send (an Rc, a RefCell or Cell shared, a trait object): the types change (Rc to Arc, RefCell to Mutex, ...).",
		text: `A future that must be Send holds a value whose type is not Send.

Erroneous code example:

    let data = Rc::new(vec![1, 2, 3]);
    tokio::spawn(async move {   // error: future cannot be sent between threads safely
        println!("{:?}", data);
    });

Why rustc rejects it: ` + "`tokio::spawn`" + ` moves the task between threads, so its
future must be Send, and so must everything it holds: what a spawned block
captures, every parameter of a spawned async fn (` + "`&self`" + ` of a method
future too), and every local alive at an await. Send follows containment:
a struct is Send when all its fields are, and rustc says which field is not
("within ` + "`Client`" + `, the trait ` + "`Send`" + ` is not implemented for ` + "`Rc<Config>`" + `").
` + "`Rc`" + ` and ` + "`std::rc::Weak`" + ` are never Send; ` + "`RefCell`" + ` and ` + "`Cell`" + ` are not Sync,
so neither ` + "`&RefCell<T>`" + ` nor ` + "`Arc<RefCell<T>>`" + ` is Send; a ` + "`dyn Trait`" + ` is Send
only when it says so (` + "`dyn Trait + Send`" + `, or a ` + "`Send`" + ` supertrait). A
captured Rc fails even when no await follows.

What sendfix does: it computes, from the struct, enum and alias
definitions of the file, which part of the value's type is not Send, and
changes the group of every spelling that must change with it (bindings,
fn parameters and results, struct fields and aliases the value flows
through by moves, clones, ` + "`Rc::clone(&self.f)`" + `, ` + "`.map(Rc::downgrade)`" + `,
struct literals, calls of the file's fns and methods, ` + "`v.push(x)`" + `), with
the imports; then it checks the new types again and adds what is still
missing:
  - ` + "`Rc`" + ` becomes ` + "`Arc`" + `, ` + "`std::rc::Weak`" + ` becomes ` + "`std::sync::Weak`" + `;
  - ` + "`RefCell<T>`" + ` becomes ` + "`Mutex<T>`" + `, ` + "`.borrow()`" + ` / ` + "`.borrow_mut()`" + ` become
    ` + "`.lock().unwrap()`" + ` (mutex-scope then scopes a guard that meets an await);
    a RefCell around tokio's Mutex or RwLock is removed instead
    (` + "`.borrow().lock().await`" + ` becomes ` + "`.lock().await`" + `);
  - ` + "`Cell<u64>`" + ` (any integer or bool) becomes ` + "`AtomicU64`" + ` with ` + "`load`" + ` / ` + "`store`" + ` /
    ` + "`fetch_add`" + ` (` + "`Ordering::SeqCst`" + `); a Cell of another type becomes a ` + "`Mutex`" + `;
  - ` + "`dyn Trait`" + ` becomes ` + "`dyn Trait + Send + Sync`" + ` (only what it lacks: a boxed
    ` + "`dyn FnMut`" + ` inside a Mutex gets ` + "`+ Send`" + `), and the generic fns of the file
    that box a ` + "`T: Trait`" + ` into one get the same bound.
A local that is not used after the await is scoped in a block instead, so
that it is dropped before it (a ` + "`drop(x)`" + ` after ` + "`x`" + ` was borrowed does not end
it for rustc). The example becomes:

    use std::sync::Arc;

    let data = Arc::new(vec![1, 2, 3]);
    tokio::spawn(async move {
        println!("{:?}", data);
    });

When it refuses (the finding is reported "not fixed", with the reason):
  - the type is public API (a ` + "`pub`" + ` field, fn signature or type): use
    --allow-public;
  - what is not Send has no step: a raw pointer, a ` + "`MutexGuard`" + `, a type
    declared in another file;
  - a value sendfix cannot follow would keep the old type (a fn called in a
    macro or passed as a value, a method called on a receiver of unknown
    type, a field read whose struct it cannot tell);
  - a call with no same-meaning replacement: ` + "`try_borrow`" + `, ` + "`Cell::take`" + ` on an
    atomic, two borrows alive at once (one Mutex would deadlock), a
    ` + "`.borrow()`" + ` of a RefCell around a lock not followed by a lock method;
  - a trait object would need Send or Sync that an implementation of the
    trait in the file, or a closure the file boxes, does not have.
  - a change would fall inside an inline module (` + "`mod m { .. }`" + `), whose
    own imports sendfix does not edit.

What it takes to be Send (no finding): a type of another crate or a
generic parameter; a trait object of a trait it cannot see (another
crate's may have Send as a supertrait); a definition under ` + "`#[cfg(..)]`" + `
(another configuration may define the name otherwise); a type with
` + "`unsafe impl Send`" + `.

Silence it with ` + "`// sendfix:ignore rc-arc`" + ` on the line before the statement or
item that binds the value.
`,
	},
}

// explain prints the explanation of rule, or returns a usage error naming
// the rules when there is none.
func (a *App) explain(rule string) error {
	e, ok := explanations[rule]
	if !ok {
		return usagef("no explanation for %q; rules: %s", rule, strings.Join(patterns.AllRules, ", "))
	}
	fmt.Fprint(a.Stdout, e.text)
	return nil
}
