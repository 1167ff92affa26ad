// A guard in `spawn_blocking`'s sync closure, held in a future the
// closure runs with `block_on`: no Send is asked of that future.
use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::task::spawn_blocking(move || {
        Handle::current().block_on(async move {
            let mut n = h.lock().unwrap();
            *n += 1;
            tick().await;
        })
    })
    .await
    .unwrap();
}
