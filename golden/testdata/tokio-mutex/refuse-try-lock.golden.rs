// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn tick() {}

async fn poll(state: Arc<Mutex<u32>>) {
    let mut s = state.lock().unwrap();
    *s += 1;
    tick().await;
    *s += 1;
}

#[tokio::main]
async fn main() {
    let state = Arc::new(Mutex::new(0));
    tokio::spawn(poll(state.clone())).await.unwrap();
    if let Ok(s) = state.try_lock() {
        println!("{}", *s);
    }
}
