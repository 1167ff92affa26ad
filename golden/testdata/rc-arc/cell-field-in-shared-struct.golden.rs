// golden: run
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

struct Stats {
    hits: AtomicU64,
    open: AtomicBool,
}

impl Stats {
    fn hit(&self) {
        self.hits.fetch_add(1, Ordering::SeqCst);
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Stats { hits: AtomicU64::new(0), open: AtomicBool::new(true) });
    let s = Arc::clone(&stats);
    tokio::spawn(async move {
        s.hit();
        tick().await;
        s.hit();
        s.open.store(false, Ordering::SeqCst);
    })
    .await
    .unwrap();
    assert_eq!(stats.hits.load(Ordering::SeqCst), 2);
    assert!(!stats.open.load(Ordering::SeqCst));
    println!("{} {}", stats.hits.load(Ordering::SeqCst), stats.open.load(Ordering::SeqCst));
}
