// The negative twin of handler-closure: Send bounds the closure, not
// the futures it returns, and the code compiles as it is.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

async fn serve<H, Fut>(handler: H)
where
    H: Fn(u32) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    handler(1).await
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    serve(move |n| {
        let h = hits.clone();
        async move {
            let mut g = h.lock().unwrap();
            *g += n;
            tick().await;
        }
    })
    .await;
}
