// `Handle::current().spawn(..)`, the handle spelled by its full path.
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::runtime::Handle::current()
        .spawn(async move {
            {
                let mut n = h.lock().unwrap();
                *n += 1;
            }
            tick().await;
        })
        .await
        .unwrap();
}
