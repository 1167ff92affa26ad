use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let beats = Arc::new(Mutex::new(0u32));
    let b = beats.clone();
    tokio::task::spawn(async move {
        {
            let mut n = b.lock().unwrap();
            *n += 1;
        }
        tick().await;
    })
    .await
    .unwrap();
}
