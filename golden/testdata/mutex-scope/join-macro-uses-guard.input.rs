// The guard is read inside `tokio::join!`, which awaits: it cannot be
// scoped before the macro, so the Mutex becomes tokio's.
use std::sync::{Arc, Mutex};

async fn show(n: usize) -> usize {
    n
}

async fn tick() -> usize {
    tokio::task::yield_now().await;
    1
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let g = data.lock().unwrap();
        let (a, b) = tokio::join!(show(g.len()), tick());
        println!("{} {}", a, b);
    })
    .await
    .unwrap();
}
