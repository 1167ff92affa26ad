// The handle of a runtime made in a sync main.
// golden: run
use std::sync::{Arc, Mutex};
use tokio::runtime::Runtime;

async fn tick() {}

fn main() {
    let rt = Runtime::new().unwrap();
    let handle = rt.handle().clone();
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = handle.spawn(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    rt.block_on(task).unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
