// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn save(n: u32) {
    println!("{n}");
}

#[allow(clippy::await_holding_lock)]
async fn handler(total: Arc<Mutex<u32>>) {
    let mut t = total.lock().unwrap();
    *t += 1;
    save(1).await;
}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0));
    tokio::spawn(handler(total.clone())).await.unwrap();
}
