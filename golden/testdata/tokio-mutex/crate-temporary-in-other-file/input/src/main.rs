// golden: run
// The only guard that must stay held is a temporary (an async method on
// the guarded value), and the lock's type is an alias in client.rs: the
// crate swaps both files together.
mod client;

use client::{connect, Shared};

async fn ask(c: Shared, req: &str) -> usize {
    c.lock().unwrap().fetch(req).await
}

#[tokio::main]
async fn main() {
    let c = connect();
    let n = tokio::spawn(ask(c.clone(), "ping")).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(c.lock().unwrap().sent.len(), 1);
}
