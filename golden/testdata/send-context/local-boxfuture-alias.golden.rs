// The negative twin of boxfuture-alias: the alias has no Send.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> LocalBoxFuture<'static, u32> {
    return Box::pin(async move {
        let mut n = hits.lock().unwrap();
        *n += 1;
        let seen = *n;
        tick().await;
        seen
    });
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let seen = count(hits.clone()).await;
    assert_eq!(seen, 1);
}
