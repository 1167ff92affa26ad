// The negative twin of return-impl-send: `-> impl Future` without Send.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> impl Future<Output = ()> + 'static {
    async move {
        let mut n = hits.lock().unwrap();
        *n += 1;
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    count(hits.clone()).await;
}
