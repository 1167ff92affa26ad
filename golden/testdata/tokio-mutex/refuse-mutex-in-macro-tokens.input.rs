// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn work() -> u32 {
    1
}

#[tokio::main]
async fn main() {
    let shards = Arc::new(vec![std::sync::Mutex::new(0u32), std::sync::Mutex::new(0u32)]);
    let total = Arc::new(Mutex::new(0u32));
    let s = shards.clone();
    let t = total.clone();
    tokio::spawn(async move {
        *s[0].lock().unwrap() += 1;
        let mut g = t.lock().unwrap();
        *g += work().await;
    })
    .await
    .unwrap();
    println!("{}", total.lock().unwrap());
}
