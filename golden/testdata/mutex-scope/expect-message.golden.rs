use std::collections::HashMap;
use std::sync::{Arc, Mutex};

async fn notify(key: &str) {
    println!("updated {key}");
}

async fn update(store: Arc<Mutex<HashMap<String, u64>>>, key: String) {
    {
        let mut map = store.lock().expect("store lock poisoned");
        *map.entry(key.clone()).or_insert(0) += 1;
    }
    notify(&key).await;
}

#[tokio::main]
async fn main() {
    let store = Arc::new(Mutex::new(HashMap::new()));
    let task = tokio::spawn(update(store.clone(), "a".into()));
    task.await.unwrap();
}
