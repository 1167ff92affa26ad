use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        {
            let mut g = h.lock().unwrap(); // take it
            *g += 1; /* counted */ // done
        }
        // now flush
        flush().await;
    })
    .await
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
