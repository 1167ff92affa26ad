// The same program as if-let-else-await-2024, in edition 2021: the
// scrutinee's temporary guard lives through the else branch and its await.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Some(x) = {
            let guard = data.lock().unwrap();
            guard.first().copied()
        } {
            println!("{}", x);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
