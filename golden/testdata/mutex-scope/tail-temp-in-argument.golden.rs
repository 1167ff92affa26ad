// golden: run
use std::sync::{Arc, RwLock};
use std::time::Duration;

struct Config {
    limit: Duration,
}

async fn job() -> u32 {
    7
}

#[tokio::main]
async fn main() {
    let cfg = Arc::new(RwLock::new(Config { limit: Duration::from_secs(5) }));
    let c = cfg.clone();
    let out = tokio::spawn(async move { tokio::time::timeout({
        let guard = c.read().unwrap();
        guard.limit
    }, job()).await })
        .await
        .unwrap();
    assert_eq!(out.unwrap(), 7);
}
