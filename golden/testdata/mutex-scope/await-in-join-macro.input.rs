// The only await is inside `tokio::join!` (a macro's tokens): the macro
// awaits in the spawned block, so the guard is held across it.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let mut g = data.lock().unwrap();
        g.push(4);
        tokio::join!(tick(), tick());
    })
    .await
    .unwrap();
}
