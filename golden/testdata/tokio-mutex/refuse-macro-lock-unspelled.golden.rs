// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn work() -> u32 {
    1
}

#[tokio::main]
async fn main() {
    let shards = vec![std::sync::Mutex::new(0u32), std::sync::Mutex::new(0u32)];
    let first = shards.first().unwrap();
    let total = Arc::new(Mutex::new(0u32));
    let t = total.clone();
    tokio::spawn(async move {
        let mut g = t.lock().unwrap();
        *g += work().await;
    })
    .await
    .unwrap();
    println!("{} {}", total.lock().unwrap(), first.lock().unwrap());
}
