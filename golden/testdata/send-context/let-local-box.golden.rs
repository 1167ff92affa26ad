// The negative twin of let-send-box: the box asks no Send.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let job: Pin<Box<dyn Future<Output = ()>>> = Box::pin(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    });
    job.await;
}
