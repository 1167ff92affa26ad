use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn fetch(url: String) {
    println!("GET {url}");
}

#[tokio::main]
async fn main() {
    let cache = Arc::new(Mutex::new(HashMap::from([(1u32, "a".to_string())])));
    let c = cache.clone();
    tokio::spawn(async move {
        if let Some(url) = {
            let guard = c.lock().unwrap();
            guard.get(&1).cloned()
        } {
            fetch(url).await;
        }
    })
    .await
    .unwrap();
}
