use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        let mut count = h.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *count += 1;
        flush().await;
    })
    .await
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
