// golden: run
use std::sync::{Arc, RwLock};
use tokio::sync::Mutex;

async fn work() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let cfg = Arc::new(RwLock::new(3u32));
    let stats = Arc::new(parking_lot::Mutex::new(0u32));
    let jobs = Arc::new(Mutex::new(vec![1u32]));
    let (c, s, j) = (cfg.clone(), stats.clone(), jobs.clone());
    tokio::spawn(async move {
        let n = *c.read().unwrap();
        *s.lock() += n;
        let mut q = j.lock().await;
        work().await;
        q.push(n);
    })
    .await
    .unwrap();
    println!("{:?} {}", jobs.lock().await, stats.lock());
}
