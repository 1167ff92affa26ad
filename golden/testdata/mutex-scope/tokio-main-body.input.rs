use std::sync::{Arc, Mutex};

async fn tick() {}

async fn step(state: Arc<Mutex<Vec<u8>>>) {
    let mut s = state.lock().unwrap();
    s.push(1);
    tick().await;
}

#[tokio::main]
async fn main() {
    let state = Arc::new(Mutex::new(Vec::new()));
    let mut s = state.lock().unwrap();
    s.push(0);
    tick().await;
    drop(s);
    step(state).await;
}
