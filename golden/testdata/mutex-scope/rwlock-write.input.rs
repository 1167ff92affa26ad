use std::sync::{Arc, RwLock};

struct Config {
    retries: u32,
}

async fn reload() {}

#[tokio::main]
async fn main() {
    let cfg = Arc::new(RwLock::new(Config { retries: 1 }));
    let c = cfg.clone();
    tokio::spawn(async move {
        let mut w = c.write().unwrap();
        w.retries += 1;
        reload().await;
    })
    .await
    .unwrap();
    println!("{}", cfg.read().unwrap().retries);
}
