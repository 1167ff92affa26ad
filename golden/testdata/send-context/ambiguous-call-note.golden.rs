// golden: run
// `n.open()` may mean `Disk::open` or `Net::open` (the receiver's type is
// not read): it carries no Send requirement. `Disk::open` must be Send all
// the same, spawned by its path, and its finding notes the ambiguous call.
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
        {
            let mut n = self.opened.lock().unwrap();
            *n += 1;
        }
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
    tokio::spawn(async move { Disk::open(&d).await }).await.unwrap();
    let n = net.clone();
    tokio::spawn(async move { n.open().await }).await.unwrap();
    assert_eq!(*disk.opened.lock().unwrap(), 1);
    assert_eq!(*net.opened.lock().unwrap(), 1);
}
