// An `impl Future + Send` parameter, not the first one.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn run(name: &str, f: impl Future<Output = ()> + Send + 'static) -> tokio::task::JoinHandle<()> {
    println!("starting {name}");
    tokio::spawn(f)
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    run("counter", async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    })
    .await
    .unwrap();
}
