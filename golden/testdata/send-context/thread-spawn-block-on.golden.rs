// `std::thread::spawn`'s closure needs Send, the future it runs with
// `block_on` does not.
// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

fn main() {
    let rt = Arc::new(tokio::runtime::Runtime::new().unwrap());
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let r = rt.clone();
    std::thread::spawn(move || {
        r.block_on(async move {
            let mut n = h.lock().unwrap();
            *n += 1;
            tick().await;
        })
    })
    .join()
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
