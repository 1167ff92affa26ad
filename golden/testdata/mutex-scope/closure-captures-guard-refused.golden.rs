// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn step() {}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1u32, 2, 3]));
    let d = data.clone();
    tokio::spawn(async move {
        let g = d.lock().unwrap();
        let sum = || g.iter().sum::<u32>();
        let total = sum();
        step().await;
        assert_eq!(total, 6);
    })
    .await
    .unwrap();
}
