use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec!["a", "b"]));
    let q = queue.clone();
    tokio::spawn(async move {
        {
            let pending = q.lock().unwrap();
            println!("pending: {}", pending.len());
            assert!(!pending.is_empty(), "queue drained");
        }
        tick().await;
    })
    .await
    .unwrap();
}
