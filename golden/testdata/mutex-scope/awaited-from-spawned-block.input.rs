use std::sync::{Arc, Mutex};

async fn flush() {}

async fn bump(counter: Arc<Mutex<u64>>) {
    let mut n = counter.lock().unwrap();
    *n += 1;
    flush().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let c = counter.clone();
    tokio::spawn(async move {
        bump(c).await;
    })
    .await
    .unwrap();
}
