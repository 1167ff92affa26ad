// Reduced from TestGenerated seed=1 index=404 (and most programs with
// unwrap=map-err-q: let, let mut, while let, if let, match, awaited-call
// argument): a guard taken with `.map_err(..)?` is not seen as a guard. No
// finding; rustc fails with the Send error.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let mut g = data.lock().map_err(|e| e.to_string())?;
        g.push(4);
        tick().await;
        Ok::<(), String>(())
    })
    .await
    .unwrap()
    .unwrap();
}
