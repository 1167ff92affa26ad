// The negative twin of bound-inline: `F: Future` without Send asks
// nothing of the block, and the code compiles as it is.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn run<F: Future<Output = ()>>(f: F) -> F {
    f
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    run(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    })
    .await;
}
