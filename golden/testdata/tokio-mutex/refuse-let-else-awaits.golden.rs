// golden: expect=send-error
// The else of `let Ok(q) = m.lock() else { .. }` returns an awaited call:
// not a bare propagation, so the swap is refused.
use std::sync::{Arc, Mutex};

async fn alert(what: &str) {
    eprintln!("{what}");
    tokio::task::yield_now().await;
}

async fn enqueue(queue: Arc<Mutex<Vec<u32>>>) {
    let Ok(mut q) = queue.lock() else {
        return alert("queue lock poisoned").await;
    };
    q.push(1);
    alert("queued").await;
    q.push(2);
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(enqueue(queue.clone())).await.unwrap();
}
