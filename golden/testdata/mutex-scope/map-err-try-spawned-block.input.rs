// A guard taken with `.map_err(..)?` inside a spawned async block that
// returns a Result, alive across the await.
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
