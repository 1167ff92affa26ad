// golden: expect=send-error
// A `return` out of the poisoned path still runs what it returns: an
// awaited call there is behaviour the swap would delete.
use std::sync::{Arc, Mutex};

async fn alert(what: &str) {
    eprintln!("{what}");
    tokio::task::yield_now().await;
}

async fn bump(hits: Arc<Mutex<Vec<u32>>>) {
    if let Ok(mut g) = hits.lock() {
        g.push(1);
        alert("pushed").await;
        g.push(2);
    } else {
        return alert("hits lock poisoned").await;
    }
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(bump(hits.clone())).await.unwrap();
}
