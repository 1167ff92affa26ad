// Reduced from TestGenerated seed=1 index=366 (also 5, and every ctx=send-bound
// or ctx=send-bound-spawner program): a future passed to a fn whose parameter
// is bound by `Send` must be Send, but sendfix sees no Send context there and
// says nothing; rustc fails with the Send error.
use std::sync::{Arc, Mutex};

fn require_send<F: std::future::Future + Send>(f: F) -> F {
    f
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    require_send(async move {
        let mut g = data.lock().unwrap();
        g.push(4);
        tick().await;
    })
    .await;
}
