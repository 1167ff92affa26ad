// golden: args=--rules tokio-mutex
use std::sync::Arc;
use tokio::sync::Mutex;

async fn persist(n: usize) {
    println!("persisting {n}");
}

async fn save(items: Arc<Mutex<Vec<u8>>>) {
    let mut guard = items.lock().await;
    guard.push(1);
    persist(3).await;
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(save(items)).await.unwrap();
}
