// golden: expect=send-error
// golden: args=--skip tokio-mutex
use std::sync::{Arc, Mutex};

async fn show(n: u32) {
    println!("{n}");
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(vec![1u32]));
    let i = items.clone();
    tokio::spawn(async move {
        if let Some(first) = i.lock().unwrap().first() {
            show(*first).await;
        }
    })
    .await
    .unwrap();
}
