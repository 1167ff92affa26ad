// golden: run
use std::sync::{Arc, Mutex};

async fn upload(batch: &[usize]) {
    println!("{batch:?}");
}

#[tokio::main]
async fn main() {
    let buffer = Arc::new(Mutex::new(vec![1u32, 2, 3]));
    let b = buffer.clone();
    tokio::spawn(async move {
        let n = {
            let batch = b.lock().unwrap();
            batch.len()
        };
        let batch = vec![n; 2];
        upload(&batch).await;
        assert_eq!(batch, vec![3, 3]);
    })
    .await
    .unwrap();
}
