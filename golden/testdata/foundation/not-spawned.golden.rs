use std::sync::{Arc, Mutex};

async fn step() {
    tokio::task::yield_now().await;
}

// Awaited only from main's own body: no Send bound, so nothing to fix.
async fn run_once(state: Arc<Mutex<u8>>) {
    let mut s = state.lock().unwrap();
    *s += 1;
    step().await;
}

#[tokio::main]
async fn main() {
    let state = Arc::new(Mutex::new(0));
    run_once(state.clone()).await;
    assert_eq!(*state.lock().unwrap(), 1);
}
