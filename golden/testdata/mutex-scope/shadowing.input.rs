use std::sync::{Arc, Mutex};

async fn upload(batch: &[u32]) {
    println!("{} items", batch.len());
}

#[tokio::main]
async fn main() {
    let buffer = Arc::new(Mutex::new(vec![1u32, 2, 3]));
    let b = buffer.clone();
    tokio::spawn(async move {
        let batch = b.lock().unwrap();
        let batch = batch.iter().copied().collect::<Vec<_>>();
        upload(&batch).await;
        println!("sent {}", batch.len());
    })
    .await
    .unwrap();
}
