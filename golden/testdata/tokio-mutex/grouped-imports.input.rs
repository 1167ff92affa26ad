use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

async fn fetch(key: &str) -> String {
    format!("value of {key}")
}

async fn refresh(cache: Arc<Mutex<HashMap<String, String>>>, config: Arc<RwLock<Vec<String>>>) {
    let keys = config.read().unwrap().clone();
    let mut map = cache.lock().unwrap();
    for key in keys {
        let value = fetch(&key).await;
        map.insert(key, value);
    }
}

#[tokio::main]
async fn main() {
    let cache = Arc::new(Mutex::new(HashMap::new()));
    let config = Arc::new(RwLock::new(vec!["a".to_string(), "b".to_string()]));
    tokio::spawn(refresh(cache.clone(), config)).await.unwrap();
    println!("{} entries", cache.lock().unwrap().len());
}
