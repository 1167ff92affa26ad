// golden: run
use std::sync::{Arc, Mutex};

struct Stats {
    hits: u64,
    last: String,
}

async fn publish(hits: u64) -> u64 {
    hits
}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { hits: 3, last: String::new() }));
    let s = stats.clone();
    let got = tokio::spawn(async move { publish({
        let guard = s.lock().unwrap();
        guard.hits
    }).await }).await.unwrap();
    assert_eq!(got, 3);
    assert!(stats.lock().unwrap().last.is_empty());
}
