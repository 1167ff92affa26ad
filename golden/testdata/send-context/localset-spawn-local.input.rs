// `LocalSet::spawn_local` asks no Send.
use std::sync::{Arc, Mutex};
use tokio::task::LocalSet;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let local = LocalSet::new();
    let h = hits.clone();
    local.spawn_local(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    });
    local.await;
}
