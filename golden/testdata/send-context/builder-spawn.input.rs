// golden: tokio-unstable
// golden: run
// `task::Builder::new().spawn(..)` (tokio_unstable) asks Send of its
// future as `tokio::spawn` does: a std guard held across an await in it
// is scoped.
use std::sync::{Arc, Mutex};
use tokio::task;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    task::Builder::new()
        .name("counter")
        .spawn(async move {
            let mut n = h.lock().unwrap();
            *n += 1;
            tick().await;
        })
        .unwrap()
        .await
        .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
