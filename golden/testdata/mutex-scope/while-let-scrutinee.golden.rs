// golden: run
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

async fn process(job: u32) {
    println!("job {job}");
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(VecDeque::from(vec![1, 2, 3])));
    let q = queue.clone();
    tokio::spawn(async move {
        while let Some(job) = {
            let mut guard = q.lock().unwrap();
            guard.pop_front()
        } {
            process(job).await;
        }
    })
    .await
    .unwrap();
    assert!(queue.lock().unwrap().is_empty());
}
