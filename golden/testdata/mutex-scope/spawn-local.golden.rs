use std::sync::{Arc, Mutex};
use tokio::task::LocalSet;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let local = LocalSet::new();
    let h = hits.clone();
    local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                let mut n = h.lock().unwrap();
                *n += 1;
                tick().await;
            })
            .await
            .unwrap();
        })
        .await;
}
