use std::sync::Arc;
use tokio::sync::Mutex;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        let mut n = h.lock().await;
        *n += 1;
        tick().await;
        println!("{}", *n);
    })
    .await
    .unwrap();
}
