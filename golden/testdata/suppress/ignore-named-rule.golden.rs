// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        // sendfix:ignore mutex-scope -- reviewed by the storage team
        let mut n = h.lock().unwrap();
        *n += 1;
        flush().await;
    })
    .await
    .unwrap();
}
