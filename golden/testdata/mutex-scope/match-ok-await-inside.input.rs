// golden: args=--skip tokio-mutex
// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        match h.lock() {
            Ok(mut n) => {
                *n += 1;
                tick().await;
            }
            Err(_) => println!("poisoned"),
        }
    })
    .await
    .unwrap();
}
