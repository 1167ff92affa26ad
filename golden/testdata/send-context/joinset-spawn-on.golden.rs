// `JoinSet::spawn_on` with a handle.
use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;
use tokio::task::JoinSet;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let mut set = JoinSet::new();
    for i in 0..3 {
        let h = hits.clone();
        set.spawn_on(
            async move {
                {
                    let mut n = h.lock().unwrap();
                    *n += i;
                }
                tick().await;
            },
            &Handle::current(),
        );
    }
    while set.join_next().await.is_some() {}
}
