// golden: run
// A bare `join!` imported from tokio awaits like `tokio::join!`.
use std::sync::{Arc, Mutex};
use tokio::join;

async fn tick() -> u32 {
    tokio::task::yield_now().await;
    1
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let got = tokio::spawn(async move {
        let n = {
            let mut g = data.lock().unwrap();
            g.push(4);
            g.len() as u32
        };
        let (a, b) = join!(tick(), tick());
        a + b + n
    })
    .await
    .unwrap();
    assert_eq!(got, 6);
}
