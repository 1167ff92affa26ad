// A guard bound in a tuple pattern with another value, `let (mut g, k) =
// (m.lock().unwrap(), 1)`, alive across an await.
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
