// Reduced from TestGenerated seed=1 index=58: a guard bound in a tuple pattern,
// `let (mut g, k) = (m.lock().unwrap(), 1)`, alive across an await. No finding;
// rustc fails with the Send error.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let (mut g, k) = (data.lock().unwrap(), 1u32);
        g.push(k);
        tick().await;
    })
    .await
    .unwrap();
}
