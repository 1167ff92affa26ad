// A handler parameter `H: Fn(..) -> Fut` whose `Fut: Future + Send`: the
// async block a closure returns must be Send.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn serve<H, Fut>(handler: H) -> tokio::task::JoinHandle<()>
where
    H: Fn(u32) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move { handler(1).await })
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
    .await
    .unwrap();
}
