// golden: tokio-unstable
// golden: run
// The negative twin of builder-spawn: `Builder::new().spawn_local(..)`
// in a LocalSet asks no Send, and the guard stays as it is.
use std::sync::{Arc, Mutex};
use tokio::task::{self, LocalSet};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    LocalSet::new()
        .run_until(async move {
            task::Builder::new()
                .name("counter")
                .spawn_local(async move {
                    let mut n = h.lock().unwrap();
                    *n += 1;
                    tick().await;
                })
                .unwrap()
                .await
                .unwrap();
        })
        .await;
    assert_eq!(*hits.lock().unwrap(), 1);
}
