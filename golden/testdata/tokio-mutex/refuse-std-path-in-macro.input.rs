// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn work() -> u32 {
    1
}

#[tokio::main]
async fn main() {
    let cache = Arc::new(dbg!(std::sync::Mutex::new(0u32)));
    *cache.lock().unwrap() += 1;
    let total = Arc::new(Mutex::new(0u32));
    let t = total.clone();
    tokio::spawn(async move {
        let mut g = t.lock().unwrap();
        *g += work().await;
    })
    .await
    .unwrap();
}
