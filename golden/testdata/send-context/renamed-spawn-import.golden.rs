// tokio's spawn imported under another name, and through its module.
use std::sync::{Arc, Mutex};
use tokio::task::{self, spawn as go};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let a = go(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    let h = hits.clone();
    let b = task::spawn(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    a.await.unwrap();
    b.await.unwrap();
}
