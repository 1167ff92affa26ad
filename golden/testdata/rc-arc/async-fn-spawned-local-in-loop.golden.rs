// golden: run
// An Rc made in an async fn whose future is spawned, held across an await
// in a nested loop: the fn's own body is Send-required.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

async fn task() -> u32 {
    let counter = Arc::new(Mutex::new(1u32));
    for _round in 0..2 {
        for _ in 0..2 {
            tick().await;
        }
        *counter.lock().unwrap() += 1;
    }
    let n = *counter.lock().unwrap();
    n
}

#[tokio::main]
async fn main() {
    let n = tokio::spawn(task()).await.unwrap();
    assert_eq!(n, 3);
}
