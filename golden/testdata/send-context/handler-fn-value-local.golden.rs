// The negative twin of handler-fn-value: the fn taking the handler
// bounds its futures by `Future` alone.
use std::future::Future;
use std::sync::Mutex;

static HITS: Mutex<u32> = Mutex::new(0);

async fn tick() {}

async fn count(n: u32) {
    let mut g = HITS.lock().unwrap();
    *g += n;
    tick().await;
}

async fn serve<H, Fut>(handler: H)
where
    H: FnOnce(u32) -> Fut,
    Fut: Future<Output = ()>,
{
    handler(1).await
}

#[tokio::main]
async fn main() {
    serve(count).await;
}
