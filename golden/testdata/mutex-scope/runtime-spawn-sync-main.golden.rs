// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let total = Arc::new(Mutex::new(0u32));
    let t = total.clone();
    let task = rt.spawn(async move {
        {
            let mut n = t.lock().unwrap();
            *n += 5;
        }
        tick().await;
    });
    rt.block_on(task).unwrap();
    assert_eq!(*total.lock().unwrap(), 5);
}
