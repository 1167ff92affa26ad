// A BoxFuture alias of the file, returned with `return`.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> BoxFuture<'static, u32> {
    return Box::pin(async move {
        let seen = {
            let mut n = hits.lock().unwrap();
            *n += 1;
            *n
        };
        tick().await;
        seen
    });
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let seen = tokio::spawn(count(hits.clone())).await.unwrap();
    assert_eq!(seen, 1);
}
