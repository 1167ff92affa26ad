// golden: args=--all-async
// With --all-async every async body is fixed, except the allowed one, which
// is only awaited from main and so may hold the guard.
use std::sync::{Arc, Mutex};

async fn save(n: u32) {
    println!("{n}");
}

#[allow(clippy::await_holding_lock)]
async fn report(total: Arc<Mutex<u32>>) {
    let t = total.lock().unwrap();
    println!("{}", *t);
    save(0).await;
}

async fn bump(total: Arc<Mutex<u32>>) {
    {
        let mut t = total.lock().unwrap();
        *t += 1;
    }
    save(1).await;
}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0));
    tokio::spawn(bump(total.clone())).await.unwrap();
    report(total).await;
}
