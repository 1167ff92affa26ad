// golden: edition=2024
// In edition 2024 the lock's Result (a poisoned guard in its Err) is
// dropped before the else branch of `if let Ok(g) = m.lock()`: the await
// there holds nothing, and nothing changes.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Ok(mut g) = data.lock() {
            g.push(4);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
