// golden: run
use std::sync::{Arc, Mutex};

async fn upload(bytes: usize) {
    tokio::task::yield_now().await;
    println!("uploaded {bytes} bytes");
}

fn compress(buffer: &Mutex<Vec<u8>>) -> usize {
    let mut data = buffer.lock().unwrap();
    data.retain(|b| *b != 0);
    data.len()
}

async fn pipeline(buffer: Arc<Mutex<Vec<u8>>>) {
    let b = buffer.clone();
    let size = tokio::task::spawn_blocking(move || compress(&b)).await.unwrap();
    let data = buffer.lock().unwrap();
    upload(size).await;
    assert_eq!(data.len(), size);
}

#[tokio::main]
async fn main() {
    let buffer = Arc::new(Mutex::new(vec![1, 0, 2, 0, 3]));
    tokio::spawn(pipeline(buffer)).await.unwrap();
}
