// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn report() {}

#[tokio::main]
async fn main() {
    let counts = Arc::new(Mutex::new(HashMap::from([("a", 3u32), ("b", 5)])));
    let c = counts.clone();
    tokio::spawn(async move {
        let counts = c.lock().unwrap();
        let max = counts.values().max();
        report().await;
        println!("{max:?}");
    })
    .await
    .unwrap();
}
