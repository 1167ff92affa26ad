use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let barrier = Arc::new(Mutex::new(()));
    let b = barrier.clone();
    tokio::spawn(async move {
        let held = b.lock().unwrap();
        drop(held);
        tick().await;
    })
    .await
    .unwrap();
}
