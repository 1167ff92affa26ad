// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn tick() {}

#[tokio::main]
async fn main() {
    let queue: Arc<Mutex<Vec<u32>>> = Arc::new(Mutex::new(Vec::new()));
    let q = Arc::clone(&queue);
    tokio::spawn(async move {
        let mut g = q.lock().await;
        g.push(1);
        tick().await;
        g.push(2);
    })
    .await
    .unwrap();
    assert_eq!(queue.lock().await.len(), 2);
    println!("{:?}", queue.lock().await);
}
