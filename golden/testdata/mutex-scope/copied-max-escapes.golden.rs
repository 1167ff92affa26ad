// golden: run
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn report(max: u32) {
    println!("max {max}");
}

#[tokio::main]
async fn main() {
    let counts = Arc::new(Mutex::new(HashMap::from([("a", 3u32), ("b", 5)])));
    let c = counts.clone();
    tokio::spawn(async move {
        let max = {
            let counts = c.lock().unwrap();
            counts.values().copied().max().unwrap_or(0)
        };
        report(max).await;
        assert_eq!(max, 5);
    })
    .await
    .unwrap();
}
