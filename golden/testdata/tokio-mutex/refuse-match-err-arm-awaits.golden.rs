// golden: expect=send-error
// The `Err` arm of `match m.lock()` awaits: the swap would delete it.
use std::sync::{Arc, Mutex};

async fn pulse() {
    tokio::task::yield_now().await;
}

async fn refresh(cache: Arc<Mutex<Vec<u32>>>) {
    match cache.lock() {
        Ok(mut c) => {
            c.push(1);
            pulse().await;
            c.push(2);
        }
        Err(_) => pulse().await,
    }
}

#[tokio::main]
async fn main() {
    let cache = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(refresh(cache.clone())).await.unwrap();
}
