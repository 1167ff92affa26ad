use std::sync::{Arc, Mutex};

async fn drain() {}

#[tokio::main]
async fn main() {
    let backlog = Arc::new(Mutex::new(vec![1, 2, 3]));
    let b = backlog.clone();
    tokio::spawn(async move {
        match {
            let guard = b.lock().unwrap();
            guard.len()
        } {
            0 => println!("idle"),
            _ => drain().await,
        }
    })
    .await
    .unwrap();
}
