// An async fn passed as a value where `Fut: Send` applies: its future
// must be Send.
use std::future::Future;
use std::sync::Mutex;

static HITS: Mutex<u32> = Mutex::new(0);

async fn tick() {}

async fn count(n: u32) {
    {
        let mut g = HITS.lock().unwrap();
        *g += n;
    }
    tick().await;
}

fn serve<H, Fut>(handler: H) -> tokio::task::JoinHandle<()>
where
    H: FnOnce(u32) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move { handler(1).await })
}

#[tokio::main]
async fn main() {
    serve(count).await.unwrap();
}
