// golden: expect=send-error
// The guard is used after the await (a tokio-mutex case); the allow covers it.
use std::sync::{Arc, Mutex};

async fn notify() {}

#[allow(clippy::await_holding_lock)]
async fn append(log: Arc<Mutex<Vec<u32>>>) {
    let mut l = log.lock().unwrap();
    l.push(1);
    notify().await;
    l.push(2);
}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(append(log.clone())).await.unwrap();
}
