// An async block returned from a fn declared `-> impl Future + Send`.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> impl Future<Output = ()> + Send + 'static {
    async move {
        {
            let mut n = hits.lock().unwrap();
            *n += 1;
        }
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    tokio::spawn(count(hits.clone())).await.unwrap();
}
