// A let typed as a Send box: the boxed block must be Send.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let job: Pin<Box<dyn Future<Output = ()> + Send>> = Box::pin(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    tokio::spawn(job).await.unwrap();
}
