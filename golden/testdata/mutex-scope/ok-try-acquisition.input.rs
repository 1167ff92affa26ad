// golden: run
use std::sync::{Arc, Mutex};

async fn flush() {}

async fn peek(queue: Arc<Mutex<Vec<u8>>>) -> Option<u8> {
    let q = queue.lock().ok()?;
    let last = q.last().copied();
    flush().await;
    last
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![4, 2]));
    let got = tokio::spawn(peek(queue)).await.unwrap();
    assert_eq!(got, Some(2));
}
