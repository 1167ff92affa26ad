use std::sync::{Arc, Mutex};

async fn tick() {}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let hits = Arc::new(Mutex::new(0u32));
    rt.block_on(async {
        let mut n = hits.lock().unwrap();
        *n += 1;
        tick().await;
        println!("{}", *n);
    });
}
