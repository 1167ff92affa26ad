use std::sync::{Arc, Mutex};

async fn work() {}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(0u32));
    let d = data.clone();
    tokio::spawn(async move {
        let g = d.lock().unwrap();
        let held = g;
        drop(held);
        work().await;
    })
    .await
    .unwrap();
}
