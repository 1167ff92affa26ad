// golden: run
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn apply(enabled: bool) {
    println!("beta enabled: {enabled}");
}

#[tokio::main]
async fn main() {
    let flags = Arc::new(Mutex::new(HashMap::from([("beta", true)])));
    let f = flags.clone();
    tokio::spawn(async move {
        let cfg = f.lock().unwrap();
        let enabled = cfg.get("beta").copied().unwrap_or(false);
        apply(enabled).await;
        assert!(enabled);
    })
    .await
    .unwrap();
}
