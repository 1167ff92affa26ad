// golden: args=--all-async
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    {
        let mut n = hits.lock().unwrap();
        *n += 1;
    }
    tick().await;
    let h = hits.clone();
    tokio::spawn(async move {
        {
            let mut m = h.lock().unwrap();
            *m += 1;
        }
        tick().await;
    })
    .await
    .unwrap();
}
