// The bound in a where clause, in a `+ Send + Sync` list.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn run<F>(f: F) -> tokio::task::JoinHandle<()>
where
    F: Future<Output = ()> + Send + Sync + 'static,
{
    tokio::spawn(f)
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = run(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    task.await.unwrap();
}
