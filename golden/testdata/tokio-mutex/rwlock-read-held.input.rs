// golden: run
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

async fn lookup(name: &str) -> usize {
    name.len()
}

async fn resolve(table: Arc<RwLock<HashMap<String, usize>>>, name: String) -> usize {
    let known = table.read().unwrap();
    let n = lookup(&name).await;
    known.get(&name).copied().unwrap_or(n)
}

async fn learn(table: Arc<RwLock<HashMap<String, usize>>>, name: &str, n: usize) {
    let mut t = table.write().expect("table lock");
    t.insert(name.to_string(), n);
}

#[tokio::main]
async fn main() {
    let table = Arc::new(RwLock::new(HashMap::new()));
    learn(table.clone(), "a", 7).await;
    let n = tokio::spawn(resolve(table.clone(), "a".to_string())).await.unwrap();
    assert_eq!(n, 7);
    let m = tokio::spawn(resolve(table, "bc".to_string())).await.unwrap();
    assert_eq!(m, 2);
}
