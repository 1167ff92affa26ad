// The negative twin of joinset-field: `spawn_local` on a JoinSet, inside
// a LocalSet, asks no Send.
use std::sync::{Arc, Mutex};
use tokio::task::{JoinSet, LocalSet};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    LocalSet::new()
        .run_until(async move {
            let mut set = JoinSet::new();
            let h = hits.clone();
            set.spawn_local(async move {
                let mut n = h.lock().unwrap();
                *n += 1;
                tick().await;
            });
            while set.join_next().await.is_some() {}
        })
        .await;
}
