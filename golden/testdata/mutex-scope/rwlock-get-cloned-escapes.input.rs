// golden: run
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

async fn connect(addr: &str) {
    println!("connecting to {addr}");
}

#[tokio::main]
async fn main() {
    let routes = Arc::new(RwLock::new(HashMap::from([("db", "10.0.0.1".to_string())])));
    let r = routes.clone();
    tokio::spawn(async move {
        let table = r.read().unwrap();
        let addr = table.get("db").cloned().unwrap_or_default();
        connect(&addr).await;
        assert_eq!(addr, "10.0.0.1");
    })
    .await
    .unwrap();
}
