// A fn of the file that spawns its `F: Future + Send + 'static` argument:
// the async block given to it must be Send, and its guard is scoped before
// the await (found by the program generator, ctx=send-bound-spawner).
use std::sync::{Arc, Mutex};

fn in_background<F>(f: F) -> tokio::task::JoinHandle<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::spawn(f)
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    in_background(async move {
        let mut g = data.lock().unwrap();
        g.push(4);
        tick().await;
    })
    .await
    .unwrap();
}
