// golden: run
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Cache = Arc<Mutex<HashMap<String, u32>>>;

async fn compute(k: &str) -> u32 {
    k.len() as u32
}

async fn get(cache: Cache, k: String) -> u32 {
    let mut c = cache.lock().unwrap();
    if let Some(v) = c.get(&k) {
        return *v;
    }
    let v = compute(&k).await;
    c.insert(k, v);
    v
}

#[tokio::main]
async fn main() {
    let cache: Cache = Default::default();
    let v = tokio::spawn(get(cache.clone(), "abc".into())).await.unwrap();
    assert_eq!(v, 3);
    assert_eq!(cache.lock().unwrap().len(), 1);
}
