// golden: run
use std::sync::{Arc, Mutex};

async fn handle(job: u32) {
    println!("job {job}");
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1u32, 2, 3]));
    let q = queue.clone();
    tokio::spawn(async move {
        if let Some(job) = q.lock().unwrap().drain(..1).next() {
            handle(job).await;
        }
    })
    .await
    .unwrap();
    assert_eq!(*queue.lock().unwrap(), [2, 3]);
}
