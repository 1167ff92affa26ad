use std::sync::{Arc, Mutex};

async fn save() {}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let c = counter.clone();
    tokio::spawn(async move {
        let mut n = c.lock().unwrap();
        *n += 1;
        drop(n);
        save().await;
    })
    .await
    .unwrap();
}
