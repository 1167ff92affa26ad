// golden: expect=send-error
// A reviewed exception: the comment before the `let` silences every rule there.
use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        // sendfix:ignore
        let mut n = h.lock().unwrap();
        *n += 1;
        flush().await;
    })
    .await
    .unwrap();
}
