// golden: run
// The await is inside `println!`'s tokens: the guard alive at that
// statement is held across it.
use std::sync::{Arc, Mutex};

async fn next(n: usize) -> usize {
    tokio::task::yield_now().await;
    n + 1
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let g = data.lock().unwrap();
        let n = g.len();
        println!("{} {}", n, next(n).await);
    })
    .await
    .unwrap();
}
