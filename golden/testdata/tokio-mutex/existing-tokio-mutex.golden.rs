// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn fetch(id: u32) -> u32 {
    tokio::task::yield_now().await;
    id * 2
}

#[tokio::main]
async fn main() {
    let seen = Arc::new(tokio::sync::Mutex::new(0u32));
    let cache = Arc::new(Mutex::new(Vec::new()));
    let (s, c) = (seen.clone(), cache.clone());
    tokio::spawn(async move {
        *s.lock().await += 1;
        let mut entries = c.lock().await;
        let v = fetch(entries.len() as u32 + 1).await;
        entries.push(v);
    })
    .await
    .unwrap();
    assert_eq!(*seen.lock().await, 1);
    assert_eq!(cache.lock().await.len(), 1);
}
