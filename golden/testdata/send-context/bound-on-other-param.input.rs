// The negative twin of bound-where-clause: Send bounds another type
// parameter, not the future's.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn run<F, G>(f: F, tag: G) -> F
where
    F: Future<Output = ()>,
    G: Send + Sync + 'static,
{
    drop(tag);
    f
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = run(
        async move {
            let mut n = h.lock().unwrap();
            *n += 1;
            tick().await;
        },
        "tag",
    );
    task.await;
}
