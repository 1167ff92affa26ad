// The negative twin of renamed-spawn-import: the bare `spawn` here is
// tokio's spawn_local, which asks no Send.
use std::sync::{Arc, Mutex};
use tokio::task::{spawn_local as spawn, LocalSet};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    LocalSet::new()
        .run_until(async move {
            spawn(async move {
                let mut n = h.lock().unwrap();
                *n += 1;
                tick().await;
            })
            .await
            .unwrap();
        })
        .await;
}
