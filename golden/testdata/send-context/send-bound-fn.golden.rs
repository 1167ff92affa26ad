// A future passed to a fn whose parameter is bound `F: Future + Send` must
// be Send: the guard held across the await is scoped (found by the program
// generator, ctx=send-bound).
use std::sync::{Arc, Mutex};

fn require_send<F: std::future::Future + Send>(f: F) -> F {
    f
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    require_send(async move {
        {
            let mut g = data.lock().unwrap();
            g.push(4);
        }
        tick().await;
    })
    .await;
}
