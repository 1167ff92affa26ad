// golden: expect=send-error
// The twin of ambiguous-call-note: `Disk::open` is reached only through
// calls that may mean either `open` (`d.open()`, `n.open()`: the receivers'
// types are not read). rustc rejects the program, but no finding may rest
// on a name shared by several fns: nothing is reported or changed.
use std::sync::{Arc, Mutex};

async fn tick() {}

struct Disk {
    opened: Mutex<u32>,
}

struct Net {
    opened: Mutex<u32>,
}

impl Disk {
    async fn open(&self) {
        let mut n = self.opened.lock().unwrap();
        *n += 1;
        tick().await;
    }
}

impl Net {
    async fn open(&self) {
        *self.opened.lock().unwrap() += 1;
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let disk = Arc::new(Disk { opened: Mutex::new(0) });
    let net = Arc::new(Net { opened: Mutex::new(0) });
    let d = disk.clone();
    tokio::spawn(async move { d.open().await }).await.unwrap();
    let n = net.clone();
    tokio::spawn(async move { n.open().await }).await.unwrap();
    assert_eq!(*disk.opened.lock().unwrap(), 1);
    assert_eq!(*net.opened.lock().unwrap(), 1);
}
