// A runtime from tokio's runtime Builder.
// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = rt.spawn(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    rt.block_on(task).unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
