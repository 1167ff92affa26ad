// Reduced from TestGenerated seed=1 index=524 (and 1271, 1974 in edition
// 2024, where the input compiles): tokio-mutex rewrites `if let Ok(g) =
// m.lock() { .. } else { .. }` to `{ let g = m.lock().await; .. }` and
// deletes the else branch, await and all. The output compiles: code is lost
// silently (the judge counts calls: tick() 1 -> 0).
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Ok(g) = data.lock() {
            let n = g.len();
            drop(g);
            println!("{}", n);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
