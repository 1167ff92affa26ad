use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let seen = Arc::new(Mutex::new(vec![1u8, 2]));
    let s = seen.clone();
    tokio::spawn(async move {
        let ids = s.lock().unwrap();
        eprintln!("seen so far: {ids:?}");
        tick().await;
    })
    .await
    .unwrap();
}
