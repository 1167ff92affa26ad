package patterns

import (
	"context"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/rust"

	"sendfix/rewrite"
)

// swapFile plans the tokio-mutex swap of src and returns the rewritten
// file, or the refusal.
func swapFile(t *testing.T, src string, cfg Config) (out, why string) {
	t.Helper()
	return swapFamilies(t, src, cfg, famMutex)
}

// swapFamilies is swapFile for a set of lock families.
func swapFamilies(t *testing.T, src string, cfg Config, fams lockFamily) (out, why string) {
	t.Helper()
	p := sitter.NewParser()
	p.SetLanguage(rust.GetLanguage())
	defer p.Close()
	tree, err := p.ParseCtx(context.Background(), nil, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	fc := &fileCtx{src: []byte(src), root: tree.RootNode(), style: rewrite.DetectStyle([]byte(src)), cfg: cfg}
	plan := planSwap(fc, fams, nil)
	if plan.why != nil {
		return "", plan.why.Error()
	}
	b, err := rewrite.Apply(fc.src, plan.edits)
	if err != nil {
		t.Fatalf("edits do not apply: %v", err)
	}
	return string(b), ""
}

const lockFn = "\nasync fn f(m: Arc<Mutex<u8>>) {\n    *m.lock().unwrap() += 1;\n}\n"
const lockFnOut = "\nasync fn f(m: Arc<Mutex<u8>>) {\n    *m.lock().await += 1;\n}\n"

func TestSwapImports(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"single", "use std::sync::Mutex;\n", "use tokio::sync::Mutex;\n"},
		{"leading colons", "use ::std::sync::Mutex;\n", "use tokio::sync::Mutex;\n"},
		{"single alias", "use std::sync::Mutex as StdMutex;\ntype Mutex<T> = StdMutex<T>;\n", "use tokio::sync::Mutex as StdMutex;\ntype Mutex<T> = StdMutex<T>;\n"},
		{"group keeps others", "use std::sync::{Arc, Mutex, RwLock};\n",
			"use std::sync::{Arc, RwLock};\nuse tokio::sync::Mutex;\n"},
		{"group of two unbraced", "use std::sync::{Arc, Mutex};\n",
			"use std::sync::Arc;\nuse tokio::sync::Mutex;\n"},
		{"guard moves too", "use std::sync::{Arc, Mutex, MutexGuard};\n",
			"use std::sync::Arc;\nuse tokio::sync::{Mutex, MutexGuard};\n"},
		{"first item", "use std::sync::{Mutex, Arc, mpsc};\n",
			"use std::sync::{Arc, mpsc};\nuse tokio::sync::Mutex;\n"},
		{"group alias", "use std::sync::{Arc, Mutex as M};\ntype Mutex<T> = M<T>;\n",
			"use std::sync::Arc;\nuse tokio::sync::Mutex as M;\ntype Mutex<T> = M<T>;\n"},
		{"nested group", "use std::{collections::HashMap, sync::{Arc, Mutex}};\n",
			"use std::{collections::HashMap, sync::Arc};\nuse tokio::sync::Mutex;\n"},
		{"nested group emptied", "use std::{sync::{Mutex, MutexGuard}, time::Duration};\n",
			"use std::time::Duration;\nuse tokio::sync::{Mutex, MutexGuard};\n"},
		{"sync module path", "use std::sync::{self, Mutex};\nstruct S {\n    m: sync::Mutex<u8>,\n    g: Option<sync::MutexGuard<'static, u8>>,\n}\n",
			"use std::sync::{self};\nuse tokio::sync::Mutex;\nstruct S {\n    m: tokio::sync::Mutex<u8>,\n    g: Option<tokio::sync::MutexGuard<'static, u8>>,\n}\n"},
		{"nested path item", "use std::{io, sync::Mutex};\n", "use std::io;\nuse tokio::sync::Mutex;\n"},
		{"whole group moves", "use std::sync::{Mutex, MutexGuard};\n", "use tokio::sync::{Mutex, MutexGuard};\n"},
		{"atomic untouched", "use std::sync::{atomic::{AtomicUsize, Ordering}, Arc, Mutex};\n",
			"use std::sync::{atomic::{AtomicUsize, Ordering}, Arc};\nuse tokio::sync::Mutex;\n"},
		{"multi-line group", "use std::sync::{\n    atomic::{AtomicUsize, Ordering},\n    Arc, Mutex,\n};\n",
			"use std::sync::{\n    atomic::{AtomicUsize, Ordering},\n    Arc,\n};\nuse tokio::sync::Mutex;\n"},
		{"multi-line group middle", "use std::sync::{\n    Arc,\n    Mutex,\n    RwLock,\n};\n",
			"use std::sync::{\n    Arc,\n    RwLock,\n};\nuse tokio::sync::Mutex;\n"},
		{"merge into tokio group", "use std::sync::{Arc, Mutex};\nuse tokio::sync::{mpsc, Notify};\n",
			"use std::sync::Arc;\nuse tokio::sync::{mpsc, Mutex, Notify};\n"},
		{"tokio alias is extended", "use std::sync::{Arc, Mutex};\nuse tokio::sync::Mutex as AsyncMutex;\n",
			"use std::sync::Arc;\nuse tokio::sync::{Mutex, Mutex as AsyncMutex};\n"},
		{"single tokio import is extended", "use std::sync::{Arc, Mutex};\nuse tokio::sync::RwLock;\n",
			"use std::sync::Arc;\nuse tokio::sync::{Mutex, RwLock};\n"},
		{"emptied declaration goes into the tokio group", "use std::sync::Mutex;\nuse std::sync::Arc;\nuse tokio::sync::{Notify};\n",
			"use std::sync::Arc;\nuse tokio::sync::{Mutex, Notify};\n"},
		{"multi-line tokio group", "use std::sync::{Arc, Mutex};\nuse tokio::sync::{\n    mpsc,\n    Notify,\n};\n",
			"use std::sync::Arc;\nuse tokio::sync::{\n    mpsc,\n    Mutex,\n    Notify,\n};\n"},
		{"nested tokio group", "use std::sync::{Arc, Mutex};\nuse tokio::{spawn, sync::RwLock};\n",
			"use std::sync::Arc;\nuse tokio::{spawn, sync::{Mutex, RwLock}};\n"},
		{"pub use keeps its visibility", "pub use std::sync::{Arc, Mutex};\n",
			"pub use std::sync::Arc;\npub use tokio::sync::Mutex;\n"},
		{"name tokio already binds", "use std::sync::{Arc, Mutex, MutexGuard};\nuse tokio::sync::MutexGuard as _G;\nuse tokio::sync::{Notify, MutexGuard};\n",
			"use std::sync::Arc;\nuse tokio::sync::MutexGuard as _G;\nuse tokio::sync::{Notify, MutexGuard, Mutex};\n"},
		{"crlf", "use std::sync::{Arc, Mutex};\r\n", "use std::sync::Arc;\r\nuse tokio::sync::Mutex;\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nl := "\n"
			if strings.Contains(tc.in, "\r\n") {
				nl = "\r\n"
			}
			got, why := swapFile(t, tc.in+strings.ReplaceAll(lockFn, "\n", nl), Config{})
			if why != "" {
				t.Fatalf("refused: %s", why)
			}
			want := tc.want + strings.ReplaceAll(lockFnOut, "\n", nl)
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSwapPathsAndStatics(t *testing.T) {
	in := "static S: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());\n" +
		"fn g(x: &mut ::std::sync::MutexGuard<'_, u8>) {}\n" +
		"async fn f() {\n    S.lock().unwrap().push(1);\n}\n"
	want := "static S: tokio::sync::Mutex<Vec<u8>> = tokio::sync::Mutex::const_new(Vec::new());\n" +
		"fn g(x: &mut ::tokio::sync::MutexGuard<'_, u8>) {}\n" +
		"async fn f() {\n    S.lock().await.push(1);\n}\n"
	got, why := swapFile(t, in, Config{})
	if why != "" {
		t.Fatalf("refused: %s", why)
	}
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSwapLockCalls(t *testing.T) {
	head := "use std::sync::Mutex;\n\n"
	tests := []struct{ name, in, want string }{
		{"unwrap", "async fn f(m: &Mutex<u8>) {\n    let g = m.lock().unwrap();\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"expect", "async fn f(m: &Mutex<u8>) {\n    let g = m.lock().expect(\"poisoned (really)\");\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"unwrap_or_else", "async fn f(m: &Mutex<u8>) {\n    let g = m.lock().unwrap_or_else(|e| e.into_inner());\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"chain over lines", "async fn f(m: &Mutex<u8>) {\n    let g = m\n        .lock()\n        .unwrap();\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let g = m\n        .lock().await;\n}\n"},
		{"macro argument", "async fn f(m: &Mutex<u8>) {\n    println!(\"{}\", m.lock().unwrap());\n    assert_eq!(*m.lock().expect(\"x\"), 1);\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    println!(\"{}\", m.lock().await);\n    assert_eq!(*m.lock().await, 1);\n}\n"},
		{"let else", "async fn f(m: &Mutex<u8>) -> u8 {\n    let Ok(mut g) = m.lock() else {\n        return 0;\n    };\n    *g\n}\n",
			"async fn f(m: &Mutex<u8>) -> u8 {\n    let mut g = m.lock().await;\n    *g\n}\n"},
		{"if let with else", "async fn f(m: &Mutex<u8>) {\n    if let Ok(mut g) = m.lock() {\n        *g += 1;\n    } else {\n        return;\n    }\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    {\n        let mut g = m.lock().await;\n        *g += 1;\n    }\n}\n"},
		{"if let one line", "async fn f(m: &Mutex<u8>) {\n    if let Ok(g) = m.lock() { println!(\"{}\", *g) }\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    { let g = m.lock().await; println!(\"{}\", *g) }\n}\n"},
		{"match block arm", "async fn f(m: &Mutex<u8>) {\n    match m.lock() {\n        Ok(g) => {\n            println!(\"{}\", *g);\n        }\n        Err(e) => panic!(\"{e}\"),\n    }\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    {\n        let g = m.lock().await;\n        println!(\"{}\", *g);\n    }\n}\n"},
		{"match expression arm", "async fn f(m: &Mutex<u8>) -> u8 {\n    let v = match m.lock() {\n        Err(_) => 0,\n        Ok(g) => *g,\n    };\n    v\n}\n",
			"async fn f(m: &Mutex<u8>) -> u8 {\n    let v = {\n        let g = m.lock().await;\n        *g\n    };\n    v\n}\n"},
		{"already tokio and stdout untouched", "async fn f(m: &Mutex<u8>, t: &tokio::sync::Mutex<u8>) {\n    let _o = std::io::stdout().lock();\n    let a = t.lock().await;\n    let b = m.lock().unwrap();\n}\n",
			"async fn f(m: &Mutex<u8>, t: &tokio::sync::Mutex<u8>) {\n    let _o = std::io::stdout().lock();\n    let a = t.lock().await;\n    let b = m.lock().await;\n}\n"},
		{"spawn_blocking closure", "async fn f(m: std::sync::Arc<Mutex<u8>>) {\n    tokio::task::spawn_blocking(move || *m.lock().unwrap() += 1).await.unwrap();\n}\n",
			"async fn f(m: std::sync::Arc<Mutex<u8>>) {\n    tokio::task::spawn_blocking(move || *m.blocking_lock() += 1).await.unwrap();\n}\n"},
		{"sync fn on std thread", "fn work(m: &Mutex<u8>) {\n    if let Ok(mut g) = m.lock() {\n        *g += 1;\n    }\n}\nasync fn f(m: std::sync::Arc<Mutex<u8>>) {\n    std::thread::spawn(move || work(&m)).join().unwrap();\n}\n",
			"fn work(m: &Mutex<u8>) {\n    {\n        let mut g = m.blocking_lock();\n        *g += 1;\n    }\n}\nasync fn f(m: std::sync::Arc<Mutex<u8>>) {\n    std::thread::spawn(move || work(&m)).join().unwrap();\n}\n"},
		{"fn item passed to spawn_blocking", "fn work() -> u8 {\n    *M.lock().unwrap()\n}\nstatic M: Mutex<u8> = Mutex::new(0);\nasync fn f() {\n    tokio::task::spawn_blocking(work).await.unwrap();\n}\n",
			"fn work() -> u8 {\n    *M.blocking_lock()\n}\nstatic M: Mutex<u8> = Mutex::const_new(0);\nasync fn f() {\n    tokio::task::spawn_blocking(work).await.unwrap();\n}\n"},
		{"const item", "const EMPTY: Mutex<u8> = Mutex::new(0);\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().unwrap();\n}\n",
			"const EMPTY: Mutex<u8> = Mutex::const_new(0);\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"poisoned arm keeps the guard", "async fn f(m: &Mutex<u8>) {\n    let g = match m.lock() {\n        Ok(g) => g,\n        Err(p) => p.into_inner(),\n    };\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"poisoned arm with work keeps a block", "async fn f(m: &Mutex<u8>) {\n    let n = match m.lock() {\n        Ok(g) => *g + 1,\n        Err(p) => *p.into_inner(),\n    };\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let n = {\n        let g = m.lock().await;\n        *g + 1\n    };\n}\n"},
		{"lazy statics keep their constructors", "static A: std::sync::LazyLock<Mutex<u8>> = std::sync::LazyLock::new(|| Mutex::new(0));\nstatic B: std::sync::OnceLock<Mutex<u8>> = std::sync::OnceLock::new();\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().unwrap();\n}\n",
			"static A: std::sync::LazyLock<Mutex<u8>> = std::sync::LazyLock::new(|| Mutex::new(0));\nstatic B: std::sync::OnceLock<Mutex<u8>> = std::sync::OnceLock::new();\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"const fn constructor", "const fn make() -> Mutex<u8> {\n    Mutex::new(0)\n}\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().unwrap();\n}\n",
			"const fn make() -> Mutex<u8> {\n    Mutex::const_new(0)\n}\nasync fn f(m: &Mutex<u8>) {\n    let g = m.lock().await;\n}\n"},
		{"tokio path in macro tokens", "async fn f(m: &Mutex<u8>) {\n    let t = dbg!(tokio::sync::Mutex::new(1));\n    let g = m.lock().unwrap();\n}\n",
			"async fn f(m: &Mutex<u8>) {\n    let t = dbg!(tokio::sync::Mutex::new(1));\n    let g = m.lock().await;\n}\n"},
		{"question mark shapes", "async fn f(m: &Mutex<u8>) -> Result<u8, String> {\n    let g = m.lock().map_err(|e| e.to_string())?;\n    let h = m\n        .lock()\n        .map_err(Error::from)?;\n    Ok(*g + *h)\n}\nasync fn h(m: &Mutex<u8>) -> Option<u8> {\n    let a = *m.lock().ok()?;\n    Some(a)\n}\nasync fn k(m: &Mutex<u8>) -> Result<u8, Box<dyn std::error::Error + '_>> {\n    Ok(*m.lock()?)\n}\n",
			"async fn f(m: &Mutex<u8>) -> Result<u8, String> {\n    let g = m.lock().await;\n    let h = m\n        .lock().await;\n    Ok(*g + *h)\n}\nasync fn h(m: &Mutex<u8>) -> Option<u8> {\n    let a = *m.lock().await;\n    Some(a)\n}\nasync fn k(m: &Mutex<u8>) -> Result<u8, Box<dyn std::error::Error + '_>> {\n    Ok(*m.lock().await)\n}\n"},
		{"sync fn made async", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(m: &Mutex<u8>) -> u8 {\n    get(m) + get(&m)\n}\n",
			"async fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().await\n}\nasync fn f(m: &Mutex<u8>) -> u8 {\n    get(m).await + get(&m).await\n}\n"},
		{"sync fn called in a format macro", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(m: &Mutex<u8>) {\n    println!(\"{} {}\", get(m), 2);\n    assert_eq!(get(m), 1);\n}\n",
			"async fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().await\n}\nasync fn f(m: &Mutex<u8>) {\n    println!(\"{} {}\", get(m).await, 2);\n    assert_eq!(get(m).await, 1);\n}\n"},
		{"sync method made async, and its sync caller", "struct S {\n    m: Mutex<u8>,\n}\nimpl S {\n    fn get(&self) -> u8 {\n        *self.m.lock().unwrap()\n    }\n    fn twice(&self) -> u8 {\n        self.get() * 2\n    }\n}\nasync fn f(s: &S) -> u8 {\n    s.twice()\n}\n",
			"struct S {\n    m: Mutex<u8>,\n}\nimpl S {\n    async fn get(&self) -> u8 {\n        *self.m.lock().await\n    }\n    async fn twice(&self) -> u8 {\n        self.get().await * 2\n    }\n}\nasync fn f(s: &S) -> u8 {\n    s.twice().await\n}\n"},
		{"method sharing its name with the field it locks", "struct S {\n    items: Mutex<u8>,\n}\nimpl S {\n    fn items(&self) -> u8 {\n        *self.items.lock().unwrap()\n    }\n}\nasync fn f(s: &S) -> u8 {\n    s.items() + *s.items.lock().unwrap()\n}\n",
			"struct S {\n    items: Mutex<u8>,\n}\nimpl S {\n    async fn items(&self) -> u8 {\n        *self.items.lock().await\n    }\n}\nasync fn f(s: &S) -> u8 {\n    s.items().await + *s.items.lock().await\n}\n"},
		{"lock hoisted out of an iterator closure", "async fn f(m: &Mutex<Vec<u8>>, keys: &[usize]) -> u8 {\n    let v: Vec<u8> = keys.iter().map(|k| m.lock().unwrap()[*k]).collect();\n    keys.iter().for_each(|k| m.lock().unwrap().push(*k as u8));\n    v[0]\n}\n",
			"async fn f(m: &Mutex<Vec<u8>>, keys: &[usize]) -> u8 {\n    let m_guard = m.lock().await;\n    let v: Vec<u8> = keys.iter().map(|k| m_guard[*k]).collect();\n    drop(m_guard);\n    let mut m_guard2 = m.lock().await;\n    keys.iter().for_each(|k| m_guard2.push(*k as u8));\n    drop(m_guard2);\n    v[0]\n}\n"},
		{"tabs", "async fn f(m: &Mutex<u8>) {\n\tmatch m.lock() {\n\t\tOk(g) => {\n\t\t\tprintln!(\"{}\", *g);\n\t\t}\n\t\t_ => {}\n\t}\n}\n",
			"async fn f(m: &Mutex<u8>) {\n\t{\n\t\tlet g = m.lock().await;\n\t\tprintln!(\"{}\", *g);\n\t}\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := swapFile(t, head+tc.in, Config{})
			if why != "" {
				t.Fatalf("refused: %s", why)
			}
			want := "use tokio::sync::Mutex;\n\n" + tc.want
			if got != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSwapRefusals(t *testing.T) {
	head := "use std::sync::{Arc, Mutex};\n\n"
	tests := []struct{ name, in, why string }{
		{"sync fn called from async and off the runtime", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(m: Arc<Mutex<u8>>) {\n    get(&m);\n    std::thread::spawn(move || get(&m));\n}\n",
			"sync fn `get` (line 3) locks the Mutex: it is called from async code at line 7 and from code off the runtime at line 8"},
		{"sync fn called in a macro in async code", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(m: Arc<Mutex<u8>>) {\n    other::show!(get(&m));\n}\n",
			"called from async code inside macro arguments at line 7"},
		{"sync fn called in a closure in a format macro", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(m: Arc<Mutex<u8>>) {\n    println!(\"{}\", (|| get(&m))());\n}\n",
			"called from async code inside macro arguments at line 7"},
		{"sync fn holding a RefCell", "fn get(m: &Mutex<u8>, c: &std::cell::RefCell<u8>) -> u8 {\n    *m.lock().unwrap() + *c.borrow()\n}\nasync fn f(m: Arc<Mutex<u8>>) {\n    get(&m, &Default::default());\n}\n",
			"cannot be made async: its future would hold `RefCell`"},
		{"method named like a std method", "struct S {\n    m: Mutex<Vec<u8>>,\n}\nimpl S {\n    fn get(&self, i: usize) -> u8 {\n        self.m.lock().unwrap()[i]\n    }\n}\nasync fn f(s: &S, v: Vec<u8>) -> u8 {\n    s.get(0) + v.get(0).copied().unwrap_or(0)\n}\n",
			"`.get(..)` at line 12 may be another type's method of that name"},
		{"sync fn used as a value", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\nasync fn f(v: Vec<Mutex<u8>>) {\n    let _: Vec<u8> = v.iter().map(get).collect();\n}\n",
			"it is used at line 7 in a way sendfix cannot follow"},
		{"if let else logs", "async fn f(m: Arc<Mutex<u8>>) {\n    if let Ok(mut g) = m.lock() {\n        *g += 1;\n    } else {\n        eprintln!(\"poisoned\");\n    }\n}\n",
			"the else branch (the poisoned path) of the lock at line 4"},
		{"match arm logs", "async fn f(m: Arc<Mutex<u8>>) {\n    match m.lock() {\n        Ok(g) => println!(\"{}\", *g),\n        Err(e) => eprintln!(\"{e}\"),\n    }\n}\n",
			"does more than propagate the error"},
		{"unwrap_or_else logs", "async fn f(m: Arc<Mutex<u8>>) {\n    let g = m.lock().unwrap_or_else(|e| {\n        eprintln!(\"poisoned\");\n        e.into_inner()\n    });\n}\n",
			"does more than propagate the error"},
		{"map_err with statements", "async fn f(m: Arc<Mutex<u8>>) -> Result<(), String> {\n    let g = m.lock().map_err(|e| {\n        eprintln!(\"poisoned\");\n        e.to_string()\n    })?;\n    Ok(())\n}\n",
			"does more than propagate the error"},
		{"let else logs", "async fn f(m: Arc<Mutex<u8>>) {\n    let Ok(g) = m.lock() else {\n        eprintln!(\"poisoned\");\n        return;\n    };\n}\n",
			"does more than propagate the error"},
		{"sync fn without caller", "fn get(m: &Mutex<u8>) -> u8 {\n    *m.lock().unwrap()\n}\n", "no caller"},
		{"pub sync fn", "static M: Mutex<u8> = Mutex::new(0);\npub(crate) fn get() -> u8 {\n    *M.lock().unwrap()\n}\n", "it is `pub(crate)`"},
		{"pub(crate) in the signature", "pub(crate) fn get(m: &Mutex<u8>) {}\n", "`pub(crate)` fn `get` at line 3"},
		{"trait method called only by name off the runtime", "struct J(Arc<Mutex<Vec<u8>>>);\nimpl Iterator for J {\n    type Item = u8;\n    fn next(&mut self) -> Option<u8> {\n        self.0.lock().unwrap().pop()\n    }\n}\nasync fn f(m: Arc<Mutex<Vec<u8>>>) {\n    let j = J(m.clone());\n    std::thread::spawn(move || J(m).next());\n    for _ in j {}\n}\n",
			"implements trait `Iterator`"},
		{"closure in macro arguments", "async fn f(m: Arc<Mutex<Vec<u8>>>, v: Vec<u8>) {\n    assert!(v.iter().all(|x| m.lock().unwrap().contains(x)));\n}\n",
			"inside a macro after a `|`"},
		{"macro_rules body", "macro_rules! bump {\n    ($m:expr) => {\n        *$m.lock().unwrap() += 1\n    };\n}\n" + lockFn,
			"macro `bump` locks a Mutex in its definition at line 5"},
		{"lock on a Mutex typed elsewhere", "async fn f(db: crate::state::Db, m: Arc<Mutex<u8>>) {\n    db.lock().unwrap().push(1);\n    *m.lock().unwrap() += 1;\n}\n",
			"the lock at line 4 is on `db`"},
		{"macro lock on a Mutex typed elsewhere", "async fn f(db: crate::state::Db, m: Arc<Mutex<u8>>) {\n    println!(\"{:?}\", db.lock().unwrap());\n    *m.lock().unwrap() += 1;\n}\n",
			"the lock at line 4 inside a macro is on a receiver"},
		{"std path in macro tokens", "async fn f(m: Arc<Mutex<u8>>) {\n    let c = Arc::new(dbg!(::std::sync::Mutex::new(0)));\n    *m.lock().unwrap() += 1;\n}\n",
			"spelled inside macro tokens at line 4"},
		{"sync closure run later", "async fn f(m: Arc<Mutex<u8>>, v: Vec<u8>) {\n    let it = v.iter().map(|x| *m.lock().unwrap() + x);\n    let _: Vec<u8> = it.collect();\n}\n",
			"sendfix cannot tell that the closure runs before the statement ends"},
		{"move closure", "async fn f(m: Arc<Mutex<u8>>, v: Vec<u8>) {\n    let _: Vec<u8> = v.iter().map(move |x| *m.lock().unwrap() + x).collect();\n}\n",
			"the closure is `move`"},
		{"statement awaits", "async fn f(m: Arc<Mutex<u8>>, v: Vec<u8>) {\n    let _: Vec<u8> = g(v.iter().map(|x| *m.lock().unwrap() + x).collect()).await;\n}\nasync fn g(v: Vec<u8>) -> Vec<u8> { v }\n",
			"it sits in await expression, which may not run it"},
		{"statement takes another lock", "async fn f(m: Arc<Mutex<u8>>, n: Arc<Mutex<u8>>, v: Vec<u8>) {\n    let _: Vec<u8> = v.iter().map(|x| *m.lock().unwrap() + *n.lock().unwrap() + x).collect();\n}\n",
			"the statement takes another lock at line 4"},
		{"nested closure", "async fn f(m: Arc<Mutex<u8>>, v: Vec<Vec<u8>>) {\n    let _: Vec<u8> = v.iter().map(|w| w.iter().map(|x| *m.lock().unwrap() + x).sum()).collect();\n}\n",
			"in a sync closure inside async code"},
		{"try_lock", "async fn f(m: Arc<Mutex<u8>>) {\n    let _ = m.try_lock();\n}\n", "`try_lock` at line 4"},
		{"into_inner", "fn f(m: Mutex<u8>) -> u8 {\n    m.into_inner().unwrap()\n}\n", "`into_inner` at line 4"},
		{"into_inner without unwrap", "fn f(m: Mutex<Vec<u8>>) -> Vec<u8> {\n    let r = m.into_inner();\n    r.unwrap_or_default()\n}\n", "`into_inner` at line 4"},
		{"get_mut in a macro", "fn f(mut m: Mutex<u8>) {\n    println!(\"{:?}\", m.get_mut());\n}\n", "inside a macro"},
		{"condvar", "async fn f(c: std::sync::Condvar) {}\n", "`Condvar`"},
		{"pub field", "pub struct S {\n    pub m: Mutex<u8>,\n}\n", "`pub` field `m` at line 4"},
		{"pub fn", "pub fn make() -> Arc<Mutex<u8>> {\n    Arc::new(Mutex::new(0))\n}\n", "`pub` fn `make`"},
		{"match with guard arm", "async fn f(m: Arc<Mutex<u8>>) {\n    match m.lock() {\n        Ok(g) if *g > 1 => {}\n        _ => {}\n    }\n}\n",
			"has a shape sendfix does not convert"},
		{"bare lock", "async fn f(m: Arc<Mutex<u8>>) {\n    let r = m.lock();\n}\n", "has a shape sendfix does not convert"},
		{"macro other shape", "async fn f(m: Arc<Mutex<u8>>) {\n    println!(\"{}\", m.lock().is_ok());\n}\n", "inside a macro"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, why := swapFile(t, head+tc.in, Config{})
			if !strings.Contains(why, tc.why) {
				t.Errorf("reason %q, want it to contain %q", why, tc.why)
			}
		})
	}
	t.Run("glob", func(t *testing.T) {
		_, why := swapFile(t, "use std::sync::*;\n"+lockFn, Config{})
		if !strings.Contains(why, "glob import") {
			t.Errorf("reason %q", why)
		}
	})
	t.Run("no std Mutex named", func(t *testing.T) {
		_, why := swapFile(t, "use parking_lot::Mutex;\n"+lockFn, Config{})
		if !strings.Contains(why, "does not name std::sync::Mutex") {
			t.Errorf("reason %q", why)
		}
	})
	t.Run("allow public", func(t *testing.T) {
		out, why := swapFile(t, head+"pub struct S {\n    pub m: Mutex<u8>,\n}\n", Config{AllowPublic: true})
		if why != "" || !strings.Contains(out, "use tokio::sync::Mutex;") {
			t.Errorf("reason %q, out:\n%s", why, out)
		}
	})
}

// runFile runs the engine over one file the way the command does: the
// index first, then the rules.
func runFile(src string, cfg Config) *Result {
	e0 := NewEngine(cfg, nil)
	defer e0.Close()
	e := NewEngine(cfg, NewIndex(e0.Summarize("a.rs", []byte(src))))
	defer e.Close()
	return e.Run("a.rs", []byte(src))
}

const heldProgram = `use std::sync::{Arc, Mutex};

async fn work() {}

async fn task(m: Arc<Mutex<u8>>) {
    let mut g = m.lock().unwrap();
    *g += 1;
    work().await;
    *g += 1;
}

fn main() {
    let m = Arc::new(Mutex::new(0));
    tokio::spawn(task(m.clone()));
    TAIL
}
`

func TestTokioMutexFindings(t *testing.T) {
	t.Run("fixed", func(t *testing.T) {
		r := runFile(strings.Replace(heldProgram, "TAIL", "", 1), DefaultConfig())
		if len(r.Findings) != 1 {
			t.Fatalf("want one finding, got %+v", r.Findings)
		}
		f := r.Findings[0]
		if f.Rule != RuleTokioMutex || !f.Fixed || f.Pos.Line != 6 || f.Pos.Col != 13 || f.Await == nil || f.Await.Line != 8 {
			t.Errorf("finding %+v", f)
		}
		if want := "guard `g` is used after `work().await` at line 8: switched `m` to tokio::sync::Mutex (1 lock call"; !strings.Contains(f.Fix, want) {
			t.Errorf("fix %q, want %q", f.Fix, want)
		}
		if !strings.Contains(string(r.Out), "let mut g = m.lock().await;") || !strings.Contains(string(r.Out), "use tokio::sync::Mutex;") {
			t.Errorf("output:\n%s", r.Out)
		}
	})
	t.Run("refused leaves the file and reports once", func(t *testing.T) {
		in := strings.Replace(heldProgram, "TAIL", "let _ = m.try_lock();", 1)
		r := runFile(in, DefaultConfig())
		if r.Changed() {
			t.Errorf("file changed:\n%s", r.Out)
		}
		if len(r.Findings) != 1 || r.Findings[0].Rule != RuleTokioMutex || r.Findings[0].Fixed ||
			!strings.Contains(r.Findings[0].Reason, "`try_lock` at line 15") {
			t.Errorf("findings %+v", r.Findings)
		}
	})
	t.Run("skipped rule leaves mutex-scope's finding", func(t *testing.T) {
		cfg := DefaultConfig()
		delete(cfg.Rules, RuleTokioMutex)
		r := runFile(strings.Replace(heldProgram, "TAIL", "", 1), cfg)
		if r.Changed() || len(r.Findings) != 1 || r.Findings[0].Rule != RuleMutexScope {
			t.Errorf("changed=%v findings %+v", r.Changed(), r.Findings)
		}
	})
	t.Run("all-async never swaps", func(t *testing.T) {
		cfg := DefaultConfig()
		cfg.AllAsync = true
		in := strings.Replace(strings.Replace(heldProgram, "tokio::spawn(task(m.clone()));", "", 1), "TAIL", "", 1)
		r := runFile(in, cfg)
		if r.Changed() {
			t.Errorf("file changed:\n%s", r.Out)
		}
		for _, f := range r.Findings {
			if f.Rule == RuleTokioMutex {
				t.Errorf("tokio-mutex finding under --all-async: %+v", f)
			}
		}
	})
}

// TestSwapOtherLocks checks that locks on parking_lot's or tokio's types
// written in the file are left alone while the std Mutex swaps, and that a
// receiver not provably of such a type still refuses the swap.
func TestSwapOtherLocks(t *testing.T) {
	head := "use std::sync::{Arc, Mutex};\nuse parking_lot::Mutex as PlMutex;\n"
	skips := []struct{ name, in, keep string }{
		{"parking_lot param", "async fn g(s: Arc<parking_lot::Mutex<u8>>) {\n    *s.lock() += 1;\n}\n", "*s.lock() += 1;"},
		{"parking_lot built in a let", "async fn g() {\n    let s = Arc::new(parking_lot::Mutex::new(0));\n    *s.lock() += 1;\n}\n", "*s.lock() += 1;"},
		{"aliased import built in a let", "async fn g() {\n    let s = Arc::new(PlMutex::new(0));\n    *s.lock() += 1;\n}\n", "*s.lock() += 1;"},
		{"clone of a tuple element", "async fn g(a: Arc<PlMutex<u8>>, b: u8) {\n    let (x, s) = (b, a.clone());\n    *s.lock() += x;\n}\n", "*s.lock() += x;"},
		{"reference to a tokio Mutex", "async fn g(t: &tokio::sync::Mutex<u8>) {\n    let fut = t.lock();\n    drop(fut);\n}\n", "let fut = t.lock();"},
		{"static", "static S: parking_lot::Mutex<u8> = parking_lot::const_mutex(0);\nasync fn g() {\n    *S.lock() += 1;\n}\n", "*S.lock() += 1;"},
		{"type alias", "type Hits = PlMutex<u32>;\nasync fn g(h: &Hits) {\n    *h.lock() += 1;\n}\n", "*h.lock() += 1;"},
		{"field in a macro", "struct St {\n    hits: PlMutex<u32>,\n}\nasync fn g(st: &St) {\n    println!(\"{}\", st.hits.lock());\n}\n", "st.hits.lock());"},
		{"already awaited on a type from elsewhere", "async fn g(db: crate::Db) {\n    db.lock().await.push(1);\n}\n", "db.lock().await.push(1);"},
	}
	for _, tc := range skips {
		t.Run(tc.name, func(t *testing.T) {
			out, why := swapFile(t, head+tc.in+lockFn, Config{})
			if why != "" {
				t.Fatalf("refused: %s", why)
			}
			if !strings.Contains(out, tc.keep) || !strings.Contains(out, lockFnOut) || !strings.Contains(out, "use parking_lot::Mutex as PlMutex;\n") {
				t.Errorf("out:\n%s", out)
			}
		})
	}
	refusals := []struct{ name, in, why string }{
		{"for binding hides the parking_lot let", "async fn g(v: Vec<Arc<Mutex<u8>>>) {\n    let s = Arc::new(PlMutex::new(0));\n    for s in v.iter() {\n        let _g = s.lock();\n    }\n}\n",
			"the lock at line 6 is on `s`"},
		{"if let binding hides the parking_lot param", "async fn g(s: Arc<PlMutex<u8>>, o: Option<Arc<Mutex<u8>>>) {\n    if let Some(s) = o {\n        let _g = s.lock();\n    }\n}\n",
			"the lock at line 5 is on `s`"},
		{"untyped closure parameter", "async fn g(s: Arc<PlMutex<u8>>, v: Vec<Arc<Mutex<u8>>>) {\n    v.iter().for_each(|s| drop(s.lock()));\n}\n",
			"the lock at line 4 is on `s`"},
		{"wrapper type", "async fn g(s: Wrap<PlMutex<u8>>) {\n    let _g = s.lock();\n}\n", "the lock at line 4 is on `s`"},
		{"field name shared with a std Mutex", "struct A {\n    m: PlMutex<u8>,\n}\nstruct B {\n    m: Mutex<u8>,\n}\nasync fn g(a: &A) {\n    let _g = a.m.lock();\n}\n",
			"has a shape sendfix does not convert"},
		{"tuple holding both", "async fn g(p: Arc<(PlMutex<u8>, Mutex<u8>)>) {\n    let _g = p.0.lock();\n}\n", "has a shape sendfix does not convert"},
		{"let typed by an unknown name", "async fn g() {\n    let s: Arc<Other<u8>> = make();\n    let _g = s.lock();\n}\n", "the lock at line 5 is on `s`"},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			_, why := swapFile(t, head+tc.in+lockFn, Config{})
			if !strings.Contains(why, tc.why) {
				t.Errorf("reason %q, want it to contain %q", why, tc.why)
			}
		})
	}
	t.Run("parking_lot named Mutex, std by full path", func(t *testing.T) {
		in := "use parking_lot::Mutex;\nuse std::sync::Arc;\nasync fn g(s: Arc<Mutex<u8>>, m: Arc<std::sync::Mutex<u8>>) {\n    *s.lock() += 1;\n    *m.lock().unwrap() += 1;\n}\n"
		want := "use parking_lot::Mutex;\nuse std::sync::Arc;\nasync fn g(s: Arc<Mutex<u8>>, m: Arc<tokio::sync::Mutex<u8>>) {\n    *s.lock() += 1;\n    *m.lock().await += 1;\n}\n"
		out, why := swapFile(t, in, Config{})
		if why != "" || out != want {
			t.Errorf("reason %q, out:\n%s", why, out)
		}
	})
}

// TestSwapForeignPlacement checks that the swap refuses when a std Mutex
// spelling it would change builds or types a value of an item defined
// outside the file, and still swaps when every spelling is decided here.
func TestSwapForeignPlacement(t *testing.T) {
	head := "use std::sync::{Arc, Mutex};\n"
	held := "\nasync fn held(c: Arc<Mutex<u8>>) {\n    let g = c.lock().unwrap();\n    tokio::task::yield_now().await;\n    println!(\"{}\", *g);\n}\n"
	refuse := []struct{ name, in, why string }{
		// The reproducer: lib1's Db has a std Mutex field.
		{"foreign struct literal", "use lib1::{bump, Db};\nasync fn f() {\n    let db = Arc::new(Db { m: Mutex::new(0) });\n    bump(db.clone()).await;\n}\n",
			"`Mutex::new` at line 4 builds a value for `Db`, defined outside the given files; its Mutex type cannot move"},
		{"foreign path struct literal", "async fn f() {\n    let db = lib1::Db { m: Mutex::new(0) };\n}\n",
			"`Mutex::new` at line 3 builds a value for `lib1::Db`"},
		{"foreign fn argument", "async fn f() {\n    lib1::take(Arc::new(Mutex::new(0)));\n}\n",
			"`Mutex::new` at line 3 builds a value for `lib1::take`"},
		{"let passed to a foreign fn", "async fn f() {\n    let m = Arc::new(Mutex::new(0));\n    lib1::take(m.clone());\n}\n",
			"`Mutex::new` at line 3 builds a value for `lib1::take`"},
		{"method on a foreign receiver", "async fn f(db: lib1::Db) {\n    db.set(Mutex::new(0));\n}\n",
			"builds a value for `db.set`"},
		{"foreign trait signature", "struct S;\nimpl lib1::Store for S {\n    fn put(&self, m: Arc<Mutex<u8>>) {}\n}\n",
			"`Mutex` at line 4 is in the signature of an impl of trait `lib1::Store`"},
		{"typed let from a foreign call", "async fn f() {\n    let m: Arc<Mutex<u8>> = lib1::make();\n}\n",
			"comes from code sendfix does not follow"},
		{"unknown macro", "async fn f() {\n    let v = lib1::wrap!(Mutex::new(0));\n}\n", "inside macro `lib1::wrap!`"},
	}
	for _, tc := range refuse {
		t.Run(tc.name, func(t *testing.T) {
			_, why := swapFile(t, head+tc.in+held, Config{})
			if !strings.Contains(why, tc.why) {
				t.Errorf("reason %q, want it to contain %q", why, tc.why)
			}
		})
	}
	accept := []struct{ name, in string }{
		{"struct of this file", "struct Db {\n    m: Mutex<u8>,\n}\nasync fn f() {\n    let db = Arc::new(Db { m: Mutex::new(0) });\n    held(Arc::new(Mutex::new(*db.m.lock().unwrap()))).await;\n}\n"},
		{"tuple struct and module struct", "mod inner {\n    pub(super) struct P(pub(super) super::Mutex<u8>);\n}\nstruct Q(Mutex<u8>);\nfn f() {\n    let _ = inner::P(Mutex::new(0));\n    let _ = Q(Mutex::new(1));\n}\n"},
		{"fn of this file", "fn take(m: Arc<Mutex<u8>>) -> Arc<Mutex<u8>> {\n    m\n}\nfn make() -> Arc<Mutex<u8>> {\n    Arc::new(Mutex::new(0))\n}\nasync fn f() {\n    let m = take(make());\n    let n = Arc::new(Mutex::new(1));\n    drop(take(n.clone()));\n    println!(\"{:?}\", n);\n}\n"},
		{"vec and typed let", "async fn f() {\n    let v: Vec<Mutex<u8>> = vec![Mutex::new(0), Mutex::new(1)];\n    let w = vec![Arc::new(Mutex::new(2))];\n    held(w[0].clone()).await;\n}\n"},
		{"static and local trait", "static S: Mutex<u8> = Mutex::new(0);\ntrait Store {\n    fn put(&self, m: Arc<Mutex<u8>>);\n}\nstruct X;\nimpl Store for X {\n    fn put(&self, m: Arc<Mutex<u8>>) {}\n}\n"},
	}
	for _, tc := range accept {
		t.Run(tc.name, func(t *testing.T) {
			out, why := swapFile(t, head+tc.in+held, Config{AllowPublic: true})
			if why != "" || !strings.Contains(out, "use tokio::sync::Mutex;") {
				t.Errorf("reason %q, out:\n%s", why, out)
			}
		})
	}
}

// TestSwapRwLock checks the RwLock family: its lock calls, guards, statics and
// macro tokens move to tokio; a std Mutex of the same file stays.
func TestSwapRwLock(t *testing.T) {
	in := "use std::sync::{Mutex, RwLock, RwLockReadGuard};\n" +
		"static CFG: RwLock<u8> = RwLock::new(0);\n" +
		"fn peek(c: &RwLock<u8>) -> RwLockReadGuard<'_, u8> {\n    c.read().unwrap()\n}\n" +
		"async fn f(m: &Mutex<u8>) -> u8 {\n    let a = *CFG.read().unwrap();\n    println!(\"{}\", CFG.write().expect(\"w\"));\n    *peek(&CFG) + a + *m.lock().unwrap()\n}\n"
	want := "use std::sync::Mutex;\nuse tokio::sync::{RwLock, RwLockReadGuard};\n" +
		"static CFG: RwLock<u8> = RwLock::const_new(0);\n" +
		"async fn peek(c: &RwLock<u8>) -> RwLockReadGuard<'_, u8> {\n    c.read().await\n}\n" +
		"async fn f(m: &Mutex<u8>) -> u8 {\n    let a = *CFG.read().await;\n    println!(\"{}\", CFG.write().await);\n    *peek(&CFG).await + a + *m.lock().unwrap()\n}\n"
	p := func(src string, fams lockFamily) (string, string) {
		t.Helper()
		return swapFamilies(t, src, Config{}, fams)
	}
	if got, why := p(in, famRwLock); why != "" || got != want {
		t.Errorf("reason %q, got:\n%s\nwant:\n%s", why, got, want)
	}
	refuse := "use std::sync::{Arc, RwLock};\nasync fn f(c: Arc<RwLock<u8>>) -> u8 {\n    if let Ok(g) = c.try_read() {\n        return *g;\n    }\n    *c.read().unwrap()\n}\n"
	if _, why := p(refuse, famRwLock); !strings.Contains(why, "`try_read` at line 3") {
		t.Errorf("try_read: reason %q", why)
	}
	mixed := strings.Replace(strings.Replace(refuse, "{Arc, RwLock}", "{Arc, Mutex, RwLock}", 1), "-> u8 {\n", "-> u8 {\n    let _m = Mutex::new(0).lock().unwrap();\n", 1)
	if got, why := p(mixed, famMutex); why != "" || !strings.Contains(got, "c.try_read()") || !strings.Contains(got, "Mutex::new(0).lock().await") {
		t.Errorf("a Mutex swap leaves a RwLock's try_read alone: reason %q, got:\n%s", why, got)
	}
}

// TestSwapErrorPaths checks the error paths a swap may delete (tokio's
// lock cannot be poisoned) and those it must refuse: anything with an
// effect of its own, an await above all, however it is written.
func TestSwapErrorPaths(t *testing.T) {
	head := "use std::sync::{Arc, Mutex};\nenum E {\n    P(String),\n}\nasync fn tick() {}\nasync fn f(m: Arc<Mutex<u8>>) -> Result<u8, E> {\n"
	tail := "    Ok(0)\n}\n"
	deleted := []struct{ name, in string }{
		{"if let else return error", "    if let Ok(g) = m.lock() {\n        println!(\"{}\", *g);\n    } else {\n        return Err(E::P(format!(\"poisoned\")));\n    }\n"},
		{"if let else nothing", "    if let Ok(g) = m.lock() {\n        println!(\"{}\", *g);\n    } else {\n    }\n"},
		{"let else return", "    let Ok(g) = m.lock() else {\n        return Err(E::P(\"poisoned\".to_string()));\n    };\n    println!(\"{}\", *g);\n"},
		{"match err converted", "    let g = match m.lock() {\n        Ok(g) => g,\n        Err(e) => return Err(E::P(e.to_string())),\n    };\n    println!(\"{}\", *g);\n"},
		{"map_err variant", "    let g = m.lock().map_err(|e| E::P(e.to_string()))?;\n    println!(\"{}\", *g);\n"},
		{"expect formatted", "    let g = m.lock().expect(&format!(\"lock {}\", 1));\n    println!(\"{}\", *g);\n"},
		{"match err panics", "    match m.lock() {\n        Ok(g) => println!(\"{}\", *g),\n        Err(_) => panic!(\"poisoned\"),\n    }\n"},
	}
	for _, tc := range deleted {
		t.Run(tc.name, func(t *testing.T) {
			out, why := swapFile(t, head+tc.in+tail, Config{})
			if why != "" || !strings.Contains(out, "m.lock().await") || strings.Contains(out, "Ok(g)") {
				t.Errorf("reason %q, out:\n%s", why, out)
			}
		})
	}
	refused := []struct{ name, in, why string }{
		{"if let else awaits", "    if let Ok(g) = m.lock() {\n        println!(\"{}\", *g);\n    } else {\n        tick().await;\n    }\n", "the else branch (the poisoned path)"},
		{"if let else returns an await", "    if let Ok(g) = m.lock() {\n        println!(\"{}\", *g);\n    } else {\n        return Ok(tick().await);\n    }\n", "the else branch (the poisoned path)"},
		{"else if", "    if let Ok(g) = m.lock() {\n        println!(\"{}\", *g);\n    } else if true {\n        println!(\"poisoned\");\n    }\n", "the else branch (the poisoned path)"},
		{"let else logs", "    let Ok(g) = m.lock() else {\n        eprintln!(\"poisoned\");\n        return Ok(1);\n    };\n    println!(\"{}\", *g);\n", "the else block (the poisoned path)"},
		{"let else breaks with an effect", "    loop {\n        let Ok(g) = m.lock() else {\n            break Some(std::process::exit(1));\n        };\n        println!(\"{}\", *g);\n    }\n", "the else block (the poisoned path)"},
		{"err arm awaits", "    match m.lock() {\n        Ok(g) => println!(\"{}\", *g),\n        Err(_) => tick().await,\n    }\n", "the error arm"},
		{"err arm try of an effect", "    match m.lock() {\n        Ok(g) => println!(\"{}\", *g),\n        Err(_) => Err(E::P(log()))?,\n    }\n", "the error arm"},
		{"map_err calls a fn", "    let g = m.lock().map_err(|e| report(e))?;\n    println!(\"{}\", *g);\n", "the error path"},
		{"expect message with an effect", "    let g = m.lock().expect(&describe());\n    println!(\"{}\", *g);\n", "the error path"},
		{"unwrap_or_else logs", "    let g = m.lock().unwrap_or_else(|e| {\n        eprintln!(\"poisoned\");\n        e.into_inner()\n    });\n    println!(\"{}\", *g);\n", "the error path"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			_, why := swapFile(t, head+tc.in+tail, Config{})
			if !strings.Contains(why, tc.why) || !strings.Contains(why, "does more than propagate the error") {
				t.Errorf("reason %q, want it to name %q", why, tc.why)
			}
		})
	}
}
