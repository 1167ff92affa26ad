// golden: run
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(AtomicU32::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        h.fetch_add(1, Ordering::SeqCst);
        tick().await;
    })
    .await
    .unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    println!("{}", hits.load(Ordering::SeqCst));
}
