// golden: run
use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0u64));
    let t = total.clone();
    tokio::spawn(async move {
        {
            let mut n = t.lock().unwrap_or_else(|e| e.into_inner());
            *n += 2;
        }
        flush().await;
    })
    .await
    .unwrap();
    assert_eq!(*total.lock().unwrap(), 2);
}
