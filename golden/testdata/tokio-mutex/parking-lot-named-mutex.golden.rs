// golden: run
use parking_lot::Mutex;
use std::sync::Arc;

struct Shared {
    hits: Mutex<u32>,
    log: tokio::sync::Mutex<Vec<String>>,
}

async fn flush() {
    tokio::task::yield_now().await;
}

async fn record(shared: Arc<Shared>, line: &str) {
    *shared.hits.lock() += 1;
    let mut log = shared.log.lock().await;
    flush().await;
    log.push(line.to_string());
}

#[tokio::main]
async fn main() {
    let shared = Arc::new(Shared { hits: Mutex::new(0), log: tokio::sync::Mutex::new(Vec::new()) });
    tokio::spawn(record(shared.clone(), "start")).await.unwrap();
    assert_eq!(*shared.hits.lock(), 1);
}
