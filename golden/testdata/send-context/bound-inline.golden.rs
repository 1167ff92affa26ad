// An async block passed to a fn of the file whose type parameter is
// bounded `Future + Send`: the block must be Send.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn run<F: Future<Output = ()> + Send + 'static>(f: F) -> tokio::task::JoinHandle<()> {
    tokio::spawn(f)
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    run(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    })
    .await
    .unwrap();
}
