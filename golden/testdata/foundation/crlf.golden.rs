use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn flush(key: &str) {
    println!("flushed {key}");
}

#[tokio::main]
async fn main() {
    let cache: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let c = cache.clone();
    let task = tokio::spawn(async move {
        {
            let mut map = c.lock().unwrap();
            map.insert("hits".to_string(), 1);
        }

        flush("hits").await;
    });
    task.await.unwrap();
}
