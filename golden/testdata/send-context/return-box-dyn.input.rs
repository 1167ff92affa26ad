// The negative twin of return-box-dyn-send: a box without Send.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> Pin<Box<dyn Future<Output = ()> + 'static>> {
    Box::pin(async move {
        let mut n = hits.lock().unwrap();
        *n += 2;
        tick().await;
    })
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    count(hits.clone()).await;
}
