use std::sync::{Arc, Mutex};
use tokio::spawn;

async fn tick() {}

#[tokio::main]
async fn main() {
    let beats = Arc::new(Mutex::new(0u32));
    let b = beats.clone();
    spawn(async move {
        let mut n = b.lock().unwrap();
        *n += 1;
        tick().await;
    })
    .await
    .unwrap();
}
