//! Counter shared with a background task.
use std::sync::{Arc, Mutex};

async fn report() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        report().await;
    })
    .await
    .unwrap();
    println!("hits: {}", hits.lock().unwrap());
}
