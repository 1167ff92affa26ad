// Reduced from TestGenerated seed=1 index=563: the only await is inside
// `tokio::join!` (a macro's tokens), so sendfix finds no await and says
// nothing; rustc fails with the Send error.
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
