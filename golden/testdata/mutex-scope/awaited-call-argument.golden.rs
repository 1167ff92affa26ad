use std::sync::{Arc, Mutex};

async fn publish(n: usize) {
    println!("{n} pending");
}

#[tokio::main]
async fn main() {
    let pending = Arc::new(Mutex::new(vec!["a", "b"]));
    let p = pending.clone();
    tokio::spawn(async move {
        publish({
            let guard = p.lock().unwrap();
            guard.len()
        }).await;
    })
    .await
    .unwrap();
}
